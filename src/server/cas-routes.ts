import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { AgentStore } from '../store/agent-port.js';
import type { RateCounter } from '../store/rate-counter.js';
import type { AppEnv } from './app-types.js';
import type { Auth } from './auth.js';
import { type CasConfig, casLoginUrl } from './cas.js';
import { type CasRefusalWords, confirmCasTicket } from './cas-confirm.js';
import { clientKey, rateLimit } from './rate-limit.js';

export interface CasRouteDeps {
  cas: CasConfig;
  auth: Auth;
  agents: AgentStore;
  logger: Logger;
  rates: RateCounter;
}

/** CAS tickets are short ASCII tokens (`ST-…`); anything else is not sent on to the CAS server. */
const ticketSchema = z.string().regex(/^[\w.-]{1,256}$/, { error: 'Ticket CAS invalide.' });

const notAnAgent = () =>
  new HTTPException(403, {
    message: 'Votre compte ENT n’est pas enregistré comme agent : demandez à un administrateur.',
  });

/**
 * Sign-in through the ENT's CAS server: `/connexion/cas` sends the agent to the CAS login page, which sends
 * them back with a ticket; the ticket is checked with the CAS server, and the agent whose name is the CAS
 * user (case aside) is signed in.
 */
export function casRoutes({ cas, auth, agents, logger, rates }: CasRouteDeps) {
  const app = new Hono<AppEnv>();
  // Each ticket costs a call to the CAS server: bound them per address as password guesses are.
  const limited = rateLimit({ name: 'cas', limit: 20, windowMs: 60_000, keyOf: clientKey, counter: rates });

  /**
   * The exact name first; otherwise the one agent whose name differs only by case. Only agents an admin
   * opened to CAS sign-in count: an ENT account that happens to be called « admin » gets nothing.
   */
  const agentNamed = async (user: string) => {
    // Agent names are ASCII; Unicode case folding would take the Kelvin sign « K » for « k », and
    // a look-alike ENT account for an agent. Anything else than printable ASCII is nobody.
    if (!/^[\x21-\x7e]+$/.test(user)) return null;
    const exact = await agents.get(user);
    if (exact) return exact.cas ? exact : null;
    const lower = asciiLower(user);
    const matches = (await agents.list()).filter((a) => a.cas && asciiLower(a.name) === lower);
    return matches.length === 1 ? matches[0] : null;
  };

  app.get('/connexion/cas', limited, async (c) => {
    const given = c.req.query('ticket');
    if (given === undefined) return c.redirect(casLoginUrl(cas), 302);
    const ticket = ticketSchema.parse(given);

    const answer = await confirmCasTicket(cas, ticket, logger, AGENT_WORDS, 'sign-in');

    const agent = await agentNamed(answer.user);
    if (!agent) throw notAnAgent();
    if (agent.disabled)
      throw new HTTPException(403, {
        message: 'Votre compte d’agent est désactivé : demandez à un administrateur de le réactiver.',
      });
    if (!(await auth.signInAs(c, agent.name))) throw notAnAgent();
    return c.redirect('/', 303);
  });

  return app;
}

/** Lower case for A–Z only: the one case-insensitivity agent names need. */
const asciiLower = (s: string) => s.replace(/[A-Z]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 32));

const AGENT_WORDS: CasRefusalWords = {
  unreachable:
    'Le serveur d’authentification de l’ENT (CAS) ne répond pas. Réessayez dans quelques minutes, ou connectez-vous avec votre identifiant et votre mot de passe.',
  unreadable:
    'Le serveur d’authentification de l’ENT (CAS) a donné une réponse illisible. Réessayez, ou connectez-vous avec votre identifiant et votre mot de passe.',
  refused:
    'L’ENT n’a pas confirmé votre connexion (ticket refusé ou expiré). Recommencez depuis la page de connexion.',
};
