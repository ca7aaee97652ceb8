import { describe, expect, it } from 'vitest';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { createTestApp } from '../helpers/test-app.js';

const PASSWORD = 'un mot de passe assez long';

/** An admin signed in (with a password set), a session compared on the demo data, and its ticket link. */
async function ticketOfAComparison() {
  const api = await createTestApp({ data: true });
  await api.agents.add({ name: 'admin', admin: true, schools: 'all' });
  const agent = api.browser();
  const link = await api.auth.issueSignInLink('admin');
  await agent.get(link);
  await agent.post(link, {});
  await agent.get('/compte');
  expect((await agent.post('/compte/mot-de-passe', { password: PASSWORD, confirm: PASSWORD })).status).toBe(
    200,
  );
  const started = await agent.post('/s', { flow: 'auth-error', uai: DEMO_CASES.uai });
  const session = started.headers.get('Location') ?? '';
  const id = /^\/s\/([\w-]+)/.exec(session)?.[1] ?? '';
  await agent.get(session);
  await agent.post(`/s/${id}/events`, {
    at: '1',
    type: 'SUBMIT_IDENTITY',
    login: DEMO_CASES.dateSwapped.login,
  });
  const page = await agent.get(`/s/${id}`);
  const ticket = new URL(/id="ticket-link"[^>]*value="([^"]+)"/.exec(page.text)?.[1] ?? '').pathname;
  expect(ticket).toMatch(/^\/ticket\//);
  return { api, id, ticket, page };
}

describe('a ticket link', () => {
  it('opened signed out leads to the sign-in page, then straight back to the ticket', async () => {
    const { api, id, ticket } = await ticketOfAComparison();
    const browser = api.browser();
    const first = await browser.get(ticket);
    expect(first.status).toBe(303);
    const signIn = first.headers.get('Location') ?? '';
    expect(signIn).toBe(`/connexion?retour=${encodeURIComponent(ticket)}`);
    const form = await browser.get(signIn);
    expect(form.text).toContain(`name="retour" value="${ticket}"`);
    const signedIn = await browser.post('/connexion', { name: 'admin', password: PASSWORD, retour: ticket });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('Location')).toBe(ticket);
    const opened = await browser.get(ticket);
    expect(opened.headers.get('Location')).toBe(`/s/${id}/2`);
  });

  it('never sends anyone elsewhere after signing in', async () => {
    const { api } = await ticketOfAComparison();
    const browser = api.browser();
    await browser.get('/connexion');
    const res = await browser.post('/connexion', {
      name: 'admin',
      password: PASSWORD,
      retour: '//evil.example',
    });
    expect(res.headers.get('Location')).toBe('/');
  });

  it('opened by an agent not allowed on that school: a 403 that says so', async () => {
    const { api, ticket } = await ticketOfAComparison();
    await api.agents.add({ name: 'autre', admin: false, schools: ['0999999Z'] });
    const other = api.browser();
    const link = await api.auth.issueSignInLink('autre');
    await other.get(link);
    await other.post(link, {});
    const res = await other.get(ticket);
    expect(res.status).toBe(403);
    expect(res.text).toContain('votre compte n’a pas de droits');
    expect(res.text).not.toMatch(/introuvable/i);
  });

  it('carries the ENT and PRONOTE values side by side in its summary, with a « Copier » button', async () => {
    const { page } = await ticketOfAComparison();
    const summary = /<textarea id="ticket-summary"[^>]*>([\s\S]*?)<\/textarea>/.exec(page.text)?.[1] ?? '';
    expect(summary).toContain('ENT et PRONOTE côte à côte');
    expect(summary).toContain('| Champ | ENT | PRONOTE | Différence |');
    expect(summary).toMatch(/\| Date de naissance \| .* \| Jour et mois inversés \|/);
    expect(page.text).toContain('data-copy="#ticket-summary"');
  });
});
