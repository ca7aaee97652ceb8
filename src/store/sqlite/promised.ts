/**
 * A port answered synchronously: how the embedded SQLite adapters write it, since better-sqlite3 answers
 * at once. Ports are declared once, async, as their callers use them; `promised` turns the synchronous
 * form into the port.
 */
export type Synchronous<Port> = {
  [K in keyof Port]: Port[K] extends (...args: infer A) => Promise<infer R> ? (...args: A) => R : Port[K];
};

/** Wraps a synchronous adapter so that it answers like any other: a throw becomes a rejected promise. */
export function promised<Port extends object>(sync: Synchronous<Port>): Port {
  const wrapped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(sync)) {
    wrapped[key] =
      typeof value === 'function'
        ? async (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(sync, args)
        : value;
  }
  return wrapped as Port;
}
