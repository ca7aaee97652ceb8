import type { Database } from 'better-sqlite3';
import { isSafe, type ReconciliationReport, reconcile } from '../engine/reconcile.js';
import { reconciliationCsv } from '../engine/reconcile-csv.js';
import { fingerprintOf, safeCases } from '../engine/reconcile-fix.js';
import {
  CAS_ID_LABELS,
  casIdDetail,
  describeAccount,
  FINDING_LABELS,
  findingDetail,
  NO_PARENT_ACCESS_LABEL,
  PROFILE_LABELS,
} from '../engine/reconcile-labels.js';
import { sqliteEntDirectory } from '../ent/sqlite.js';
import { sqlitePronote } from '../pronote/sqlite.js';
import { seedDemoIfEmpty } from './seed-demo.js';

/**
 * `npm run cli -- reconcile [UAI] [--format csv|json]`: one school's reconciliation, or every school's
 * of the base in DATA_DIR (the demo schools when the base is empty). A summary in French by default.
 */

export type ReconcileFormat = 'text' | 'csv' | 'json';

export class ReconcileCliError extends Error {}

const withSafe = (r: ReconciliationReport) => {
  const cases = safeCases(r);
  return { ...r, safe: { count: cases.length, fingerprint: fingerprintOf(cases) } };
};

/** What the command prints, for a UAI or for every school. */
export function reconcileCommand(db: Database, uai: string | undefined, format: string | undefined): string {
  if (format !== undefined && format !== 'csv' && format !== 'json')
    throw new ReconcileCliError(`Format « ${format} » inconnu : csv ou json (sans --format : un résumé).`);
  seedDemoIfEmpty(db);
  const ports = { pronote: sqlitePronote(db), ent: sqliteEntDirectory(db) };
  const uais = uai ? [uai] : ports.pronote.listSchools().map((s) => s.uai);
  const reports = uais.map((u) => {
    const report = reconcile(ports, u);
    if (!report) throw new ReconcileCliError(`Aucun établissement ${u} dans la base.`);
    return report;
  });
  if (format === 'csv') return reconciliationCsv(reports);
  if (format === 'json')
    return `${JSON.stringify(uai ? withSafe(reports[0] as ReconciliationReport) : reports.map(withSafe), null, 2)}\n`;
  return reports.map(summaryText).join('\n');
}

function summaryText(r: ReconciliationReport): string {
  const lines = [`${r.school} (${r.uai})`];
  for (const s of r.summary.filter((x) => x.ent > 0 || x.pronote > 0)) {
    const counts = Object.entries(s.counts)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${FINDING_LABELS[k as keyof typeof s.counts].toLowerCase()} : ${n}`);
    lines.push(
      `  ${PROFILE_LABELS[s.profile]} : ${s.ent} compte(s) ENT, ${s.pronote} PRONOTE — ${counts.join(', ') || 'rien'} ; sûres : ${s.safe}`,
    );
  }
  for (const e of r.espaces)
    lines.push(
      e.kind === 'base'
        ? '  Base non publiée'
        : `  Espace ${e.espace} non publié (${e.people} compte(s) ENT concernés)`,
    );
  const problems = r.rows.filter((row) => row.finding.kind !== 'linked' && !isSafe(row.finding));
  if (problems.length > 0) lines.push('  À examiner :');
  for (const row of problems)
    lines.push(`    ${row.ent.login} — ${FINDING_LABELS[row.finding.kind]} — ${findingDetail(row)}`);
  for (const c of r.casIds) lines.push(`    ${CAS_ID_LABELS[c.kind]} — ${casIdDetail(c)}`);
  for (const p of r.responsablesWithoutAccess)
    lines.push(`    ${NO_PARENT_ACCESS_LABEL} — ${describeAccount(p.account)}`);
  for (const a of r.pronoteOnly) lines.push(`    Compte PRONOTE sans compte ENT — ${describeAccount(a)}`);
  return `${lines.join('\n')}\n`;
}

/** The command for `main.ts`: its output, or the French message to print before exiting with 1. */
export function reconcileCli(
  db: Database,
  uai: string | undefined,
  format: string | undefined,
): { output: string } | { error: string } {
  try {
    return { output: reconcileCommand(db, uai, format) };
  } catch (err) {
    if (err instanceof ReconcileCliError) return { error: err.message };
    throw err;
  }
}
