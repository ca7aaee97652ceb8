import { type EventType, eventFields, type FieldKind } from '../../flows/events.js';
import type { FlowContext } from '../../flows/setup.js';
import type {
  AccountSummary,
  Audience,
  FieldChange,
  FixResult,
  FlowId,
  ResultBlock,
  StepKind,
} from '../../flows/types.js';
import type { HistoryEntry } from '../store/session-port.js';
import type { ContentCatalog } from './content.js';
import { type FixProgress, withCorrectionStates, withCorrections } from './correction-view.js';
import type { AdvisedFix } from './fix-advice.js';
import {
  type AccountView,
  type ComparisonView,
  fieldLabel,
  type ResultsView,
  resultsView,
} from './results-view.js';
import type { Engine, SessionState } from './session-engine.js';

export interface FieldView {
  name: string;
  kind: FieldKind;
  label: string;
  hint?: string;
  required: boolean;
  options?: Array<{ value: string; label: string }>;
  /** What the person gave last time (a message not recognised, a search): shown back, to change or keep. */
  value?: string;
}

export interface EventView {
  type: EventType;
  label: string;
  /** What the form asks for as a whole, said before its fields. */
  rule?: string;
  fields: FieldView[];
  /** The choice the step's findings point to (the comparison's advice). */
  recommended?: boolean;
}

export interface TranscriptResult {
  step: string;
  title: string;
  outcome: string;
  text: string;
  /** A fix's before → after, for agents only. */
  changes?: FieldChange[];
  auditId?: string;
  /** Where the fix's correction stands now, and whether it can still be undone (agents only). */
  correction?: { state: string; label: string; undoable: boolean };
}

export interface TranscriptItem {
  /** The entry where the question was asked: going back reopens it. */
  seq: number;
  step: string;
  title: string;
  answer: string;
  /** What the person typed, for agents only; an end user's page never repeats personal data. */
  details: string[];
  results: TranscriptResult[];
}

export type SessionStatus = 'active' | 'resolved' | 'escalate';

/** Everything a step shows, computed once: the HTML page and the JSON API both render this. */
export interface StepView {
  sessionId: string;
  audience: Audience;
  uai: string | null;
  seq: number;
  headSeq: number;
  isHead: boolean;
  step: string;
  flow: FlowId;
  kind: StepKind;
  status: SessionStatus;
  title: string;
  html: string;
  /** What the checks of the step just taken found, in words. */
  outcomes: TranscriptResult[];
  results: ResultsView;
  /** The session's last comparison of the ENT and PRONOTE identities, whatever the step: agents only. */
  comparison?: ComparisonView;
  events: EventView[];
  /** The recent exchanges (all of them when `transcript: 'all'` was asked), oldest first. */
  transcript: TranscriptItem[];
  /**
   * Set when older exchanges exist: the entry whose own view's transcript holds the ones just before
   * (`GET /api/sessions/<id>?at=<olderSeq>`, the page `/s/<id>/<olderSeq>/historique`).
   */
  olderSeq: number | null;
  /**
   * The fix shown is still to do in PRONOTE: the step does not ask whether the connection works until the
   * agent says it is done there (« C'est fait dans PRONOTE »).
   */
  awaitingPronote: FixProgress;
}

/** How many exchanges a step shows; older ones are loaded on demand, so a page costs the same at any depth. */
export const RECENT_EXCHANGES = 20;

/** The exchanges that led to an entry: the recent ones, or every one (a ticket summary). */
export interface TranscriptPage {
  items: TranscriptItem[];
  olderSeq: number | null;
}

/**
 * The recent transcript of entries this process has shown, by entry (entries never change, and a session
 * has one audience): the next entry's transcript is this one and one more exchange, with nothing read.
 */
const recentTranscripts = new WeakMap<HistoryEntry, TranscriptPage>();

/** The transcript up to entry `seq`: reads only the entries it shows (one more: the first question). */
export async function transcriptUpTo(
  engine: Engine,
  content: ContentCatalog,
  session: { id: string; audience: Audience },
  seq: number,
  extent: 'recent' | 'all' = 'recent',
): Promise<TranscriptPage> {
  const chain =
    extent === 'all'
      ? await engine.store.chain(session.id, seq)
      : await engine.store.chain(session.id, seq, RECENT_EXCHANGES + 1);
  const oldest = chain[0];
  return {
    items: transcript(content, chain, session.audience),
    olderSeq: oldest && oldest.parentSeq !== null && oldest.seq !== seq ? oldest.seq : null,
  };
}

