/** Why a ticket system did not take the note; the message shown to the agent is chosen from this. */
export class PeerError extends Error {
  constructor(
    readonly reason: 'unreachable' | 'refused' | 'failed',
    /** The peer's HTTP status, when it answered. */
    readonly status?: number,
    /** A short error code from the peer's answer (e.g. GLPI's `ERROR_ITEM_NOT_FOUND`), never free text. */
    readonly code?: string,
    /** True when the failure came while opening a session (credentials), not while adding the note. */
    readonly duringSignIn = false,
  ) {
    super(`ticket system ${reason}${status ? ` (${status})` : ''}${code ? ` ${code}` : ''}`);
  }
}

export const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * One HTTP call to a ticket system: JSON in and out, a timeout, and every failure turned into a
 * `PeerError`. Tokens travel in headers only and are never part of an error or a log line.
 */
export async function callPeer(
  url: string,
  init: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: unknown; timeoutMs?: number },
  codeOf: (body: unknown) => string | undefined = () => undefined,
): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: init.method,
      headers: {
        Accept: 'application/json',
        ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...init.headers,
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      redirect: 'manual',
      signal: AbortSignal.timeout(init.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch {
    throw new PeerError('unreachable');
  }
  let text: string;
  try {
    text = await res.text();
  } catch {
    throw new PeerError('unreachable');
  }
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // Not JSON (a proxy's error page, say): the status alone tells what happened.
  }
  if (res.ok) return body;
  const code = codeOf(body);
  const safeCode = code && /^[A-Za-z_]{1,64}$/.test(code) ? code : undefined;
  // A redirect means the configured address is not the API's: as much a failure as a 5xx.
  const refused = res.status >= 400 && res.status < 500;
  throw new PeerError(refused ? 'refused' : 'failed', res.status, safeCode);
}

/** `https://glpi.example.fr/` and `https://glpi.example.fr` name the same server. */
export const trimSlash = (url: string) => url.replace(/\/+$/, '');
