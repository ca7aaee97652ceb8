/**
 * Whether a failure only means that the client hung up while its request was being read (Node's
 * « aborted », a reset connection): nothing went wrong on the server's side, nobody waits for an answer.
 */
export function isClientGone(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ECONNRESET' || code === 'ECONNABORTED' || e.message === 'aborted') return true;
  }
  return false;
}
