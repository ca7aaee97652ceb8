import type { HistoryEntry, RecordedEvent, SessionRecord, StepResult } from './session-port.js';

/** A session as both adapters store it. */
export interface SessionRow {
  id: string;
  created_at: string;
  updated_at: string;
  audience: 'agent' | 'public';
  uai: string | null;
  owner: string | null;
  head_seq: number;
}

/** An entry row; `J` is how its JSON columns come back: text from SQLite, already parsed from PostgreSQL. */
export interface EntryRow<J> {
  seq: number;
  parent_seq: number | null;
  at: string;
  step: string;
  machine_version: number;
  snapshot: J;
  event: J | null;
  results: J;
  actor: string | null;
}

export const toSession = (r: SessionRow): SessionRecord => ({
  id: r.id,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  audience: r.audience,
  uai: r.uai,
  owner: r.owner,
  headSeq: r.head_seq,
});

export const toEntry = <J>(r: EntryRow<J>, decode: (value: J) => unknown): HistoryEntry => ({
  seq: r.seq,
  parentSeq: r.parent_seq,
  at: r.at,
  step: r.step,
  machineVersion: r.machine_version,
  snapshot: decode(r.snapshot),
  event: r.event === null ? null : (decode(r.event) as RecordedEvent),
  results: decode(r.results) as StepResult[],
  actor: r.actor,
});

/**
 * An entry's stored columns after the session id and seq, in the order both adapters insert them; the JSON
 * columns are serialised here (a driver would turn the results array into an SQL array, not JSON).
 */
export const entryColumns = (e: Omit<HistoryEntry, 'seq'>) => [
  e.parentSeq,
  e.at,
  e.step,
  e.machineVersion,
  JSON.stringify(e.snapshot),
  e.event === null ? null : JSON.stringify(e.event),
  JSON.stringify(e.results),
  e.actor,
];
