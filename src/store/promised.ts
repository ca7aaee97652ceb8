/**
 * A port's methods answering through promises. The ports are written once, synchronously, as the embedded
 * SQLite adapters implement them; callers use this form, which a network database (PostgreSQL) needs.
 */
export type Promised<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K];
};

/** Wraps a synchronous adapter so that it answers like any other: a throw becomes a rejected promise. */
export function promised<T extends object>(sync: T): Promised<T> {
  const wrapped: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(sync)) {
    wrapped[key] =
      typeof value === 'function'
        ? async (...args: unknown[]) => (value as (...a: unknown[]) => unknown).apply(sync, args)
        : value;
  }
  return wrapped as Promised<T>;
}