/**
 * The recent transcript of a state. After an answer it follows on from the transcript of the entry
 * answered (read once, then kept: answering the same step again reads nothing).
 */
async function recentTranscript(engine: Engine, content: ContentCatalog, state: SessionState) {
  const { session, entry, parentEntry } = state;
  const known = recentTranscripts.get(entry);
  if (known) return known;
  let page: TranscriptPage;
  if (parentEntry) {
    const before = await recentTranscript(engine, content, {
      ...state,
      entry: parentEntry,
      parentEntry: undefined,
    });
    const items = [...before.items, ...transcript(content, [parentEntry, entry], session.audience)];
    const dropped = items.length > RECENT_EXCHANGES ? items.splice(0, items.length - RECENT_EXCHANGES) : [];
    page = { items, olderSeq: dropped.length > 0 ? (items[0]?.seq ?? null) : before.olderSeq };
  } else {
    page = await transcriptUpTo(engine, content, session, entry.seq);
  }
  recentTranscripts.set(entry, page);
  return page;
}

export async function buildStepView(
  engine: Engine,
  content: ContentCatalog,
  state: SessionState,
  extent: 'recent' | 'all' = 'recent',
): Promise<StepView> {
  const { session, entry, snapshot, step } = state;
  const audience = session.audience;
  const text = content.step(step.meta.step, audience);
  const page =
    extent === 'all'
      ? await transcriptUpTo(engine, content, session, entry.seq, 'all')
      : await recentTranscript(engine, content, state);
  const uai = session.uai;
  const context = snapshot.context;
  const shows = audience === 'agent' ? (step.meta.shows ?? []) : [];
  const results = resultsView(content, context, shows as readonly ResultBlock[]);
  const progress = engine.corrections
    ? await withCorrections(engine.corrections, results, session.uai)
    : 'done';
  const accepted = engine.accepted(state);
  // An undone fix leaves nothing to retry: the step offers to run its check again where it can (RECHECK);
  // elsewhere the person goes back to an earlier step. Only a confirming step asks to retry.
  const awaitingPronote = progress === 'undone' && !accepted.includes('ANSWER_YES') ? 'done' : progress;
  const outcomes = resultsText(content, entry, audience);
  if (engine.corrections)
    await withCorrectionStates(engine.corrections, [...page.items.flatMap((i) => i.results), ...outcomes]);
  const advised = results.comparison?.advice ? ADVISED_EVENT[results.comparison.advice.fix] : undefined;
  const events = accepted
    .filter((type) => awaitingPronote === 'done' || !RETRY_EVENTS.has(type))
    .filter((type) => type !== 'RECHECK' || awaitingPronote === 'undone')
    .map((type) => eventView(content, step.meta.step, audience, type, context))
    .map((e) => (e.type === advised ? { ...e, recommended: true } : e));
  // One account to choose from: the singular wording, and the account already chosen (see event-forms).
  const offered = events.flatMap((e) => e.fields).filter((f) => f.kind === 'choice' || f.kind === 'choices');
  const words = offered.length > 0 && offered.every((f) => f.options?.length === 1) ? text.single : undefined;
  return {
    sessionId: session.id,
    audience,
    uai,
    seq: entry.seq,
    headSeq: session.headSeq,
    isHead: entry.seq === session.headSeq,
    step: step.meta.step,
    flow: step.meta.step.split('.')[0] as FlowId,
    kind: step.meta.kind,
    status: statusOf(step.meta.step),
    title: fillIn(content, context, words?.title ?? text.title),
    html: fillIn(content, context, words?.html ?? text.html),
    outcomes,
    results,
    ...(audience === 'agent' && context.comparison?.rows?.length
      ? { comparison: resultsView(content, context, ['comparison']).comparison }
      : {}),
    events,
    transcript: page.items,
    olderSeq: page.olderSeq,
    awaitingPronote,
  };
}

/** The answers that mean « the person tried again »: asked only once PRONOTE has the fix. */
const RETRY_EVENTS = new Set<EventType>(['ANSWER_YES', 'ANSWER_NO', 'DONE']);

const ADVISED_EVENT: Record<AdvisedFix, EventType> = {
  identity: 'FIX_IDENTITY',
  'cas-id': 'FIX_CAS_ID',
  'clear-cas-id': 'CHOOSE_CHANGED_ACCOUNT',
  none: 'DONE',
};

/**
 * A step's words that depend on an earlier answer: `{personnes}` is who uses the espace chosen (« les
 * parents »), or « les personnes de ce profil » before one is chosen.
 */
