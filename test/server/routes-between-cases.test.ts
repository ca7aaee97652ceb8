import { describe, expect, it } from 'vitest';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { fr } from '../helpers/french.js';
import { AGENT, createTestApp, type TestApp } from '../helpers/test-app.js';

type View = {
  events: Array<{ type: string; fields: Array<{ name: string; value?: string }> }>;
};

async function start(api: TestApp, body: Record<string, unknown>) {
  const { status, body: started } = await api.json('/api/sessions', body);
  expect(status).toBe(201);
  const id = started.id as string;
  return {
    first: started,
    send: async (event: Record<string, unknown>) => {
      const res = await api.json(`/api/sessions/${id}/events`, event);
      expect(res.status, JSON.stringify(res.body.error)).toBe(200);
      return res.body;
    },
  };
}

const types = (view: View) => view.events.map((e) => e.type);

describe('the comparison offers only the corrections that can apply', () => {
  it('a login held by another account: « supprimer » offered, fix 2 not, « rien à corriger » not', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { send } = await start(api, { flow: 'auth-error', uai: DEMO_CASES.uai });
    const { view } = await send({ type: 'SUBMIT_IDENTITY', login: DEMO_CASES.wrongCasId.login });
    expect(types(view)).toContain('CHOOSE_CHANGED_ACCOUNT');
    expect(types(view)).not.toContain('FIX_CAS_ID');
  });

  it('a day and month swapped: fix 1 and fix 2, but no « rien à corriger » and nothing to delete', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { send } = await start(api, { flow: 'auth-error', uai: DEMO_CASES.uai });
    const { view } = await send({ type: 'SUBMIT_IDENTITY', login: DEMO_CASES.dateSwapped.login });
    expect(types(view)).toEqual(expect.arrayContaining(['FIX_IDENTITY', 'FIX_CAS_ID']));
    expect(types(view)).not.toContain('DONE');
    expect(types(view)).not.toContain('CHOOSE_CHANGED_ACCOUNT');
  });
});

describe('routes between cases', () => {
  it('an end user whose profile’s others get in: a parent goes to the one-parent check', async () => {
    const api = await createTestApp();
    const { send } = await start(api, { flow: 'profile-wide' });
    const asked = await send({ type: 'CHOOSE_PROFILE', profile: 'parents' });
    expect(asked.step).toBe('profile-wide.ask-publication');
    // The espace chosen, in words, in the history and in the next question's text.
    expect(asked.view.transcript.at(-1).answer).toBe('Espace Parents');
    expect(asked.view.html).toContain('Parmi les parents');
    expect((await send({ type: 'ANSWER_YES' })).step).toBe('single-parent.ask-access');
  });

  it('an end user whose profile’s others get in: a pupil goes to « Identification impossible »', async () => {
    const api = await createTestApp();
    const { send } = await start(api, { flow: 'profile-wide' });
    await send({ type: 'CHOOSE_PROFILE', profile: 'eleves' });
    expect((await send({ type: 'ANSWER_YES' })).step).toBe('auth-error.identify');
  });

  it('an agent on a published Espace Parents can go on to one parent’s access', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { send } = await start(api, { flow: 'profile-wide', uai: DEMO_CASES.uai });
    const published = await send({ type: 'CHOOSE_PROFILE', profile: 'parents' });
    expect(published.step).toBe('profile-wide.published');
    expect((await send({ type: 'CHOOSE_SINGLE_PARENT' })).step).toBe('single-parent.find');
  });

  it('« Vous n’avez pas accès à l’Espace Élèves » for one pupil has its own step', async () => {
    const api = await createTestApp();
    const { send } = await start(api, {});
    const noAccess = await send({
      type: 'DESCRIBE_MESSAGE',
      message: 'Vous n’avez pas accès à l’Espace Élèves',
    });
    expect(noAccess.step).toBe('triage.no-access');
    const one = await send({ type: 'ANSWER_NO' });
    expect(one.step).toBe('triage.one-person');
    expect(types(one.view)).toEqual(expect.arrayContaining(['ANSWER_YES', 'CHOOSE_AUTH_ERROR', 'ESCALATE']));
  });

  it('an unrecognised message is shown back with the choices and a way to ask for help', async () => {
    const api = await createTestApp();
    const { send } = await start(api, {});
    const message = 'Écran blanc après la connexion';
    const { step, view } = await send({ type: 'DESCRIBE_MESSAGE', message });
    expect(step).toBe('triage.not-understood');
    expect(view.transcript.at(-1).answer).toBe(fr(`Message : « ${message} »`));
    const field = view.events.find((e: { type: string }) => e.type === 'DESCRIBE_MESSAGE')?.fields[0];
    expect(field?.value).toBe(message);
    expect(types(view)).toEqual(expect.arrayContaining(['CHOOSE_AUTH_ERROR', 'ESCALATE']));
    expect((await send({ type: 'ESCALATE' })).step).toBe('triage.escalate');
  });
});

describe('no end-user question whose answer nothing uses', () => {
  for (const [flow, first] of [
    ['single-parent', 'single-parent.ask-access'],
    ['changed-account', 'changed-account.clear-manual'],
  ] as const) {
    it(`${flow} starts without asking an end user a name it could not look up`, async () => {
      const api = await createTestApp();
      const { first: started } = await start(api, { flow });
      expect(started.step).toBe(first);
    });
  }

  it('an agent is still asked whom to look up', async () => {
    const api = await createTestApp({ viewer: AGENT });
    const { first: started } = await start(api, { flow: 'single-parent' });
    expect(started.step).toBe('single-parent.find');
  });
});
