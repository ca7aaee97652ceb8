import { randomUUID } from 'node:crypto';
import { migratePg, type PgPool, type PgQueryable, withTransaction } from '../../store/pg/pool.js';
import type { AuditEntry } from '../audit.js';
import {
  type CorrectionRow,
  correctionFromRow,
  correctionRowOf,
  type PersonRow,
  personOfRow,
} from '../correction-rows.js';
import {
  type Correction,
  CorrectionNotFoundError,
  type CorrectionPerson,
  correctionsOf,
  ensureCanMarkApplied,
  ensureCanUndo,
  ensureNotErased,
} from '../corrections.js';
import type { PronotePort } from '../port.js';
import { writeContextSchema } from '../write-schemas.js';
import type { PgAuditLog } from './audit.js';

// The columns of SQLite's table; times stay ISO text compared byte by byte.
const MIGRATIONS = [
  `CREATE TABLE pronote_corrections (
     seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     id TEXT COLLATE "C" NOT NULL UNIQUE,
     uai TEXT COLLATE "C" NOT NULL,
     batch_id TEXT COLLATE "C" NOT NULL,
     kind TEXT COLLATE "C" NOT NULL,
     state TEXT COLLATE "C" NOT NULL,
     account_id TEXT COLLATE "C",
     person_json TEXT,
     changes_json TEXT NOT NULL,
     at TEXT COLLATE "C" NOT NULL,
     actor TEXT NOT NULL,
     session_id TEXT,
     step TEXT,
     applied_at TEXT COLLATE "C",
     applied_by TEXT,
     settled_at TEXT COLLATE "C",
     settled_by TEXT,
     seen_json TEXT
   );
   CREATE INDEX pronote_corrections_school ON pronote_corrections (uai, state, seq);
   CREATE INDEX pronote_corrections_batch ON pronote_corrections (batch_id);
   CREATE INDEX pronote_corrections_account ON pronote_corrections (uai, account_id);`,
];

type Methods = Pick<PronotePort, 'listCorrections' | 'getCorrection' | 'markApplied' | 'settleCorrections'>;

const COLUMNS = [
  'id',
  'uai',
  'batch_id',
  'kind',
  'account_id',
  'person_json',
  'changes_json',
  'at',
  'actor',
  'session_id',
  'step',
] as const;

