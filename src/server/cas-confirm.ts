import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { type CasConfig, CasUnavailable, validateCasTicket } from './cas.js';

/** What a route tells its own audience (agents signing in, end users checking their account). */
export interface CasRefusalWords {
  /** The CAS server does not answer (503). */
  unreachable: string;
  /** The CAS server answered something that is not a CAS answer (502). */
  unreadable: string;
  /** The CAS server refused the ticket (403). */
  refused: string;
}

/**
 * The user and attributes the CAS vouches for with `ticket`, or the French HTTP error the route's audience
 * reads: one mapping of the CAS's failures for every route that validates tickets. `what` names the route
 * in the log.
 */
export async function confirmCasTicket(
  cas: CasConfig,
  ticket: string,
  logger: Logger,
  words: CasRefusalWords,
  what: string,
): Promise<{ user: string; attributes: Record<string, string> }> {
  let answer: Awaited<ReturnType<typeof validateCasTicket>>;
  try {
    answer = await validateCasTicket(cas, ticket);
  } catch (err) {
    if (!(err instanceof CasUnavailable)) throw err;
    logger.warn({ reason: err.reason, cause: causeCode(err) }, `CAS validation failed (${what})`);
    throw new HTTPException(err.reason === 'unreachable' ? 503 : 502, {
      message: err.reason === 'unreachable' ? words.unreachable : words.unreadable,
    });
  }
  if (!answer.ok) {
    logger.info({ code: answer.code }, `CAS ticket refused (${what})`);
    throw new HTTPException(403, { message: words.refused });
  }
  return answer;
}

/** `ECONNREFUSED`, `TimeoutError`…: enough to act on, without the URL (it holds the ticket). */
function causeCode(err: unknown): string {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (current.name === 'TimeoutError' || current.name === 'AbortError') return current.name;
    current = current.cause;
  }
  return 'unknown';
}
