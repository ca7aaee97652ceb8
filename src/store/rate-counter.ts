import { createHash } from 'node:crypto';

/**
 * Counts requests per client in fixed windows, for the rate limits. In memory for one instance; in
 * PostgreSQL when several instances share the limits (`pg/rate-counter.ts`).
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

/**
 * Counts held by this process: each instance limits on its own. Bounded, so that a flood of distinct
 * addresses cannot grow it without end; when full, finished windows go first, then the smallest counts of
 * the current one, oldest first. A client near its limit thus keeps its count whatever the flood: the
 * flood's own one-request keys make way for each other.
 */
export function memoryRateCounter({ maxKeys = 10_000 }: { maxKeys?: number } = {}): RateCounter & {
  size(): number;
} {
  const windows = new Map<string, { start: number; count: number }>();
  // Room is made for a tenth of the bound at once, so the sweep runs once per thousand new keys, not each.
  const target = Math.floor(maxKeys * 0.9);
  const makeRoom = (windowStart: number) => {
    for (const [key, w] of windows) if (w.start !== windowStart) windows.delete(key);
    if (windows.size < maxKeys) return;
    // Map order is insertion order, and the sort is stable: among equal counts, the oldest go first.
    const smallest = [...windows].sort(([, a], [, b]) => a.count - b.count);
    for (const [key] of smallest.slice(0, windows.size - target)) windows.delete(key);
  };
  return {
    hit: async (key, windowStart) => {
      let w = windows.get(key);
      if (!w || w.start !== windowStart) {
        if (!w && windows.size >= maxKeys) makeRoom(windowStart);
        w = { start: windowStart, count: 0 };
        windows.set(key, w);
      }
      w.count += 1;
      return w.count;
    },
    size: () => windows.size,
  };
}
