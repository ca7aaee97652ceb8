import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { type RateCounter, rateKey } from '../store/rate-counter.js';

export interface RateLimitOptions {
  /** Names the limit: two limits never share a count. */
  name: string;
  /** Requests allowed per window and per client. */
  limit: number;
  windowMs: number;
  /** Who counts as one client; the peer address by default (set by the server adapter or the proxy). */
  keyOf: (c: Context) => string;
  /** Where the counts are kept: this process, or the database every instance shares. */
  counter: RateCounter;
}

/** A fixed-window limiter; windows are aligned on the clock, so every instance agrees on them. */
export function rateLimit({ name, limit, windowMs, keyOf, counter }: RateLimitOptions): MiddlewareHandler {
  return async (c, next) => {
    const now = Date.now();
    const windowStart = now - (now % windowMs);
    const count = await counter.hit(rateKey(name, keyOf(c)), windowStart);
    if (count > limit) {
      c.header('Retry-After', String(Math.ceil((windowStart + windowMs - now) / 1000)));
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
