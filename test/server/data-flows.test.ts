import { describe, expect, it } from 'vitest';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { fr } from '../helpers/french.js';
import { AGENT, createTestApp, type TestApp } from '../helpers/test-app.js';

const UAI = DEMO_CASES.uai;

async function agentSession(api: TestApp, flow: string, uai: string = UAI) {
  const { status, body } = await api.json('/api/sessions', { flow, uai });
  expect(status).toBe(201);
  const id = body.id as string;
  const send = async (event: Record<string, unknown>) => {
    const res = await api.json(`/api/sessions/${id}/events`, event);
    return res;
  };
  return { id, send };
}

const types = (view: { events: Array<{ type: string }> }) => view.events.map((e) => e.type);

describe('auth-error on the demo data', () => {
  it('finds the day/month swap, fixes the birth date, shows the check now passes, and the fix can be undone', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { id, send } = await agentSession(api, 'auth-error');
    const compared = await send({ type: 'SUBMIT_IDENTITY', login: DEMO_CASES.dateSwapped.login });
    expect(compared.body.step).toBe('auth-error.choose-fix');
    const rows = compared.body.view.results.comparison.rows as Array<{ field: string; verdict: string }>;
    expect(rows.find((r) => r.field === 'dateNaissance')?.verdict).toBe('close');
    expect(types(compared.body.view)).toContain('FIX_IDENTITY');

    const before = await api.pronote.getAccount(UAI, DEMO_CASES.dateSwapped.accountId);
    const fixed = await send({ type: 'FIX_IDENTITY' });
    expect(fixed.body.step).toBe('auth-error.confirm');
    const after = await api.pronote.getAccount(UAI, DEMO_CASES.dateSwapped.accountId);
    expect(after?.dateNaissance).not.toBe(before?.dateNaissance);
    const outcomes = fixed.body.view.outcomes as Array<{ step: string; outcome: string }>;
    expect(outcomes.map((o) => `${o.step}:${o.outcome}`)).toEqual([
      'auth-error.fix-identity:done',
      'auth-error.verify:match',
    ]);

    const audit = await api.pronote.listAudit({ uai: UAI, limit: 10 });
    expect(audit[0]).toMatchObject({
      actor: 'agent.test',
      sessionId: id,
      step: 'auth-error.fix-identity',
      action: 'set-identity',
    });

    const browser = api.browser();
    await browser.get('/audit');
    const undone = await browser.post(`/audit/${audit[0]?.id}/annuler`, {});
    expect(undone.status).toBe(303);
    expect((await api.pronote.getAccount(UAI, DEMO_CASES.dateSwapped.accountId))?.dateNaissance).toBe(
      before?.dateNaissance,
    );
  });

  it('does not offer fix 1 when the identities differ only by accents, and writes nothing if sent', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { send } = await agentSession(api, 'auth-error');
    const compared = await send({ type: 'SUBMIT_IDENTITY', login: DEMO_CASES.accentMissing.login });
    expect(compared.body.step).toBe('auth-error.choose-fix');
    expect(types(compared.body.view)).not.toContain('FIX_IDENTITY');
    // Nothing stands in the way of the link, nothing differs: neither « supprimer » nor fix 1 applies.
    expect(types(compared.body.view)).not.toContain('CHOOSE_CHANGED_ACCOUNT');
    expect(types(compared.body.view)).toEqual(expect.arrayContaining(['FIX_CAS_ID', 'DONE']));
    const before = await api.pronote.getAccount(UAI, DEMO_CASES.accentMissing.accountId);
    expect((await send({ type: 'FIX_IDENTITY' })).status).toBe(422);
    expect(await api.pronote.getAccount(UAI, DEMO_CASES.accentMissing.accountId)).toEqual(before);
    expect(await api.pronote.listAudit({ uai: UAI, limit: 10 })).toEqual([]);
  });

  it('refuses fix 2 when the login is held by another account, and names the holder', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { send } = await agentSession(api, 'auth-error');
    const compared = await send({ type: 'SUBMIT_IDENTITY', login: DEMO_CASES.wrongCasId.login });
    expect(compared.body.view.results.comparison.casHolder.id).toBe(DEMO_CASES.wrongCasId.holderId);
    expect(types(compared.body.view)).not.toContain('FIX_CAS_ID');
    const refused = await send({ type: 'FIX_CAS_ID' });
    expect(refused.status).toBe(422);
  });

  it('tells homonyms apart by birth date when the ENT gives one', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { send } = await agentSession(api, 'auth-error');
    const res = await send({ type: 'SUBMIT_IDENTITY', login: DEMO_CASES.homonyms.logins[1] });
    expect(res.body.step).toBe('auth-error.choose-fix');
    expect(res.body.view.results.comparison.account.id).toBe(DEMO_CASES.homonyms.accountIds[1]);
  });

  it('lists homonyms without a birth date and lets the agent choose, never linking by itself', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { send } = await agentSession(api, 'auth-error');
    const res = await send({ type: 'SUBMIT_IDENTITY', nom: 'Devaux', prenom: 'Martin' });
    expect(res.body.step).toBe('auth-error.choose-account');
    const ids = (res.body.view.results.candidates as Array<{ id: string }>).map((c) => c.id).sort();
    expect(ids).toEqual([...DEMO_CASES.homonyms.accountIds].sort());
    expect(res.body.view.events.map((e: { type: string }) => e.type)).not.toContain('FIX_CAS_ID');
    const chosen = await send({ type: 'SELECT_ACCOUNT', accountId: DEMO_CASES.homonyms.accountIds[0] });
    expect(chosen.body.step).toBe('auth-error.choose-fix');
  });

  it('a usage name unlike the birth name, same prénom and birth date: proposed as a mismatch on nom, linked by Identifiant CAS', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { send } = await agentSession(api, 'auth-error');
    const { accountId, login } = DEMO_CASES.usageName;
    const compared = await send({ type: 'SUBMIT_IDENTITY', login });
    expect(compared.body.step).toBe('auth-error.choose-fix');
    expect(compared.body.view.events.map((e: { type: string }) => e.type)).toContain('FIX_CAS_ID');
    const nom = (compared.body.view.results.comparison.rows as Array<{ field: string; verdict: string }>)[0];
    expect(nom).toMatchObject({ field: 'nom', verdict: 'different' });
    const linked = await send({ type: 'FIX_CAS_ID' });
    // After fix 2 the next step speaks of the link, not of the identity.
    expect(linked.body.step).toBe('auth-error.confirm-link');
    expect(linked.body.view.title).toMatch(/Identifiant CAS/);
    expect((await api.pronote.getAccount(UAI, accountId))?.casId).toBe(login);
  });

  it('two agents fixing the same account: one wins, the other is told and shown the new value', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const a = await agentSession(api, 'auth-error');
    const b = await agentSession(api, 'auth-error');
    await a.send({ type: 'SUBMIT_IDENTITY', login: DEMO_CASES.dateSwapped.login });
    await b.send({ type: 'SUBMIT_IDENTITY', login: DEMO_CASES.dateSwapped.login });
    expect((await a.send({ type: 'FIX_IDENTITY' })).body.step).toBe('auth-error.confirm');
    const lost = await b.send({ type: 'FIX_IDENTITY' });
    expect(lost.body.step).toBe('auth-error.choose-fix');
    expect(lost.body.view.results.fix.outcome).toBe('conflict');
    expect(lost.body.view.results.fix.current[0].id).toBe(DEMO_CASES.dateSwapped.accountId);
    expect(await api.pronote.listAudit({ uai: UAI, limit: 10 })).toHaveLength(1);
  });
});

