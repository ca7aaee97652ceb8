import { createHmac, timingSafeEqual } from 'node:crypto';

/** A ticket link lives as long as a ticket may stay open. */
const VALID_DAYS = 365;

export interface TicketTarget {
  sessionId: string;
  seq: number;
}

/**
 * Links pasted into tickets: `/ticket/<session>.<seq>.<expiry>.<signature>`. They carry no personal data
 * (a random session id and a step number), cannot be altered without breaking the signature, expire,
 * and open the session only for an agent allowed on its school: the page itself checks that.
 */
export function ticketLinks(secret: string, now: () => Date = () => new Date()) {
  const sign = (payload: string) =>
    createHmac('sha256', secret).update(payload).digest('base64url').slice(0, 32);
  return {
    create({ sessionId, seq }: TicketTarget): string {
      const expires = Math.floor(now().getTime() / 1000) + VALID_DAYS * 86_400;
      const payload = `${sessionId}.${seq}.${expires}`;
      return `/ticket/${payload}.${sign(payload)}`;
    },
    /** The target of a link, or null when it was altered or has expired. */
    verify(token: string): TicketTarget | null {
      const m = /^([\w-]{22})\.(\d{1,7})\.(\d{1,12})\.([\w-]{32})$/.exec(token);
      if (!m) return null;
      const [, sessionId, seq, expires, signature] = m as unknown as [string, string, string, string, string];
      const expected = Buffer.from(sign(`${sessionId}.${seq}.${expires}`));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
      if (Number(expires) * 1000 < now().getTime()) return null;
      return { sessionId, seq: Number(seq) };
    },
  };
}

export type TicketLinks = ReturnType<typeof ticketLinks>;
