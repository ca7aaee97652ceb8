import { describe, expect, it } from 'vitest';
import { type AnyStateMachine, createEmptyActor, type EventObject, transition } from 'xstate';
import { getSimplePaths } from 'xstate/graph';
import type { EventType, FlowEvent } from '../../flows/events.js';
import { FLOW_CHOICES, rootMachine } from '../../flows/root.machine.js';
import { type Audience, FLOW_IDS, type FlowId, type StepMeta } from '../../flows/types.js';
import { indexSteps, stepOf } from '../../src/engine/machine-steps.js';
import { pageTypographyFaults } from '../helpers/french.js';
import { SAMPLE_OUTPUTS, scriptedActors } from '../helpers/scripted-actors.js';
import { AGENT, createTestApp, type TestApp } from '../helpers/test-app.js';

/** Sample data for each event a person sends; several messages so that triage takes every route. */
const SAMPLE_EVENTS: Record<EventType, Array<Record<string, unknown>>> = {
  CHOOSE_AUTH_ERROR: [{}],
  CHOOSE_CHANGED_ACCOUNT: [{}],
  CHOOSE_PROFILE_WIDE: [{}],
  CHOOSE_SINGLE_PARENT: [{}],
  DESCRIBE_MESSAGE: [
    {
      message:
        'Identification impossible. Nous n’avons pas réussi à vous identifier sur votre Espace PRONOTE.',
    },
    { message: 'Vous n’avez pas accès à l’Espace Parents' },
    { message: 'HTTP Error 503. The service is unavailable.' },
    { message: 'Votre identifiant ou votre mot de passe est incorrect' },
    { message: 'La page a expiré' },
    { message: 'Plusieurs élèves ont changé de compte ENT cette année' },
    { message: 'Tous les parents du collège ont une erreur depuis ce matin' },
    { message: 'Une maman n’a pas d’espace parents' },
    { message: 'Rien ne marche, aidez-moi' },
  ],
  SUBMIT_IDENTITY: [{ login: 'lea.martin', nom: 'Martin', prenom: 'Lea', dateNaissance: '04/03/2011' }],
  SEARCH: [{ query: 'Martin' }],
  SELECT_ACCOUNT: [{ accountId: 'acc-1' }],
  SELECT_ACCOUNTS: [{ accountIds: ['acc-1'] }],
  CHOOSE_PROFILE: [{ profile: 'parents' }],
  ANSWER_YES: [{}],
  ANSWER_NO: [{}],
  ANSWER_NOT_FOUND: [{}],
  FIX_IDENTITY: [{}],
  FIX_CAS_ID: [{}],
  RECHECK: [{}],
  CLEAR_CAS_ID: [{}],
  PUBLISH_ESPACE: [{}],
  GRANT_ACCESS: [{}],
  DONE: [{}],
  ESCALATE: [{}],
};

const steps = indexSteps(rootMachine);
const MODE_SAMPLES = new Set(['double-auth', 'pronote-ent-id']);
const DONE_PREFIX = 'xstate.done.actor.';

type Snap = ReturnType<typeof rootMachine.getInitialSnapshot>;

/** The events possible from a snapshot: a person's answers, or each outcome of the running check or fix. */
function eventsFrom(snapshot: Snap, outcomes: (invokeId: string) => string[]): EventObject[] {
  const node = steps.get(stepOf(snapshot).step);
  if (!node) return [];
  if (node.running) {
    const invokeId = Object.keys(snapshot.children)[0] ?? '';
    // The school's mode routes the first comparison only; a check again after a fix reads it as any other.
    const again = node.meta.step === 'auth-error.verify';
    return outcomes(invokeId)
      .filter((o) => !(again && MODE_SAMPLES.has(o)))
      .map((o) => ({
        type: `${DONE_PREFIX}${invokeId}`,
        output: SAMPLE_OUTPUTS[invokeId]?.[o],
      }));
  }
  return node.events.flatMap((type) => SAMPLE_EVENTS[type].map((fields) => ({ type, ...fields })));
}

/**
 * States are told apart by their value and by the parts of the context that guards read: two visits of a
 * step whose guards would answer differently are different states for the traversal.
 */
