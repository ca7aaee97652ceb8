import { randomBytes } from 'node:crypto';
import { type AnyActorRef, createActor, type InspectionEvent, type SnapshotFrom, waitFor } from 'xstate';
import { type EventType, eventSchemas, type FlowEvent, isEventType } from '../../flows/events.js';
import { FLOW_CHOICES, MACHINE_VERSION, type RootMachine } from '../../flows/root.machine.js';
import type { SessionInput } from '../../flows/setup.js';
import type { FlowId } from '../../flows/types.js';
import type { HistoryEntry, SessionRecord, SessionStore, StepResult } from '../store/session-port.js';
import {
  CheckTimedOut,
  EventRejected,
  SessionChanged,
  SessionNotFound,
  SessionOutdated,
  StepNotFound,
} from './errors.js';
import { indexSteps, type StepNode, stepOf } from './machine-steps.js';
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
}

/**
 * Sessions over the root machine: restore a stored snapshot, send one event, wait until every check and
 * fix it started has finished, store the settled snapshot as a new history entry.
 */
export function createEngine(options: EngineOptions) {
  const { machine, store } = options;
  const steps = indexSteps(machine);
  const now = options.now ?? (() => new Date());
  const settleTimeoutMs = options.settleTimeoutMs ?? 20_000;

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

  async function load(id: string, seq?: number): Promise<SessionState> {
    const session = await store.get(id);
    if (!session) throw new SessionNotFound();
    const entry = await store.entry(id, seq ?? session.headSeq);
    if (!entry) throw new StepNotFound();
    const snapshot = restore(entry, { audience: session.audience, uai: session.uai });
    return { session, entry, snapshot, step: stepNode(entry.step) };
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

  type RawEvent = { type?: unknown; [field: string]: unknown };

  async function sendFrom(
    state: SessionState,
    raw: RawEvent,
    opts: { actor?: string | null } = {},
  ): Promise<{ id: string; seq: number; state: SessionState }> {
    const id = state.session.id;
    const { type, ...fields } = raw;
    if (!isEventType(type))
      throw new EventRejected('Réponse inconnue : choisissez l’une des réponses proposées.');
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
        'Cette réponse n’est pas possible ici : elle ne correspond pas à ce que la vérification a trouvé.',
      );
    }
    const results: StepResult[] = [];
    const input = { audience: state.session.audience, uai: state.session.uai };
    const actor = createActor(machine, { snapshot: persistedOf(state.entry), input, ...recorder(results) });
    const { settled, persisted } = await acting.run(
      { actor: opts.actor ?? 'utilisateur', sessionId: id },
      () => {
        actor.start();
        actor.send(event);
        return settle(actor);
      },
    );
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
    if (seq === false) throw new SessionChanged();
    return {
      id,
      seq,
      state: storedState({ ...state.session, headSeq: seq, updatedAt: entry.at }, { ...entry, seq }),
    };
  }

  /**
   * An entry just stored, as a later load gives it back (through JSON: nothing of the live actor is kept),
   * so the page shown after an answer is the page a later visit shows.
   */
  function storedState(session: SessionRecord, entry: HistoryEntry): SessionState {
    const stored: HistoryEntry = JSON.parse(JSON.stringify(entry));
    const snapshot = restore(stored, { audience: session.audience, uai: session.uai });
    return { session, entry: stored, snapshot, step: stepNode(stored.step) };
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
      return {
        id,
        seq: 1,
        state: storedState({ ...session, updatedAt: at, headSeq: 1 }, { ...entry, seq: 1, parentSeq: null }),
      };
    },

    load,

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
      return sendFrom(await load(id, opts.at), raw, opts);
    },

    /**
     * `send` from a state the caller has just loaded (to check who may answer): the session is not read
     * twice. Answers the new head ready to render.
     */
    sendFrom,
  };
}

export type Engine = ReturnType<typeof createEngine>;
