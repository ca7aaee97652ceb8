import { callPeer, trimSlash } from './peer.js';

export interface ZammadConfig {
  /** The Zammad root, e.g. `https://support.example.fr`. */
  url: string;
  /** An access token with the `ticket.agent` permission. */
  token: string;
  timeoutMs?: number;
}

/** Adds an internal note (a `ticket_articles` of type note) to a Zammad ticket, by its id. */
export async function addZammadNote(zammad: ZammadConfig, ticketId: number, body: string): Promise<void> {
  await callPeer(`${trimSlash(zammad.url)}/api/v1/ticket_articles`, {
    method: 'POST',
    headers: { Authorization: `Token token=${zammad.token}` },
    body: { ticket_id: ticketId, body, content_type: 'text/plain', type: 'note', internal: true },
    ...(zammad.timeoutMs === undefined ? {} : { timeoutMs: zammad.timeoutMs }),
  });
}