function guardKey(snapshot: Snap) {
  const c = snapshot.context;
  const cmp = c.comparison;
  const canFix = !!cmp?.account && !!cmp.ent;
  const differs = (cmp?.rows ?? []).some((r) => r.verdict === 'close' || r.verdict === 'different');
  const old = cmp?.account?.casId;
  return [
    canFix && differs,
    canFix && !cmp?.casHolder && !cmp?.linked && cmp?.ent?.login !== '',
    !!cmp?.casHolder || (!!old && old !== cmp?.ent?.login),
    !!cmp?.account && (cmp.linked === true || !differs),
    c.espace ?? null,
    // Only the check after a fix reads which fix it was (fix 2 has its own confirmation).
    stepOf(snapshot).step === 'auth-error.verify' ? (c.fix?.kind ?? null) : null,
    !!cmp?.candidates?.length,
    !!c.search?.accounts?.length,
  ];
}

const flowOf = (s: Snap) => stepOf(s).step.split('.')[0] as FlowId;

/**
 * The simple paths of one flow, from its first step to resolved or escalate, or to the step where it hands
 * over to another flow (whose own paths are walked from its start). Walking per flow keeps every path while
 * not multiplying each flow's paths by every way of reaching it.
 */
function flowPaths(flow: FlowId, outcomes: (invokeId: string) => string[], audience: Audience = 'agent') {
  const input = { audience, uai: '0130001A' };
  const initial = rootMachine.getInitialSnapshot(createEmptyActor() as never, input);
  // A case is entered as the engine enters it: through the triage's choice for it.
  const fromState =
    flow === 'triage'
      ? initial
      : transition(rootMachine, initial, { type: FLOW_CHOICES[flow] } as FlowEvent)[0];
  const leaves = (s: Snap) => s.hasTag('end') || flowOf(s) !== flow;
  // Typed loosely: the traversal also sends the invoked actors' done events, which no person sends.
  return getSimplePaths(rootMachine as AnyStateMachine, {
    input,
    fromState,
    events: (s) => (leaves(s as Snap) ? [] : eventsFrom(s as Snap, outcomes)),
    serializeState: (s) => JSON.stringify([(s as Snap).value, guardKey(s as Snap)]),
    toState: (s) => leaves(s as Snap),
  });
}

type FlowPath = ReturnType<typeof flowPaths>[number];

/** Walks one path through the JSON API, queueing the scripted outputs the path expects. */
async function walk(api: TestApp, queue: unknown[] | null, flow: FlowId, path: FlowPath) {
  const started = await api.json('/api/sessions', flow === 'triage' ? {} : { flow });
  expect(started.status).toBe(201);
  const id = started.body.id as string;
  const visited: Array<{ step: string; seq: number }> = [{ step: started.body.step as string, seq: 1 }];
  const events = path.steps.map((s) => s.event).slice(1);
  const states = path.steps.map((s) => s.state);
  for (let i = 0; i < events.length; i++) {
    const event = events[i] as EventObject & { output?: unknown };
    if (event.type.startsWith(DONE_PREFIX)) continue;
    let j = i;
    while ((events[j + 1] as EventObject | undefined)?.type.startsWith(DONE_PREFIX)) {
      j++;
      queue?.push((events[j] as unknown as { output: unknown }).output);
    }
    const res = await api.json(`/api/sessions/${id}/events`, event);
    const trail = events.map(
      (e) => (e as { type: string; output?: { outcome?: string } }).output?.outcome ?? e.type,
    );
    expect(
      res.status,
      `${event.type} at ${visited.at(-1)?.step} (${trail.join(' > ')}): ${JSON.stringify(res.body.error)}`,
    ).toBe(200);
    expect(res.body.step).toBe(stepOf(states[j + 1] as Snap).step);
    visited.push({ step: res.body.step as string, seq: res.body.seq as number });
  }
  if (queue) expect(queue).toHaveLength(0);
  return { id, visited };
}

/** A path ends well when it reaches resolved or escalate, or the start of another flow. */
function endsWell(flow: FlowId, last: string) {
  return /\.(resolved|escalate)$/.test(last) || !last.startsWith(`${flow}.`);
}

