import { createHash } from 'node:crypto';
import { CasIdTakenError, ConflictError } from '../pronote/errors.js';
import type { PronoteAccount } from '../pronote/model.js';
import { pasteRows } from '../pronote/paste-rows.js';
import type { PronotePort, WriteResult } from '../pronote/port.js';
import { EngineError } from './errors.js';
import {
  type AccountRef,
  isSafe,
  type ReconcilePorts,
  type ReconciliationReport,
  reconcile,
} from './reconcile.js';

/**
 * The batch fix of a reconciliation: the ENT login of every safe match written into « Identifiant
 * CAS », as rows to paste into the PRONOTE client or as one audited batch through the port.
 */

export interface SafeCase {
  account: AccountRef;
  login: string;
}

/** The step the batch's audit entries name: it was made from the reconciliation, not from a flow. */
export const RECONCILIATION_STEP = 'reconciliation';

/** Every safe match of the report, by account id. */
export function safeCases(report: ReconciliationReport): SafeCase[] {
  return report.rows
    .flatMap((r) => (isSafe(r.finding) ? [{ account: r.finding.account, login: r.ent.login }] : []))
    .sort((a, b) => (a.account.id < b.account.id ? -1 : a.account.id > b.account.id ? 1 : 0));
}

/**
 * What the agent saw, in a few characters: the page posts it back, and the batch is written only if the
 * safe cases are still exactly those (same accounts, same versions, same logins).
 */
export function fingerprintOf(cases: readonly SafeCase[]): string {
  const hash = createHash('sha256');
  for (const c of cases) hash.update(`${c.account.id}\t${c.account.version}\t${c.login}\n`);
  return hash.digest('base64url').slice(0, 22);
}

/** The safe cases as rows to paste into the PRONOTE client: Nom, Prénom, Né(e) le, Identifiant CAS. */
export function safeCasePasteRows(uai: string, cases: readonly SafeCase[]): string {
  return pasteRows(
    cases.map(
      (c): PronoteAccount => ({ ...c.account, uai, casId: c.login, email: null, pronoteEntId: null }),
    ),
  );
}

export class ReconciliationChanged extends EngineError {
  constructor() {
    super(
      409,
      'Les données ont changé depuis l’affichage de la réconciliation : rien n’a été écrit. Rechargez la page, vérifiez la nouvelle liste puis recommencez.',
    );
  }
}

export class NoSafeCase extends EngineError {
  constructor() {
    super(422, 'Aucune correction sûre à écrire pour cet établissement.');
  }
}

/**
 * Reconciles the school again and writes its safe cases in one batch, if they are still those the agent
 * saw (`fingerprint`). All or none: a record changed since, or a login taken since, writes nothing.
 */
export async function applySafeCases(
  ports: ReconcilePorts,
  uai: string,
  fingerprint: string,
  actor: string,
): Promise<WriteResult<PronoteAccount> & { count: number }> {
  const report = await reconcile(ports, uai);
  if (!report) throw new EngineError(404, 'Établissement introuvable.');
  const cases = safeCases(report);
  if (cases.length === 0) throw new NoSafeCase();
  if (fingerprintOf(cases) !== fingerprint) throw new ReconciliationChanged();
  try {
    const written = await writeCases(ports.pronote, uai, cases, actor);
    return { ...written, count: written.entries.length };
  } catch (err) {
    if (err instanceof ConflictError || err instanceof CasIdTakenError) throw new ReconciliationChanged();
    throw err;
  }
}

function writeCases(pronote: PronotePort, uai: string, cases: readonly SafeCase[], actor: string) {
  return pronote.setCasIds(
    uai,
    cases.map((c) => ({ id: c.account.id, expectedVersion: c.account.version, casId: c.login })),
    { actor, step: RECONCILIATION_STEP },
  );
}