function fillIn(content: ContentCatalog, context: FlowContext, text: string): string {
  if (!text.includes('{personnes}')) return text;
  const people = context.espace ? content.shared.people[context.espace] : 'les personnes de ce profil';
  return text.replaceAll('{personnes}', people);
}

function statusOf(stepId: string): SessionStatus {
  const name = stepId.split('.')[1];
  return name === 'resolved' || name === 'escalate' ? name : 'active';
}

/** Event views that name no account depend on the step and the audience only: computed once. */
const sharedEventViews = new WeakMap<ContentCatalog, Map<string, EventView>>();

const namesAccounts = (type: EventType, audience: Audience) =>
  audience === 'agent' &&
  eventFields[type].some((f) => f.options === 'candidates' || f.options === 'accounts');

function eventView(
  content: ContentCatalog,
  stepId: string,
  audience: Audience,
  type: EventType,
  context: FlowContext,
): EventView {
  if (namesAccounts(type, audience)) return buildEventView(content, stepId, audience, type, context);
  const views = sharedEventViews.get(content) ?? new Map<string, EventView>();
  sharedEventViews.set(content, views);
  const key = `${stepId} ${audience} ${type}`;
  const known = views.get(key);
  if (known) return known;
  const view = buildEventView(content, stepId, audience, type, context);
  views.set(key, view);
  return view;
}

/** `eventView` without the cache. */
const buildEventView: typeof eventView = (content, stepId, audience, type, context) => {
  const text = content.step(stepId, audience);
  const given: Record<string, string | undefined> = { message: context.message, query: context.query };
  return {
    type,
    label: text.choices[type] ?? content.shared.choices[type] ?? type,
    ...(text.rules[type] ? { rule: text.rules[type] } : {}),
    fields: eventFields[type].map((spec) => ({
      name: spec.name,
      kind: spec.kind,
      label: text.fields[spec.name]?.label ?? content.shared.fields[spec.name] ?? spec.name,
      ...(text.fields[spec.name]?.hint ? { hint: text.fields[spec.name]?.hint } : {}),
      required: spec.required,
      ...(typeof given[spec.name] === 'string' ? { value: given[spec.name] } : {}),
      ...(spec.options ? { options: optionsFor(content, spec.options, context, audience) } : {}),
    })),
  };
};

function optionsFor(
  content: ContentCatalog,
  source: 'espaces' | 'candidates' | 'accounts',
  context: FlowContext,
  audience: Audience,
): Array<{ value: string; label: string }> {
  if (source === 'espaces') {
    return Object.entries(content.shared.espaces).map(([value, label]) => ({ value, label }));
  }
  // Account options name people: only an agent ever gets them.
  if (audience !== 'agent') return [];
  const accounts: AccountSummary[] =
    source === 'candidates'
      ? (context.comparison?.candidates ?? context.search?.accounts ?? [])
      : (context.search?.accounts ?? []);
  return accounts.map((a) => ({ value: a.id, label: accountLabel(content, a) }));
}

export function accountLabel(content: ContentCatalog, a: AccountSummary | AccountView): string {
  const parts = [`${a.nom} ${a.prenom}`, content.shared.profiles[a.profile]];
  if (a.classe) parts.push(a.classe);
  if (a.dateNaissance) parts.push(`né(e) le ${frenchDate(a.dateNaissance)}`);
  parts.push(a.casId ? `Identifiant CAS : ${a.casId}` : 'sans Identifiant CAS');
  return parts.join(' — ');
}

export function frenchDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : iso;
}

function resultsText(content: ContentCatalog, entry: HistoryEntry, audience: Audience): TranscriptResult[] {
  return entry.results.map((r) => {
    const text = content.step(r.step, audience);
    const fix = r.detail as FixResult | undefined;
    const outcome =
      text.outcomes[r.outcome] ??
      (fix ? content.shared.fixOutcomes[fix.outcome] : undefined) ??
      content.shared.fixOutcomes.manual;
    const done = audience === 'agent' && fix?.outcome === 'done';
    return {
      step: r.step,
      title: text.title,
      outcome: r.outcome,
      text: outcome,
      ...(done && fix.changes
        ? { changes: fix.changes.map((c) => ({ ...c, field: fieldLabel(content, c.field) })) }
        : {}),
      ...(done && fix.auditId ? { auditId: fix.auditId } : {}),
    };
  });
}

