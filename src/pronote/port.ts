/**
 * The PRONOTE data port: the reads the flows' checks need and the writes their fixes need, per school
 * (UAI). Adapters (SQLite today, PostgreSQL later) implement it; code that uses it receives it and never
 * imports an adapter. Reads return `null` when nothing is found; writes throw the errors below.
 */

import { ESPACES as FLOW_ESPACES, type Profile } from '../../flows/types.js';
import type { Correction, CorrectionOutcome, CorrectionQuery } from './corrections.js';

export { PROFILES, type Profile } from '../../flows/types.js';

/**
 * The espaces PRONOTE.net publishes, each opened or closed in its console: those the flows offer to check,
 * and the Espace Entreprise, which no login case concerns.
 */
export const ESPACES = [...FLOW_ESPACES, 'entreprise'] as const;
export type Espace = (typeof ESPACES)[number];

export interface School {
  uai: string;
  name: string;
}

export interface PronoteAccount {
  /** Stable text id, unique within the school. */
  id: string;
  uai: string;
  profile: Profile;
  nom: string;
  prenom: string;
  /** « Né(e) le », AAAA-MM-JJ. */
  dateNaissance: string | null;
  /** « Identifiant CAS »: the ENT login PRONOTE stored after a first connection through the ENT. */
  casId: string | null;
  /** « Identifiant PRONOTE-ENT »: the code the ENT gets from an export to send back through CAS. */
  pronoteEntId: string | null;
  classe: string | null;
  /** « Accès à l'Espace Parents » (« Esp. par. »); null for every profile but responsable. */
  espaceParents: boolean | null;
  email: string | null;
  /**
   * The other nom, when a national file (SIECLE, STS) gives both: the birth name of a person PRONOTE shows
   * under a usage name, or the reverse. Absent when unknown. PRONOTE compares an identity with both.
   */
  nomNaissance?: string | null;
  /** The responsable's postcode (SIECLE address): what PRONOTE compares when there is no birth date. */
  codePostal?: string | null;
  /** Bumped on every write: a write names the version it read and is refused if it moved. */
  version: number;
}

/** State of the school's PRONOTE.net console. */
export interface Publication {
  uai: string;
  basePublished: boolean;
  espaces: Record<Espace, boolean>;
  version: number;
}

export interface Identity {
  nom: string;
  prenom: string;
  dateNaissance?: string | null;
}

export interface AccountSearch {
  /** A fragment of nom or prénom (case and accents ignored), or an exact CAS id or PRONOTE-ENT id. */
  text?: string;
  profile?: Profile;
  limit: number;
}

export interface WriteContext {
  /** Who writes: an agent's name, or a label such as `import` for a CLI. */
  actor: string;
  sessionId?: string;
  /** The flow step the fix was made from, e.g. `auth-error.fix-identity`. */
  step?: string;
}

export interface VersionedId {
  id: string;
  expectedVersion: number;
}

/** One « Identifiant CAS » to write, on an account read at `expectedVersion`. */
export interface CasIdAssignment extends VersionedId {
  casId: string;
}

export type AuditAction =
  | 'set-identity'
  | 'set-cas-id'
  | 'clear-cas-ids'
  | 'set-espace-parents'
  | 'unpublish-base'
  | 'publish-espace'
  | 'publish-base'
  | 'undo';

/** A field's value as the audit keeps it: text, a flag, or nothing. */
export type FieldValue = string | boolean | null;

/** One record changed by one write. A write touching several records shares one `batchId`. */
export interface AuditEntry {
  id: string;
  batchId: string;
  /** ISO 8601. */
  at: string;
  actor: string;
  sessionId: string | null;
  step: string | null;
  uai: string;
  action: AuditAction;
  /** The account changed, or null for the school's publication. */
  accountId: string | null;
  /** Only the fields that changed. */
  before: Record<string, FieldValue>;
  after: Record<string, FieldValue>;
  /** The record's version once this entry was written: undo requires it still to be current. */
  version: number;
  /** For an undo: the batch it reverted. */
  undoOf: string | null;
}

export interface AuditQuery {
  uai?: string;
  sessionId?: string;
  limit: number;
  /** An entry id: list only the entries written before it (the next page). */
  before?: string;
}

