import type { Database } from 'better-sqlite3';
import { migrate } from './sqlite/migrate.js';

/** How long personal data is kept; README justifies the defaults. */
export interface RetentionPolicy {
  /** End users' sessions and requests, after their last activity. */
  publicDays: number;
  /** Agents' sessions, after their last activity. */
  agentDays: number;
  /** The journal of fixes and corrections: kept, but the people's names and identifiers erased after this. */
  journalNamesDays: number;
}

/** What a purge changed (or, dry, would change). */
export interface PurgeCounts {
  publicSessions: number;
  agentSessions: number;
  requests: number;
  journalEntries: number;
  corrections: number;
  identityChecks: number;
}

export interface Retention {
  /** Null when another instance is purging right now (PostgreSQL: one at a time). */
  purge(policy: RetentionPolicy, options: { now: Date; dryRun: boolean }): Promise<PurgeCounts | null>;
}

/** What erased values read as in the journal. */
export const ERASED = '[effacé]';
/** Whatever identifies a person in a journal entry's or a correction's values. */
const PERSONAL_FIELDS = new Set([
  'nom',
  'prenom',
  'dateNaissance',
  'casId',
  'pronoteEntId',
  'email',
  'login',
]);
/** An anonymised entry: the session can no longer be restored (410), its steps still count. */
export const PURGED_SNAPSHOT = '{"purged":true}';

type Values = Record<string, unknown>;
const parsed = (value: unknown): unknown => (typeof value === 'string' ? JSON.parse(value) : value);

function eraseValues(values: Values | null): Values | null {
  if (!values) return values;
  return Object.fromEntries(
    Object.entries(values).map(([key, value]) => [
      key,
      PERSONAL_FIELDS.has(key) && value !== null ? ERASED : value,
    ]),
  );
}

function eraseChanges(changes: Array<{ field: string; before: unknown; after: unknown }>) {
  return changes.map((c) =>
    PERSONAL_FIELDS.has(c.field)
      ? { ...c, before: c.before === null ? null : ERASED, after: c.after === null ? null : ERASED }
      : c,
  );
}

/** The queries a purge needs, on either database (`?` placeholders). */
export interface PurgeSql {
  all<T>(sql: string, params: unknown[]): Promise<T[]>;
  run(sql: string, params: unknown[]): Promise<number>;
}

const cutoff = (now: Date, days: number) => new Date(now.getTime() - days * 86_400_000).toISOString();

/**
 * The purge, the same on both databases. Sessions are anonymised rather than deleted: their snapshots,
 * typed answers and fix details go, their steps and outcomes stay, so the statistics keep their counts
 * and nobody in them. Requests and expired identity checks are deleted. The journal keeps every entry,
 * its people's names and identifiers erased. Each kind remembers how far it went (`retention_marks`), so a
 * day's purge reads only what aged since the last one.
 */
