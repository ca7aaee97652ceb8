import { createHash } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { getSignedCookie, setSignedCookie } from 'hono/cookie';
import { HTTPException } from 'hono/http-exception';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { PrivacyProps } from '../../views/privacy.js';
import { isAllFine, VerifyResultPage, VerifyStartPage } from '../../views/verify.js';
import { diagnoseSelf, type SelfDiagnosis } from '../engine/self-diagnosis.js';
import { type CasIdentity, type CasIdentityProblem, casIdentityOf } from '../ent/cas-identity.js';
import type { EntDirectory } from '../ent/port.js';
import type { PronotePort } from '../pronote/port.js';
import type { HelpRequest, HelpRequests } from '../store/help-requests.js';
import type { IdentityCheck, IdentityChecks } from '../store/identity-checks.js';
import type { RateCounter } from '../store/rate-counter.js';
import type { AppEnv } from './app-types.js';
import { casLoginUrl } from './cas.js';
import { type CasRefusalWords, confirmCasTicket } from './cas-confirm.js';
import type { FollowLinks } from './follow-links.js';
import { absoluteUrl } from './public-url.js';
import { clientKey, rateLimit } from './rate-limit.js';
import { html } from './render.js';
import { CONTACT_WAYS, REACH, reachable } from './request-fields.js';
import type { VerifyConfig } from './verify-config.js';

export interface VerifyRouteDeps {
  verify: VerifyConfig;
  /** `PUBLIC_URL`, for the follow-up link the person keeps. */
  publicUrl: string;
  privacy: PrivacyProps;
  pronote: PronotePort;
  ent: EntDirectory;
  requests: HelpRequests;
  checks: IdentityChecks;
  follow: FollowLinks;
  rates: RateCounter;
  logger: Logger;
  /** Key of the cookie that names the person's check. */
  secret: string;
  secureCookies: boolean;
}

/** What a check keeps server-side for the half hour the person reads it. */
interface CheckData {
  identity: CasIdentity;
  diagnosis: SelfDiagnosis;
}

const CHECK_MINUTES = 30;
const COOKIE = 'verification';
const uaiSchema = z.string().regex(/^\d{7}[A-Z]$/);
/** A CAS service ticket; anything else is not sent on to the CAS server. */
const ticketSchema = z
  .string()
  .max(256)
  .regex(/^ST-[A-Za-z0-9-]+$/);

const contactSchema = z
  .object({
    ...CONTACT_WAYS,
    message: z.string().trim().max(1000, { error: 'Précisions : 1 000 caractères au plus.' }).optional(),
  })
  .refine(reachable, REACH);

const PROBLEMS: Record<CasIdentityProblem, string> = {
  'no-name':
    'L’ENT n’a pas transmis votre nom et votre prénom : la vérification est impossible. Signalez-le à votre établissement (le service doit recevoir les mêmes informations que PRONOTE).',
  'no-profile':
    'L’ENT n’a pas transmis votre profil (élève, parent, professeur, personnel) : la vérification est impossible. Signalez-le à votre établissement.',
  'bad-date':
    'L’ENT a transmis une date de naissance illisible : c’est peut-être ce qui bloque PRONOTE aussi. Signalez-le à votre établissement.',
};

const typed = (value: unknown): string | undefined =>
  typeof value === 'string' ? value.slice(0, 2000) : undefined;

/**
 * « Vérifier mon compte »: the person signs in at their ENT's CAS, which sends them back here with a ticket;
 * the ticket, used once, gives the identity the ENT sends PRONOTE; the diagnosis of their own account
 * follows, and a request carrying it to their school.
 */
