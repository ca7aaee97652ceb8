import type { AccountSummary, FieldChange, FixResult } from '../../../flows/types.js';
import { CasIdTakenError, ConflictError, PronoteError } from '../../pronote/errors.js';
import type { PronoteAccount } from '../../pronote/model.js';

/** An account as the flows carry it: no e-mail, no PRONOTE-ENT code, nothing a step does not show. */
export function summary(a: PronoteAccount): AccountSummary {
  return {
    id: a.id,
    profile: a.profile,
    nom: a.nom,
    prenom: a.prenom,
    ...(a.dateNaissance ? { dateNaissance: a.dateNaissance } : {}),
    ...(a.classe ? { classe: a.classe } : {}),
    ...(a.casId ? { casId: a.casId } : {}),
    ...(a.espaceParents !== null ? { espaceParents: a.espaceParents } : {}),
    version: a.version,
  };
}

const show = (field: string, v: unknown): string | null => {
  if (v === null || v === undefined || v === '') return null;
  if (typeof v === 'boolean') return v ? 'oui' : 'non';
  if (field === 'dateNaissance') {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(v));
    if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  }
  return String(v);
};

/** Before → after of every field a write changed, read from its audit entries. */
export function changesOf(
  entries: ReadonlyArray<{
    accountId: string | null;
    before: Record<string, unknown>;
    after: Record<string, unknown>;
  }>,
  labelOf: (accountId: string | null) => string,
): FieldChange[] {
  return entries.flatMap((e) =>
    Object.keys(e.after).map((field) => ({
      ...(e.accountId ? { accountId: e.accountId } : {}),
      label: labelOf(e.accountId),
      field,
      before: show(field, e.before[field]),
      after: show(field, e.after[field]),
    })),
  );
}

/** Turns a refused write into the fix's outcome: the person is told, nothing is thrown at them. */
export function refusal(kind: FixResult['kind'], err: unknown): FixResult {
  if (err instanceof ConflictError) {
    return { outcome: 'conflict', kind, reason: 'changed', current: err.accounts.map(summary) };
  }
  if (err instanceof CasIdTakenError) return { outcome: 'refused', kind, reason: 'cas-id-taken' };
  if (err instanceof PronoteError) return { outcome: 'refused', kind, reason: err.message };
  throw err;
}
