import { describe, expect, it } from 'vitest';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
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
