import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { RequestForm, type RequestFormProps, RequestsPage } from '../../views/help-requests.js';
import { Layout } from '../../views/layout.js';
import type { PrivacyProps } from '../../views/privacy.js';
import { FollowPage } from '../../views/verify.js';
import type { ContentCatalog } from '../engine/content.js';
import { openFinding, openTargetSchema } from '../engine/reconcile-open.js';
import { openRequest } from '../engine/request-open.js';
import type { Engine } from '../engine/session-engine.js';
import type { PronotePort } from '../pronote/port.js';
import type { HelpRequest, HelpRequests } from '../store/help-requests.js';
import type { RateCounter } from '../store/rate-counter.js';
import type { AppEnv } from './app-types.js';
import type { FollowLinks } from './follow-links.js';
import { absoluteUrl } from './public-url.js';
import { clientKey, rateLimit } from './rate-limit.js';
import { html } from './render.js';
import { espaceChoices, parseRequest, REQUEST_FIELDS } from './request-fields.js';
import { openSession } from './session-access.js';
import { isAllowedOn } from './viewer.js';

/** A form field as typed, or nothing for a file or a repeated field. */
const typed = (value: unknown): string | undefined =>
  typeof value === 'string' ? value.slice(0, 2000) : undefined;

export interface RequestDeps {
  engine: Engine;
  pronote: PronotePort;
  requests: HelpRequests;
  rates: RateCounter;
  follow: FollowLinks;
  privacy: PrivacyProps;
  content: ContentCatalog;
  publicUrl: string;
}

const answerSchema = z.object({
  status: z.enum(['en-cours', 'corrigee', 'close'], { error: 'Choisissez la suite donnée à la demande.' }),
  answer: z
    .string()
    .trim()
    .max(2000, { error: 'La réponse ne peut pas dépasser 2 000 caractères.' })
    .default(''),
});

