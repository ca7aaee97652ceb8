import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/test-app.js';

async function signedIn(api: Awaited<ReturnType<typeof createTestApp>>, name: string) {
  const browser = api.browser();
  const link = await api.auth.issueSignInLink(name);
  await browser.get(link);
  await browser.post(link, {});
  return browser;
}

describe('an API token opens the JSON API and nothing else (finding 4)', () => {
  it('cannot change its agent’s password', async () => {
    const api = await createTestApp();
    await api.agents.add({ name: 'bot', admin: false, schools: ['0130001A'] });
    const token = await api.auth.issueApiToken('bot');
    const res = await api.app.request('/compte/mot-de-passe', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ password: 'un mot de passe long', confirm: 'un mot de passe long' }),
    });
    expect(res.status).toBe(403);
    expect(await api.agents.passwordHash('bot')).toBeNull();
  });

  it('of an admin cannot create an agent', async () => {
    const api = await createTestApp();
    await api.agents.add({ name: 'admin', admin: true, schools: 'all' });
    const token = await api.auth.issueApiToken('admin');
    const res = await api.app.request('/agents', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: 'intrus', schools: '*', admin: '1' }),
    });
    expect(res.status).toBe(403);
    expect(await api.agents.get('intrus')).toBeNull();
  });

  it('reads no agent page either, but still works on /api/*', async () => {
    const api = await createTestApp();
    await api.agents.add({ name: 'admin', admin: true, schools: 'all' });
    const token = await api.auth.issueApiToken('admin');
    const headers = { Authorization: `Bearer ${token}` };
    expect((await api.app.request('/agents', { headers })).status).toBe(403);
    expect((await api.app.request('/api/stats', { headers })).status).toBe(200);
  });
});

describe('changing a password (finding 4)', () => {
  it('asks for the current one once there is one', async () => {
    const api = await createTestApp();
    await api.agents.add({ name: 'agent.x', admin: false, schools: 'all' });
    const browser = await signedIn(api, 'agent.x');
    await browser.get('/compte');
    const first = await browser.post('/compte/mot-de-passe', {
      password: 'premier mot de passe',
      confirm: 'premier mot de passe',
    });
    expect(first.status).toBe(200);
    const hash = await api.agents.passwordHash('agent.x');

    const without = await browser.post('/compte/mot-de-passe', {
      password: 'second mot de passe',
      confirm: 'second mot de passe',
    });
    expect(without.status).toBe(422);
    expect(without.text).toContain('mot de passe actuel');
    const wrong = await browser.post('/compte/mot-de-passe', {
      current: 'pas le bon',
      password: 'second mot de passe',
      confirm: 'second mot de passe',
    });
    expect(wrong.status).toBe(422);
    expect(await api.agents.passwordHash('agent.x')).toBe(hash);

    const right = await browser.post('/compte/mot-de-passe', {
      current: 'premier mot de passe',
      password: 'second mot de passe',
      confirm: 'second mot de passe',
    });
    expect(right.status).toBe(200);
    expect(await api.agents.passwordHash('agent.x')).not.toBe(hash);
  });

  it('ends the agent’s other web sessions, and keeps this one', async () => {
    const api = await createTestApp();
    await api.agents.add({ name: 'agent.x', admin: false, schools: 'all' });
    const here = await signedIn(api, 'agent.x');
    const elsewhere = await signedIn(api, 'agent.x');
    expect((await elsewhere.get('/compte')).status).toBe(200);
    await here.get('/compte');
    const changed = await here.post('/compte/mot-de-passe', {
      password: 'un mot de passe long',
      confirm: 'un mot de passe long',
    });
    expect(changed.status).toBe(200);
    expect((await here.get('/compte')).status).toBe(200);
    expect((await elsewhere.get('/compte')).status).toBe(403);
  });
});
