import type { Database } from 'better-sqlite3';
import type { Synchronous } from '../../store/sqlite/promised.js';
import { type AuditAction, type FieldValue, type NewAuditEntry, newBatchId } from '../audit.js';
import { AccountNotFoundError, CasIdTakenError, ConflictError, SchoolNotFoundError } from '../errors.js';
import type { Espace, PronoteAccount } from '../model.js';
import type { PronotePort, WriteContext, WriteResult } from '../port.js';
import {
  type AccountChange,
  type AccountPatch,
  auditEntry,
  planAccountChange,
  publishEntries,
  publishPlan,
} from '../write-rules.js';
import {
  casIdAssignmentsSchema,
  casIdSchema,
  espaceSchema,
  grantedSchema,
  identitySchema,
  versionedIdsSchema,
  versionSchema,
  writeContextSchema,
} from '../write-schemas.js';
import type { AuditLog } from './audit.js';
import { type AccountRow, accountRows, publicationRows, toAccount } from './schema.js';

type Writes = Pick<
  Synchronous<PronotePort>,
  'setIdentity' | 'setCasId' | 'setCasIds' | 'clearCasIds' | 'setEspaceParents' | 'publishEspace'
>;

export function sqliteAccountChanger(db: Database, audit: AuditLog) {
  const rows = accountRows(db);
  const holderOf = db.prepare<[string, string, string], AccountRow>(
    'SELECT * FROM pronote_accounts WHERE uai = ? AND cas_id = ? AND id <> ?',
  );

  /** Refuses a login another account of the school holds, naming that account. */
  const ensureCasIdFree = (uai: string, id: string, casId: FieldValue) => {
    if (typeof casId !== 'string') return;
    const holder = holderOf.get(uai, casId, id);
    if (holder) throw new CasIdTakenError(casId, toAccount(holder));
  };

  /**
   * Applies every change or none, with one audit entry per changed account under one batch id. A
   * stale version does not stop the loop, so the error lists every record that moved; the throw then
   * rolls back what the loop already wrote.
   */
  // Writes run IMMEDIATE: the version is read under the write lock, so a second process waits, then sees
  // the new version and is refused as a conflict, instead of failing on a stale read snapshot.
  const change = db.transaction(
    (
      uai: string,
      action: AuditAction,
      changes: AccountChange[],
      ctx: WriteContext,
      extra: { batchId?: string; undoOf?: string } = {},
    ): WriteResult<PronoteAccount> => {
      const batch = {
        batchId: extra.batchId ?? newBatchId(),
        ctx,
        uai,
        action,
        undoOf: extra.undoOf ?? null,
      };
      const stale: PronoteAccount[] = [];
      const records: PronoteAccount[] = [];
      const entries: NewAuditEntry[] = [];
      for (const change of changes) {
        const row = rows.get(uai, change.id);
        if (!row) throw new AccountNotFoundError(uai, change.id);
        const current = toAccount(row);
        const plan = planAccountChange(current, change);
        if (plan.kind !== 'write') {
          (plan.kind === 'stale' ? stale : records).push(current);
          continue;
        }
        if ('casId' in plan.after) ensureCasIdFree(uai, change.id, plan.after.casId ?? null);
        const next = rows.update(row, plan.after);
        records.push(toAccount(next));
        entries.push(auditEntry(batch, change.id, plan, next.version));
      }
      if (stale.length > 0) throw new ConflictError(stale);
      return { batchId: batch.batchId, records, entries: audit.append(entries) };
    },
  );
  return change;
}

export function sqliteWrites(db: Database, audit: AuditLog): Writes {
  const change = sqliteAccountChanger(db, audit);
  const publications = publicationRows(db);

  const one = (
    uai: string,
    id: string,
    expectedVersion: number,
    action: AuditAction,
    patch: AccountPatch,
    ctx: WriteContext,
  ) =>
    change.immediate(
      uai,
      action,
      [{ id, expectedVersion: versionSchema.parse(expectedVersion), patch }],
      writeContextSchema.parse(ctx),
    );

  const publish = db.transaction((uai: string, e: Espace, expectedVersion: number, ctx: WriteContext) => {
    const current = publications.get(uai);
    if (!current) throw new SchoolNotFoundError(uai);
    if (current.version !== expectedVersion) throw new ConflictError([], current);
    const { steps, changes } = publishPlan(current, e);
    const next = publications.write(uai, true, { [e]: true });
    const batchId = newBatchId();
    const entries = audit.append(publishEntries({ batchId, ctx, uai }, changes, next.version));
    return { batchId, records: [next], entries, steps };
  });

  return {
    setIdentity: (uai, id, expectedVersion, identity, ctx) =>
      one(uai, id, expectedVersion, 'set-identity', identitySchema.parse(identity), ctx),
    setCasId: (uai, id, expectedVersion, casId, ctx) =>
      one(uai, id, expectedVersion, 'set-cas-id', { casId: casIdSchema.parse(casId) }, ctx),
    setCasIds: (uai, accounts, ctx) =>
      change.immediate(
        uai,
        'set-cas-id',
        casIdAssignmentsSchema
          .parse(accounts)
          .map(({ id, expectedVersion, casId }) => ({ id, expectedVersion, patch: { casId } })),
        writeContextSchema.parse(ctx),
      ),
    clearCasIds: (uai, accounts, ctx) =>
      change.immediate(
        uai,
        'clear-cas-ids',
        versionedIdsSchema.parse(accounts).map((a) => ({ ...a, patch: { casId: null } })),
        writeContextSchema.parse(ctx),
      ),
    setEspaceParents: (uai, id, expectedVersion, granted, ctx) =>
      one(
        uai,
        id,
        expectedVersion,
        'set-espace-parents',
        { espaceParents: grantedSchema.parse(granted) },
        ctx,
      ),
    publishEspace: (uai, espace, expectedVersion, ctx) =>
      publish.immediate(
        uai,
        espaceSchema.parse(espace),
        versionSchema.parse(expectedVersion),
        writeContextSchema.parse(ctx),
      ),
  };
}
