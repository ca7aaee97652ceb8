import { isSafe, type ReconciliationReport, reconcileEach } from '../engine/reconcile.js';
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
import type { EntDirectory, EntLoader } from '../ent/port.js';
import type { PronoteLoader, PronotePort } from '../pronote/port.js';
import { seedDemoIfEmpty } from './seed-demo.js';

type Ports = { pronote: PronotePort & PronoteLoader; ent: EntDirectory & EntLoader };

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
export async function reconcileCommand(
  ports: Ports,
  uai: string | undefined,
  format: string | undefined,
  /** Load the demo schools into an empty database first (off under DEMO_DATA=0). */
  demo = true,
): Promise<string> {
  if (format !== undefined && format !== 'csv' && format !== 'json')
    throw new ReconcileCliError(`Format « ${format} » inconnu : csv ou json (sans --format : un résumé).`);
  if (demo) await seedDemoIfEmpty(ports);
  const uais = uai ? [uai] : (await ports.pronote.listSchools()).map((s) => s.uai);
  const reports: ReconciliationReport[] = [];
  for await (const { uai: u, report } of reconcileEach(ports, uais)) {
    if (!report) throw new ReconcileCliError(`Aucun établissement ${u} dans la base.`);
    reports.push(report);
  }
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
export async function reconcileCli(
  ports: Ports,
  uai: string | undefined,
  format: string | undefined,
  demo = true,
): Promise<{ output: string } | { error: string }> {
  try {
    return { output: await reconcileCommand(ports, uai, format, demo) };
  } catch (err) {
    if (err instanceof ReconcileCliError) return { error: err.message };
    throw err;
  }
}
