import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { RequestForm, RequestsPage } from '../../views/help-requests.js';
import { Layout } from '../../views/layout.js';
import type { Engine } from '../engine/session-engine.js';
import type { PronotePort } from '../pronote/port.js';
import type { HelpRequests } from '../store/help-requests.js';
import type { RateCounter } from '../store/rate-counter.js';
import type { AppEnv } from './app-types.js';
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
}

/** End users' requests to their school, and the agents' queue of them. */
export function requestRoutes({ engine, pronote, requests, rates }: RequestDeps) {
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
    html(c, <RequestsPage requests={await requests.list(agentOf(c).schools)} />),
  );

  /** Opens an agent session on the request's school, at the comparison, with the user's identity filled in. */
  app.post('/demandes/:id/ouvrir', async (c) => {
    const agent = agentOf(c);
    const request = await requests.get(c.req.param('id'));
    if (!request || !isAllowedOn(agent, request.uai))
      throw new HTTPException(404, { message: 'Demande introuvable.' });
    if (request.openedSession) return c.redirect(`/s/${request.openedSession}`, 303);
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
