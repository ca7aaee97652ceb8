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
    canFixIdentity: ({ context }) =>
      context.comparison?.account !== undefined && context.comparison.ent !== undefined,
    isCasIdFree: ({ context }) => {
      const c = context.comparison;
      return (
        c?.account !== undefined && c.ent !== undefined && c.casHolder === undefined && c.linked !== true
      );
    },
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
  },
});

export type FlowSetup = typeof flowSetup;

/** Builds a step's meta from its stable id; the content key follows the id. */
export function step(id: string, kind: StepMeta['kind'], shows?: StepMeta['shows']): StepMeta {
  const [flow, name] = id.split('.');
  return { step: id, content: `${flow}/${name}`, kind, ...(shows ? { shows } : {}) };
}
