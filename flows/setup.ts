import { assign, fromPromise, setup } from 'xstate';
import type { EventType, FlowEvent } from './events.js';
import { classifyMessage, type TriageRoute } from './triage-rules.js';
import type {
  AccessResult,
  Audience,
  ComparisonResult,
  Espace,
  FixResult,
  IdentityInput,
  PublicationResult,
  ResultBlock,
  SearchResult,
  StepMeta,
} from './types.js';

export interface FlowContext {
  audience: Audience;
  /** The school (UAI) whose data the checks read; null when none is known. */
  uai: string | null;
  message?: string;
  identity?: IdentityInput;
  comparison?: ComparisonResult;
  /** An account the person picked: among homonyms (auth-error) or found responsables (single-parent). */
  selectedAccountId?: string;
  query?: string;
  search?: SearchResult;
  /** Accounts picked for a batch fix (changed-account). */
  selectedIds?: string[];
  espace?: Espace;
  publication?: PublicationResult;
  access?: AccessResult;
  /** The last fix run in this session, shown with its before → after. */
  fix?: FixResult;
}

/** The context fields that hold what a check or a fix gave. */
export type ResultField = 'comparison' | 'search' | 'publication' | 'access' | 'fix';

export interface SessionInput {
  audience: Audience;
  uai?: string | null;
}

/**
 * The checks and fixes the flows invoke. These defaults are the manual fallback: they touch no data and
 * answer `unknown` or `manual`, so the step becomes the FAQ's question or instructions. Start-up
 * provides data-backed implementations with `machine.provide({ actors })`.
 */
const manualCheck = <T>(value: T) => fromPromise<T, FlowContext>(async () => value);
const manualFix = (kind: FixResult['kind']) =>
  fromPromise<FixResult, FlowContext>(async () => ({ outcome: 'manual', kind }));

export const flowActors = {
  compareIdentity: manualCheck<ComparisonResult>({ outcome: 'unknown' }),
  fixIdentity: manualFix('identity'),
  linkCasId: manualFix('cas-id'),
  findAccounts: manualCheck<SearchResult>({ outcome: 'unknown' }),
  clearCasIds: manualFix('clear-cas-ids'),
  checkPublication: manualCheck<PublicationResult>({ outcome: 'unknown' }),
  publishEspace: manualFix('publish'),
  findResponsables: manualCheck<SearchResult>({ outcome: 'unknown' }),
  checkParentAccess: manualCheck<AccessResult>({ outcome: 'unknown' }),
  grantParentAccess: manualFix('espace-parents'),
};

export type FlowActorName = keyof typeof flowActors;

function eventOf<T extends EventType>(
  event: { type: string },
  type: T,
): Extract<FlowEvent, { type: T }> | null {
  return event.type === type ? (event as Extract<FlowEvent, { type: T }>) : null;
}

function outcomeOf(event: { type: string }): string | undefined {
  const output = (event as { output?: { outcome?: unknown } }).output;
  return typeof output?.outcome === 'string' ? output.outcome : undefined;
}

/** A field of the comparison differs beyond case and accents: what fix 1 rewrites. */
const differs = (c: ComparisonResult) =>
  (c.rows ?? []).some((r) => r.verdict === 'close' || r.verdict === 'different');