describe('every simple path of every flow, through the HTTP API', () => {
  // Several hundred paths of a dozen answers each: minutes on a loaded machine; speed lives in the benchmarks.
  it('with scripted data: every outcome of every check and fix, to resolved or escalate', async () => {
    const { actors, queue } = scriptedActors();
    const api = await createTestApp({ actors, viewer: AGENT });
    const reached = new Set<string>();
    let walked = 0;
    for (const flow of FLOW_IDS) {
      const paths = flowPaths(flow, (id) => Object.keys(SAMPLE_OUTPUTS[id] ?? {}));
      expect(paths.length, flow).toBeGreaterThan(3);
      for (const path of paths) {
        const { id, visited } = await walk(api, queue, flow, path);
        walked++;
        expect(endsWell(flow, visited.at(-1)?.step ?? '')).toBe(true);
        for (const { step, seq } of visited) {
          if (reached.has(step)) continue;
          reached.add(step);
          const html = await api.app.request(`/s/${id}/${seq}`);
          expect(html.status).toBe(200);
          const page = await html.text();
          expect(page).toContain(`data-step="${step}"`);
          // French typography of the whole page: the step's text and everything around it.
          expect(pageTypographyFaults(page), step).toEqual([]);
          const json = await api.json(`/api/sessions/${id}?at=${seq}`);
          expect(json.body.step).toBe(step);
          expect(json.body.view.title).toBeTruthy();
        }
      }
    }
    expect(walked).toBeGreaterThan(100);
    // Every step a person can stop at lies on some path that ends: no dead end anywhere.
    const settled = [...steps.values()].filter((s) => !s.running).map((s) => s.meta.step);
    expect([...reached].sort()).toEqual(settled.sort());
  }, 180_000);

  it('with no data: the manual fallback asks the FAQ questions and still reaches the end', async () => {
    const api = await createTestApp({ viewer: AGENT });
    const manual: Record<string, string> = {
      compareIdentity: 'unknown',
      findAccounts: 'unknown',
      findResponsables: 'unknown',
      checkPublication: 'unknown',
      checkParentAccess: 'unknown',
    };
    for (const flow of FLOW_IDS) {
      const paths = flowPaths(flow, (id) => (manual[id] ? [manual[id]] : ['manual']));
      expect(paths.length, flow).toBeGreaterThan(1);
      for (const path of paths) {
        const { visited } = await walk(api, null, flow, path);
        expect(endsWell(flow, visited.at(-1)?.step ?? '')).toBe(true);
      }
    }
  });
});

describe('an end user on a school with data', () => {
  it('follows every path of every flow, never sees a name, a birth date or an identifier, and reads French typography', async () => {
    const api = await createTestApp({ data: true, publicPostsPerMinute: 1_000_000 });
    const manual: Record<string, string> = {
      compareIdentity: 'unknown',
      findAccounts: 'unknown',
      findResponsables: 'unknown',
      checkPublication: 'unknown',
      checkParentAccess: 'unknown',
    };
    // The demo school's people, and what the walk itself typed: none may appear on an end user's page.
    const PERSONAL =
      /DEVAUX|BERTIN|GERVAIS|DEJEAN|BOSSARD|MERCIER|florence\.gervais|michelle\.moreau|lea\.martin|\bLea\b|04\/03\/2011|2011-03-04/;
    const seen = new Set<string>();
    for (const flow of FLOW_IDS) {
      for (const path of flowPaths(flow, (id) => (manual[id] ? [manual[id]] : ['manual']), 'public')) {
        const { id, visited } = await walk(api, null, flow, path);
        for (const { step, seq } of visited) {
          const page = await (await api.app.request(`/s/${id}/${seq}`)).text();
          expect(page, step).not.toMatch(PERSONAL);
          if (!seen.has(step)) expect(pageTypographyFaults(page), step).toEqual([]);
          const json = await (await api.app.request(`/api/sessions/${id}?at=${seq}`)).text();
          expect(json, step).not.toMatch(PERSONAL);
          seen.add(step);
        }
      }
    }
    expect(seen.size).toBeGreaterThan(30);
  });
});

describe('each step view', () => {
  it('lists the events it accepts with a label and the fields they take', async () => {
    const api = await createTestApp();
    const { body } = await api.json('/api/sessions', { flow: 'auth-error' });
    const events = body.view.events as Array<{
      type: string;
      label: string;
      fields: Array<{ name: string; label: string }>;
    }>;
    expect(events.map((e) => e.type)).toEqual(['SUBMIT_IDENTITY', 'ESCALATE']);
    for (const e of events) {
      expect(e.label).not.toBe(e.type);
      for (const f of e.fields) expect(f.label).not.toBe(f.name);
    }
    expect(events[0]?.fields.map((f) => f.name)).toEqual([
      'login',
      'nom',
      'prenom',
      'dateNaissance',
      'codePostal',
    ]);
    expect((rootMachine.root.meta as StepMeta | undefined)?.step).toBeUndefined();
  });
});
