import { type PgClient, type PgPool, withTransaction } from '../../store/pg/pool.js';
import {
  type AuditAction,
  type AuditEntry,
  type FieldValue,
  type NewAuditEntry,
  newBatchId,
} from '../audit.js';
import { AccountNotFoundError, CasIdTakenError, ConflictError, SchoolNotFoundError } from '../errors.js';
import type { PronoteAccount } from '../model.js';
import type { PronotePort, WriteContext, WriteResult } from '../port.js';
import {
  type AccountChange,
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
import type { PgAuditLog } from './audit.js';
import {
  type AccountRow,
  casKey,
  getPublication,
  toAccount,
  updateAccount,
  writePublication,
} from './schema.js';

type Writes = Pick<
  PronotePort,
  'setIdentity' | 'setCasId' | 'setCasIds' | 'clearCasIds' | 'setEspaceParents' | 'publishEspace'
>;

const isCasIdClash = (error: unknown) =>
  (error as { code?: unknown }).code === '23505' &&
  (error as { constraint?: unknown }).constraint === 'pronote_accounts_cas_id';

/**
 * One write transaction. When two instances give one login to two accounts at the same moment, neither
 * saw the other's holder and the index refuses the second: run it again, and it now names the holder.
 */
export async function writeTransaction<T>(pool: PgPool, work: (client: PgClient) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withTransaction(pool, work);
    } catch (error) {
      if (attempt < 3 && isCasIdClash(error)) continue;
      throw error;
    }
  }
}

/**
 * Applies every change or none, with one audit entry per changed account under one batch id, on the
 * client of the caller's transaction. The rows are locked first, in id order (two writers never wait for
 * each other crosswise), so a second writer waits, then reads the new version and gets a conflict. A stale
 * version does not stop the loop, so the error lists every record that moved; the throw rolls back what
 * the loop already wrote.
 */
export async function changeAccounts(
  client: PgClient,
  audit: PgAuditLog,
  uai: string,
  action: AuditAction,
  changes: AccountChange[],
  ctx: WriteContext,
  extra: { batchId?: string; undoOf?: string } = {},
): Promise<WriteResult<PronoteAccount>> {
  // A reload of the school (which locks its row for update) waits for this write, and this write for it.
  await client.query('SELECT 1 FROM pronote_schools WHERE uai = $1 FOR KEY SHARE', [uai]);
  const locked = await client.query<AccountRow>(
    'SELECT * FROM pronote_accounts WHERE uai = $1 AND id = ANY($2::text[]) ORDER BY id FOR UPDATE',
    [uai, changes.map((c) => c.id)],
  );
  const rows = new Map(locked.rows.map((r) => [r.id, r]));
  const batch = { batchId: extra.batchId ?? newBatchId(), ctx, uai, action, undoOf: extra.undoOf ?? null };
  const stale: PronoteAccount[] = [];
  const records: PronoteAccount[] = [];
  const entries: NewAuditEntry[] = [];
  for (const change of changes) {
    const row = rows.get(change.id);
    if (!row) throw new AccountNotFoundError(uai, change.id);
    const current = toAccount(row);
    const plan = planAccountChange(current, change);
    if (plan.kind !== 'write') {
      (plan.kind === 'stale' ? stale : records).push(current);
      continue;
    }
    if ('casId' in plan.after) await ensureCasIdFree(client, uai, change.id, plan.after.casId ?? null);
    const next = await updateAccount(client, row, plan.after);
    records.push(toAccount(next));
    entries.push(auditEntry(batch, change.id, plan, next.version));
  }
  if (stale.length > 0) throw new ConflictError(stale);
  return { batchId: batch.batchId, records, entries: await audit.append(client, entries) };
}

/** Refuses a login another account of the school holds, naming that account. */
async function ensureCasIdFree(client: PgClient, uai: string, id: string, casId: FieldValue) {
  if (typeof casId !== 'string') return;
  const { rows } = await client.query<AccountRow>(
    `SELECT * FROM pronote_accounts WHERE uai = $1 AND lower(cas_id) = ${casKey('$2')} AND id <> $3`,
    [uai, casId, id],
  );
  if (rows[0]) throw new CasIdTakenError(casId, toAccount(rows[0]));
}

export function pgWrites(pool: PgPool, audit: PgAuditLog): Writes {
  const change = (uai: string, action: AuditAction, changes: AccountChange[], ctx: WriteContext) =>
    writeTransaction(pool, (client) => changeAccounts(client, audit, uai, action, changes, ctx));

  const one = async (
    uai: string,
    id: string,
    expectedVersion: number,
    action: AuditAction,
    patch: AccountChange['patch'],
    ctx: WriteContext,
  ) =>
    change(
      uai,
      action,
      [{ id, expectedVersion: versionSchema.parse(expectedVersion), patch }],
      writeContextSchema.parse(ctx),
    );

  return {
    setIdentity: async (uai, id, expectedVersion, identity, ctx) =>
      one(uai, id, expectedVersion, 'set-identity', identitySchema.parse(identity), ctx),
    setCasId: async (uai, id, expectedVersion, casId, ctx) =>
      one(uai, id, expectedVersion, 'set-cas-id', { casId: casIdSchema.parse(casId) }, ctx),
    setCasIds: async (uai, accounts, ctx) =>
      change(
        uai,
        'set-cas-id',
        casIdAssignmentsSchema
          .parse(accounts)
          .map(({ id, expectedVersion, casId }) => ({ id, expectedVersion, patch: { casId } })),
        writeContextSchema.parse(ctx),
      ),
    clearCasIds: async (uai, accounts, ctx) =>
      change(
        uai,
        'clear-cas-ids',
        versionedIdsSchema.parse(accounts).map((a) => ({ ...a, patch: { casId: null } })),
        writeContextSchema.parse(ctx),
      ),
    setEspaceParents: async (uai, id, expectedVersion, granted, ctx) =>
      one(
        uai,
        id,
        expectedVersion,
        'set-espace-parents',
        { espaceParents: grantedSchema.parse(granted) },
        ctx,
      ),
    publishEspace: async (uai, espace, expectedVersion, ctx) => {
      const e = espaceSchema.parse(espace);
      const version = versionSchema.parse(expectedVersion);
      const context = writeContextSchema.parse(ctx);
      return withTransaction(pool, async (client) => {
        const current = await getPublication(client, uai, 'FOR NO KEY UPDATE');
        if (!current) throw new SchoolNotFoundError(uai);
        if (current.version !== version) throw new ConflictError([], current);
        const { steps, changes } = publishPlan(current, e);
        const next = await writePublication(client, uai, true, { [e]: true });
        const batchId = newBatchId();
        const entries: AuditEntry[] = await audit.append(
          client,
          publishEntries({ batchId, ctx: context, uai }, changes, next.version),
        );
        return { batchId, records: [next], entries, steps };
      });
    },
  };
}