export function verifyRoutes(deps: VerifyRouteDeps) {
  const { verify, privacy, pronote, ent, requests, checks, follow, logger } = deps;
  const app = new Hono<AppEnv>();
  const limited = rateLimit({
    name: 'verify',
    limit: 20,
    windowMs: 60_000,
    keyOf: clientKey,
    counter: deps.rates,
  });
  const requestLimit = rateLimit({
    name: 'requests',
    limit: 5,
    windowMs: 10 * 60_000,
    keyOf: clientKey,
    counter: deps.rates,
  });

  const schoolOf = async (given: string) => {
    const uai = uaiSchema.safeParse(given);
    const cas = uai.success ? verify.casFor(uai.data) : undefined;
    const school = uai.success ? await pronote.getSchool(uai.data) : null;
    if (!uai.success || !school)
      throw new HTTPException(404, { message: 'Cet établissement n’est pas connu de l’assistant.' });
    if (!cas)
      throw new HTTPException(404, {
        message: 'La vérification par l’ENT n’est pas ouverte pour cet établissement.',
      });
    return { uai: uai.data, school, cas };
  };

  const noStore = (c: Context) => c.header('Cache-Control', 'no-store');

  app.get('/verifier', async (c) => {
    const chosen = c.req.query('uai');
    if (chosen) {
      const { uai } = await schoolOf(chosen);
      return c.redirect(`/verifier/${uai}`, 303);
    }
    const all = await pronote.listSchools();
    const schools = all.filter((s) => verify.schools === 'all' || verify.schools.includes(s.uai));
    return html(c, <VerifyStartPage schools={schools} privacy={privacy} />);
  });

  app.get('/verifier/:uai', async (c) => {
    const { cas } = await schoolOf(c.req.param('uai'));
    return c.redirect(casLoginUrl(cas), 302);
  });

  app.get('/verifier/:uai/retour', limited, async (c) => {
    const { uai, cas } = await schoolOf(c.req.param('uai'));
    const given = c.req.query('ticket');
    if (given === undefined) return c.redirect(casLoginUrl(cas), 302);
    const ticket = ticketSchema.safeParse(given);
    if (!ticket.success)
      throw new HTTPException(422, {
        message:
          'Le retour de l’ENT est incomplet ou altéré. Recommencez depuis le lien « Vérifier mon compte ».',
      });
    // Recorded before it is checked: the same ticket sent twice at once, to two instances, opens one check.
    const hash = createHash('sha256').update(ticket.data).digest('base64url');
    if (!(await checks.claimTicket(hash, new Date())))
      throw new HTTPException(403, {
        message:
          'Ce retour de l’ENT a déjà servi. Recommencez depuis le lien « Vérifier mon compte » : l’ENT vous reconnaîtra sans redemander votre mot de passe.',
      });
    const answer = await confirmCasTicket(cas, ticket.data, logger, END_USER_WORDS, 'verify');
    const read = casIdentityOf(answer.user, answer.attributes);
    if (!read.ok) throw new HTTPException(422, { message: PROBLEMS[read.problem] });
    const diagnosis = await diagnoseSelf({ pronote, ent }, uai, read.identity);
    if (!diagnosis)
      throw new HTTPException(404, { message: 'Cet établissement n’est pas connu de l’assistant.' });
    const data: CheckData = { identity: read.identity, diagnosis };
    const check = await checks.save(uai, data, new Date(Date.now() + CHECK_MINUTES * 60_000));
    await setSignedCookie(c, COOKIE, check.id, deps.secret, {
      path: '/',
      httpOnly: true,
      sameSite: 'Lax',
      secure: deps.secureCookies,
      maxAge: CHECK_MINUTES * 60,
    });
    return c.redirect(`/verifier/${uai}/resultat`, 303);
  });

  /** The person's check, from their signed cookie; a check of another school is not theirs here. */
  const checkOf = async (c: Context<AppEnv>, uai: string): Promise<IdentityCheck<CheckData>> => {
    const id = await getSignedCookie(c, deps.secret, COOKIE);
    const check = typeof id === 'string' ? await checks.get(id, new Date()) : null;
    if (!check || check.uai !== uai)
      throw new HTTPException(403, {
        message:
          'Votre vérification a expiré (elle dure 30 minutes) ou a été faite sur un autre appareil. Recommencez depuis le lien « Vérifier mon compte ».',
      });
    return check as IdentityCheck<CheckData>;
  };

  const sentOf = (request: HelpRequest, again: boolean) => ({
    reference: request.reference,
    followUrl: absoluteUrl(deps.publicUrl, follow.create(request.id)),
    again,
  });

  app.get('/verifier/:uai/resultat', async (c) => {
    const { uai } = await schoolOf(c.req.param('uai'));
    const check = await checkOf(c, uai);
    const request = await requests.findBySession(check.id);
    noStore(c);
    return html(
      c,
      <VerifyResultPage
        uai={uai}
        identity={check.data.identity}
        diagnosis={check.data.diagnosis}
        privacy={privacy}
        sent={request ? sentOf(request, false) : undefined}
      />,
    );
  });

  app.post('/verifier/:uai/demande', async (c) => {
    const { uai } = await schoolOf(c.req.param('uai'));
    const check = await checkOf(c, uai);
    noStore(c);
    const page = (sent: ReturnType<typeof sentOf> | undefined, extra: object = {}) => (
      <VerifyResultPage
        uai={uai}
        identity={check.data.identity}
        diagnosis={check.data.diagnosis}
        privacy={privacy}
        sent={sent}
        {...extra}
      />
    );
    const existing = await requests.findBySession(check.id);
    if (existing) return html(c, page(sentOf(existing, true)));
    const body = await c.req.parseBody();
    const parsed = contactSchema.safeParse(body);
    if (!parsed.success) {
      const errors: Record<string, string> = {};
      for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'email')] ??= issue.message;
      const values = {
        email: typed(body.email),
        telephone: typed(body.telephone),
        message: typed(body.message),
      };
      return html(c, page(undefined, { errors, values }), 422);
    }
    const values = {
      email: parsed.data.email,
      telephone: parsed.data.telephone,
      message: parsed.data.message,
    };
    // Counted only once the form is right: a refused form costs nothing; a refusal keeps what was typed.
    try {
      await requestLimit(c, async () => {});
    } catch (err) {
      if (!(err instanceof HTTPException) || err.status !== 429) throw err;
      return html(c, page(undefined, { errors: { email: err.message }, values }), 429);
    }
    const { identity, diagnosis } = check.data;
    const first = diagnosis.profiles.find((p) => !isAllFine(p)) ?? diagnosis.profiles[0];
    const request = await requests.add(uai, check.id, {
      flow: 'verifier',
      step: 'verifier.diagnostic',
      identity: {
        login: identity.login,
        nom: identity.nom,
        prenom: identity.prenom,
        ...(identity.dateNaissance ? { dateNaissance: identity.dateNaissance } : {}),
        ...(identity.codePostal ? { codePostal: identity.codePostal } : {}),
      },
      ...(parsed.data.message ? { message: parsed.data.message } : {}),
      corrections: '',
      contact: {
        ...(parsed.data.email ? { email: parsed.data.email } : {}),
        ...(parsed.data.telephone ? { telephone: parsed.data.telephone } : {}),
      },
      verified: {
        findings: diagnosis.profiles.map((p) => `${p.profile}:${p.finding.kind}`),
        target: first?.target ?? null,
      },
    });
    return html(c, page(sentOf(request, false)));
  });

  return app;
}

const END_USER_WORDS: CasRefusalWords = {
  unreachable: 'Le serveur de connexion de l’ENT ne répond pas. Réessayez dans quelques minutes.',
  unreadable:
    'Le serveur de connexion de l’ENT a donné une réponse illisible. Réessayez dans quelques minutes.',
  refused:
    'L’ENT n’a pas confirmé votre connexion (retour expiré ou destiné à un autre service). Recommencez depuis le lien « Vérifier mon compte ».',
};
