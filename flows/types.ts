/** Types shared by the flows, the engine and the views. No French text lives here. */

export const FLOW_IDS = ['triage', 'auth-error', 'changed-account', 'profile-wide', 'single-parent'] as const;
export type FlowId = (typeof FLOW_IDS)[number];

/** Who follows the flow: an agent signed in, or an end user (élève, parent, professeur) helping themselves. */
export type Audience = 'agent' | 'public';

/** What a step is, for the views and the transcript. */
export type StepKind = 'question' | 'check' | 'fix' | 'info' | 'end';

/** Blocks of the session's findings a step shows beside its text. */
export type ResultBlock =
  | 'comparison'
  | 'candidates'
  | 'accounts'
  | 'selection'
  | 'publication'
  | 'access'
  | 'fix';

export interface StepMeta {
  /** Stable id `flow.step`: in URLs, ticket links and the JSON API. Never rename one. */
  step: string;
  /** Content key: `content/<flow>/<step>.md`. */
  content: string;
  kind: StepKind;
  shows?: readonly ResultBlock[];
}

export const ESPACES = [
  'eleves',
  'parents',
  'professeurs',
  'vie-scolaire',
  'direction',
  'accompagnants',
] as const;
export type Espace = (typeof ESPACES)[number];

export const PROFILES = ['eleve', 'responsable', 'professeur', 'personnel'] as const;
export type Profile = (typeof PROFILES)[number];

/**
 * How the school's PRONOTE.net recognises a user coming from the ENT (Interconnexion CAS): by identity
 * (case A), by the « Identifiant PRONOTE-ENT » the ENT sends, or by double authentication.
 */
export const IDENTIFICATION_MODES = ['identity', 'pronote-ent-id', 'double-auth'] as const;
export type IdentificationMode = (typeof IDENTIFICATION_MODES)[number];

/** The « Identifiant PRONOTE-ENT » the ENT sends, set against the account's. */
export interface CodeComparison {
  verdict: 'same' | 'other-account' | 'unknown-code' | 'not-sent' | 'not-exported';
  /** What the ENT sends. */
  sent?: string;
  /** What the account carries in PRONOTE's export. */
  expected?: string;
  /** The account that carries the code the ENT sends, when it is another one. */
  holder?: AccountSummary;
}

export interface IdentityInput {
  login?: string;
  nom?: string;
  prenom?: string;
  /** AAAA-MM-JJ once validated. */
  dateNaissance?: string;
  /** The CAS `codePostal`: what tells responsables without a birth date apart. */
  codePostal?: string;
}

/** An account as the flows show it: enough to choose and to compare, nothing more. */
export interface AccountSummary {
  id: string;
  profile: Profile;
  nom: string;
  prenom: string;
  dateNaissance?: string;
  classe?: string;
  casId?: string;
  espaceParents?: boolean;
  version: number;
}

export type FieldVerdict = 'exact' | 'normalised' | 'close' | 'different' | 'missing';

export interface ComparisonRow {
  field: 'nom' | 'prenom' | 'dateNaissance';
  ent?: string;
  pronote?: string;
  verdict: FieldVerdict;
}

/** Output of the `compareIdentity` check. `unknown`: no data to check against (manual fallback). */
export interface ComparisonResult {
  outcome: 'match' | 'mismatch' | 'ambiguous' | 'none' | 'unknown';
  ent?: { login: string; nom: string; prenom: string; dateNaissance?: string };
  account?: AccountSummary;
  rows?: ComparisonRow[];
  candidates?: AccountSummary[];
  /** The account already holds this login in Identifiant CAS: the link is made. */
  linked?: boolean;
  /** Another account already holds the ENT login in Identifiant CAS: fix 2 is refused. */
  casHolder?: AccountSummary;
  /** The school's identification mode, when its data is here: which checks apply. */
  mode?: IdentificationMode;
  /** In the « Identifiant PRONOTE-ENT » mode: the code compared, when the ENT's export gives one. */
  code?: CodeComparison;
}

export interface SearchResult {
  outcome: 'found' | 'none' | 'unknown';
  accounts?: AccountSummary[];
}

export interface PublicationResult {
  outcome: 'published' | 'espace-unpublished' | 'base-unpublished' | 'unknown';
  espace?: Espace;
  basePublished?: boolean;
  espacePublished?: boolean;
  version?: number;
}

export interface AccessResult {
  outcome: 'granted' | 'denied' | 'unknown';
  account?: AccountSummary;
  /** The responsable's pupils: whose Espace Parents this is. */
  pupils?: AccountSummary[];
  /** The other responsables of those pupils, with their own access: a « compte par foyer » shows here. */
  others?: AccountSummary[];
}

export interface FieldChange {
  accountId?: string;
  label: string;
  field: string;
  before: string | null;
  after: string | null;
}

/**
 * Output of every fix. `manual`: the assistant cannot write here, the person does it by hand;
 * `conflict`: the record changed since it was read and was not overwritten; `refused`: a rule forbids it.
 */
export interface FixResult {
  outcome: 'done' | 'manual' | 'conflict' | 'refused';
  kind: 'identity' | 'cas-id' | 'clear-cas-ids' | 'publish' | 'espace-parents';
  changes?: FieldChange[];
  auditId?: string;
  /** Plain reason code for `conflict` and `refused`, worded by the views. */
  reason?: string;
  current?: AccountSummary[];
}
