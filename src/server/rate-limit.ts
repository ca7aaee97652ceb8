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
