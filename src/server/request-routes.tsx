import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { RequestForm, RequestsPage } from '../../views/help-requests.js';
import { Layout } from '../../views/layout.js';
import type { PrivacyProps } from '../../views/privacy.js';
import { FollowPage } from '../../views/verify.js';
import { openFinding, openTargetSchema } from '../engine/reconcile-open.js';
import type { Engine } from '../engine/session-engine.js';
import type { PronotePort } from '../pronote/port.js';
import type { HelpRequests } from '../store/help-requests.js';
import type { RateCounter } from '../store/rate-counter.js';
import type { AppEnv } from './app-types.js';
import type { FollowLinks } from './follow-links.js';
import { clientKey, rateLimit } from './rate-limit.js';
import { html } from './render.js';
import { openSession } from './session-access.js';
import { isAllowedOn } from './viewer.js';

const requestSchema = z
  .object({
    uai: z.string().regex(/^\d{7}[A-Z]$/, { error: 'Choisissez votre établissement dans la liste.' }),
    corrections: z
      .string()
      .trim()
      .min(1, { error: 'Dites ce qui est faux et ce qu’il faudrait mettre.' })
      .max(1000),
    email: z.union([z.literal(''), z.email({ error: 'Adresse e-mail invalide.' })]).optional(),
    telephone: z
      .string()
      .trim()
      .regex(/^[\d +().-]{0,20}$/, { error: 'Numéro de téléphone invalide.' })
      .optional(),
  })
  .refine((v) => Boolean(v.email) || Boolean(v.telephone), {
    error: 'Indiquez une adresse e-mail ou un téléphone pour qu’on puisse vous répondre.',
    path: ['email'],
  });

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
export function requestRoutes({ engine, pronote, requests, rates, follow }: RequestDeps) {
  const app = new Hono<AppEnv>();
  const limited = rateLimit({
    name: 'requests',
    limit: 5,
    windowMs: 10 * 60_000,
    keyOf: clientKey,
    counter: rates,
  });

  app.post('/s/:id/demande', limited, async (c) => {
    const state = await openSession(engine, c.get('viewer'), c.req.param('id'));
    if (state.session.audience !== 'public' || state.step.meta.kind !== 'end') {
      throw new HTTPException(422, {
        message: 'Une demande à l’établissement se fait à la fin du parcours.',
      });
    }
    const body = await c.req.parseBody();
    const parsed = requestSchema.safeParse(body);
    const schools = await pronote.listSchools();
    const ctx = state.snapshot.context;
    if (!parsed.success || !schools.some((s) => s.uai === parsed.data.uai)) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error?.issues ?? [])
        errors[String(issue.path[0] ?? 'uai')] ??= issue.message;
      if (parsed.success) errors.uai = 'Choisissez votre établissement dans la liste.';
      return html(
        c,
        <Layout title="Demande à corriger">
          <RequestForm
            sessionId={state.session.id}
            schools={schools}
            hasIdentity={ctx.identity !== undefined}
            errors={errors}
            values={{
              uai: typed(body.uai),
              corrections: typed(body.corrections),
              email: typed(body.email),
              telephone: typed(body.telephone),
            }}
          />
        </Layout>,
        422,
      );
    }
    const { uai, corrections, email, telephone } = parsed.data;
    await requests.add(uai, state.session.id, {
      flow: state.step.meta.step.split('.')[0] ?? '',
      step: state.step.meta.step,
      ...(ctx.identity ? { identity: ctx.identity } : {}),
      ...(ctx.message ? { message: ctx.message } : {}),
      corrections,
      contact: { ...(email ? { email } : {}), ...(telephone ? { telephone } : {}) },
    });
    return html(
      c,
      <Layout title="Demande envoyée">
        <RequestForm sessionId={state.session.id} schools={[]} hasIdentity={false} sent />
        <p>
          <a href="/">Revenir à l’accueil</a>
        </p>
      </Layout>,
    );
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
    const { id } = await engine.start({
      audience: 'agent',
      uai: request.uai,
      flow: 'auth-error',
      owner: agent.name,
    });
    const identity = request.data.identity;
    if (identity && (identity.login || (identity.nom && identity.prenom))) {
      await engine.send(id, { type: 'SUBMIT_IDENTITY', ...identity }, { actor: agent.name });
    }
    await requests.markOpened(request.id, agent.name, id);
    return c.redirect(`/s/${id}`, 303);
  });

  return app;
}
