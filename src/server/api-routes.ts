import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { FLOW_IDS } from '../../flows/types.js';
import { buildStepView } from '../engine/step-view.js';
import type { AppDeps, AppEnv } from './app-types.js';
import { flowTitle } from './flow-titles.js';
import { openForAnswer, openSession, seqSchema, startSchema, startSession } from './session-access.js';

/** The JSON API: the same sessions and the same step view model as the pages. */
export function apiRoutes({ engine, content }: AppDeps) {
  const app = new Hono<AppEnv>();

  const readJson = async (req: Request): Promise<Record<string, unknown>> => {
    // Only real JSON requests: a cross-site page cannot send this type without a CORS preflight.
    if (!/^application\/json\b/i.test(req.headers.get('Content-Type') ?? '')) {
      throw new HTTPException(415, { message: 'Envoyez le corps en JSON (Content-Type: application/json).' });
    }
    const text = await req.text();
    if (text.trim() === '') return {};
    try {
      const value: unknown = JSON.parse(text);
      if (value && typeof value === 'object' && !Array.isArray(value))
        return value as Record<string, unknown>;
    } catch {
      // Answered below: the body is not a JSON object.
    }
    throw new HTTPException(422, { message: 'Le corps de la requête doit être un objet JSON.' });
  };

  const stepJson = async (id: string, seq: number | undefined, viewer: AppEnv['Variables']['viewer']) => {
    const view = await buildStepView(engine, content, await openSession(engine, viewer, id, seq));
    return { id, seq: view.seq, step: view.step, view };
  };

  app.get('/flows', async (c) =>
    c.json({
      flows: FLOW_IDS.map((flow) => ({
        id: flow,
        title: flowTitle(content, flow, c.get('viewer').kind === 'agent' ? 'agent' : 'public'),
        steps: [...engine.steps.values()]
          .filter((s) => s.meta.step.startsWith(`${flow}.`))
          .map((s) => ({ id: s.meta.step, kind: s.meta.kind, events: s.events })),
      })),
    }),
  );

  app.post('/sessions', async (c) => {
    const input = startSchema.parse(await readJson(c.req.raw));
    const { id, state } = await startSession(engine, c.get('viewer'), input);
    const view = await buildStepView(engine, content, state);
    return c.json({ id, seq: view.seq, step: view.step, view }, 201);
  });

  app.get('/sessions/:id', async (c) => {
    const seq = c.req.query('at');
    return c.json(
      await stepJson(
        c.req.param('id'),
        seq === undefined ? undefined : seqSchema.parse(seq),
        c.get('viewer'),
      ),
    );
  });

  app.post('/sessions/:id/events', async (c) => {
    const viewer = c.get('viewer');
    const id = c.req.param('id');
    const { at, ...event } = await readJson(c.req.raw);
    const seq = at === undefined ? undefined : seqSchema.parse(at);
    const state = await openForAnswer(engine, viewer, id, seq);
    const result = await engine.sendFrom(state, event, {
      actor: viewer.kind === 'agent' ? viewer.name : null,
    });
    const view = await buildStepView(engine, content, result.state);
    return c.json({ id, seq: view.seq, step: view.step, view });
  });

  return app;
}
