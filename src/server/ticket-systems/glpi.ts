import { z } from 'zod';
import { callPeer, PeerError, trimSlash } from './peer.js';

export interface GlpiConfig {
  /** The GLPI root, e.g. `https://glpi.example.fr` (the API is at `/apirest.php`). */
  url: string;
  /** The API client's App-Token, when GLPI asks for one. */
  appToken?: string;
  /** The personal API token of the GLPI user the follow-ups are written as. */
  userToken: string;
  timeoutMs?: number;
}

/** GLPI answers errors as `["ERROR_CODE", "message"]`; only the code is kept. */
const glpiCode = (body: unknown) =>
  Array.isArray(body) && typeof body[0] === 'string' ? (body[0] as string) : undefined;

const sessionAnswer = z.object({ session_token: z.string().min(1) });

/**
 * Adds a private follow-up (`ITILFollowup`) to a GLPI ticket through the REST API: opens a session with
 * the user token, posts, and always closes the session again.
 */
export async function addGlpiFollowup(glpi: GlpiConfig, ticketId: number, content: string): Promise<void> {
  const api = `${trimSlash(glpi.url)}/apirest.php`;
  const app: Record<string, string> = glpi.appToken ? { 'App-Token': glpi.appToken } : {};
  const timeout = glpi.timeoutMs === undefined ? {} : { timeoutMs: glpi.timeoutMs };

  let sessionToken: string;
  try {
    const answer = sessionAnswer.safeParse(
      await callPeer(
        `${api}/initSession`,
        { method: 'GET', headers: { ...app, Authorization: `user_token ${glpi.userToken}` }, ...timeout },
        glpiCode,
      ),
    );
    if (!answer.success) throw new PeerError('failed', undefined, 'NO_SESSION_TOKEN');
    sessionToken = answer.data.session_token;
  } catch (err) {
    if (err instanceof PeerError) throw new PeerError(err.reason, err.status, err.code, true);
    throw err;
  }

  const session = { ...app, 'Session-Token': sessionToken };
  try {
    await callPeer(
      `${api}/ITILFollowup`,
      {
        method: 'POST',
        headers: session,
        body: { input: { itemtype: 'Ticket', items_id: ticketId, content, is_private: 1 } },
        ...timeout,
      },
      glpiCode,
    );
  } finally {
    // A session left open expires on its own; failing to close it must not hide the real outcome.
    await callPeer(`${api}/killSession`, { method: 'GET', headers: session, ...timeout }).catch(() => {});
  }
}
