import { z } from 'zod';
import { birthDateProblem, nameProblem } from './person-fields.js';
import { ESPACES } from './types.js';

/**
 * Every event a person can send, with the fields it takes. The schemas validate what arrives from a form
 * or the JSON API; the field specs let the views and the API describe each event without knowing the flow.
 * Error messages are French because they reach the person who typed the value.
 */

/** Control characters other than tab and line breaks: never typed, only pasted from a damaged source. */
const CONTROL = /(?![\t\n\r])\p{Cc}/u;

const text = (max: number) =>
  z
    .string({ error: 'Ce champ doit être un texte.' })
    .trim()
    .max(max, { error: `Ce champ ne peut pas dépasser ${max} caractères.` })
    .refine((v) => !CONTROL.test(v), { error: 'Ce champ contient un caractère invisible : retirez-le.' });

const requiredText = (max: number) => text(max).min(1, { error: 'Ce champ est obligatoire.' });

const optionalText = (max: number) =>
  text(max)
    .optional()
    .transform((v) => (v === '' ? undefined : v));

/** JJ/MM/AAAA or AAAA-MM-JJ, a real day; normalised to AAAA-MM-JJ. */
export const birthDate = z
  .string()
  .trim()
  .transform((value, ctx) => {
    if (value === '') return undefined;
    const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(value);
    const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    const [y, m, d] = fr ? [fr[3], fr[2], fr[1]] : iso ? [iso[1], iso[2], iso[3]] : [];
    // Built as AAAA-MM-JJ and read back: Date.UTC would take the year 0001 for 1901.
    const day = y && m && d ? `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}` : '';
    const date = new Date(`${day}T00:00:00Z`);
    if (!day || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day) {
      ctx.addIssue({
        code: 'custom',
        message: `Date de naissance illisible « ${value} » : attendu JJ/MM/AAAA.`,
      });
      return z.NEVER;
    }
    const problem = birthDateProblem(day);
    if (problem) {
      ctx.addIssue({ code: 'custom', message: `Date de naissance « ${value} » refusée : ${problem}` });
      return z.NEVER;
    }
    return day;
  })
  .optional();

/** A nom or prénom as typed: the rules of person-fields.ts, checked on the value as sent. */
const optionalName = z
  .string({ error: 'Ce champ doit être un texte.' })
  .superRefine((value, ctx) => {
    const problem = value.trim() === '' ? null : nameProblem(value.trim());
    if (problem) ctx.addIssue({ code: 'custom', message: `Un nom ${problem}` });
  })
  .transform((v) => v.trim() || undefined)
  .optional();

const accountId = requiredText(64).regex(/^[\w.-]+$/, { error: 'Identifiant de compte invalide.' });

/** Five digits, as the CAS `codePostal` attribute and SIECLE give it; spaces typed inside are dropped. */
const codePostalSchema = optionalText(10)
  .transform((v) => v?.replace(/\s/g, ''))
  .refine((v) => v === undefined || /^\d{5}$/.test(v), { error: 'Un code postal compte cinq chiffres.' });

const loginSchema = optionalText(128).refine((v) => v === undefined || !/\s/.test(v), {
  error: 'Un identifiant ENT ne contient pas d’espace.',
});

export const eventSchemas = {
  CHOOSE_AUTH_ERROR: z.object({}),
  CHOOSE_CHANGED_ACCOUNT: z.object({}),
  CHOOSE_PROFILE_WIDE: z.object({}),
  CHOOSE_SINGLE_PARENT: z.object({}),
  DESCRIBE_MESSAGE: z.object({ message: requiredText(1000) }),
  SUBMIT_IDENTITY: z
    .object({
      login: loginSchema,
      nom: optionalName,
      prenom: optionalName,
      dateNaissance: birthDate,
      codePostal: codePostalSchema,
    })
    .refine((v) => v.login !== undefined || (v.nom !== undefined && v.prenom !== undefined), {
      // A rule on the form as a whole: no single field (each optional on its own) is the one in error.
      error: 'Indiquez l’identifiant ENT, ou bien le nom et le prénom.',
    }),
  SEARCH: z.object({ query: requiredText(100) }),
  SELECT_ACCOUNT: z.object({ accountId }),
  SELECT_ACCOUNTS: z.object({
    accountIds: z
      .preprocess((v) => (typeof v === 'string' ? [v] : v), z.array(accountId).max(500))
      .refine((ids) => ids.length > 0, { error: 'Sélectionnez au moins un compte.' }),
  }),
  CHOOSE_PROFILE: z.object({ profile: z.enum(ESPACES, { error: 'Choisissez un profil de la liste.' }) }),
  ANSWER_YES: z.object({}),
  ANSWER_NO: z.object({}),
  ANSWER_NOT_FOUND: z.object({}),
  FIX_IDENTITY: z.object({}),
  FIX_CAS_ID: z.object({}),
  CLEAR_CAS_ID: z.object({}),
  PUBLISH_ESPACE: z.object({}),
  GRANT_ACCESS: z.object({}),
  DONE: z.object({}),
  RECHECK: z.object({}),
  ESCALATE: z.object({}),
} as const;

export type EventType = keyof typeof eventSchemas;
export const EVENT_TYPES = Object.keys(eventSchemas) as EventType[];

type Fields<T extends EventType> = z.output<(typeof eventSchemas)[T]>;
export type FlowEvent = { [T in EventType]: { type: T } & Fields<T> }[EventType];

export type FieldKind = 'text' | 'textarea' | 'date' | 'choice' | 'choices';

/** Where a choice field takes its options from: a fixed list, or what the session found. */
export type OptionsSource = 'espaces' | 'candidates' | 'accounts';

export interface FieldSpec {
  name: string;
  kind: FieldKind;
  required: boolean;
  options?: OptionsSource;
  autocomplete?: string;
}

export const eventFields: Record<EventType, readonly FieldSpec[]> = {
  CHOOSE_AUTH_ERROR: [],
  CHOOSE_CHANGED_ACCOUNT: [],
  CHOOSE_PROFILE_WIDE: [],
  CHOOSE_SINGLE_PARENT: [],
  DESCRIBE_MESSAGE: [{ name: 'message', kind: 'textarea', required: true }],
  SUBMIT_IDENTITY: [
    { name: 'login', kind: 'text', required: false, autocomplete: 'off' },
    { name: 'nom', kind: 'text', required: false, autocomplete: 'family-name' },
    { name: 'prenom', kind: 'text', required: false, autocomplete: 'given-name' },
    { name: 'dateNaissance', kind: 'date', required: false, autocomplete: 'bday' },
    { name: 'codePostal', kind: 'text', required: false, autocomplete: 'postal-code' },
  ],
  SEARCH: [{ name: 'query', kind: 'text', required: true, autocomplete: 'off' }],
  SELECT_ACCOUNT: [{ name: 'accountId', kind: 'choice', required: true, options: 'candidates' }],
  SELECT_ACCOUNTS: [{ name: 'accountIds', kind: 'choices', required: true, options: 'accounts' }],
  CHOOSE_PROFILE: [{ name: 'profile', kind: 'choice', required: true, options: 'espaces' }],
  ANSWER_YES: [],
  ANSWER_NO: [],
  ANSWER_NOT_FOUND: [],
  FIX_IDENTITY: [],
  FIX_CAS_ID: [],
  CLEAR_CAS_ID: [],
  PUBLISH_ESPACE: [],
  GRANT_ACCESS: [],
  DONE: [],
  RECHECK: [],
  ESCALATE: [],
};

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.hasOwn(eventSchemas, value);
}