/** The twin of `sqliteCorrections`: the journal the writes use records and undoes corrections on their client. */
export async function pgCorrections(pool: PgPool, audit: PgAuditLog) {
  await migratePg(pool, 'corrections', MIGRATIONS);

  const get = async (q: PgQueryable, id: string) => {
    const { rows } = await q.query<CorrectionRow>('SELECT * FROM pronote_corrections WHERE id = $1', [id]);
    return rows[0] ? correctionFromRow(rows[0]) : null;
  };

  const ofEntries = async (q: PgQueryable, entries: readonly AuditEntry[]): Promise<Correction[]> => {
    const first = entries[0];
    if (!first) return [];
    const accounts = new Set(entries.map((e) => e.accountId ?? ''));
    const { rows } = await q.query<CorrectionRow>(
      'SELECT * FROM pronote_corrections WHERE batch_id = $1 ORDER BY seq',
      [first.batchId],
    );
    return rows.map(correctionFromRow).filter((c) => accounts.has(c.accountId ?? ''));
  };

  const record = async (q: PgQueryable, entries: readonly AuditEntry[]) => {
    const uai = entries[0]?.uai ?? '';
    const ids = [...new Set(entries.flatMap((e) => (e.accountId ? [e.accountId] : [])))];
    const { rows } = await q.query<PersonRow & { id: string }>(
      'SELECT id, profile, nom, prenom, date_naissance, pronote_ent_id FROM pronote_accounts WHERE uai = $1 AND id = ANY($2::text[])',
      [uai, ids],
    );
    const people = new Map(rows.map((r) => [r.id, r]));
    const found = correctionsOf(entries, (accountId, before): CorrectionPerson | null => {
      const row = people.get(accountId);
      return row ? personOfRow(row, before) : null;
    });
    if (found.length === 0) return;
    const values = found.map((c) => correctionRowOf(randomUUID(), c));
    // One statement for the whole batch: a reconciliation asks for thousands of corrections at once.
    await q.query(
      `INSERT INTO pronote_corrections (${COLUMNS.join(', ')}, state)
       SELECT ${COLUMNS.join(', ')}, 'pending'
       FROM unnest(${COLUMNS.map((_, i) => `$${i + 1}::text[]`).join(', ')}) WITH ORDINALITY
         AS c(${COLUMNS.join(', ')}, n)
       ORDER BY n`,
      COLUMNS.map((column) => values.map((v) => v[column])),
    );
  };

  const settle = (
    q: PgQueryable,
    id: string,
    uai: string,
    state: string,
    at: string,
    actor: string,
    seen: string | null,
  ) =>
    q.query(
      `UPDATE pronote_corrections SET state = $1, settled_at = $2, settled_by = $3, seen_json = $4
       WHERE id = $5 AND uai = $6 AND state IN ('pending', 'applied')`,
      [state, at, actor, seen, id, uai],
    );

  const markUndone = async (q: PgQueryable, entries: readonly AuditEntry[]) => {
    const undo = entries.find((e) => e.undoOf !== null);
    if (!undo?.undoOf) return;
    const undone = await ofEntries(q, await audit.entriesOf(q, undo.undoOf));
    for (const c of undone) await settle(q, c.id, c.uai, 'undone', undo.at, undo.actor, null);
  };

  const journal: PgAuditLog = {
    ...audit,
    append: async (q, entries) => {
      const written = await audit.append(q, entries);
      if (written.some((e) => e.action === 'undo')) await markUndone(q, written);
      else await record(q, written);
      return written;
    },
  };

  const methods: Methods = {
    listCorrections: async ({ uai, states, batchId, accountId, kind, limit }) => {
      const where = ['uai = $1'];
      const params: unknown[] = [uai];
      const param = (value: unknown) => {
        params.push(value);
        return `$${params.length}`;
      };
      if (states && states.length > 0) where.push(`state = ANY(${param([...states])}::text[])`);
      if (batchId !== undefined) where.push(`batch_id = ${param(batchId)}`);
      if (accountId !== undefined) where.push(`account_id = ${param(accountId)}`);
      if (kind !== undefined) where.push(`kind = ${param(kind)}`);
      const { rows } = await pool.query<CorrectionRow>(
        `SELECT * FROM pronote_corrections WHERE ${where.join(' AND ')}
         ORDER BY state = 'contradicted' DESC, seq DESC LIMIT ${param(Math.max(0, Math.trunc(limit ?? 1000)))}`,
        params,
      );
      return rows.map(correctionFromRow);
    },
    getCorrection: (id) => get(pool, id),
    markApplied: async (id, ctx) => {
      const { actor } = writeContextSchema.parse(ctx);
      return withTransaction(pool, async (client) => {
        const { rows } = await client.query<CorrectionRow>(
          'SELECT * FROM pronote_corrections WHERE id = $1 FOR UPDATE',
          [id],
        );
        if (!rows[0]) throw new CorrectionNotFoundError(id);
        ensureCanMarkApplied(correctionFromRow(rows[0]));
        await client.query(
          "UPDATE pronote_corrections SET state = 'applied', applied_at = $1, applied_by = $2 WHERE id = $3",
          [new Date().toISOString(), actor, id],
        );
        return (await get(client, id)) as Correction;
      });
    },
    settleCorrections: async (uai, outcomes, ctx) => {
      const { actor } = writeContextSchema.parse(ctx);
      return withTransaction(pool, async (client) => {
        const at = new Date().toISOString();
        const settled: Correction[] = [];
        for (const o of outcomes) {
          await settle(client, o.id, uai, o.state, at, actor, o.seen ? JSON.stringify(o.seen) : null);
          const now = await get(client, o.id);
          if (now) settled.push(now);
        }
        return settled;
      });
    },
  };

  return {
    journal,
    methods,
    /** Refuses the undo of a fix an import has settled: the copy then follows PRONOTE, not the fix. */
    ensureUndoable: async (q: PgQueryable, entries: readonly AuditEntry[]) => {
      ensureNotErased(entries);
      ensureCanUndo(await ofEntries(q, entries));
    },
  };
}