/** What every write returns: the records as they are now and the audit it wrote. */
export interface WriteResult<T> {
  batchId: string;
  records: T[];
  entries: AuditEntry[];
}

export type PublishStepName = 'unpublish-base' | 'publish-espace' | 'publish-base';

export interface PublishStep {
  name: PublishStepName;
  /** False when the console was already in that state, so nothing had to change. */
  changed: boolean;
}

export interface PublishResult extends WriteResult<Publication> {
  steps: PublishStep[];
}

/**
 * The port as callers use it: every method answers through a promise (PostgreSQL answers over the
 * network); the embedded SQLite adapter writes the same methods synchronously (`Synchronous<PronotePort>`).
 */
export interface PronotePort {
  listSchools(): Promise<School[]>;
  getSchool(uai: string): Promise<School | null>;
  getAccount(uai: string, id: string): Promise<PronoteAccount | null>;
  /**
   * Accounts that may be this person, for `matchIdentity` to grade: same nom once folded, or same
   * prénom and birth date, or nom and prénom swapped, or a shared part of a compound nom with the same
   * first prénom. Index-based; `uai: null` searches every school.
   */
  findCandidates(uai: string | null, identity: Identity, limit?: number): Promise<PronoteAccount[]>;
  searchAccounts(uai: string, query: AccountSearch): Promise<PronoteAccount[]>;
  findByCasId(uai: string, casId: string): Promise<PronoteAccount | null>;
  /** Every account of the school, by profile, nom and prénom: what a whole-school reconciliation reads once. */
  listAccounts(uai: string): Promise<PronoteAccount[]>;
  responsablesOf(uai: string, eleveId: string): Promise<PronoteAccount[]>;
  elevesOf(uai: string, responsableId: string): Promise<PronoteAccount[]>;
  getPublication(uai: string): Promise<Publication | null>;

  /*
   * Writes: input checked (a ZodError with French messages), the version read checked (ConflictError,
   * nothing written), one transaction with its audit entries. A value already in place changes nothing:
   * no version bump, no entry.
   */
  setIdentity(
    uai: string,
    id: string,
    expectedVersion: number,
    identity: Required<Identity>,
    ctx: WriteContext,
  ): Promise<WriteResult<PronoteAccount>>;
  setCasId(
    uai: string,
    id: string,
    expectedVersion: number,
    casId: string,
    ctx: WriteContext,
  ): Promise<WriteResult<PronoteAccount>>;
  /**
   * Writes the ENT login of many accounts into « Identifiant CAS » (a reconciliation's safe cases): all of
   * them or none, one batch that `undo` reverts as a whole.
   */
  setCasIds(
    uai: string,
    accounts: CasIdAssignment[],
    ctx: WriteContext,
  ): Promise<WriteResult<PronoteAccount>>;
  /** « Supprimer l'identifiant CAS (ENT) » on a selection: all of them or none, one batch. */
  clearCasIds(uai: string, accounts: VersionedId[], ctx: WriteContext): Promise<WriteResult<PronoteAccount>>;
  setEspaceParents(
    uai: string,
    id: string,
    expectedVersion: number,
    granted: boolean,
    ctx: WriteContext,
  ): Promise<WriteResult<PronoteAccount>>;
  /** The FAQ's three steps: unpublish the base, publish the espace, publish the base again. */
  publishEspace(
    uai: string,
    espace: Espace,
    expectedVersion: number,
    ctx: WriteContext,
  ): Promise<PublishResult>;
  /** Reverts an entry, or a whole batch, if every record it wrote is unchanged since. Audited itself. */
  undo(auditIdOrBatchId: string, ctx: WriteContext): Promise<WriteResult<PronoteAccount | Publication>>;

  listAudit(query: AuditQuery): Promise<AuditEntry[]>;
  getAuditEntry(id: string): Promise<AuditEntry | null>;
  /** Every entry of the batch this entry (or batch id) belongs to, oldest first: one fix, whole. */
  getAuditBatch(auditIdOrBatchId: string): Promise<AuditEntry[]>;

