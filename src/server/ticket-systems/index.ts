import { Marked } from 'marked';
import { z } from 'zod';
import { sanitizeHtml } from '../../engine/sanitize.js';
import { addGlpiFollowup, type GlpiConfig } from './glpi.js';
import { PeerError } from './peer.js';
import { addZammadNote, type ZammadConfig } from './zammad.js';

/** The ticket systems a summary can be posted to; each is on when its variables are set. */
export interface TicketSystems {
  glpi?: GlpiConfig;
  zammad?: ZammadConfig;
}

export type TicketSystemId = keyof TicketSystems;

export const TICKET_SYSTEM_LABELS: Record<TicketSystemId, string> = { glpi: 'GLPI', zammad: 'Zammad' };

export const configuredSystems = (systems: TicketSystems): TicketSystemId[] =>
  (['glpi', 'zammad'] as const).filter((id) => systems[id] !== undefined);

const url = (name: string) =>
  z.url({ protocol: /^https?$/, error: `${name} doit être une adresse http(s).` });
const token = (name: string) =>
  z
    .string()
    .trim()
    .min(1, { error: `${name} est requis.` });

/**
 * GLPI is on when `GLPI_URL` is set (with `GLPI_USER_TOKEN`, and `GLPI_APP_TOKEN` if the API client asks
 * for one); Zammad when `ZAMMAD_URL` is set (with `ZAMMAD_TOKEN`). A half-done setting stops the start-up
 * with a message saying what is missing.
 */
export function ticketSystemsFromEnv(env: Record<string, string | undefined>): TicketSystems | undefined {
  const set = (name: string) => env[name]?.trim() || undefined;
  const systems: TicketSystems = {};
  const problems: string[] = [];
  const check = <T>(schema: z.ZodType<T>, value: unknown): T | undefined => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) problems.push(...parsed.error.issues.map((i) => i.message));
    return parsed.data;
  };
  if (set('GLPI_URL')) {
    const glpi = check(
      z.object({
        url: url('GLPI_URL'),
        userToken: token('GLPI_USER_TOKEN'),
        appToken: z.string().optional(),
      }),
      { url: set('GLPI_URL'), userToken: set('GLPI_USER_TOKEN') ?? '', appToken: set('GLPI_APP_TOKEN') },
    );
    if (glpi) systems.glpi = glpi.appToken ? glpi : { url: glpi.url, userToken: glpi.userToken };
  }
  if (set('ZAMMAD_URL')) {
    const zammad = check(z.object({ url: url('ZAMMAD_URL'), token: token('ZAMMAD_TOKEN') }), {
      url: set('ZAMMAD_URL'),
      token: set('ZAMMAD_TOKEN') ?? '',
    });
    if (zammad) systems.zammad = zammad;
  }
  if (problems.length > 0) throw new Error(problems.join(' '));
  return configuredSystems(systems).length > 0 ? systems : undefined;
}

const TICKET_ERROR = 'Numéro de ticket invalide : un nombre entier positif, par exemple 1234.';

/** The form beside the summary: which system, which ticket. */
export const ticketPostSchema = (systems: TicketSystems) =>
  z.object({
    system: z.enum(configuredSystems(systems) as [TicketSystemId, ...TicketSystemId[]], {
      error: 'Choisissez le système de tickets.',
    }),
    ticket: z
      .string({ error: TICKET_ERROR })
      .trim()
      .regex(/^\d{1,10}$/, { error: TICKET_ERROR })
      .transform(Number)
      .pipe(z.number().int().min(1, { error: TICKET_ERROR }).max(2_147_483_647, { error: TICKET_ERROR })),
  });

export type TicketPost = z.infer<ReturnType<typeof ticketPostSchema>>;

export type TicketPostResult =
  | { ok: true; message: string }
  | { ok: false; message: string; reason: PeerError['reason']; status?: number };

const markdown = new Marked({ gfm: true, breaks: false });

/** GLPI shows follow-ups as HTML: the Markdown summary rendered, with nothing that runs or styles. */
export function glpiContent(summaryMarkdown: string): string {
  return sanitizeHtml(markdown.parse(summaryMarkdown, { async: false }), {
    allowedTags: ['h2', 'h3', 'p', 'ul', 'ol', 'li', 'strong', 'em', 'code', 'a', 'br'],
    allowedAttributes: { a: ['href'] },
    allowedSchemes: ['http', 'https'],
    allowProtocolRelative: false,
    disallowedTagsMode: 'discard',
  }).trim();
}

/**
 * Posts the summary as a private follow-up (GLPI) or an internal note (Zammad). Never throws for the
 * peer's sake: the answer says, in French, what happened and what to do.
 */
export async function postTicketSummary(
  systems: TicketSystems,
  { system, ticket }: TicketPost,
  summary: { markdown: string; text: string },
): Promise<TicketPostResult> {
  const name = TICKET_SYSTEM_LABELS[system];
  try {
    if (system === 'glpi' && systems.glpi) {
      await addGlpiFollowup(systems.glpi, ticket, glpiContent(summary.markdown));
      return { ok: true, message: `Résumé ajouté en suivi privé au ticket GLPI n° ${ticket}.` };
    }
    if (system === 'zammad' && systems.zammad) {
      await addZammadNote(systems.zammad, ticket, summary.text);
      return { ok: true, message: `Résumé ajouté en note interne au ticket Zammad n° ${ticket}.` };
    }
    throw new PeerError('refused');
  } catch (err) {
    if (!(err instanceof PeerError)) throw err;
    return {
      ok: false,
      reason: err.reason,
      ...(err.status ? { status: err.status } : {}),
      message: `${failureText(name, ticket, err)} Le résumé n’a pas été envoyé : copiez-le ci-dessous pour le coller dans le ticket.`,
    };
  }
}

function failureText(name: string, ticket: number, err: PeerError): string {
  const detail = [err.status ? `erreur ${err.status}` : '', err.code ?? ''].filter(Boolean).join(', ');
  const said = detail ? ` (${detail})` : '';
  if (err.reason === 'unreachable')
    return `${name} ne répond pas (serveur injoignable ou délai dépassé). Réessayez dans quelques minutes.`;
  if ((err.duringSignIn && err.reason === 'refused') || err.status === 401 || err.status === 403)
    return `${name} a refusé l’accès${said} : les jetons d’accès configurés sont à vérifier par un administrateur.`;
  if (err.reason === 'refused')
    return `${name} a refusé la note${said} : vérifiez le numéro du ticket (n° ${ticket}).`;
  if (err.status && err.status < 400)
    return `${name} a répondu par une redirection${said} : l’adresse configurée est à vérifier par un administrateur.`;
  return `${name} est en erreur${said}. Réessayez dans quelques minutes.`;
}