describe('the comparison recommends one fix and names each difference', () => {
  const recommended = (view: { events: Array<{ type: string; recommended?: boolean }> }) =>
    view.events.filter((e) => e.recommended).map((e) => e.type);
  const labels = (view: {
    results: { comparison: { rows: Array<{ field: string; verdictLabel: string }> } };
  }) => Object.fromEntries(view.results.comparison.rows.map((r) => [r.field, r.verdictLabel]));

  it('a day/month swap: « Jour et mois inversés », fix 1 recommended', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { send } = await agentSession(api, 'auth-error');
    const { body } = await send({ type: 'SUBMIT_IDENTITY', login: DEMO_CASES.dateSwapped.login });
    expect(labels(body.view).dateNaissance).toBe('Jour et mois inversés');
    expect(recommended(body.view)).toEqual(['FIX_IDENTITY']);
    expect(body.view.results.comparison.advice.differences).toEqual([
      fr('Date de naissance : jour et mois inversés'),
    ]);
  });

  it('a usage name: « Nom d’usage / nom de naissance », fix 2 recommended', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { send } = await agentSession(api, 'auth-error');
    const { body } = await send({ type: 'SUBMIT_IDENTITY', login: DEMO_CASES.usageName.login });
    expect(labels(body.view).nom).toBe('Nom d’usage / nom de naissance');
    expect(recommended(body.view)).toEqual(['FIX_CAS_ID']);
  });

  it('accents only: the identity is not at fault, fix 2 recommended', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { send } = await agentSession(api, 'auth-error');
    const { body } = await send({ type: 'SUBMIT_IDENTITY', login: DEMO_CASES.accentMissing.login });
    expect(Object.values(labels(body.view))).toContain('Accents seulement');
    expect(recommended(body.view)).toEqual(['FIX_CAS_ID']);
  });

  it('a manual search finding one account says so in the singular', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { send } = await agentSession(api, 'auth-error');
    const missing = await send({ type: 'SUBMIT_IDENTITY', nom: 'Zorglub', prenom: 'Anatole' });
    expect(missing.body.step).toBe('auth-error.not-found');
    const found = await send({ type: 'SEARCH', query: 'Laurence' });
    expect(found.body.step).toBe('auth-error.choose-account');
    expect(found.body.view.title).toMatch(/^Une fiche correspond/);
  });

  it('the account already linked: nothing to fix, « rien à corriger » recommended', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { send } = await agentSession(api, 'auth-error');
    const { body } = await send({ type: 'SUBMIT_IDENTITY', login: DEMO_CASES.casIdLinked.login });
    expect(recommended(body.view)).toEqual(['DONE']);
  });
});

