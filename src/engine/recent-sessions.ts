import type { SessionRecord } from '../store/session-port.js';

/** What the cache keeps: a restored state, known by its session and its entry. */
interface Restored {
  session: SessionRecord;
  entry: { seq: number };
}

interface Recent<SessionState extends Restored> {
  /** The session as this process last read or wrote it: its head may have moved since, elsewhere. */
  session: SessionRecord;
  /** Restored entries by seq, the most recently used last. Entries never change once stored. */
  states: Map<number, SessionState>;
  /** Answers from a recalled state running right now in this process. */
  answering: number;
}

/**
 * The restored states of the sessions this process used last, so that an answer needs no read nor restore.
 * A state is exact for its entry forever (entries are never changed); only the head it believes may be
 * stale, and the store confirms it in the statement that appends the next entry.
 */
export function recentSessions<SessionState extends Restored>(limits: {
  sessions: number;
  entriesPerSession: number;
}) {
  const recent = new Map<string, Recent<SessionState>>();

  const touch = (id: string, r: Recent<SessionState>) => {
    recent.delete(id);
    recent.set(id, r);
  };

  return {
    /** The state at `seq`, or at the head this process last knew; null when not kept. */
    recall(id: string, seq?: number): SessionState | null {
      const r = recent.get(id);
      const state = r?.states.get(seq ?? r.session.headSeq);
      if (!r || !state) return null;
      touch(id, r);
      r.states.delete(state.entry.seq);
      r.states.set(state.entry.seq, state);
      return { ...state, session: r.session };
    },

    /** Keeps a state read or written by this process; its session record is the newest this process knows. */
    remember(state: SessionState) {
      const id = state.session.id;
      const r = recent.get(id) ?? { session: state.session, states: new Map(), answering: 0 };
      r.session = state.session;
      r.states.delete(state.entry.seq);
      r.states.set(state.entry.seq, state);
      for (const seq of r.states.keys()) {
        if (r.states.size <= limits.entriesPerSession) break;
        r.states.delete(seq);
      }
      touch(id, r);
      for (const oldest of recent.keys()) {
        if (recent.size <= limits.sessions) break;
        recent.delete(oldest);
      }
    },

    /** Runs an answer from a recalled state, counted so that a concurrent one in this process is seen. */
    async answering<T>(id: string, run: () => Promise<T>): Promise<T> {
      const r = recent.get(id);
      if (r) r.answering++;
      try {
        return await run();
      } finally {
        if (r) r.answering--;
      }
    },

    /**
     * After the store refused the head `expected`: true when another answer of this process moved it (two
     * answers sent at once), false when the head moved elsewhere (another instance), which is forgotten.
     */
    movedHere(id: string, expected: number): boolean {
      const r = recent.get(id);
      if (r && (r.answering > 1 || r.session.headSeq !== expected)) return true;
      recent.delete(id);
      return false;
    },

    forget(id: string) {
      recent.delete(id);
    },

    get size() {
      return recent.size;
    },
  };
}

export type RecentSessions = ReturnType<typeof recentSessions>;
