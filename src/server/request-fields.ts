import { z } from 'zod';
import { ESPACES } from '../../flows/types.js';
import type { ContentCatalog } from '../engine/content.js';

/**
 * What an end user's request asks for, per flow: the pupil for the Espace Parents, the espace for a whole
 * profile, the old and new logins for a changed account; the school and a way to answer for all.
 */

const CONTROL = /(?![\t\n\r])\p{Cc}/u;
const text = (max: number, label: string) =>
  z
    .string()
    .trim()
    .max(max, { error: `${label} : ${max} caractères au plus.` })
    .refine((v) => !CONTROL.test(v), { error: 'Ce champ contient un caractère invisible : retirez-le.' })
    .optional()
    .transform((v) => v ?? '');
const login = (label: string) =>
  text(128, label).refine((v) => !/\s/.test(v), { error: 'Un identifiant ENT ne contient pas d’espace.' });

/** How an end user can be answered: each optional, one of them required (`reachable`, `REACH`). */
export const CONTACT_WAYS = {
  email: z.union([z.literal(''), z.email({ error: 'Adresse e-mail invalide.' })]).optional(),
  telephone: z
    .string()
    .trim()
    .regex(/^[\d +().-]{0,20}$/, { error: 'Numéro de téléphone invalide.' })
    .optional(),
};

const contact = {
  uai: z.string().regex(/^\d{7}[A-Z]$/, { error: 'Choisissez votre établissement dans la liste.' }),
  ...CONTACT_WAYS,
};

export const reachable = (v: { email?: string | undefined; telephone?: string | undefined }) =>
  Boolean(v.email) || Boolean(v.telephone);
export const REACH = {
  error: 'Indiquez une adresse e-mail ou un téléphone pour qu’on puisse vous répondre.',
  path: ['email'],
};

function flowSchema(flow: string, hasIdentity: boolean): z.ZodType<Record<string, unknown>> {
  switch (flow) {
    case 'auth-error':
      return z.object({
        ...contact,
        corrections: hasIdentity
          ? text(1000, 'Ce qui est faux')
          : text(1000, 'Données connues').refine((v) => v !== '', {
              error: 'Recopiez ce que la page d’erreur affiche sous « Données connues ».',
            }),
      });
    case 'single-parent':
      return z.object({
        ...contact,
        eleve: text(200, 'Nom de votre enfant').refine((v) => v !== '', {
          error: 'Indiquez le nom et le prénom de votre enfant.',
        }),
        classe: text(20, 'Classe'),
      });
    case 'profile-wide':
      return z.object({
        ...contact,
        espace: z.enum(ESPACES, { error: 'Choisissez l’espace dans la liste.' }),
      });
    case 'changed-account':
      return z
        .object({ ...contact, ancien: login('Ancien identifiant'), nouveau: login('Nouvel identifiant') })
        .refine((v) => v.ancien !== '' || v.nouveau !== '', {
          error: 'Indiquez votre ancien identifiant ENT, ou le nouveau.',
          path: ['ancien'],
        });
    default:
      return z.object({ ...contact, corrections: text(1000, 'Ce qui se passe') });
  }
}

export interface RequestInput {
  uai: string;
  email?: string | undefined;
  telephone?: string | undefined;
  corrections: string;
  /** The flow's own fields, as typed (eleve, classe / espace / ancien, nouveau). */
  details: Record<string, string>;
}

export type RequestParse = { ok: true; input: RequestInput } | { ok: false; errors: Record<string, string> };

/** Reads a request form for its flow; errors keyed by field, in French. */
export function parseRequest(flow: string, hasIdentity: boolean, body: unknown): RequestParse {
  const parsed = flowSchema(flow, hasIdentity)
    .refine((v) => reachable(v as { email?: string; telephone?: string }), REACH)
    .safeParse(body);
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'email')] ??= issue.message;
    return { ok: false, errors };
  }
  const { uai, email, telephone, ...rest } = parsed.data as Record<string, string | undefined> & {
    uai: string;
  };
  const { corrections = '', ...details } = rest;
  return {
    ok: true,
    input: {
      uai,
      email,
      telephone,
      corrections,
      details: Object.fromEntries(
        Object.entries(details).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1] !== ''),
      ),
    },
  };
}

/** The form's fields as typed, to give back with the errors. */
export const REQUEST_FIELDS = [
  'uai',
  'corrections',
  'eleve',
  'classe',
  'espace',
  'ancien',
  'nouveau',
  'email',
  'telephone',
];

export const espaceChoices = (content: ContentCatalog) =>
  ESPACES.map((value) => ({ value, label: content.shared.espaces[value] }));
