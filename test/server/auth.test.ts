import { describe, expect, it } from 'vitest';
import { fr } from '../helpers/french.js';
import { awayFromWindowEdge } from '../helpers/rate-window.js';
import { createTestApp } from '../helpers/test-app.js';

async function withAdmin() {
  const api = await createTestApp();
  await api.agents.add({ name: 'admin', admin: true, schools: 'all' });
  const link = await api.auth.issueSignInLink('admin');
  return { api, link };
}

describe('agents sign in', () => {
  it('with a one-time link, which then no longer works', async () => {
    const { api, link } = await withAdmin();
    const browser = api.browser();
    await browser.get(link);
    const signedIn = await browser.post(link, {});
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('Location')).toBe('/compte');
    expect((await browser.get('/compte')).text).toContain(fr('Mon compte : admin'));

    const other = api.browser();
    await other.get(link);
    expect((await other.post(link, {})).status).toBe(403);
  });

  it('with a password they chose, and never with a wrong one', async () => {
    const { api, link } = await withAdmin();
    const browser = api.browser();
    await browser.get(link);
    await browser.post(link, {});
    await browser.get('/compte');
    const short = await browser.post('/compte/mot-de-passe', { password: 'court', confirm: 'court' });
    expect(short.status).toBe(422);
    expect(short.text).toContain('12 caractères');
    expect(
      (
        await browser.post('/compte/mot-de-passe', {
          password: 'un mot de passe long',
          confirm: 'un mot de passe long',
        })
      ).status,
    ).toBe(200);

    const fresh = api.browser();
    await fresh.get('/connexion');
    const wrong = await fresh.post('/connexion', { name: 'admin', password: 'pas le bon mot de passe' });
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain('Identifiant ou mot de passe incorrect');
    const right = await fresh.post('/connexion', { name: 'admin', password: 'un mot de passe long' });
    expect(right.status).toBe(303);
    expect((await fresh.get('/agents')).status).toBe(200);
  });

  it('stores no password and no secret in clear', async () => {
    const { api } = await withAdmin();
    const token = await api.auth.issueApiToken('admin');
    const dump = JSON.stringify(api.db.prepare('SELECT * FROM agent_secrets').all());
    expect(dump).not.toContain(token);
  });

  it('limits password guessing', async () => {
    await awayFromWindowEdge();
    const { api } = await withAdmin();
    const browser = api.browser();
    await browser.get('/connexion');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++)
      statuses.push((await browser.post('/connexion', { name: 'admin', password: `essai ${i}` })).status);
    expect(statuses.slice(0, 10).every((s) => s === 422)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('admin pages', () => {
  it('are refused to anonymous visitors and to agents who are not admins', async () => {
    const { api } = await withAdmin();
    expect((await api.browser().get('/agents')).status).toBe(403);
    await api.agents.add({ name: 'agent.x', admin: false, schools: ['0130001A'] });
    const b = api.browser();
    const link = await api.auth.issueSignInLink('agent.x');
    await b.get(link);
    await b.post(link, {});
    expect((await b.get('/agents')).status).toBe(403);
  });

  it('let an admin add an agent and get a one-time link for them', async () => {
    const { api, link } = await withAdmin();
    const b = api.browser();
    await b.get(link);
    await b.post(link, {});
    await b.get('/agents');
    const created = await b.post('/agents', { name: 'marie.curie', schools: '0130001A, 0130002b' });
    expect(created.status).toBe(200);
    expect(created.text).toMatch(/\/connexion\/lien\/[\w-]{43}/);
    expect((await api.agents.get('marie.curie'))?.schools).toEqual(['0130001A', '0130002B']);
    const bad = await b.post('/agents', { name: 'x y', schools: '' });
    expect(bad.status).toBe(422);
  });
});

describe('CSRF', () => {
  it('refuses a form post without the page’s token', async () => {
    const { app } = await createTestApp();
    const res = await app.request('/s', {
      method: 'POST',
      body: new URLSearchParams({ flow: 'auth-error' }),
    });
    expect(res.status).toBe(403);
  });

  it('refuses a form post with a token from another browser', async () => {
    const api = await createTestApp();
    const a = api.browser();
    await a.get('/');
    const b = api.browser();
    await b.get('/');
    b.cookies.set('csrf_id', a.cookies.get('csrf_id') === 'x' ? 'y' : 'z'.repeat(43));
    expect((await b.post('/s', {})).status).toBe(403);
  });

  it('accepts the form of the page', async () => {
    const b = (await createTestApp()).browser();
    await b.get('/');
    const res = await b.post('/s', { flow: 'single-parent' });
    expect(res.status).toBe(303);
  });

  it('refuses JSON API posts that are not sent as JSON', async () => {
    const { app } = await createTestApp();
    const res = await app.request('/api/sessions', {
      method: 'POST',
      body: '{}',
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(res.status).toBe(403);
  });
});

describe('API tokens', () => {
  it('act with the rights of their agent', async () => {
    const api = await createTestApp();
    await api.agents.add({ name: 'bot', admin: false, schools: ['0130001A'] });
    const token = await api.auth.issueApiToken('bot');
    const res = await api.app.request('/api/sessions', {
      method: 'POST',
      body: JSON.stringify({ flow: 'auth-error', uai: '0130001A' }),
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { view: { audience: string } };
    expect(body.view.audience).toBe('agent');
    const anon = await api.json('/api/sessions', { flow: 'auth-error' });
    expect(anon.body.view.audience).toBe('public');
  });
});