/** End users' requests to their school, and the agents' queue of them. */
export function requestRoutes({
  engine,
  content,
  pronote,
  requests,
  rates,
  follow,
  privacy,
  publicUrl,
}: RequestDeps) {
  const app = new Hono<AppEnv>();
  const limited = rateLimit({
    name: 'requests',
    limit: 5,
    windowMs: 10 * 60_000,
    keyOf: clientKey,
    counter: rates,
  });

  app.post('/s/:id/demande', async (c) => {
    const state = await openSession(engine, c.get('viewer'), c.req.param('id'));
    if (state.session.audience !== 'public' || state.step.meta.kind !== 'end') {
      throw new HTTPException(422, {
        message: 'Une demande à l’établissement se fait à la fin du parcours.',
      });
    }
    const sessionId = state.session.id;
    const sentInfo = (r: HelpRequest, again: boolean) => ({
      reference: r.reference,
      followUrl: absoluteUrl(publicUrl, follow.create(r.id)),
      again,
    });
    const page = (props: Partial<RequestFormProps>, status: 200 | 422 | 429 = 200) =>
      html(
        c,
        <Layout title={props.sent ? 'Demande envoyée' : 'Demande à corriger'}>
          <RequestForm
            sessionId={sessionId}
            flow={flow}
            schools={schools}
            hasIdentity={hasIdentity}
            espaces={espaceChoices(content)}
            privacy={privacy}
            {...props}
          />
          <p>
            <a href={`/s/${sessionId}`}>Revenir au parcours</a>
          </p>
        </Layout>,
        status,
      );
    const flow = state.step.meta.step.split('.')[0] ?? '';
    const ctx = state.snapshot.context;
    const hasIdentity = ctx.identity !== undefined;
    const schools = await pronote.listSchools();
    // The same session sends one request: a second click, a reload or a replayed form shows the first.
    const existing = await requests.findBySession(sessionId);
    if (existing) return page({ sent: sentInfo(existing, true) });

    const body = await c.req.parseBody();
    const values = Object.fromEntries(REQUEST_FIELDS.map((f) => [f, typed(body[f])]));
    const parsed = parseRequest(flow, hasIdentity, body);
    const errors = parsed.ok ? {} : parsed.errors;
    if (parsed.ok && !schools.some((s) => s.uai === parsed.input.uai))
      errors.uai = 'Choisissez votre établissement dans la liste.';
    if (!parsed.ok || errors.uai) return page({ errors, values }, 422);
    // Counted only once the form is right: a refused form costs nothing, and a refusal keeps what was typed.
    try {
      await limited(c, async () => {});
    } catch (err) {
      if (!(err instanceof HTTPException) || err.status !== 429) throw err;
      return page({ errors: { email: err.message }, values }, 429);
    }
    const { uai, corrections, details, email, telephone } = parsed.input;
    const request = await requests.add(uai, sessionId, {
      flow,
      step: state.step.meta.step,
      ...(ctx.identity ? { identity: ctx.identity } : {}),
      ...(ctx.message ? { message: ctx.message } : {}),
      corrections,
      ...(Object.keys(details).length > 0 ? { details } : {}),
      contact: { ...(email ? { email } : {}), ...(telephone ? { telephone } : {}) },
    });
    return page({ sent: sentInfo(request, false) });
  });

  const agentOf = (c: Context<AppEnv>) => {
    const viewer = c.get('viewer');
    if (viewer.kind !== 'agent')
      throw new HTTPException(403, { message: 'Les demandes sont réservées aux agents connectés.' });
    return viewer;
  };

  app.get('/demandes', async (c) =>
    html(c, <RequestsPage requests={await requests.list(agentOf(c).schools)} now={new Date()} />),
  );

  /** The person's follow-up page: the state of their request, from a signed link that names nobody. */
  app.get('/suivi/:token', async (c) => {
    const id = follow.verify(c.req.param('token'));
    const request = id ? await requests.get(id) : null;
    if (!request)
      throw new HTTPException(404, {
        message: 'Ce lien de suivi n’est pas valable ou a expiré. Votre établissement peut vous renseigner.',
      });
    c.header('Cache-Control', 'no-store');
    return html(c, <FollowPage request={request} />);
  });

  const requestOf = async (c: Context<AppEnv>) => {
    const agent = agentOf(c);
    const request = await requests.get(c.req.param('id') ?? '');
    if (!request || !isAllowedOn(agent, request.uai))
      throw new HTTPException(404, { message: 'Demande introuvable.' });
    return { agent, request };
  };

  app.post('/demandes/:id/prendre', async (c) => {
    const { agent, request } = await requestOf(c);
    await requests.update(request.id, { kind: 'take', agent: agent.name });
    return c.redirect('/demandes', 303);
  });

  app.post('/demandes/:id/repondre', async (c) => {
    const { agent, request } = await requestOf(c);
    const { status, answer } = answerSchema.parse(await c.req.parseBody());
    await requests.update(request.id, { kind: 'answer', agent: agent.name, status, answer });
    return c.redirect('/demandes', 303);
  });

  /**
   * Opens an agent session on the request's school: at the fix step its verified diagnosis points to, or
   * at the comparison with the identity the user typed.
   */
  app.post('/demandes/:id/ouvrir', async (c) => {
    const { agent, request } = await requestOf(c);
    if (request.openedSession) return c.redirect(`/s/${request.openedSession}`, 303);
    const target = openTargetSchema.safeParse(request.data.verified?.target);
    if (target.success) {
      const sessionId = await openFinding({ engine, pronote }, request.uai, target.data, agent.name);
      await requests.markOpened(request.id, agent.name, sessionId);
      return c.redirect(`/s/${sessionId}`, 303);
    }
    const id = await openRequest(engine, request.uai, request.data, agent.name);
    await requests.markOpened(request.id, agent.name, id);
    return c.redirect(`/s/${id}`, 303);
  });

  return app;
}
