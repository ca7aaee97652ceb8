import { randomBytes } from 'node:crypto';
import { type AnyActorRef, createActor, type InspectionEvent, type SnapshotFrom, waitFor } from 'xstate';
import { type EventType, eventSchemas, type FlowEvent, isEventType } from '../../flows/events.js';
import { FLOW_CHOICES, MACHINE_VERSION, type RootMachine } from '../../flows/root.machine.js';
import type { SessionInput } from '../../flows/setup.js';
import type { FlowId } from '../../flows/types.js';
import type { HistoryEntry, SessionRecord, SessionStore, StepResult } from '../store/session-port.js';
import type { CorrectionReader } from './correction-view.js';
import {
  CheckTimedOut,
  EventRejected,
  SessionChanged,
  SessionFull,
  SessionNotFound,
  SessionOutdated,
  StepNotFound,
} from './errors.js';
import { answersThatMayFix, flowGraphs } from './flow-graph.js';
import { indexSteps, type StepNode, stepOf } from './machine-steps.js';
import { recentSessions } from './recent-sessions.js';
import { migrateSnapshot } from './snapshot-migrations.js';
import { acting } from './write-context.js';

export type RootSnapshot = SnapshotFrom<RootMachine>;

export interface EngineOptions {
  /** The root machine with its checks and fixes provided. */
  machine: RootMachine;
  store: SessionStore;
  /** How long a check or a fix may run before the answer is given up (nothing is then stored). */
  settleTimeoutMs?: number;
  now?: () => Date;
  /** Where a step reads the corrections its fix asked for (their state moves outside the session). */
  corrections?: CorrectionReader;
  /** How many sessions, and entries of each, this process keeps restored (see recent-sessions.ts). */
  recent?: { sessions: number; entriesPerSession: number };
  /** Told of every stored answer (the metrics count them); never of who answered or what they typed. */
  onAnswered?: (answered: AnsweredStep) => void;
  /** How deep a session may go (default 200 answers; SESSION_MAX_ANSWERS): past it, a new one is needed. */
  maxEntries?: number;
}

/**
 * A person solving a case answers a few dozen times, going back and forth included; a session hundreds of
 * answers deep is a script, and would make every page of it and the store slower for everyone.
 */
export const MAX_ENTRIES = 200;

/** One stored answer: the step it was given at, how long it took, the checks and fixes it ran. */
export interface AnsweredStep {
  step: string;
  durationMs: number;
  ran: Array<{ step: string; kind: string; outcome: string }>;
}

export interface StartOptions extends SessionInput {
  flow?: FlowId;
  owner?: string | null;
}

/** A session at one entry of its history, restored and ready to render or to take an event. */
export interface SessionState {
  session: SessionRecord;
  entry: HistoryEntry;
  snapshot: RootSnapshot;
  step: StepNode;
  /** The entry this one was answered from, when this process just stored it: its transcript follows on. */
  parentEntry?: HistoryEntry;
  /**
   * Taken from this process's memory, not read from the store: exact for its entry, but the head it
   * believes may have moved elsewhere. `at` is the entry the request named (the head when undefined).
   */
  recalled?: { at: number | undefined };
}

/**
 * A session idle for longer is read again, never recalled: the retention purge (a day at the least) may
 * have anonymised its entries and dropped its owner since.
 */
const RECALL_IDLE_MS = 86_400_000;

/**
 * Sessions over the root machine: restore a stored snapshot, send one event, wait until every check and
 * fix it started has finished, store the settled snapshot as a new history entry.
 */
