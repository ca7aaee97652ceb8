import { z } from 'zod';
import { IDENTIFICATION_MODES, type IdentificationMode } from '../../flows/types.js';

/**
 * The school's settings the assistant keeps beside its copy of PRONOTE: how the school's PRONOTE.net
 * recognises a user coming from the ENT (PRONOTE.net › Intégration dans un ENT › Interconnexion CAS).
 * A description of PRONOTE's configuration, written here by an agent: nothing is ever sent to PRONOTE.
 */

/**
 * `identity`: the CAS sends nom, prénom, birth date, compared at the first connection (FAQ case A);
 * `pronote-ent-id`: the CAS sends the « Identifiant PRONOTE-ENT » the ENT got from an export;
 * `double-auth`: the person types their PRONOTE login once, at the first connection.
 */
export { IDENTIFICATION_MODES, type IdentificationMode } from '../../flows/types.js';

/** A school nobody described yet: the mode behind the FAQ's case A, the most common one. */
export const DEFAULT_IDENTIFICATION_MODE: IdentificationMode = 'identity';

export interface SchoolSettings {
  uai: string;
  identificationMode: IdentificationMode;
  /** Bumped on every change: a write names the version it read and is refused if it moved. */
  version: number;
}

/** The setting as the audit journal keeps it, and the field an undo puts back. */
export const IDENTIFICATION_MODE_FIELD = 'identificationMode';

export const identificationModeSchema = z.enum(IDENTIFICATION_MODES, {
  error: 'Mode d’identification : choisissez l’un des trois modes de PRONOTE.net.',
});

export const isIdentificationMode = (value: unknown): value is IdentificationMode =>
  (IDENTIFICATION_MODES as readonly unknown[]).includes(value);
