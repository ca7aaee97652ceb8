import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import type { Logger } from 'pino';

/** What a request came to, once answered: for the log line, and for whoever else counts requests. */
export interface AnsweredRequest {
  requestId: string;
  method: string;
  /** The route's pattern (`/s/:id/:seq`), never the address itself: it may carry a session's id. */
  route: string;
  status: number;
  durationMs: number;
}

/** An id the proxy gave (nginx's `$request_id`) is kept so both logs share it; anything else is replaced. */
const FORWARDED_ID = /^[A-Za-z0-9._-]{8,128}$/;
/** Probes come every few seconds from the load balancer: their lines are debug, off by default. */
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** The pattern of the route that answered; `(aucune)` when none did (a 404). */
export function routePattern(c: Context): string {
  const route = matchedRoutes(c)[c.req.routeIndex];
  if (!route || (route.method === 'ALL' && /^\/?\*$/.test(route.path))) return '(aucune)';
  return route.path;
}

/**
 * One JSON line per request (method, route pattern, status, duration, request id), and the id in the
 * `X-Request-Id` answer header so a person reporting a problem can quote it. Neither the address, its
 * query, the headers nor the body are logged: they may hold a name, a login or a token.
 */
export function requestLog(
  logger: Logger,
  onAnswered: (answered: AnsweredRequest) => void = () => {},
): MiddlewareHandler<{ Variables: { requestId: string } }> {
  return async (c, next) => {
    const started = performance.now();
    const forwarded = c.req.header('X-Request-Id');
    const requestId = forwarded && FORWARDED_ID.test(forwarded) ? forwarded : randomUUID();
    c.set('requestId', requestId);
    await next();
    // On the answer's own headers: `c.header()` after the handler copies the whole Response, which sends
    // its body through a stream and costs a tenth of an answer.
    c.res.headers.set('X-Request-Id', requestId);
    const answered: AnsweredRequest = {
      requestId,
      method: c.req.method,
      route: routePattern(c),
      status: c.res.status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
    };
    onAnswered(answered);
    if (PROBES.has(c.req.path)) logger.debug(answered, 'request');
    else logger.info(answered, 'request');
  };
}
