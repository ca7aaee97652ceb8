import { createHmac, timingSafeEqual } from 'node:crypto';

/** A person follows their request for three months; after that the school answers them directly. */
const VALID_DAYS = 90;

/**
 * The link a person follows their request at: `/suivi/<request>.<expiry>.<signature>`. It carries the
 * request's random id only, expires, and cannot be made up or altered without the server's secret.
 */
export function followLinks(secret: string, now: () => Date = () => new Date()) {
  const sign = (payload: string) =>
    createHmac('sha256', secret).update(`follow\n${payload}`).digest('base64url').slice(0, 32);
  return {
    create(requestId: string): string {
      const expires = Math.floor(now().getTime() / 1000) + VALID_DAYS * 86_400;
      const payload = `${requestId}.${expires}`;
      return `/suivi/${payload}.${sign(payload)}`;
    },
    /** The request id, or null when the link was altered or has expired. */
    verify(token: string): string | null {
      const m = /^([\w-]{16})\.(\d{1,12})\.([\w-]{32})$/.exec(token);
      if (!m) return null;
      const [, requestId, expires, signature] = m as unknown as [string, string, string, string];
      const expected = Buffer.from(sign(`${requestId}.${expires}`));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
      if (Number(expires) * 1000 < now().getTime()) return null;
      return requestId;
    },
  };
}

export type FollowLinks = ReturnType<typeof followLinks>;
