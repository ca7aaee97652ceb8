import { z } from 'zod';
import { birthDateProblem, nameProblem } from '../../flows/person-fields.js';
import { entLoginProblem } from './ent-login.js';
import { ESPACES } from './model.js';
import { dateKey } from './normalise.js';

/**
 * Input rules every PRONOTE adapter applies before writing, with the French messages a person sees.
 * Kept apart from the adapters so SQLite and PostgreSQL refuse exactly the same things.
 */

/** A real calendar date AAAA-MM-JJ (no 31/02), in the range of person-fields.ts: a birth date. */
const isRealDate = (value: string): boolean => dateKey(value) === value && birthDateProblem(value) === null;

const nameField = (label: string) =>
  z
    .string({ error: `${label} : une valeur est requise.` })
    .trim()
    .min(1, `${label} : une valeur est requise.`)
    .superRefine((value, ctx) => {
      const problem = nameProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: `${label} : un nom ${problem}` });
    });

export const dateNaissanceSchema = z
  .string()
  .refine(isRealDate, 'Date de naissance : une date réelle est attendue, au format JJ/MM/AAAA.');

export const identitySchema = z.object({
  nom: nameField('Nom'),
  prenom: nameField('Prénom'),
  dateNaissance: dateNaissanceSchema.nullable(),
});

export const casIdSchema = z
  .string({ error: 'Identifiant CAS : une valeur est requise.' })
  .trim()
  .min(1, 'Identifiant CAS : une valeur est requise.')
  .superRefine((login, ctx) => {
    const problem = entLoginProblem(login);
    if (problem) ctx.addIssue({ code: 'custom', message: `Identifiant CAS : ${problem}` });
  });

export const versionSchema = z
  .number({ error: 'Version : un entier est attendu.' })
  .int('Version : un entier est attendu.')
  .positive('Version : un entier positif est attendu.');

const idSchema = z.string().min(1, 'Compte : un identifiant est requis.').max(200);

export const versionedIdsSchema = z
  .array(z.object({ id: idSchema, expectedVersion: versionSchema }))
  .min(1, 'Sélectionnez au moins un compte.')
  .max(1000, 'Pas plus de 1000 comptes à la fois.')
  .refine(
    (list) => new Set(list.map((a) => a.id)).size === list.length,
    'Un compte figure deux fois dans la sélection.',
  );

/** A batch of CAS ids: each account once, each login once (a login identifies one person). */
export const casIdAssignmentsSchema = z
  .array(z.object({ id: idSchema, expectedVersion: versionSchema, casId: casIdSchema }))
  .min(1, 'Sélectionnez au moins un compte.')
  .max(5000, 'Pas plus de 5000 comptes à la fois.')
  .refine(
    (list) => new Set(list.map((a) => a.id)).size === list.length,
    'Un compte figure deux fois dans la sélection.',
  )
  .refine(
    (list) => new Set(list.map((a) => a.casId.toLowerCase())).size === list.length,
    'Un même identifiant CAS figure deux fois dans la sélection.',
  );

export const grantedSchema = z.boolean({ error: 'Accès à l’Espace Parents : oui ou non est attendu.' });

export const espaceSchema = z.enum(ESPACES, { error: 'Espace : valeur inconnue.' });

export const writeContextSchema = z.object({
  actor: z.string().trim().min(1, 'Auteur : une valeur est requise.').max(200),
  sessionId: z.string().max(200).optional(),
  step: z.string().max(200).optional(),
});
