import type { FieldValue } from './audit.js';
import type {
  Correction,
  CorrectionChange,
  CorrectionKind,
  CorrectionPerson,
  CorrectionState,
  NewCorrection,
} from './corrections.js';
import { personAsImported } from './corrections.js';
import type { Profile } from './model.js';

/** A correction as both adapters store it: the same columns, JSON text for the structured parts. */
export interface CorrectionRow {
  id: string;
  uai: string;
  batch_id: string;
  kind: CorrectionKind;
  state: CorrectionState;
  account_id: string | null;
  person_json: string | null;
  changes_json: string;
  at: string;
  actor: string;
  session_id: string | null;
  step: string | null;
  applied_at: string | null;
  applied_by: string | null;
  settled_at: string | null;
  settled_by: string | null;
  seen_json: string | null;
}

export const correctionFromRow = (r: CorrectionRow): Correction => ({
  id: r.id,
  uai: r.uai,
  batchId: r.batch_id,
  kind: r.kind,
  state: r.state,
  accountId: r.account_id,
  person: r.person_json ? (JSON.parse(r.person_json) as CorrectionPerson) : null,
  changes: JSON.parse(r.changes_json) as CorrectionChange[],
  at: r.at,
  by: r.actor,
  sessionId: r.session_id,
  step: r.step,
  appliedAt: r.applied_at,
  appliedBy: r.applied_by,
  settledAt: r.settled_at,
  settledBy: r.settled_by,
  seen: r.seen_json ? (JSON.parse(r.seen_json) as Record<string, FieldValue>) : null,
});

/** The columns a new correction is inserted with (its state starts `pending`). */
export const correctionRowOf = (id: string, c: NewCorrection) => ({
  id,
  uai: c.uai,
  batch_id: c.batchId,
  kind: c.kind,
  account_id: c.accountId,
  person_json: c.person ? JSON.stringify(c.person) : null,
  changes_json: JSON.stringify(c.changes),
  at: c.at,
  actor: c.by,
  session_id: c.sessionId,
  step: c.step,
});

/** The columns of an account row that say who a correction is about. */
export interface PersonRow {
  profile: Profile;
  nom: string;
  prenom: string;
  date_naissance: string | null;
  pronote_ent_id: string | null;
}

/** The person of an account row as PRONOTE still knows them (see `personAsImported`). */
export const personOfRow = (row: PersonRow, before: Record<string, FieldValue>): CorrectionPerson =>
  personAsImported(
    {
      profile: row.profile,
      nom: row.nom,
      prenom: row.prenom,
      dateNaissance: row.date_naissance,
      pronoteEntId: row.pronote_ent_id,
    },
    before,
  );
