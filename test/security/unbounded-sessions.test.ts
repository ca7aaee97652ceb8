import { describe, expect, it } from 'vitest';
import { awayFromWindowEdge } from '../helpers/rate-window.js';
import { AGENT, createTestApp } from '../helpers/test-app.js';

/** Finding 1 (the part not about rendering): no session, field or client grows without bound. */
describe('bounds on what one client can make the server carry', () => {
  it('a session stops taking answers past its depth, with a French message, on the API and the pages', async () => {
    const api = await createTestApp({ maxEntries: 12, publicPostsPerMinute: 100_000 });
    const { body } = await api.json('/api/sessions', {});
    const answer = (n: number) =>
      api.json(`/api/sessions/${body.id}/events`, { type: 'DESCRIBE_MESSAGE', message: `essai ${n}` });
    const statuses: number[] = [];
    for (let i = 0; i < 13; i++) statuses.push((await answer(i)).status);
    expect(statuses.slice(0, 11).every((s) => s === 200)).toBe(true);
    const refused = await answer(99);
    expect(refused.status).toBe(409);
    expect(String(refused.body.error)).toContain('12 réponses');
    expect((await api.json(`/api/sessions/${body.id}`)).body.seq).toBeLessThanOrEqual(12);

    const browser = api.browser();
    await browser.get(`/s/${body.id}/1`);
    const page = await browser.post(`/s/${body.id}/events`, {
      type: 'DESCRIBE_MESSAGE',
      message: 'encore',
    });
    expect(page.status).toBe(409);
    expect(page.text).toContain('nouvelle session');
    // Going back to an early step and answering again stays possible: that branch is not deep.
    const back = await api.json(`/api/sessions/${body.id}/events`, {
      type: 'DESCRIBE_MESSAGE',
      message: 'autre chose',
      at: 1,
    });
    expect(back.status).toBe(200);
    // What was there is still readable.
    expect((await browser.get(`/s/${body.id}`)).status).toBe(200);
  });

  it('a typed message is bounded (the finding filled 708 answers of 2,000 characters)', async () => {
    const api = await createTestApp();
    const { body } = await api.json('/api/sessions', {});
    const long = await api.json(`/api/sessions/${body.id}/events`, {
      type: 'DESCRIBE_MESSAGE',
      message: 'x'.repeat(1001),
    });
    expect(long.status).toBe(422);
    expect(JSON.stringify(long.body.fields)).toContain('1000 caractères');
  });

  it('page views are limited per client, generously, and never for agents or stylesheets', async () => {
    await awayFromWindowEdge();
    const api = await createTestApp({ pageViewsPerMinute: 30 });
    const { body } = await api.json('/api/sessions', {});
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await api.app.request(`/s/${body.id}`)).status);
    expect(statuses.slice(0, 30).every((s) => s === 200)).toBe(true);
    const limited = await api.app.request(`/s/${body.id}`);
    expect(limited.status).toBe(429);
    expect(await limited.text()).toContain('Patientez');
    expect((await api.app.request('/assets/app.css')).status).toBe(200);

    const agents = await createTestApp({ pageViewsPerMinute: 30, viewer: AGENT });
    for (let i = 0; i < 40; i++) expect((await agents.app.request('/')).status).toBe(200);
  });
});