export function createEngine(options: EngineOptions) {
  const { machine, store } = options;
  const steps = indexSteps(machine);
  const now = options.now ?? (() => new Date());
  const settleTimeoutMs = options.settleTimeoutMs ?? 20_000;
  const maxEntries = options.maxEntries ?? MAX_ENTRIES;
  const recent = recentSessions<SessionState>(options.recent ?? { sessions: 1000, entriesPerSession: 3 });
  const mayFix = answersThatMayFix(flowGraphs(machine));

  const stepNode = (id: string): StepNode => {
    const node = steps.get(id);
    if (!node) throw new SessionOutdated();
    return node;
  };

  function restore(entry: HistoryEntry, input: SessionInput): RootSnapshot {
    try {
      const snapshot = createActor(machine, { snapshot: persistedOf(entry), input }).getSnapshot();
      stepNode(stepOf(snapshot).step);
      return snapshot;
    } catch {
      throw new SessionOutdated();
    }
  }

  const persistedOf = (entry: HistoryEntry) =>
    migrateSnapshot(entry.snapshot, entry.machineVersion) as RootSnapshot;

  const idle = (session: SessionRecord) => now().getTime() - Date.parse(session.updatedAt) > RECALL_IDLE_MS;

  /** The session read from the store; its entry restored, or taken from memory (entries never change). */
  async function load(id: string, seq?: number): Promise<SessionState> {
    const session = await store.get(id);
    if (!session) {
      recent.forget(id);
      throw new SessionNotFound();
    }
    const known = idle(session) ? null : recent.recall(id, seq ?? session.headSeq);
    if (known) {
      const state = { session, entry: known.entry, snapshot: known.snapshot, step: known.step };
      recent.remember(state);
      return state;
    }
    const entry = await store.entry(id, seq ?? session.headSeq);
    if (!entry) throw new StepNotFound();
    const snapshot = restore(entry, { audience: session.audience, uai: session.uai });
    const state = { session, entry, snapshot, step: stepNode(entry.step) };
    recent.remember(state);
    return state;
  }

  /** Waits until no check or fix is running: only settled snapshots are stored. */
  async function settle(actor: ReturnType<typeof createActor<RootMachine>>) {
    try {
      const settled = await waitFor(actor, (s) => !s.hasTag('running'), { timeout: settleTimeoutMs });
      return { settled, persisted: actor.getPersistedSnapshot() };
    } catch {
      throw new CheckTimedOut();
    } finally {
      actor.stop();
    }
  }

  function recorder(results: StepResult[]) {
    let previous: string | null = null;
    return {
      inspect: (ev: InspectionEvent) => {
        if (ev.type !== '@xstate.snapshot' || (ev.actorRef as AnyActorRef).sessionId !== ev.rootId) return;
        const snapshot = ev.snapshot as RootSnapshot;
        const type = ev.event.type;
        if (previous && (type.startsWith('xstate.done.actor.') || type.startsWith('xstate.error.actor.'))) {
          const output = (ev.event as { output?: { outcome?: string } }).output;
          const outcome = type.startsWith('xstate.error.actor.') ? 'error' : (output?.outcome ?? 'error');
          const kind = stepNode(previous).meta.kind;
          results.push({ step: previous, outcome, ...(kind === 'fix' ? { detail: output } : {}) });
        }
        previous = stepOf(snapshot).step;
      },
    };
  }

  /**
   * An answer that starts no check nor fix, taken by the machine's own transition: nothing to run, so no
   * actor to start, wait for and stop. Null when the transition has anything to run (it is then taken by
   * an actor). XState's `transition()` does the same but builds a whole actor on each call to get an
   * inert scope; this one is built once (no action is executed in it: any would send the answer to an
   * actor).
   */
  const withoutActor = (() => {
    const self = createActor(machine, { input: { audience: 'public', uai: null } });
    let pending = 0;
    const scope = {
      self,
      system: self.system,
      id: '',
      sessionId: '',
      defer: () => {},
      logger: () => {},
      stopChild: () => {},
      emit: () => {},
      actionExecutor: () => {
        pending += 1;
      },
    };
    return (snapshot: RootSnapshot, event: FlowEvent) => {
      pending = 0;
      const next = machine.transition(snapshot, event, scope as never);
      if (pending > 0 || next.hasTag('running')) return null;
      return { settled: next, persisted: machine.getPersistedSnapshot(next) };
    };
  })();

  type RawEvent = { type?: unknown; [field: string]: unknown };

  type Answered = { id: string; seq: number; state: SessionState };

  /**
   * Answers from `state`. A state recalled from memory is used only when the store confirms, in the statement
   * that appends, that its head has not moved; otherwise (another instance answered) the answer is given
   * again from the session as read now, as if it had arrived after the other one.
   */
  async function sendFrom(
    state: SessionState,
    raw: RawEvent,
    opts: { actor?: string | null } = {},
  ): Promise<Answered> {
    const { recalled } = state;
    const id = state.session.id;
    if (!recalled) {
      const answered = await transitionFrom(state, raw, opts);
      if (!answered) throw new SessionChanged();
      return answered;
    }
    const fresh = async () => sendFrom(await load(id, recalled.at), raw, opts);
    if (mayFix.has(`${state.step.meta.step} ${String(raw.type)}`)) return fresh();
    try {
      const answered = await recent.answering(id, () => transitionFrom(state, raw, opts));
      if (answered) return answered;
    } catch (err) {
      // At the head this process believed: the step may have moved on elsewhere, where the answer fits.
      if (!(err instanceof EventRejected) || recalled.at !== undefined) throw err;
      recent.forget(id);
      return fresh();
    }
    if (recent.movedHere(id, state.session.headSeq)) throw new SessionChanged();
    return fresh();
  }

  async function transitionFrom(
    state: SessionState,
    raw: RawEvent,
    opts: { actor?: string | null },
  ): Promise<Answered | false> {
    const id = state.session.id;
    const began = performance.now();
    const { type, ...fields } = raw;
    // An entry's number bounds its depth (a parent is always numbered before its child), and costs nothing
    // to read; going back to an early step and answering again stays possible.
    if (state.entry.seq >= maxEntries) throw new SessionFull(maxEntries);
    if (!isEventType(type))
      throw new EventRejected('Réponse inconnue : choisissez l’une des réponses proposées.');
    if (!state.step.events.includes(type)) {
      throw new EventRejected(
        'Cette réponse n’est pas possible à cette étape. Choisissez l’une des réponses proposées.',
      );
    }
    const parsed = eventSchemas[type].safeParse(fields);
    if (!parsed.success) {
      const fieldErrors: Record<string, string> = {};
      for (const issue of parsed.error.issues) fieldErrors[String(issue.path[0] ?? 'form')] ??= issue.message;
      throw new EventRejected('Certaines informations sont à corriger.', fieldErrors);
    }
    const event = { type, ...parsed.data } as FlowEvent;
    if (!state.snapshot.can(event)) {
      throw new EventRejected(
        'Cette réponse n’est pas possible ici : elle ne correspond pas à ce que la vérification a trouvé.',
      );
    }
    const results: StepResult[] = [];
    const { settled, persisted } =
      withoutActor(state.snapshot, event) ??
      (await acting.run({ actor: opts.actor ?? 'utilisateur', sessionId: id }, () => {
        const input = { audience: state.session.audience, uai: state.session.uai };
        const actor = createActor(machine, {
          snapshot: persistedOf(state.entry),
          input,
          ...recorder(results),
        });
        actor.start();
        actor.send(event);
        return settle(actor);
      }));
    const entry: Omit<HistoryEntry, 'seq'> = {
      parentSeq: state.entry.seq,
      at: now().toISOString(),
      step: stepOf(settled).step,
      machineVersion: MACHINE_VERSION,
      snapshot: persisted,
      event: { type, fields: parsed.data as Record<string, unknown> },
      results,
      actor: opts.actor ?? null,
    };
    const seq = await store.append(id, entry, state.session.headSeq);
    if (seq === false) return false;
    options.onAnswered?.({
      step: state.step.meta.step,
      durationMs: performance.now() - began,
      ran: results.map((r) => ({ step: r.step, kind: stepNode(r.step).meta.kind, outcome: r.outcome })),
    });
    const stored = storedState({ ...state.session, headSeq: seq, updatedAt: entry.at }, { ...entry, seq });
    recent.remember(stored);
    return { id, seq, state: { ...stored, parentEntry: state.entry } };
  }

  /**
   * An entry just stored, restored from the very snapshot that was stored (nothing of the live actor is
   * kept), so the page shown after an answer is the page a later visit shows.
   */
  function storedState(session: SessionRecord, entry: HistoryEntry): SessionState {
    const snapshot = restore(entry, { audience: session.audience, uai: session.uai });
    return { session, entry, snapshot, step: stepNode(entry.step) };
  }

  /** The triage's first step, or a case entered through the triage's choice for it. */
  function initialSnapshot(input: SessionInput, flow: FlowId | undefined) {
    const actor = createActor(machine, { input });
    if (!flow || flow === 'triage') return actor.getSnapshot();
    actor.start();
    actor.send({ type: FLOW_CHOICES[flow] } as FlowEvent);
    const snapshot = actor.getSnapshot();
    actor.stop();
    return snapshot;
  }

  return {
    steps,
    store,
    corrections: options.corrections,

    async start(opts: StartOptions): Promise<{ id: string; seq: number; state: SessionState }> {
      const input: SessionInput = { audience: opts.audience, uai: opts.uai ?? null };
      const first = initialSnapshot(input, opts.flow);
      const id = randomBytes(16).toString('base64url');
      const at = now().toISOString();
      const session = {
        id,
        createdAt: at,
        audience: input.audience,
        uai: input.uai ?? null,
        owner: opts.owner ?? null,
      };
      const entry = {
        at,
        step: stepOf(first).step,
        machineVersion: MACHINE_VERSION,
        snapshot: machine.getPersistedSnapshot(first),
        event: null,
        results: [],
        actor: opts.owner ?? null,
      };
      await store.create(session, entry);
      const state = storedState(
        { ...session, updatedAt: at, headSeq: 1 },
        { ...entry, seq: 1, parentSeq: null },
      );
      recent.remember(state);
      return { id, seq: 1, state };
    },

    load,

    /**
     * The state at `seq` (the head when omitted) as this process last knew it, without reading the store;
     * null when not kept. Only `sendFrom` may use it: the append confirms the head.
     */
    recall(id: string, seq?: number): SessionState | null {
      const state = recent.recall(id, seq);
      if (!state || idle(state.session)) return null;
      return { ...state, recalled: { at: seq } };
    },

    /** The events this step accepts right now (guards that need no event data applied). */
    accepted(state: SessionState): EventType[] {
      return state.step.events.filter((type) => {
        const needsData = Object.keys(eventSchemas[type].shape ?? {}).length > 0;
        return needsData || state.snapshot.can({ type } as FlowEvent);
      });
    },

    /**
     * Validates and sends one event at the entry `at` (the head when omitted; an earlier entry when the
     * person went back), then stores the settled result as the new head.
     */
    async send(id: string, raw: RawEvent, opts: { at?: number; actor?: string | null } = {}) {
      return sendFrom(this.recall(id, opts.at) ?? (await load(id, opts.at)), raw, opts);
    },

    /**
     * `send` from a state the caller has just loaded (to check who may answer): the session is not read
     * twice. Answers the new head ready to render.
     */
    sendFrom,
  };
}

export type Engine = ReturnType<typeof createEngine>;
