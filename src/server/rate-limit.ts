import type { Context, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { type RateCounter, rateKey } from '../store/rate-counter.js';

export interface RateLimitOptions {
  /** Names the limit: two limits never share a count. */
  name: string;
  /** Requests allowed per window and per client. */
  limit: number;
  windowMs: number;
  /** Who counts as one client: `clientKey`, or a narrower key for one limit. */
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
 * The client as the app identified it once per request (client-address.ts): its address, or its IPv6 /64;
 * « local » outside the app (a route tested on its own).
 */
export const clientKey = (c: Context): string => (c.var as { client?: string }).client ?? 'local';
