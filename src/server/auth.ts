import type { Context } from 'hono';
import { deleteCookie, getSignedCookie, setSignedCookie } from 'hono/cookie';
import type { Agent, AgentStore } from '../store/agent-port.js';
import { hashPassword, hashSecret, newSecret, verifyPassword } from './secrets.js';
import { PUBLIC_VIEWER, type Viewer } from './viewer.js';

const COOKIE = 'agent_session';
const SESSION_HOURS = 10;
const LINK_HOURS = 24;

export interface AuthOptions {
  agents: AgentStore;
  /** Cookies are Secure when the site is served over https (PUBLIC_URL), as it must be in production. */
  secureCookies: boolean;
  now?: () => Date;
}

/** How agents prove who they are: a signed session cookie (pages) or a bearer token (JSON API). */
export async function createAuth({ agents, secureCookies, now = () => new Date() }: AuthOptions) {
  const cookieSecret = await agents.setting('cookie-secret', newSecret);
  const iso = (hoursFromNow = 0) => new Date(now().getTime() + hoursFromNow * 3_600_000).toISOString();

  // The store returns no disabled agent: the token's read gives the viewer, nothing else is read.
  const viewerFor = (agent: Agent | null): Viewer =>
    agent ? { kind: 'agent', name: agent.name, admin: agent.admin, schools: agent.schools } : PUBLIC_VIEWER;

  const startWebSession = async (c: Context, name: string) => {
    const secret = newSecret();
    await agents.addSecret('web-session', hashSecret(secret), name, iso(SESSION_HOURS));
    await setSignedCookie(c, COOKIE, secret, cookieSecret, {
      httpOnly: true,
      sameSite: 'Lax',
      secure: secureCookies,
      path: '/',
      maxAge: SESSION_HOURS * 3600,
    });
  };

  /**
   * A bearer token counts on the JSON API only: elsewhere (account, agents, pages) it is ignored, so that a
   * leaked token cannot change a password or create an agent, and forms keep their CSRF check.
   */
  const bearerOf = (c: Context) =>
    c.req.path.startsWith('/api/')
      ? /^Bearer\s+(\S+)$/i.exec(c.req.header('Authorization') ?? '')?.[1]
      : undefined;

  return {
    async viewerOf(c: Context): Promise<Viewer> {
      const bearer = bearerOf(c);
      if (bearer) return viewerFor(await agents.holderOf('api-token', hashSecret(bearer), iso()));
      const secret = await getSignedCookie(c, cookieSecret, COOKIE);
      if (!secret) return PUBLIC_VIEWER;
      return viewerFor(await agents.holderOf('web-session', hashSecret(secret), iso()));
    },

    /** Whether the request came with a bearer token the API takes (then it is not exposed to CSRF). */
    usesBearer: (c: Context) => bearerOf(c) !== undefined,

    /** A one-time link valid for a day, printed for a new agent. */
    async issueSignInLink(name: string): Promise<string> {
      const secret = newSecret();
      await agents.addSecret('sign-in-link', hashSecret(secret), name, iso(LINK_HOURS));
      return `/connexion/lien/${secret}`;
    },

    async issueApiToken(name: string): Promise<string> {
      const secret = newSecret();
      await agents.addSecret('api-token', hashSecret(secret), name, null);
      return secret;
    },

    async signInWithLink(c: Context, secret: string): Promise<string | null> {
      const name = await agents.useSecret('sign-in-link', hashSecret(secret), iso());
      if (name) await startWebSession(c, name);
      return name;
    },

    async signInWithPassword(c: Context, name: string, password: string): Promise<boolean> {
      const [hash, agent] = await Promise.all([agents.passwordHash(name), agents.get(name)]);
      if (!hash || !agent || agent.disabled || !(await verifyPassword(password, hash))) return false;
      await startWebSession(c, name);
      return true;
    },

    /**
     * Starts a web session for an agent whom another party vouched for (the ENT's CAS server). Refuses an
     * unknown or disabled agent.
     */
    async signInAs(c: Context, name: string): Promise<boolean> {
      const agent = await agents.get(name);
      if (!agent || agent.disabled) return false;
      await startWebSession(c, agent.name);
      return true;
    },

    /**
     * Sets a new password. Once the agent has one, the current one is asked first (a session left open is
     * not enough); the agent's other web sessions end, this one stays.
     */
    async changePassword(c: Context, name: string, current: string, password: string): Promise<boolean> {
      const hash = await agents.passwordHash(name);
      if (hash && !(await verifyPassword(current, hash))) return false;
      await agents.setPasswordHash(name, await hashPassword(password));
      const secret = await getSignedCookie(c, cookieSecret, COOKIE);
      await agents.revokeOtherSecrets('web-session', name, secret ? hashSecret(secret) : null);
      return true;
    },

    async signOut(c: Context) {
      const secret = await getSignedCookie(c, cookieSecret, COOKIE);
      if (secret) await agents.revokeSecret('web-session', hashSecret(secret));
      deleteCookie(c, COOKIE, { path: '/' });
    },
  };
}

export type Auth = Awaited<ReturnType<typeof createAuth>>;
