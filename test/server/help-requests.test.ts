import { describe, expect, it } from 'vitest';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { fr } from '../helpers/french.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

async function publicSessionAtEscalate(api: TestApp) {
  const { body } = await api.json('/api/sessions', { flow: 'auth-error' });
  const id = body.id as string;
  await api.json(`/api/sessions/${id}/events`, {
    type: 'SUBMIT_IDENTITY',
    nom: 'Bertin',
    prenom: 'Tayeb',
    dateNaissance: '11/08/1999',
  });
  const end = await api.json(`/api/sessions/${id}/events`, { type: 'ESCALATE' });
  expect(end.body.step).toBe('auth-error.escalate');
  return id;
}

describe('an end user’s request to the school', () => {
  it('ends the flow with a form that repeats none of what they typed, and lands in the school’s queue', async () => {
    const api = await createTestApp({ data: true });
    const id = await publicSessionAtEscalate(api);
    const user = api.browser();
    const page = await user.get(`/s/${id}`);
    expect(page.text).toContain('Envoyer une demande à votre établissement');
    expect(page.text).not.toMatch(/Bertin|Tayeb|1999/);
    const sent = await user.post(`/s/${id}/demande`, {
      uai: DEMO_CASES.uai,
      corrections: 'La date de naissance est le 08/11/1999',
      email: 'famille@example.org',
    });
    expect(sent.status).toBe(200);
    expect(sent.text).toContain('Demande envoyée');
    const [request] = await api.requests.list([DEMO_CASES.uai]);
    expect(request?.data.identity).toMatchObject({
      nom: 'Bertin',
      prenom: 'Tayeb',
      dateNaissance: '1999-08-11',
    });
  });

  it('refuses a request without a way to answer, or for a school not in the list, in French', async () => {
    const api = await createTestApp({ data: true });
    const id = await publicSessionAtEscalate(api);
    const user = api.browser();
    await user.get(`/s/${id}`);
    const noContact = await user.post(`/s/${id}/demande`, { uai: DEMO_CASES.uai, corrections: 'x' });
    expect(noContact.status).toBe(422);
    expect(noContact.text).toContain('adresse e-mail ou un téléphone');
    const badSchool = await user.post(`/s/${id}/demande`, {
      uai: '9999999Z',
      corrections: 'x',
      email: 'a@b.fr',
    });
    expect(badSchool.status).toBe(422);
    expect(await api.requests.list('all')).toHaveLength(0);
  });

  it('gives back what was typed in the form with the reason beside the refused field', async () => {
    const api = await createTestApp({ data: true });
    const id = await publicSessionAtEscalate(api);
    const user = api.browser();
    await user.get(`/s/${id}`);
    const refused = await user.post(`/s/${id}/demande`, {
      uai: DEMO_CASES.uai,
      corrections: 'Le prénom est Tayeb-Ali',
      telephone: 'pas un numéro',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('>Le prénom est Tayeb-Ali</textarea>');
    expect(refused.text).toMatch(new RegExp(`<option value="${DEMO_CASES.uai}" selected`));
    // The message describes the field; it is not inside its label, whose text stays the field's name.
    expect(refused.text).toMatch(/id="demande-telephone"[^>]*aria-describedby="demande-telephone-error"/);
    expect(refused.text).toMatch(/<label for="demande-telephone">Ou téléphone<\/label>/);
    expect(refused.text).toContain('Numéro de téléphone invalide.');
  });

  it('opens, for an agent of that school, a session at the comparison with the identity filled in', async () => {
    const api = await createTestApp({ data: true });
    const id = await publicSessionAtEscalate(api);
    const user = api.browser();
    await user.get(`/s/${id}`);
    await user.post(`/s/${id}/demande`, {
      uai: DEMO_CASES.uai,
      corrections: 'date',
      telephone: '04 00 00 00 00',
    });
    await api.agents.add({ name: 'agent.x', admin: false, schools: [DEMO_CASES.uai] });
    const agent = api.browser();
    const link = await api.auth.issueSignInLink('agent.x');
    await agent.get(link);
    await agent.post(link, {});
    const queue = await agent.get('/demandes');
    expect(queue.text).toContain('Bertin');
    const request = (await api.requests.list('all'))[0];
    const opened = await agent.post(`/demandes/${request?.id}/ouvrir`, {});
    expect(opened.status).toBe(303);
    const session = await agent.get(opened.headers.get('Location') ?? '');
    expect(session.text).toContain('data-step="auth-error.choose-fix"');
    expect(session.text).toContain('BERTIN');
  });
});

/** A public session of `flow`, ended by « ask the school ». */
async function publicEscalate(api: TestApp, flow: string) {
  const { body } = await api.json('/api/sessions', { flow });
  const id = body.id as string;
  const end = await api.json(`/api/sessions/${id}/events`, { type: 'ESCALATE' });
  expect(end.body.step).toBe(`${flow}.escalate`);
  return id;
}

async function signedInAgent(api: TestApp) {
  await api.agents.add({ name: 'agent.y', admin: false, schools: [DEMO_CASES.uai] });
  const agent = api.browser();
  const link = await api.auth.issueSignInLink('agent.y');
  await agent.get(link);
  await agent.post(link, {});
  return agent;
}

describe('requests in every flow', () => {
  it('asks a parent for the pupil and class, not for « Données connues », and opens in the Espace Parents flow', async () => {
    const api = await createTestApp({ data: true });
    const id = await publicEscalate(api, 'single-parent');
    const user = api.browser();
    const page = await user.get(`/s/${id}`);
    expect(page.text).toContain('Nom et prénom de votre enfant');
    expect(page.text).not.toContain('Données connues');
    expect(page.text).not.toContain('name="corrections"');
    expect(page.text).toContain('— à transmettre');
    expect(page.text).toContain('Responsable du traitement');

    const refused = await user.post(`/s/${id}/demande`, {
      uai: DEMO_CASES.uai,
      classe: '5A',
      email: 'p@example.org',
    });
    expect(refused.status).toBe(422);
    expect(refused.text).toContain('Indiquez le nom et le prénom de votre enfant.');
    expect(refused.text).toMatch(/id="demande-classe"[^>]*value="5A"/);

    const sent = await user.post(`/s/${id}/demande`, {
      uai: DEMO_CASES.uai,
      eleve: 'BOSSARD Damien',
      classe: '5A',
      email: 'p@example.org',
    });
    expect(sent.status).toBe(200);
    expect(sent.text).toMatch(/<h2[^>]*>Demande envoyée<\/h2>/);
    const reference = /Référence\u00a0: <strong>(D-[A-Z0-9-]+)<\/strong>/.exec(sent.text)?.[1] ?? '';
    expect(reference).not.toBe('');
    expect((await user.get(`/s/${id}`)).text).toContain('— transmis');

    const again = await user.post(`/s/${id}/demande`, {
      uai: DEMO_CASES.uai,
      eleve: 'x',
      email: 'p@example.org',
    });
    expect(again.text).toContain('Demande déjà envoyée');
    expect(again.text).toContain(reference);
    expect(await api.requests.list('all')).toHaveLength(1);

    const agent = await signedInAgent(api);
    const queue = await agent.get('/demandes');
    expect(queue.text).toContain('Un parent sans accès');
    expect(queue.text).toContain(fr('Élève : BOSSARD Damien (5A)'));
    const [request] = await api.requests.list('all');
    const opened = await agent.post(`/demandes/${request?.id}/ouvrir`, {});
    const session = await agent.get(opened.headers.get('Location') ?? '');
    expect(session.text).toMatch(/data-step="single-parent\.(select|check-access|offer-grant)"/);
    expect(session.text).toContain('BOSSARD');
  });

  it('asks for the espace when a whole profile fails, and opens at that espace’s publication', async () => {
    const api = await createTestApp({ data: true });
    const id = await publicEscalate(api, 'profile-wide');
    const user = api.browser();
    const page = await user.get(`/s/${id}`);
    expect(page.text).toContain('name="espace"');
    expect(page.text).not.toContain('name="corrections"');
    await user.post(`/s/${id}/demande`, {
      uai: DEMO_CASES.uai,
      espace: 'parents',
      telephone: '04 00 00 00 00',
    });
    const agent = await signedInAgent(api);
    const [request] = await api.requests.list('all');
    expect(request?.data.details).toEqual({ espace: 'parents' });
    const opened = await agent.post(`/demandes/${request?.id}/ouvrir`, {});
    const session = await agent.get(opened.headers.get('Location') ?? '');
    expect(session.text).toMatch(/data-step="profile-wide\.(?!choose-profile)/);
  });

  it('asks for the old and new logins after a change of ENT account, and opens the search on the old one', async () => {
    const api = await createTestApp({ data: true });
    const id = await publicEscalate(api, 'changed-account');
    const user = api.browser();
    const page = await user.get(`/s/${id}`);
    expect(page.text).toContain('Votre ancien identifiant ENT');
    const none = await user.post(`/s/${id}/demande`, { uai: DEMO_CASES.uai, email: 'a@example.org' });
    expect(none.status).toBe(422);
    expect(none.text).toContain('Indiquez votre ancien identifiant ENT, ou le nouveau.');
    await user.post(`/s/${id}/demande`, {
      uai: DEMO_CASES.uai,
      ancien: 'anne.doucet',
      nouveau: 'anne.doucet2',
      email: 'a@example.org',
    });
    const agent = await signedInAgent(api);
    const [request] = await api.requests.list('all');
    const opened = await agent.post(`/demandes/${request?.id}/ouvrir`, {});
    const session = await agent.get(opened.headers.get('Location') ?? '');
    expect(session.text).toMatch(/data-step="changed-account\./);
    expect(session.text).toContain('DOUCET');
  });

  it('does not count refused forms against the limit of five requests', async () => {
    const api = await createTestApp({ data: true });
    const id = await publicEscalate(api, 'single-parent');
    const user = api.browser();
    await user.get(`/s/${id}`);
    for (let i = 0; i < 6; i++) {
      const refused = await user.post(`/s/${id}/demande`, { uai: DEMO_CASES.uai, eleve: 'X' });
      expect(refused.status).toBe(422);
    }
    const sent = await user.post(`/s/${id}/demande`, {
      uai: DEMO_CASES.uai,
      eleve: 'X',
      email: 'x@example.org',
    });
    expect(sent.status).toBe(200);
  });
});