function transcript(content: ContentCatalog, chain: HistoryEntry[], audience: Audience): TranscriptItem[] {
  const items: TranscriptItem[] = [];
  for (let i = 1; i < chain.length; i++) {
    const asked = chain[i - 1];
    const answered = chain[i];
    if (!asked || !answered?.event) continue;
    const text = content.step(asked.step, audience);
    const type = answered.event.type as EventType;
    const offered = offeredAccounts(asked);
    const label = text.choices[type] ?? content.shared.choices[type] ?? type;
    items.push({
      seq: asked.seq,
      step: asked.step,
      title: text.title,
      answer: answerInWords(content, type, answered.event.fields, audience, offered) ?? label,
      // Each field of a form of several, for the agent; a one-field answer says it all in `answer`.
      details:
        audience === 'agent' && given(answered.event.fields) > 1
          ? detailsOf(content, asked.step, answered.event.fields, offered)
          : [],
      results: resultsText(content, answered, audience),
    });
  }
  return items;
}

/** How many fields an answer filled: one is said in `answer`, several are listed in `details`. */
const given = (fields: Record<string, unknown>) =>
  Object.values(fields).filter((v) => v !== undefined && v !== '').length;

const quoted = (text: string, max = 160) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return `« ${flat.length > max ? `${flat.slice(0, max - 1)}…` : flat} »`;
};

/**
 * The answer as the person gave it, in words: the message pasted, the espace chosen, the name searched,
 * the account picked. `null` for a plain button, whose label says it. An end user's own identity is never
 * repeated on their page.
 */
function answerInWords(
  content: ContentCatalog,
  type: EventType,
  fields: Record<string, unknown>,
  audience: Audience,
  offered: Map<string, AccountSummary>,
): string | null {
  const text = (name: string) => (typeof fields[name] === 'string' ? (fields[name] as string) : '');
  const agent = audience === 'agent';
  const named = (id: unknown) => {
    const a = typeof id === 'string' ? offered.get(id) : undefined;
    return a ? `${a.nom} ${a.prenom}` : null;
  };
  switch (type) {
    case 'DESCRIBE_MESSAGE':
      return `Message : ${quoted(text('message'))}`;
    case 'CHOOSE_PROFILE':
      return content.shared.espaces[text('profile') as keyof SharedEspaces] ?? null;
    case 'SEARCH':
      return agent ? `Recherche : ${quoted(text('query'), 60)}` : null;
    case 'SUBMIT_IDENTITY': {
      if (!agent) return 'Informations de la page d’erreur indiquées';
      if (text('login')) return `Identifiant ENT : ${text('login')}`;
      const date = text('dateNaissance') ? `, né(e) le ${frenchDate(text('dateNaissance'))}` : '';
      return `${text('nom')} ${text('prenom')}${date}`;
    }
    case 'SELECT_ACCOUNT':
      return agent ? named(fields.accountId) : null;
    case 'SELECT_ACCOUNTS': {
      const ids = Array.isArray(fields.accountIds) ? fields.accountIds : [];
      const names = ids.map(named);
      if (!agent) return null;
      return ids.length <= MAX_NAMED && names.every((n) => n !== null)
        ? names.join(', ')
        : `${ids.length} comptes`;
    }
    default:
      return null;
  }
}

type SharedEspaces = ContentCatalog['shared']['espaces'];

/** The accounts a step offered (found, or candidates), by id, as its stored snapshot keeps them. */
function offeredAccounts(entry: HistoryEntry): Map<string, AccountSummary> {
  const context = (entry.snapshot as { context?: Partial<FlowContext> } | null)?.context;
  const offered = [...(context?.search?.accounts ?? []), ...(context?.comparison?.candidates ?? [])];
  return new Map(offered.map((a) => [a.id, a]));
}

/** Few enough picked accounts are named; more are counted. */
const MAX_NAMED = 3;

function detailsOf(
  content: ContentCatalog,
  stepId: string,
  fields: Record<string, unknown>,
  offered: Map<string, AccountSummary>,
): string[] {
  const text = content.step(stepId, 'agent');
  // An answer that picked accounts carries their ids; the agent reads the names the step showed.
  const named = (id: unknown) => {
    const a = typeof id === 'string' ? offered.get(id) : undefined;
    return a ? `${a.nom} ${a.prenom}` : null;
  };
  return Object.entries(fields)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([name, v]) => {
      const label = text.fields[name]?.label ?? content.shared.fields[name] ?? name;
      const names = Array.isArray(v) ? v.map(named) : [];
      const value = Array.isArray(v)
        ? v.length <= MAX_NAMED && names.every((n) => n !== null)
          ? names.join(', ')
          : `${v.length} compte(s)`
        : name === 'dateNaissance'
          ? frenchDate(String(v))
          : (named(v) ?? String(v));
      return `${label} : ${value}`;
    });
}