export const flowSetup = setup({
  types: {
    context: {} as FlowContext,
    events: {} as FlowEvent,
    input: {} as SessionInput,
    meta: {} as StepMeta,
    tags: {} as 'running' | 'end',
  },
  actors: flowActors,
  guards: {
    isRoute: ({ event }, params: { route: TriageRoute }) => {
      const e = eventOf(event, 'DESCRIBE_MESSAGE');
      return e !== null && classifyMessage(e.message) === params.route;
    },
    hasOutcome: ({ event }, params: { outcome: string | readonly string[] }) => {
      const outcome = outcomeOf(event);
      return (
        outcome !== undefined &&
        (typeof params.outcome === 'string' ? outcome === params.outcome : params.outcome.includes(outcome))
      );
    },
    /** After a fix: PRONOTE will now recognise the ENT user, by identity or by Identifiant CAS. */
    isIdentityResolved: ({ event }) => {
      const output = (event as { output?: ComparisonResult }).output;
      return output?.outcome === 'match' || output?.outcome === 'unknown' || output?.linked === true;
    },
    /** Fix 1 would rewrite something: a field differs beyond case and accents. */
    canFixIdentity: ({ context }) => {
      const c = context.comparison;
      return c?.account !== undefined && c.ent !== undefined && differs(c);
    },
    isCasIdFree: ({ context }) => {
      const c = context.comparison;
      return (
        c?.account !== undefined &&
        c.ent !== undefined &&
        c.ent.login !== '' &&
        c.casHolder === undefined &&
        c.linked !== true
      );
    },
    /** An « Identifiant CAS » stands in the way: an old login on this account, or this login on another. */
    hasCasIdToClear: ({ context }) => {
      const c = context.comparison;
      const old = c?.account?.casId;
      return c?.casHolder !== undefined || (old !== undefined && old !== '' && old !== c?.ent?.login);
    },
    /** Nothing for a fix to do: the link is made, or the identities agree. */
    isNothingToFix: ({ context }) => {
      const c = context.comparison;
      return c?.account !== undefined && (c.linked === true || !differs(c));
    },
    /** After fix 2 (by the assistant or by hand): the link is the news, not the identity. */
    isLinkResolved: ({ context, event }) => {
      const output = (event as { output?: ComparisonResult }).output;
      const resolved =
        output?.outcome === 'match' || output?.outcome === 'unknown' || output?.linked === true;
      return resolved && context.fix?.kind === 'cas-id';
    },
    /** The school's PRONOTE.net asks the PRONOTE login once: the identity does not decide. */
    isDoubleAuthMode: ({ event }) => (event as { output?: ComparisonResult }).output?.mode === 'double-auth',
    /** The school's PRONOTE.net recognises users by the « Identifiant PRONOTE-ENT » the ENT sends. */
    isPronoteEntIdMode: ({ event }) =>
      (event as { output?: ComparisonResult }).output?.mode === 'pronote-ent-id',
    isPublic: ({ context }) => context.audience === 'public',
    isParentsEspace: ({ context }) => context.espace === 'parents',
    isPublicParent: ({ context }) => context.audience === 'public' && context.espace === 'parents',
    isCandidate: ({ context, event }) => {
      const e = eventOf(event, 'SELECT_ACCOUNT');
      const pool = context.comparison?.candidates ?? context.search?.accounts ?? [];
      return e !== null && pool.some((a) => a.id === e.accountId);
    },
    isFoundAccount: ({ context, event }) => {
      const e = eventOf(event, 'SELECT_ACCOUNT');
      return e !== null && (context.search?.accounts ?? []).some((a) => a.id === e.accountId);
    },
    areFoundAccounts: ({ context, event }) => {
      const e = eventOf(event, 'SELECT_ACCOUNTS');
      const found = new Set((context.search?.accounts ?? []).map((a) => a.id));
      return e !== null && e.accountIds.every((id) => found.has(id));
    },
  },
  actions: {
    setMessage: assign({ message: ({ event }) => eventOf(event, 'DESCRIBE_MESSAGE')?.message }),
    setIdentity: assign(({ event }) => {
      const e = eventOf(event, 'SUBMIT_IDENTITY');
      if (!e) return {};
      const { type: _type, ...identity } = e;
      return {
        identity,
        selectedAccountId: undefined,
        comparison: undefined,
        search: undefined,
        fix: undefined,
      };
    }),
    setSelectedAccount: assign({
      selectedAccountId: ({ event }) => eventOf(event, 'SELECT_ACCOUNT')?.accountId,
    }),
    setSelectedAccounts: assign({
      selectedIds: ({ event }) => eventOf(event, 'SELECT_ACCOUNTS')?.accountIds,
    }),
    setQuery: assign(({ event }) => ({
      query: eventOf(event, 'SEARCH')?.query,
      search: undefined,
      selectedIds: undefined,
      selectedAccountId: undefined,
      access: undefined,
      fix: undefined,
    })),
    setEspace: assign(({ event }) => ({
      espace: eventOf(event, 'CHOOSE_PROFILE')?.profile,
      publication: undefined,
      fix: undefined,
    })),
    clearFix: assign({ fix: undefined }),
    /** Keeps what a check or fix gave under its field of the context. */
    storeResult: assign(({ event }, params: { field: ResultField }) => ({
      [params.field]: (event as { output?: unknown }).output,
    })),
  },
});

export type FlowSetup = typeof flowSetup;

/** Builds a step's meta from its stable id; the content key follows the id. */
export function step(id: string, kind: StepMeta['kind'], shows?: StepMeta['shows']): StepMeta {
  const [flow, name] = id.split('.');
  return { step: id, content: `${flow}/${name}`, kind, ...(shows ? { shows } : {}) };
}

type StateConfig = Parameters<FlowSetup['createStateConfig']>[0];
type Transitions = NonNullable<StateConfig['on']>;

/** A step that waits for the person: a question (or an information) and where each answer goes. */
export function ask(id: string, on: Transitions, ...shows: ResultBlock[]): StateConfig {
  return { meta: step(id, 'question', shows.length > 0 ? shows : undefined), on };
}

/** A step that tells the person what to do by hand, then goes on when they say it is done. */
export function byHand(id: string, next: string): StateConfig {
  return { meta: step(id, 'info'), on: { DONE: next } };
}

/** A last step: the case is solved, or handed to a person with its ticket summary. */
export function end(id: string): StateConfig {
  return { meta: step(id, 'end'), tags: 'end' };
}