  /*
   * Corrections: every write above but undo records, in its transaction, what it asks someone to do in
   * PRONOTE (see corrections.ts). Contradicted ones come first, then the newest.
   */
  listCorrections(query: CorrectionQuery): Promise<Correction[]>;
  getCorrection(id: string): Promise<Correction | null>;
  /** The agent says it is done in PRONOTE; refused (CorrectionStateError) unless it is still to do. */
  markApplied(id: string, ctx: WriteContext): Promise<Correction>;
  /** Writes what an import found; a correction settled or undone meanwhile is left as it is. */
  settleCorrections(uai: string, outcomes: CorrectionOutcome[], ctx: WriteContext): Promise<Correction[]>;
}

/** The reads of the port, which each adapter writes in a module of their own. */
export type PronoteReadName =
  | 'listSchools'
  | 'getSchool'
  | 'getAccount'
  | 'findCandidates'
  | 'searchAccounts'
  | 'findByCasId'
  | 'listAccounts'
  | 'responsablesOf'
  | 'elevesOf'
  | 'getPublication';

/** A failure a person must be told about, with its French message. */
export class PronoteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class SchoolNotFoundError extends PronoteError {
  constructor(readonly uai: string) {
    super(`Aucun établissement ${uai} dans la base.`);
  }
}

export class AccountNotFoundError extends PronoteError {
  constructor(
    readonly uai: string,
    readonly accountId: string,
  ) {
    super(`Ce compte n’existe pas (ou plus) dans la base PRONOTE de l’établissement ${uai}.`);
  }
}

export class AuditEntryNotFoundError extends PronoteError {
  constructor(readonly auditId: string) {
    super('Cette correction est introuvable dans le journal.');
  }
}

/**
 * A record changed since it was read: nothing was written. Carries the records as they are now, so the
 * person can see what changed before trying again.
 */
export class ConflictError extends PronoteError {
  constructor(
    readonly accounts: PronoteAccount[],
    readonly publication: Publication | null = null,
  ) {
    super(
      'Ces données ont été modifiées entre-temps (par une autre personne ou dans PRONOTE) : rien n’a été écrit. Vérifiez leur état actuel avant de recommencer.',
    );
  }
}

/** « Accès à l'Espace Parents » belongs to responsables only. */
export class NotAResponsableError extends PronoteError {
  constructor(readonly account: Pick<PronoteAccount, 'id' | 'profile'>) {
    super('L’accès à l’Espace Parents ne se règle que sur la fiche d’un responsable.');
  }
}

/** The entry or batch was undone already. */
export class AlreadyUndoneError extends PronoteError {
  constructor(readonly auditId: string) {
    super('Cette correction a déjà été annulée.');
  }
}

/** Another account of the school already holds that login in « Identifiant CAS ». */
export class CasIdTakenError extends PronoteError {
  constructor(
    readonly casId: string,
    readonly holder: Pick<PronoteAccount, 'id' | 'nom' | 'prenom' | 'profile'>,
  ) {
    super(
      `L’identifiant CAS « ${casId} » est déjà attribué à ${holder.nom} ${holder.prenom} : retirez-le de ce compte avant de l’attribuer à un autre.`,
    );
  }
}

/** An account as a load brings it: the adapter sets the school and starts its version at 1. */
export type NewAccount = Omit<PronoteAccount, 'uai' | 'version'>;

/** A school's whole PRONOTE data, as the demo seed and the import CLI bring it. */
export interface SchoolLoad {
  school: School;
  accounts: NewAccount[];
  links: { eleveId: string; responsableId: string }[];
  /** Defaults to the base and the usual espaces published. */
  publication?: { basePublished: boolean; espaces: Partial<Record<Espace, boolean>> };
}

/** Filling the base, for the demo seed and the import CLI; not used by the flows. */
export interface PronoteLoader {
  /**
   * Loads a school in one transaction. Refuses a school already present unless `replace`, which first
   * removes its accounts and links (its audit journal stays).
   */
  loadSchool(data: SchoolLoad, options: { replace: boolean }): Promise<Record<Profile, number>>;
}

export class SchoolExistsError extends PronoteError {
  constructor(readonly uai: string) {
    super(`L’établissement ${uai} est déjà dans la base : ajoutez --replace pour remplacer ses données.`);
  }
}
