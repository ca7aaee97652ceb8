import { describe, expect, it } from 'vitest';
import { createTestApp } from '../helpers/test-app.js';
import { SCHOOL_X, SCHOOL_Y } from './fixtures.js';

/** Finding 11: an agent asking for a session on a school they are not allowed on. */
describe('a session on a school the agent is not allowed on', () => {
  it('is refused with a French message through the API, and none is created', async () => {
    const api = await createTestApp({ data: true });
    await api.agents.add({ name: 'agent.y', admin: false, schools: [SCHOOL_Y] });
    const token = await api.auth.issueApiToken('agent.y');
    const res = await api.app.request('/api/sessions', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ flow: 'auth-error', uai: SCHOOL_X }),
    });
    expect(res.status).toBe(403);
    expect(((await res.json()) as { error: string }).error).toMatch(/pas autorisé.*établissement/);
    const allowed = await api.app.request('/api/sessions', {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ flow: 'auth-error', uai: SCHOOL_Y }),
    });
    expect(allowed.status).toBe(201);
  });

  it('is refused from the pages too', async () => {
    const api = await createTestApp({ data: true });
    await api.agents.add({ name: 'agent.y', admin: false, schools: [SCHOOL_Y] });
    const browser = api.browser();
    const link = await api.auth.issueSignInLink('agent.y');
    await browser.get(link);
    await browser.post(link, {});
    await browser.get('/');
    const res = await browser.post('/s', { flow: 'auth-error', uai: SCHOOL_X });
    expect(res.status).toBe(403);
    expect(res.text).toMatch(/pas autorisé.*établissement/);
  });
});