/** Where each check's or fix's result is kept for the next steps and the views. */
const RESULT_FIELD: Record<FlowActorName, ResultField> = {
  compareIdentity: 'comparison',
  findAccounts: 'search',
  findResponsables: 'search',
  checkPublication: 'publication',
  checkParentAccess: 'access',
  fixIdentity: 'fix',
  linkCasId: 'fix',
  clearCasIds: 'fix',
  publishEspace: 'fix',
  grantParentAccess: 'fix',
};

/** A condition on a result (a guard of the setup), for a step that branches on more than the outcome. */
type ResultCondition = {
  guard: 'isIdentityResolved' | 'isLinkResolved' | 'isDoubleAuthMode' | 'isPronoteEntIdMode';
  target: string;
};

/**
 * Where a result leads: each outcome the actor reports names the next state, tried in order (outcomes that
 * lead to the same state share one transition); `otherwise` takes any other result; `onError`, a check or
 * fix that failed to run (by default where `otherwise` goes); `when`, a condition tried before the outcomes.
 */
interface RunSpec {
  otherwise: string;
  onError?: string;
  when?: ResultCondition | readonly ResultCondition[];
  [outcome: string]: string | ResultCondition | readonly ResultCondition[] | undefined;
}

/**
 * A step that runs a check or a fix: the actor's result picks the next state and is kept in the context
 * under the actor's field. The step carries the `running` tag, so the engine waits for it to settle
 * before storing the session.
 */
function runs(id: string, kind: 'check' | 'fix', actor: FlowActorName, spec: RunSpec): StateConfig {
  const { otherwise, onError = otherwise, when, ...outcomes } = spec;
  const store = { type: 'storeResult', params: { field: RESULT_FIELD[actor] } } as const;
  const byTarget = new Map<string, string[]>();
  for (const [outcome, target] of Object.entries(outcomes)) {
    if (typeof target === 'string') byTarget.set(target, [...(byTarget.get(target) ?? []), outcome]);
  }
  const guarded = [...byTarget].map(([target, list]) => ({
    guard: {
      type: 'hasOutcome',
      params: { outcome: list.length === 1 ? (list[0] as string) : list },
    } as const,
    target,
    actions: store,
  }));
  const conditions = [when ?? []].flat().map((c) => ({ ...c, actions: store }));
  // The config is the same for every actor; only the type of each actor's output differs, which the
  // generic `storeResult` action does not need.
  const invoke = {
    id: actor,
    src: actor,
    input: ({ context }: { context: FlowContext }) => context,
    onDone: [...conditions, ...guarded, { target: otherwise, actions: store }],
    onError,
  } as StateConfig['invoke'];
  return { meta: step(id, kind), tags: 'running', invoke };
}

/** `runs` for a check: reads the data, changes nothing. */
export const check = (id: string, actor: FlowActorName, spec: RunSpec) => runs(id, 'check', actor, spec);

/**
 * `runs` for a fix, which writes to the school's copy of the data (audited, undoable). Every fix goes the
 * same way: once done, the flow's `verifying` step checks again; when the assistant cannot write (no data,
 * an end user) or the fix fails to run, the person does it `byHand`; a conflict or a refusal goes back to
 * the step that offered the fix (`otherwise`), which shows why.
 */
export function fix(id: string, actor: FlowActorName, byHand: string, otherwise: string): StateConfig {
  return runs(id, 'fix', actor, { done: 'verifying', manual: byHand, otherwise, onError: byHand });
}

/**
 * One FAQ case as a state of the root machine: its steps, then the two ends every case shares. ESCALATE
 * is accepted from any step, so a person can always hand the case to someone.
 */
export function caseFlow(flow: string, initial: string, states: Record<string, StateConfig>): StateConfig {
  return flowSetup.createStateConfig({
    initial,
    on: { ESCALATE: '.escalate' },
    states: { ...states, resolved: end(`${flow}.resolved`), escalate: end(`${flow}.escalate`) },
  });
}

/**
 * Finding the person the case is about: the agent types a name, the check looks it up, and « nobody found »
 * lets them search again. The steps are `<flow>.find`, `<flow>.search` and `<flow>.not-found`; the search
 * goes on to `found` or, when it could not run or had no data, to `otherwise`.
 */
export function findPerson(
  flow: string,
  actor: 'findAccounts' | 'findResponsables',
  next: { found: string; otherwise: string },
): Record<'finding' | 'searching' | 'notFound', StateConfig> {
  return {
    // An end user's search reads no data (it answers `unknown`): asking them a name would be for nothing.
    finding: {
      ...ask(`${flow}.find`, { SEARCH: SEARCH_AGAIN }),
      always: { guard: 'isPublic', target: next.otherwise },
    },
    searching: check(`${flow}.search`, actor, {
      found: next.found,
      none: 'notFound',
      otherwise: next.otherwise,
    }),
    notFound: ask(`${flow}.not-found`, { SEARCH: SEARCH_AGAIN }),
  };
}

/** A new search from any step that offers one, in a flow that starts with `findPerson`. */
export const SEARCH_AGAIN = { target: 'searching', actions: 'setQuery' } as const;
