import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { FLOW_IDS } from '../../flows/types.js';
import { StatsPage, type StatsView } from '../../views/stats.js';
import type { ContentCatalog } from '../engine/content.js';
import type { Engine } from '../engine/session-engine.js';
import type { SessionStats, StatsQuery } from '../store/session-stats.js';
import type { AppEnv } from './app-types.js';
import { flowTitle } from './flow-titles.js';
import { html } from './render.js';
import type { Viewer } from './viewer.js';

const TIME_ZONE = 'Europe/Paris';
const DEFAULT_DAYS = 30;

const isRealDay = (value: string) => {
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
};

const day = z.preprocess(
  (v) => (v === '' ? undefined : v),
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'Date invalide : écrivez-la AAAA-MM-JJ, par exemple 2025-09-01.' })
    .refine(isRealDay, { error: 'Cette date n’existe pas.' })
    .optional(),
);

const addDays = (value: string, days: number) =>
  new Date(Date.parse(`${value}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

/** `?du=AAAA-MM-JJ&au=AAAA-MM-JJ`, both days included; by default the last thirty days, today included. */
const periodSchema = (today: string) =>
  z
    .object({ du: day, au: day })
    .transform(({ du, au }) => {
      const end = au ?? today;
      return { du: du ?? addDays(end, 1 - DEFAULT_DAYS), au: end };
    })
    .refine((p) => p.du <= p.au, { error: 'La date de début doit précéder la date de fin.', path: ['du'] });

export type Period = z.output<ReturnType<typeof periodSchema>>;

/** The day as people in the schools see it, not as UTC does. */
const parisDay = (at: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE }).format(at);

/** The instant a day starts in Paris; days begin at midnight, away from the 2–3 a.m. clock changes. */
function parisMidnight(value: string): string {
  const guess = new Date(`${value}T00:00:00Z`);
  const name = new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, timeZoneName: 'longOffset' })
    .formatToParts(guess)
    .find((p) => p.type === 'timeZoneName')?.value;
  const [, sign, h, m] = /GMT([+-])(\d{2}):(\d{2})/.exec(name ?? '') ?? [];
  const offset = sign ? (sign === '-' ? -1 : 1) * (Number(h) * 60 + Number(m)) : 0;
  return new Date(guess.getTime() - offset * 60_000).toISOString();
}

function agentOf(c: Context<AppEnv>): Extract<Viewer, { kind: 'agent' }> {
  const viewer = c.get('viewer');
  if (viewer.kind !== 'agent') {
    throw new HTTPException(403, {
      message: 'Les statistiques sont réservées aux agents connectés (/connexion).',
    });
  }
  return viewer;
}

/** Per flow and per step, in the machine's order: the store's counts beside what each step is. */
function statsView(
  engine: Engine,
  content: ContentCatalog,
  stats: SessionStats,
  period: Period,
  schools: StatsView['schools'],
): StatsView {
  const steps = new Map(stats.steps.map((s) => [s.step, s]));
  const reached = new Map(stats.flows.map((f) => [f.flow, f.reached]));
  const nodes = [...engine.steps.values()];
  const headAt = (step: string) => steps.get(step)?.atHead ?? 0;
  return {
    period,
    schools,
    sessions: stats.sessions,
    flows: FLOW_IDS.map((flow) => {
      const own = nodes.filter((n) => n.meta.step.startsWith(`${flow}.`));
      return {
        flow,
        title: flowTitle(content, flow, 'agent'),
        reached: reached.get(flow) ?? 0,
        resolved: headAt(`${flow}.resolved`),
        escalated: headAt(`${flow}.escalate`),
        stopped: own.filter((n) => n.meta.kind !== 'end').reduce((sum, n) => sum + headAt(n.meta.step), 0),
        steps: own.map((n) => ({
          step: n.meta.step,
          title: content.step(n.meta.step, 'agent').title,
          kind: n.meta.kind,
          reached: steps.get(n.meta.step)?.reached ?? 0,
          stopped: n.meta.kind === 'end' ? 0 : headAt(n.meta.step),
          ended: n.meta.kind === 'end' ? headAt(n.meta.step) : 0,
        })),
      };
    }),
    fixes: stats.fixes,
  };
}

/**
 * Statistics for agents: how far sessions get in each flow and which fixes were applied, over a period,
 * limited to the schools the agent is allowed on. The page and the JSON share one view model.
 */
export function statsRoutes({
  engine,
  content,
  stats,
}: {
  engine: Engine;
  content: ContentCatalog;
  stats: (query: StatsQuery) => Promise<SessionStats>;
}) {
  const app = new Hono<AppEnv>();

  const compute = async (agent: Extract<Viewer, { kind: 'agent' }>, period: Period) => {
    const query = {
      from: parisMidnight(period.du),
      to: parisMidnight(addDays(period.au, 1)),
      schools: agent.schools,
    };
    return statsView(engine, content, await stats(query), period, agent.schools);
  };

  app.get('/stats', async (c) => {
    const agent = agentOf(c);
    const raw = { du: c.req.query('du'), au: c.req.query('au') };
    const parsed = periodSchema(parisDay(new Date())).safeParse(raw);
    if (parsed.success)
      return html(c, <StatsPage values={parsed.data} stats={await compute(agent, parsed.data)} />);
    // A bad date re-renders the form with what was typed and why it is refused.
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'du')] ??= issue.message;
    return html(c, <StatsPage values={{ du: raw.du ?? '', au: raw.au ?? '' }} errors={errors} />, 422);
  });

  app.get('/api/stats', async (c) => {
    const agent = agentOf(c);
    const period = periodSchema(parisDay(new Date())).parse({ du: c.req.query('du'), au: c.req.query('au') });
    return c.json(await compute(agent, period));
  });

  return app;
}