describe('changed-account on the demo data', () => {
  it('clears the old Identifiant CAS of a selection in one step', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { send } = await agentSession(api, 'changed-account');
    const [first] = DEMO_CASES.changedLogin;
    const found = await send({ type: 'SEARCH', query: first.oldLogin });
    expect(found.body.step).toBe('changed-account.select');
    const picked = await send({ type: 'SELECT_ACCOUNTS', accountIds: [first.accountId] });
    expect(picked.body.step).toBe('changed-account.confirm-clear');
    const cleared = await send({ type: 'CLEAR_CAS_ID' });
    expect(cleared.body.step).toBe('changed-account.confirm');
    expect((await api.pronote.getAccount(UAI, first.accountId))?.casId).toBeNull();
  });
});

describe('profile-wide on the demo data', () => {
  it('finds the unpublished espace and publishes it in the three steps of the FAQ', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { uai, espace } = DEMO_CASES.espaceUnpublished;
    const { send } = await agentSession(api, 'profile-wide', uai as string);
    const checked = await send({ type: 'CHOOSE_PROFILE', profile: espace });
    expect(checked.body.step).toBe('profile-wide.offer-publish');
    expect(checked.body.view.results.publication.espacePublished).toBe(false);
    const published = await send({ type: 'PUBLISH_ESPACE' });
    expect(published.body.step).toBe('profile-wide.confirm');
    expect((await api.pronote.getPublication(uai))?.espaces[espace]).toBe(true);
    const actions = (await api.pronote.listAudit({ uai, limit: 10 })).map((e) => e.action).reverse();
    expect(actions).toEqual(['unpublish-base', 'publish-espace', 'publish-base']);
  });
});

describe('single-parent on the demo data', () => {
  it('finds the responsable through the child, sees « Esp. par. » unticked and grants it', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { send } = await agentSession(api, 'single-parent');
    const found = await send({ type: 'SEARCH', query: 'Bossard' });
    expect(found.body.step).toBe('single-parent.select');
    const checked = await send({
      type: 'SELECT_ACCOUNT',
      accountId: DEMO_CASES.parentWithoutAccess.accountId,
    });
    expect(checked.body.step).toBe('single-parent.offer-grant');
    // What to check before opening the access: the pupil, the other responsables and their access.
    const access = checked.body.view.results.access;
    expect(access.pupils.map((p: { id: string }) => p.id)).toContain(DEMO_CASES.parentWithoutAccess.childId);
    expect(checked.body.view.html).toMatch(/autre contact/);
    expect(checked.body.view.html).toMatch(/un compte PRONOTE par foyer/);
    // The agent's history names the account picked, as the list showed it, not its internal id.
    const transcript = checked.body.view.transcript as Array<{ step: string; answer: string }>;
    const picked = transcript.find((item) => item.step === 'single-parent.select');
    expect(picked?.answer).toMatch(/BOSSARD Robert/);
    // The name searched, in words: not « Rechercher ».
    expect(transcript.find((item) => item.step === 'single-parent.find')?.answer).toBe(
      fr('Recherche : « Bossard »'),
    );
    expect(JSON.stringify(checked.body.view.transcript)).not.toContain(
      DEMO_CASES.parentWithoutAccess.accountId,
    );
    const granted = await send({ type: 'GRANT_ACCESS' });
    expect(granted.body.step).toBe('single-parent.confirm');
    expect((await api.pronote.getAccount(UAI, DEMO_CASES.parentWithoutAccess.accountId))?.espaceParents).toBe(
      true,
    );
  });
});

describe('an end user on a school with data', () => {
  it('gets the FAQ question, never the data', async () => {
    const api = await createTestApp({ data: true });
    const { body } = await api.json('/api/sessions', { flow: 'auth-error', uai: UAI });
    const res = await api.json(`/api/sessions/${body.id}/events`, {
      type: 'SUBMIT_IDENTITY',
      login: DEMO_CASES.dateSwapped.login,
    });
    expect(res.body.step).toBe('auth-error.ask-compare');
    const html = await (await api.app.request(`/s/${body.id}`)).text();
    expect(html).not.toMatch(/BERTIN|Tayeb|tayeb\.bertin/i);
  });
});
