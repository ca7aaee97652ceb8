import { type Correction, OPEN_STATES, verifyCorrections } from '../pronote/corrections.js';
import type { NewAccount } from '../pronote/model.js';
import type { PronotePort } from '../pronote/port.js';

/** What an import of a school says of the corrections still open there. */
export interface CorrectionReport {
  verified: number;
  /** Shown by name to the agent: each is a fix PRONOTE does not have. */
  contradicted: Correction[];
  /** Still open after the import: the console's publication, or a value the export does not carry. */
  open: number;
}

const LIMIT = 100_000;

/**
 * Compares every correction still to do or said done at this school with the accounts an import brings:
 * what the import will settle, written nowhere. The upload page shows it before the agent confirms.
 */
export async function previewCorrections(
  pronote: Pick<PronotePort, 'listCorrections'>,
  uai: string,
  accounts: readonly NewAccount[],
) {
  const open = await pronote.listCorrections({ uai, states: OPEN_STATES, limit: LIMIT });
  return { open, outcomes: verifyCorrections(open, accounts) };
}

/** Settles the school's open corrections against the accounts just imported, and reports the counts. */
export async function settleCorrections(
  pronote: Pick<PronotePort, 'listCorrections' | 'settleCorrections'>,
  uai: string,
  accounts: readonly NewAccount[],
): Promise<CorrectionReport> {
  const { open, outcomes } = await previewCorrections(pronote, uai, accounts);
  const settled =
    outcomes.length > 0 ? await pronote.settleCorrections(uai, outcomes, { actor: 'import' }) : [];
  return {
    verified: settled.filter((c) => c.state === 'verified').length,
    contradicted: settled.filter((c) => c.state === 'contradicted'),
    open: open.length - settled.length,
  };
}
