import type { FieldValue } from './audit.js';
import type { CorrectionKind, CorrectionState } from './corrections.js';
import {
  IDENTIFICATION_MODE_FIELD,
  type IdentificationMode,
  isIdentificationMode,
} from './school-settings.js';

/**
 * The French words for corrections, one set for every place that shows them (fix step, transcript,
 * journal, corrections list, reconciliation, ticket summary, import summary), so a state reads the same
 * everywhere.
 */

export const STATE_LABELS: Record<CorrectionState, string> = {
  pending: 'À faire dans PRONOTE',
  applied: 'Faite dans PRONOTE, en attente du prochain import',
  verified: 'Vérifiée : le dernier import la montre dans PRONOTE',
  contradicted: 'Contredite : le dernier import montre une autre valeur',
  undone: 'Annulée',
};

/** One word per state, for lists and filters. */
export const STATE_SHORT: Record<CorrectionState, string> = {
  pending: 'à faire',
  applied: 'faite, à vérifier',
  verified: 'vérifiée',
  contradicted: 'contredite',
  undone: 'annulée',
};

export const KIND_LABELS: Record<CorrectionKind, string> = {
  identity: 'Identité (Nom, Prénom, Né(e) le)',
  'cas-id': 'Identifiant CAS',
  'clear-cas-id': 'Suppression de l’identifiant CAS',
  'espace-parents': 'Accès à l’Espace Parents (Esp. par.)',
  'publish-espace': 'Publication d’un espace (console PRONOTE.net)',
};

/** The espaces as PRONOTE.net's console names them. */
export const ESPACE_LABELS: Record<string, string> = {
  eleves: 'Espace Élèves',
  parents: 'Espace Parents',
  professeurs: 'Espace Professeurs',
  'vie-scolaire': 'Espace Vie scolaire',
  direction: 'Espace Direction',
  accompagnants: 'Espace Accompagnants',
  entreprise: 'Espace Entreprise',
};

/** The three modes as PRONOTE.net's page « Interconnexion CAS » offers them. */
export const IDENTIFICATION_MODE_LABELS: Record<IdentificationMode, string> = {
  identity: 'Avec l’identité de l’utilisateur',
  'pronote-ent-id': 'Avec l’Identifiant PRONOTE-ENT',
  'double-auth': 'Par double authentification',
};

const FIELD_LABELS: Record<string, string> = {
  nom: 'Nom',
  prenom: 'Prénom',
  dateNaissance: 'Né(e) le',
  casId: 'Identifiant CAS',
  espaceParents: 'Esp. par.',
  basePublished: 'Base publiée',
  identificationMode: 'Mode d’identification (Interconnexion CAS)',
};

/** The column or console setting a field is in PRONOTE, in its own words. */
export function fieldLabel(field: string): string {
  const espace = /^espaces\.(.+)$/.exec(field)?.[1];
  if (espace) return `${ESPACE_LABELS[espace] ?? espace} publié`;
  return FIELD_LABELS[field] ?? field;
}

/** JJ/MM/AAAA from AAAA-MM-JJ (or an ISO time); anything else as it is. */
export function frenchDate(value: string | null | undefined): string {
  const m = value ? /^(\d{4})-(\d{2})-(\d{2})/.exec(value) : null;
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (value ?? '');
}

/** A value as PRONOTE shows it: JJ/MM/AAAA dates, Oui/Non for ticks, « vide » for nothing. */
export function valueLabel(field: string, value: FieldValue | undefined): string {
  if (value === null || value === undefined || value === '') return 'vide';
  if (typeof value === 'boolean') return value ? 'Oui' : 'Non';
  if (field === 'dateNaissance') return frenchDate(value);
  if (field === IDENTIFICATION_MODE_FIELD && isIdentificationMode(value))
    return IDENTIFICATION_MODE_LABELS[value];
  return value;
}
