import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';

export interface RateLimitOptions {
  /** Requests allowed per window and per client. */
  limit: number;
  windowMs: number;
  /** Who counts as one client; the peer address by default (set by the server adapter or the proxy). */
  keyOf: (c: Context) => string;
}

/**
 * A fixed-window limiter held in memory. Per instance: behind several instances each one limits on its
 * own, which still bounds password guessing to a few dozen tries a minute per instance.
 */
export function rateLimit({ limit, windowMs, keyOf }: RateLimitOptions): MiddlewareHandler {
  const windows = new Map<string, { start: number; count: number }>();
  return async (c, next) => {
    const now = Date.now();
    const key = keyOf(c);
    let w = windows.get(key);
    if (!w || now - w.start >= windowMs) {
      if (windows.size > 10_000) windows.clear();
      w = { start: now, count: 0 };
      windows.set(key, w);
    }
    w.count++;
    if (w.count > limit) {
      c.header('Retry-After', String(Math.ceil((w.start + windowMs - now) / 1000)));
      throw new HTTPException(429, {
        message: 'Trop de demandes en peu de temps. Patientez une minute puis réessayez.',
      });
    }
    await next();
  };
}

/**
 * The client's address. Behind a reverse proxy (TRUST_PROXY=1) every request comes from the proxy, so the
 * last address it appended to X-Forwarded-For is the client's; an address the client wrote itself is ignored.
 * Requests through app.request() in tests have none and count as one client.
 */
export function clientKey(c: Context): string {
  if (process.env.TRUST_PROXY === '1') {
    const forwarded = c.req.header('X-Forwarded-For')?.split(',').at(-1)?.trim();
    if (forwarded) return forwarded;
  }
  try {
    return getConnInfo(c).remote.address ?? 'local';
  } catch {
    return 'local';
  }
}
