import type { Audience } from '../../flows/types.js';

/** What a fix or a check gave at one step, kept in the history for the transcript and the ticket summary. */
export interface StepResult {
  step: string;
  outcome: string;
  /** The fix's own output (before → after, audit id) when the step was a fix. */
  detail?: unknown;
}

export interface RecordedEvent {
  type: string;
  fields: Record<string, unknown>;
}

/** One settled point of a session. Entries form a tree: going back to a step and answering again branches. */
export interface HistoryEntry {
  seq: number;
  parentSeq: number | null;
  at: string;
  step: string;
  machineVersion: number;
  snapshot: unknown;
  /** The event that led here from the parent entry; null for the first entry. */
  event: RecordedEvent | null;
  results: StepResult[];
  actor: string | null;
}

export interface SessionRecord {
  id: string;
  createdAt: string;
  updatedAt: string;
  audience: Audience;
  uai: string | null;
  headSeq: number;
  /** Set when the session was opened by an agent: the people allowed to see its data. */
  owner: string | null;
}

/** Sessions and their history. Implementations: SQLite (default), PostgreSQL for several instances. */
export interface SessionStore {
  create(
    session: Omit<SessionRecord, 'headSeq' | 'updatedAt'>,
    first: Omit<HistoryEntry, 'seq' | 'parentSeq'>,
  ): Promise<void>;
  get(id: string): Promise<SessionRecord | null>;
  entry(id: string, seq: number): Promise<HistoryEntry | null>;
  /**
   * The entries from the first to `seq`, following parents, oldest first; with `last`, only the last `last`
   * of them are read (a transcript shows the recent ones and loads older ones on demand).
   */
  chain(id: string, seq: number, last?: number): Promise<HistoryEntry[]>;
  /**
   * Appends an entry as the new head, unless the head moved since `expectedHead` was read (another tab or
   * agent answered meanwhile): then nothing is written and the answer is false.
   */
  append(id: string, entry: Omit<HistoryEntry, 'seq'>, expectedHead: number): Promise<number | false>;
  count(): Promise<number>;
}
