import { timingSafeEqual } from 'node:crypto';
import type { BlockList } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import { type Context, Hono } from 'hono';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { AnsweredStep } from '../engine/session-engine.js';
import type { StoreGauges } from '../store/gauges.js';
import type { AnsweredRequest } from './request-log.js';

/** Labels are step ids, outcomes, states and status classes: never a person, a school or an address. */
export function createMetrics(
  gauges?: () => Promise<StoreGauges>,
  options: { processMetrics?: boolean } = {},
) {
  const registry = new Registry();
  // Memory, CPU, event-loop delay: once per process (the event-loop monitor runs until the process ends).
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'assistant_' });
  const registers = [registry];
  const flowOf = (step: string) => step.split('.')[0] ?? step;

  const answers = new Counter({
    name: 'assistant_answers_total',
    help: 'Answers stored, by flow and by the step they were given at.',
    labelNames: ['flow', 'step'] as const,
    registers,
  });
  const answerSeconds = new Histogram({
    name: 'assistant_answer_duration_seconds',
    help: 'From an answer received to its result stored, checks and fixes included.',
    labelNames: ['flow'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
    registers,
  });
  const checks = new Counter({
    name: 'assistant_checks_total',
    help: 'Checks run against the school data, by step and outcome.',
    labelNames: ['step', 'outcome'] as const,
    registers,
  });
  const fixes = new Counter({
    name: 'assistant_fixes_total',
    help: 'Fixes run on the copy of the school data, by step and outcome (conflict: changed meanwhile).',
    labelNames: ['step', 'outcome'] as const,
    registers,
  });
  const requests = new Counter({
    name: 'assistant_http_requests_total',
    help: 'HTTP answers by method and status class.',
    labelNames: ['method', 'status_class'] as const,
    registers,
  });
  const requestSeconds = new Histogram({
    name: 'assistant_http_request_duration_seconds',
    help: 'HTTP answer time by status class.',
    labelNames: ['status_class'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const refusals = new Counter({
    name: 'assistant_rate_limit_refusals_total',
    help: 'Requests refused by a rate limit (429), by route pattern.',
    labelNames: ['route'] as const,
    registers,
  });
  const databaseUp = new Gauge({
    name: 'assistant_database_up',
    help: '1 when the database answered the last scrape, 0 otherwise.',
    registers,
  });
  const corrections = new Gauge({
    name: 'assistant_corrections',
    help: 'Corrections asked for in PRONOTE, by state (the whole database: the same on every instance).',
    labelNames: ['state'] as const,
    registers,
  });
  const schoolRequests = new Gauge({
    name: 'assistant_school_requests',
    help: "End users' requests to their school, by status (the whole database).",
    labelNames: ['status'] as const,
    registers,
  });
  const pool = new Gauge({
    name: 'assistant_db_pool_connections',
    help: "This instance's PostgreSQL pool: total, idle, waiting (clients queued for one) and max.",
    labelNames: ['state'] as const,
    registers,
  });

  const setAll = (gauge: Gauge<string>, label: string, counts: Record<string, number>) => {
    gauge.reset();
    for (const [value, n] of Object.entries(counts)) gauge.set({ [label]: value }, n);
  };

  return {
    registry,
    requestAnswered(answered: AnsweredRequest) {
      const statusClass = `${Math.floor(answered.status / 100)}xx`;
      requests.inc({ method: answered.method, status_class: statusClass });
      requestSeconds.observe({ status_class: statusClass }, answered.durationMs / 1000);
      if (answered.status === 429) refusals.inc({ route: answered.route });
    },
    stepAnswered(answered: AnsweredStep) {
      const flow = flowOf(answered.step);
      answers.inc({ flow, step: answered.step });
      answerSeconds.observe({ flow }, answered.durationMs / 1000);
      for (const ran of answered.ran) {
        if (ran.kind === 'check') checks.inc({ step: ran.step, outcome: ran.outcome });
        else if (ran.kind === 'fix') fixes.inc({ step: ran.step, outcome: ran.outcome });
      }
    },
    /** The text a scrape gets: the database's counts read now, once. */
    async scrape(): Promise<string> {
      if (gauges) {
        try {
          const read = await gauges();
          setAll(corrections, 'state', read.correctionsByState);
          setAll(schoolRequests, 'status', read.requestsByStatus);
          pool.reset();
          if (read.pool) for (const [state, n] of Object.entries(read.pool)) pool.set({ state }, n);
          databaseUp.set(1);
        } catch {
          databaseUp.set(0);
        }
      }
      return registry.metrics();
    },
  };
}

export type Metrics = ReturnType<typeof createMetrics>;

export interface MetricsAccess {
  token?: string | undefined;
  allow?: BlockList | undefined;
}

const sameToken = (given: string, expected: string) => {
  const [a, b] = [Buffer.from(given), Buffer.from(expected)];
  return a.length === b.length && timingSafeEqual(a, b);
};

/** The peer's own address (not X-Forwarded-For): a scraper talks to the instance, not through the proxy. */
function peerAddress(c: Context): { address: string; type: 'ipv4' | 'ipv6' } | null {
  try {
    const { address, addressType } = getConnInfo(c).remote;
    if (!address) return null;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1];
    if (mapped) return { address: mapped, type: 'ipv4' };
    return { address, type: addressType === 'IPv6' ? 'ipv6' : 'ipv4' };
  } catch {
    return null;
  }
}

/**
 * `GET /metrics` in Prometheus' text format, for a bearer of METRICS_TOKEN or a peer in METRICS_ALLOW;
 * anyone else gets a 404, as if it did not exist (and so does everyone when neither is set).
 */
export function metricsRoutes(metrics: Metrics, access: MetricsAccess) {
  const app = new Hono();
  const allowed = (c: Context) => {
    const bearer = /^Bearer (.+)$/.exec(c.req.header('Authorization') ?? '')?.[1];
    if (access.token && bearer && sameToken(bearer, access.token)) return true;
    const peer = access.allow ? peerAddress(c) : null;
    return peer !== null && (access.allow?.check(peer.address, peer.type) ?? false);
  };
  app.get('/metrics', async (c) => {
    if (!allowed(c)) return c.text('Cette adresse ne correspond à aucune page de l’assistant.', 404);
    c.header('Cache-Control', 'no-store');
    return c.body(await metrics.scrape(), 200, { 'Content-Type': metrics.registry.contentType });
  });
  return app;
}
