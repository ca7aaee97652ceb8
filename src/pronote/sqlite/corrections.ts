import { randomUUID } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { migrate } from '../../store/sqlite/migrate.js';
import type { Synchronous } from '../../store/sqlite/promised.js';
import { whereGiven } from '../../store/sqlite/where.js';
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
  type CorrectionQuery,
  correctionsOf,
  ensureCanMarkApplied,
  ensureCanUndo,
  ensureNotErased,
  type NewCorrection,
} from '../corrections.js';
import type { PronotePort } from '../port.js';
import { writeContextSchema } from '../write-schemas.js';
import type { AuditLog } from './audit.js';

const MIGRATIONS = [
  `CREATE TABLE pronote_corrections (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     uai TEXT NOT NULL,
     batch_id TEXT NOT NULL,
     kind TEXT NOT NULL,
     state TEXT NOT NULL,
     account_id TEXT,
     person_json TEXT,
     changes_json TEXT NOT NULL,
     at TEXT NOT NULL,
     actor TEXT NOT NULL,
     session_id TEXT,
     step TEXT,
     applied_at TEXT,
     applied_by TEXT,
     settled_at TEXT,
     settled_by TEXT,
     seen_json TEXT
   );
   CREATE INDEX pronote_corrections_school ON pronote_corrections (uai, state, seq);
   CREATE INDEX pronote_corrections_batch ON pronote_corrections (batch_id);
   CREATE INDEX pronote_corrections_account ON pronote_corrections (uai, account_id);`,
];

type Methods = Pick<
  Synchronous<PronotePort>,
  'listCorrections' | 'getCorrection' | 'markApplied' | 'settleCorrections'
>;

/**
 * Corrections on SQLite. `journal` is the audit log the adapter's writes use: appending a fix's entries
 * records its corrections, and appending an undo's marks them undone, in the same transaction.
 */
export function sqliteCorrections(db: Database, audit: AuditLog) {
  migrate(db, 'corrections', MIGRATIONS);
  const insert = db.prepare(
    `INSERT INTO pronote_corrections (id, uai, batch_id, kind, state, account_id, person_json, changes_json, at,
       actor, session_id, step)
     VALUES (@id, @uai, @batch_id, @kind, 'pending', @account_id, @person_json, @changes_json, @at, @actor,
       @session_id, @step)`,
  );
  const byId = db.prepare<[string], CorrectionRow>('SELECT * FROM pronote_corrections WHERE id = ?');
  const byBatch = db.prepare<[string], CorrectionRow>(
    'SELECT * FROM pronote_corrections WHERE batch_id = ? ORDER BY seq',
  );
  const person = db.prepare<[string, string], PersonRow>(
    'SELECT profile, nom, prenom, date_naissance, pronote_ent_id FROM pronote_accounts WHERE uai = ? AND id = ?',
  );
  const setApplied = db.prepare(
    "UPDATE pronote_corrections SET state = 'applied', applied_at = ?, applied_by = ? WHERE id = ?",
  );
  const settle = db.prepare(
    `UPDATE pronote_corrections SET state = ?, settled_at = ?, settled_by = ?, seen_json = ?
     WHERE id = ? AND uai = ? AND state IN ('pending', 'applied')`,
  );

  /** The corrections the entries of one batch (or one entry of it) asked for. */
  const ofEntries = (entries: readonly AuditEntry[]): Correction[] => {
    const first = entries[0];
    if (!first) return [];
    const accounts = new Set(entries.map((e) => e.accountId ?? ''));
    return byBatch
      .all(first.batchId)
      .map(correctionFromRow)
      .filter((c) => accounts.has(c.accountId ?? ''));
  };

  const record = (entries: readonly AuditEntry[]) => {
    const uai = entries[0]?.uai ?? '';
    const found: NewCorrection[] = correctionsOf(entries, (accountId, before) => {
      const row = person.get(uai, accountId);
      return row ? personOfRow(row, before) : null;
    });
    for (const c of found) insert.run(correctionRowOf(randomUUID(), c));
  };

  const markUndone = (entries: readonly AuditEntry[]) => {
    const undoOf = entries.find((e) => e.undoOf !== null);
    if (!undoOf?.undoOf) return;
    for (const c of ofEntries(audit.entriesOf(undoOf.undoOf))) {
      settle.run('undone', undoOf.at, undoOf.actor, null, c.id, c.uai);
    }
  };

  const journal: AuditLog = {
    ...audit,
    append: (entries) => {
      const written = audit.append(entries);
      if (written.some((e) => e.action === 'undo')) markUndone(written);
      else record(written);
      return written;
    },
  };

  const get = (id: string) => {
    const row = byId.get(id);
    return row ? correctionFromRow(row) : null;
  };

  const list = ({ uai, states, batchId, accountId, kind, limit }: CorrectionQuery): Correction[] => {
    const where = whereGiven([
      ['uai = ?', uai],
      [`state IN (${(states ?? []).map(() => '?').join(', ')})`, states],
      ['batch_id = ?', batchId],
      ['account_id = ?', accountId],
      ['kind = ?', kind],
    ]);
    return db
      .prepare<(string | number)[], CorrectionRow>(
        `SELECT * FROM pronote_corrections ${where.sql}
         ORDER BY state = 'contradicted' DESC, seq DESC LIMIT ?`,
      )
      .all(...where.params, Math.max(0, Math.trunc(limit ?? 1000)))
      .map(correctionFromRow);
  };

  const markApplied = db.transaction((id: string, actor: string) => {
    const current = get(id);
    if (!current) throw new CorrectionNotFoundError(id);
    ensureCanMarkApplied(current);
    setApplied.run(new Date().toISOString(), actor, id);
    return get(id) as Correction;
  });

  const settleAll = db.transaction(
    (uai: string, outcomes: Parameters<Methods['settleCorrections']>[1], actor) => {
      const at = new Date().toISOString();
      for (const o of outcomes)
        settle.run(o.state, at, actor, o.seen ? JSON.stringify(o.seen) : null, o.id, uai);
      return outcomes.flatMap((o) => get(o.id) ?? []);
    },
  );

  const methods: Methods = {
    listCorrections: list,
    getCorrection: get,
    markApplied: (id, ctx) => markApplied.immediate(id, writeContextSchema.parse(ctx).actor),
    settleCorrections: (uai, outcomes, ctx) =>
      settleAll.immediate(uai, outcomes, writeContextSchema.parse(ctx).actor),
  };

  return {
    journal,
    methods,
    /** Refuses the undo of a fix an import has settled: the copy then follows PRONOTE, not the fix. */
    ensureUndoable: (entries: readonly AuditEntry[]) => {
      ensureNotErased(entries);
      ensureCanUndo(ofEntries(entries));
    },
  };
}
