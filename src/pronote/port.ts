/**
 * The PRONOTE data port: the reads the flows' checks need and the writes their fixes need, per school
 * (UAI). Adapters (SQLite today, PostgreSQL later) implement it; code that uses it receives it and never
 * imports an adapter. Reads return `null` when nothing is found; writes throw the errors of `errors.ts`.
 */

import type { AuditEntry, AuditQuery } from './audit.js';
import type { Correction, CorrectionOutcome, CorrectionQuery } from './corrections.js';
import type {
  Espace,
  Identity,
  Profile,
  PronoteAccount,
  Publication,
  School,
  SchoolLoad,
  SearchIdentity,
} from './model.js';
import type { IdentificationMode, SchoolSettings } from './school-settings.js';

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
   * Accounts that may be this person, for `matchIdentity` to grade: same nom once folded (either nom of
   * each side, usage or birth, where known), or same prénom and birth date, or nom and prénom swapped, or
   * a shared part of a compound nom with the same first prénom. Index-based; `uai: null` searches every
   * school.
   */
  findCandidates(uai: string | null, identity: SearchIdentity, limit?: number): Promise<PronoteAccount[]>;
  searchAccounts(uai: string, query: AccountSearch): Promise<PronoteAccount[]>;
  findByCasId(uai: string, casId: string): Promise<PronoteAccount | null>;
  /** Every account of the school, by profile, nom and prénom: what a whole-school reconciliation reads once. */
  listAccounts(uai: string): Promise<PronoteAccount[]>;
  responsablesOf(uai: string, eleveId: string): Promise<PronoteAccount[]>;
  elevesOf(uai: string, responsableId: string): Promise<PronoteAccount[]>;
  /**
   * The pupils of each of these responsables, in one read (as `elevesOf` gives them, every id asked for a
   * key): a reconciliation asks for a hundred at once.
   */
  elevesOfEach(uai: string, responsableIds: readonly string[]): Promise<Map<string, PronoteAccount[]>>;
  getPublication(uai: string): Promise<Publication | null>;
  /** The school's settings (its identification mode); null when there is no such school. */
  getSchoolSettings(uai: string): Promise<SchoolSettings | null>;

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
  /**
   * Records how the school's PRONOTE.net recognises ENT users (a description of PRONOTE, which this does
   * not change): validated, version-checked, audited, undoable; no correction to do in PRONOTE.
   */
  setIdentificationMode(
    uai: string,
    mode: IdentificationMode,
    expectedVersion: number,
    ctx: WriteContext,
  ): Promise<WriteResult<SchoolSettings>>;
  /** Reverts an entry, or a whole batch, if every record it wrote is unchanged since. Audited itself. */
  undo(
    auditIdOrBatchId: string,
    ctx: WriteContext,
  ): Promise<WriteResult<PronoteAccount | Publication | SchoolSettings>>;

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
  | 'elevesOfEach'
  | 'getPublication';

/** Filling the base, for the demo seed and the import CLI; not used by the flows. */
export interface PronoteLoader {
  /**
   * Loads a school in one transaction. Refuses a school already present unless `replace`, which first
   * removes its accounts and links (its audit journal stays).
   */
  loadSchool(data: SchoolLoad, options: { replace: boolean }): Promise<Record<Profile, number>>;
}