export async function purgeWith(
  sql: PurgeSql,
  policy: RetentionPolicy,
  { now, dryRun }: { now: Date; dryRun: boolean },
): Promise<PurgeCounts> {
  const marks = new Map(
    (await sql.all<{ name: string; until: string }>('SELECT name, until FROM retention_marks', [])).map(
      (m) => [m.name, m.until],
    ),
  );
  const advance = async (name: string, until: string) => {
    if (dryRun || (marks.get(name) ?? '') >= until) return;
    await sql.run(
      'INSERT INTO retention_marks (name, until) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET until = excluded.until',
      [name, until],
    );
  };
  const range = (name: string, days: number) => ({ from: marks.get(name) ?? '', until: cutoff(now, days) });

  const sessions = async (name: string, audience: 'public' | 'agent', days: number) => {
    const { from, until } = range(name, days);
    const ids = await sql.all<{ id: string }>(
      'SELECT id FROM sessions WHERE audience = ? AND updated_at >= ? AND updated_at < ?',
      [audience, from, until],
    );
    if (dryRun) return ids.length;
    for (const { id } of ids) {
      const entries = await sql.all<{ seq: number; event: unknown; results: unknown }>(
        'SELECT seq, event, results FROM session_entries WHERE session_id = ?',
        [id],
      );
      for (const entry of entries) {
        const event = parsed(entry.event) as { type: string } | null;
        const results = parsed(entry.results) as Array<{ step: string; outcome: string }>;
        await sql.run(
          'UPDATE session_entries SET snapshot = ?, event = ?, results = ?, actor = NULL WHERE session_id = ? AND seq = ?',
          [
            PURGED_SNAPSHOT,
            event ? JSON.stringify({ type: event.type, fields: {} }) : null,
            JSON.stringify(results.map((r) => ({ step: r.step, outcome: r.outcome }))),
            id,
            entry.seq,
          ],
        );
      }
      await sql.run('UPDATE sessions SET owner = NULL WHERE id = ?', [id]);
    }
    await advance(name, until);
    return ids.length;
  };

  const publicSessions = await sessions('public-sessions', 'public', policy.publicDays);
  const agentSessions = await sessions('agent-sessions', 'agent', policy.agentDays);

  const requestCut = cutoff(now, policy.publicDays);
  const requests = dryRun
    ? ((
        await sql.all<{ n: number }>('SELECT COUNT(*) AS n FROM help_requests WHERE created_at < ?', [
          requestCut,
        ])
      )[0]?.n ?? 0)
    : await sql.run('DELETE FROM help_requests WHERE created_at < ?', [requestCut]);
  const expired = now.toISOString();
  const identityChecks = dryRun
    ? ((
        await sql.all<{ n: number }>('SELECT COUNT(*) AS n FROM identity_checks WHERE expires_at < ?', [
          expired,
        ])
      )[0]?.n ?? 0)
    : await sql.run('DELETE FROM identity_checks WHERE expires_at < ?', [expired]);

  const journal = range('journal', policy.journalNamesDays);
  let journalEntries = 0;
  const audit = await sql.all<{ id: string; before_json: string; after_json: string }>(
    'SELECT id, before_json, after_json FROM audit_entries WHERE at >= ? AND at < ?',
    [journal.from, journal.until],
  );
  for (const row of audit) {
    const before = JSON.stringify(eraseValues(parsed(row.before_json) as Values));
    const after = JSON.stringify(eraseValues(parsed(row.after_json) as Values));
    if (before === row.before_json && after === row.after_json) continue;
    journalEntries += 1;
    if (!dryRun)
      await sql.run('UPDATE audit_entries SET before_json = ?, after_json = ? WHERE id = ?', [
        before,
        after,
        row.id,
      ]);
  }
  let corrections = 0;
  const asked = await sql.all<{
    id: string;
    person_json: string | null;
    changes_json: string;
    seen_json: string | null;
  }>('SELECT id, person_json, changes_json, seen_json FROM pronote_corrections WHERE at >= ? AND at < ?', [
    journal.from,
    journal.until,
  ]);
  for (const row of asked) {
    const person =
      row.person_json === null ? null : JSON.stringify(eraseValues(parsed(row.person_json) as Values));
    const changes = JSON.stringify(
      eraseChanges(parsed(row.changes_json) as Parameters<typeof eraseChanges>[0]),
    );
    const seen = row.seen_json === null ? null : JSON.stringify(eraseValues(parsed(row.seen_json) as Values));
    if (person === row.person_json && changes === row.changes_json && seen === row.seen_json) continue;
    corrections += 1;
    if (!dryRun)
      await sql.run(
        'UPDATE pronote_corrections SET person_json = ?, changes_json = ?, seen_json = ? WHERE id = ?',
        [person, changes, seen, row.id],
      );
  }
  await advance('journal', journal.until);

  return { publicSessions, agentSessions, requests, journalEntries, corrections, identityChecks };
}

const MIGRATIONS = ['CREATE TABLE retention_marks (name TEXT PRIMARY KEY, until TEXT NOT NULL)'];

/**
 * The purge on SQLite. Each statement commits on its own: a purge stopped half-way has only done part of
 * its work, which the next one does again (its marks move once a kind is done).
 */
export function sqliteRetention(db: Database): Retention {
  migrate(db, 'retention', MIGRATIONS);
  const sql: PurgeSql = {
    all: async <T>(text: string, params: unknown[]) => db.prepare(text).all(...params) as T[],
    run: async (text, params) => db.prepare(text).run(...params).changes,
  };
  return { purge: (policy, options) => purgeWith(sql, policy, options) };
}

export const RETENTION_MIGRATIONS = MIGRATIONS;
