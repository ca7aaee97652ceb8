import type { FieldMatch } from '../pronote/field-compare.js';
import type { Profile } from '../pronote/model.js';
import type {
  AccountRef,
  CasIdIssue,
  CodeCheck,
  EntFinding,
  EntRow,
  FieldName,
  FindingKind,
  MatchBlock,
} from './reconcile.js';

/** The French words of a reconciliation, shared by its page, its CSV and the command line. */

export const PROFILE_LABELS: Record<Profile, string> = {
  eleve: 'Élèves',
  responsable: 'Responsables',
  professeur: 'Professeurs',
  personnel: 'Personnels',
};

export const FINDING_LABELS: Record<FindingKind, string> = {
  linked: 'Déjà relié par l’identifiant CAS',
  match: 'Correspondance',
  mismatch: 'Identité différente',
  ambiguous: 'Plusieurs comptes possibles',
  'login-held': 'Identifiant ENT détenu par une autre personne',
  'other-cas-id': 'Compte relié à un autre identifiant',
  none: 'Aucun compte PRONOTE',
};

export const CAS_ID_LABELS: Record<CasIdIssue['kind'], string> = {
  'wrong-person': 'Identifiant CAS d’une autre personne',
  'unknown-login': 'Identifiant CAS inconnu de l’ENT',
  duplicate: 'Identifiant CAS sur plusieurs comptes',
};

export const PRONOTE_ONLY_LABEL = 'Compte PRONOTE sans compte ENT';
export const NO_PARENT_ACCESS_LABEL = 'Sans accès à l’Espace Parents';

const FIELD_LABELS: Record<FieldName, string> = {
  nom: 'nom',
  prenom: 'prénom',
  dateNaissance: 'date de naissance',
};

const VERDICTS: Record<FieldMatch, string> = {
  exact: 'identique',
  normalised: 'identique aux accents et majuscules près',
  close: 'proche',
  different: 'différent',
  missing: 'absent',
};

const BLOCKS: Record<MatchBlock, string> = {
  homonym: 'à vérifier avant de relier',
  'shared-account': 'un autre compte ENT correspond au même compte PRONOTE',
  'several-profiles': 'la même personne a un autre profil : un seul compte peut porter l’identifiant',
  'invalid-login':
    'l’identifiant ENT n’a pas une forme valable (formule, espace, guillemet) : à vérifier dans l’ENT',
};

export const frDate = (iso: string | null): string => {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
};

export const nameOf = (a: Pick<AccountRef, 'nom' | 'prenom'>) => `${a.nom} ${a.prenom}`;

/** « DEVAUX Martin (3C, né(e) le 30/01/1998) ». */
export function describeAccount(a: AccountRef): string {
  const extra = [a.classe, a.dateNaissance ? `né(e) le ${frDate(a.dateNaissance)}` : null].filter(Boolean);
  return `${nameOf(a)}${extra.length > 0 ? ` (${extra.join(', ')})` : ''}`;
}

/** The fields that are not exactly equal, with how they differ: « prénom identique aux accents près ». */
export function describeFields(fields: Record<FieldName, FieldMatch>): string {
  return (Object.keys(fields) as FieldName[])
    .filter((f) => fields[f] !== 'exact')
    .map((f) => `${FIELD_LABELS[f]} ${VERDICTS[fields[f]]}`)
    .join(', ');
}

/** What the « Identifiant PRONOTE-ENT » comparison found, in words. */
export function codeDetail(code: CodeCheck): string {
  switch (code.kind) {
    case 'same':
      return `Identifiant PRONOTE-ENT « ${code.code} » : celui de la fiche`;
    case 'other-account':
      return `l’ENT transmet l’Identifiant PRONOTE-ENT « ${code.code} », celui de ${describeAccount(code.holder)} : à corriger dans l’ENT (ou réexporter depuis PRONOTE)`;
    case 'unknown-code':
      return `l’ENT transmet l’Identifiant PRONOTE-ENT « ${code.code} », qu’aucune fiche ne porte${code.expected ? ` (la fiche porte « ${code.expected} »)` : ''} : à corriger dans l’ENT ou réexporter depuis PRONOTE`;
    case 'not-sent':
      return `l’export de l’ENT ne donne pas d’Identifiant PRONOTE-ENT${code.expected ? ` (la fiche porte « ${code.expected} »)` : ''} : à vérifier dans l’ENT`;
    case 'not-exported':
      return `l’ENT transmet « ${code.code} », la liste PRONOTE n’en donne pas pour cette fiche : exportez la colonne « Identifiant PRONOTE-ENT »`;
  }
}

/** Why an identity difference does not stop the connection in the school's mode, or nothing. */
function modeNote(row: EntRow): string | null {
  const identityFinding = ['mismatch', 'ambiguous', 'none'].includes(row.finding.kind);
  if (!identityFinding) return null;
  if (row.mode === 'double-auth')
    return 'ne bloque pas la connexion : en double authentification, la personne saisit une fois son identifiant PRONOTE';
  if (row.mode === 'pronote-ent-id')
    return 'l’identité n’est pas comparée : seul l’Identifiant PRONOTE-ENT compte';
  return null;
}

/** One sentence on what the finding means, for the detail column, with what the school's mode makes of it. */
export function findingDetail(row: EntRow): string {
  return [identityDetail(row), modeNote(row), row.code ? codeDetail(row.code) : null]
    .filter((part): part is string => Boolean(part))
    .join(' ; ');
}

function identityDetail(row: EntRow): string {
  const f: EntFinding = row.finding;
  switch (f.kind) {
    case 'linked':
      return `${describeAccount(f.account)}`;
    case 'match': {
      const parts = [describeFields(f.fields) || 'identité identique'];
      if (f.homonyms.length > 0) parts.push(`homonyme : ${f.homonyms.map(describeAccount).join(' ; ')}`);
      if (f.blocked) parts.push(BLOCKS[f.blocked]);
      return parts.join(' ; ');
    }
    case 'mismatch':
      return [describeFields(f.fields), f.codePostal ? 'code postal différent' : '']
        .filter(Boolean)
        .join(' ; ');
    case 'ambiguous':
      return f.candidates.map((c) => describeAccount(c.account)).join(' ; ');
    case 'login-held':
      return `détenu par ${describeAccount(f.holder)}${f.candidate ? ` ; son compte probable : ${describeAccount(f.candidate.account)}` : ''}`;
    case 'other-cas-id':
      return f.owner
        ? `porte « ${f.account.casId} », identifiant ENT de ${nameOf(f.owner)}`
        : `porte « ${f.account.casId} », inconnu de l’ENT (ancien identifiant)`;
    case 'none':
      return 'aucun compte ne ressemble à cette identité (nom d’usage ?)';
  }
}

export function casIdDetail(issue: CasIdIssue): string {
  switch (issue.kind) {
    case 'wrong-person':
      return `« ${issue.account.casId} » est l’identifiant ENT de ${nameOf(issue.ent)}`;
    case 'unknown-login':
      return `« ${issue.account.casId} » n’existe pas dans l’ENT`;
    case 'duplicate':
      return `« ${issue.casId} » : ${issue.accounts.map(describeAccount).join(' ; ')}`;
  }
}
