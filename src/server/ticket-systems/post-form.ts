import type { Logger } from 'pino';
import type { TicketPostProps } from '../../../views/ticket-panel.js';
import {
  configuredSystems,
  postTicketSummary,
  TICKET_SYSTEM_LABELS,
  type TicketSystems,
  ticketPostSchema,
} from './index.js';

/** The form's choices: only the systems that are configured. */
export const ticketPostForm = (systems: TicketSystems, action: string): TicketPostProps => ({
  action,
  systems: configuredSystems(systems).map((id) => ({ id, label: TICKET_SYSTEM_LABELS[id] })),
});

/**
 * Handles the form beside the summary: a wrong field is sent back for correction (422); a peer that is
 * down or refuses gives a 502 with the reason, and the summary stays on the page to be copied by hand.
 */
export async function submitTicketPost(
  systems: TicketSystems,
  body: Record<string, unknown>,
  summary: { markdown: string; text: string },
  logger: Logger,
): Promise<{ status: 200 | 422 | 502; outcome: Partial<TicketPostProps> }> {
  const values = {
    system: typeof body.system === 'string' ? body.system : '',
    ticket: typeof body.ticket === 'string' ? body.ticket : '',
  };
  const parsed = ticketPostSchema(systems).safeParse(body);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'ticket')] ??= issue.message;
    return { status: 422, outcome: { values, errors } };
  }
  const result = await postTicketSummary(systems, parsed.data, summary);
  const { system, ticket } = parsed.data;
  if (result.ok) {
    logger.info({ system, ticket }, 'ticket summary posted');
    return { status: 200, outcome: { result } };
  }
  logger.warn({ system, ticket, reason: result.reason, status: result.status }, 'ticket summary not posted');
  return { status: 502, outcome: { values, result } };
}
