import { createHash } from 'node:crypto';

/**
 * Counts requests per client in fixed windows, for the rate limits. In memory for one instance; in
 * PostgreSQL when several instances share the limits (`rate-counter-pg.ts`).
 */
export interface RateCounter {
  /** Adds one request of `key` to the window starting at `windowStart` and answers the window's count. */
  hit(key: string, windowStart: number): Promise<number>;
}

/**
 * Keys are client addresses, which are personal data: what a store keeps is their hash, with the limiter's
 * name so that two limits never share a count.
 */
export const rateKey = (limiter: string, client: string): string =>
  createHash('sha256').update(`${limiter}\n${client}`).digest('base64url');

/** Counts held by this process: each instance limits on its own. */
export function memoryRateCounter(): RateCounter {
  const windows = new Map<string, { start: number; count: number }>();
  return {
    hit: async (key, windowStart) => {
      let w = windows.get(key);
      if (!w || w.start !== windowStart) {
        // Bounded: a flood of distinct addresses cannot grow the map without end.
        if (windows.size > 10_000) windows.clear();
        w = { start: windowStart, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      return w.count;
    },
  };
}
