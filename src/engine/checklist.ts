/**
 * The view model of a fix's corrections, which the step's findings (results-view) carry and the views
 * draw; built by correction-view from the PRONOTE port.
 */
import type { CorrectionKind, CorrectionState } from '../pronote/corrections.js';
import type { Procedure } from './correction-procedure.js';

/** One correction as agents see it: who, what changes, where it stands in words. */
export interface CorrectionCard {
  id: string;
  batchId: string;
  kind: CorrectionKind;
  kindLabel: string;
  state: CorrectionState;
  stateLabel: string;
  stateShort: string;
  /** « NOM Prénom », or « Console PRONOTE.net ». */
  person: string;
  changes: Array<{ field: string; before: string; after: string }>;
  /** JJ/MM/AAAA. */
  at: string;
  by: string;
  sessionId: string | null;
  step: string | null;
  /** What happened since, in a sentence: done by whom, verified or contradicted by which import. */
  history: string[];
  canMarkApplied: boolean;
}

/** A fix's corrections together: one checklist, one procedure, its rows to paste. */
export interface Checklist {
  batchId: string;
  uai: string;
  cards: CorrectionCard[];
  /** What to do in PRONOTE while something is left to do; the reverse after undoing a done one. */
  procedure: Procedure | null;
  reverse: boolean;
  /** Still to do in PRONOTE: the step waits for « C'est fait dans PRONOTE » before asking to retry. */
  pending: boolean;
}
