import { describe, expect, it } from 'vitest';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import type { Viewer } from '../../src/server/viewer.js';
import type { StatsView } from '../../views/stats.js';
import { AGENT, content, createTestApp, type TestApp } from '../helpers/test-app.js';

type Api = TestApp;

async function session(api: Api, start: Record<string, unknown>, events: Array<Record<string, unknown>>) {
  const started = await api.json('/api/sessions', start);
  expect(started.status).toBe(201);
  const id = started.body.id as string;
  for (const event of events) expect((await api.json(`/api/sessions/${id}/events`, event)).status).toBe(200);
  return id;
}

/** Four sessions a helpdesk could have had today, without school data: each check falls back to a question. */
async function aDayOfSessions(api: Api, uai?: string) {
  const at = uai ? { uai } : {};
  await session(api, { flow: 'single-parent', ...at }, [
    { type: 'SEARCH', query: 'x' },
    { type: 'ANSWER_NO' },
    { type: 'DONE' },
    { type: 'ANSWER_YES' },
  ]);
  await session(api, { flow: 'single-parent', ...at }, [{ type: 'SEARCH', query: 'x' }]);
  await session(api, { flow: 'single-parent', ...at }, [{ type: 'ESCALATE' }]);
  await session(api, { ...at }, [{ type: 'CHOOSE_SINGLE_PARENT' }]);
}

const statsOf = async (api: Api, query = '') => {
  const res = await api.json(`/api/stats${query}`);
  expect(res.status).toBe(200);
  return res.body as unknown as StatsView;
};

const flowIn = (stats: StatsView, flow: string) => stats.flows.find((f) => f.flow === flow);
const stepIn = (stats: StatsView, step: string) =>
  flowIn(stats, step.split('.')[0] ?? '')?.steps.find((s) => s.step === step);

describe('statistics', () => {
  it('are for agents only', async () => {
    const api = await createTestApp();
    const res = await api.app.request('/stats');
    expect(res.status).toBe(403);
    expect(await res.text()).toContain('réservées aux agents');
    const json = await api.json('/api/stats');
    expect(json.status).toBe(403);
    expect(json.body.error).toContain('réservées aux agents');
  });

  it('count, per flow and per step, the sessions that reached it, stopped there or ended there', async () => {
    const api = await createTestApp({ viewer: AGENT });
    await aDayOfSessions(api);
    const stats = await statsOf(api);
    expect(stats.sessions).toBe(4);
    expect(flowIn(stats, 'single-parent')).toMatchObject({
      reached: 4,
      resolved: 1,
      escalated: 1,
      stopped: 2,
    });
    expect(flowIn(stats, 'triage')).toMatchObject({ reached: 1, resolved: 0, escalated: 0, stopped: 0 });
    expect(stepIn(stats, 'single-parent.find')).toMatchObject({ reached: 4, stopped: 1, ended: 0 });
    // The search is a check: it is never an entry of its own, yet it counts as reached.
    expect(stepIn(stats, 'single-parent.search')).toMatchObject({ reached: 2, stopped: 0 });
    expect(stepIn(stats, 'single-parent.ask-access')).toMatchObject({ reached: 2, stopped: 1 });
    expect(stepIn(stats, 'single-parent.resolved')).toMatchObject({ reached: 1, stopped: 0, ended: 1 });
    expect(stepIn(stats, 'single-parent.select')).toMatchObject({ reached: 0, stopped: 0 });
  });

  it('show the same figures on the page, as charts and as tables', async () => {
    const api = await createTestApp({ viewer: AGENT });
    await aDayOfSessions(api);
    const res = await api.app.request('/stats');
    expect(res.status).toBe(200);
    const text = await res.text();
    const title = content.step('triage.start', 'agent').choices.CHOOSE_SINGLE_PARENT ?? '';
    expect(text).toContain('<strong>4</strong> session(s)');
    expect(text.replace(/&#39;/g, "'")).toContain(
      `<th scope="row">${title}</th><td>4</td><td>1</td><td>1</td><td>2</td>`,
    );
    expect(text.match(/<svg [^>]*role="img"/g)?.length).toBeGreaterThanOrEqual(2);
    expect(text.match(/<table>/g)?.length).toBe(text.match(/<svg /g)?.length);
  });

  it('cover the chosen period, the last thirty days by default', async () => {
    const api = await createTestApp({ viewer: AGENT });
    await aDayOfSessions(api);
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const byDefault = await statsOf(api);
    expect(byDefault.period.au).toBe(today);
    expect(Date.parse(byDefault.period.au) - Date.parse(byDefault.period.du)).toBe(29 * 86_400_000);
    expect((await statsOf(api, '?du=2020-01-01&au=2020-01-31')).sessions).toBe(0);
    expect((await statsOf(api, `?du=${today}&au=${today}`)).sessions).toBe(4);
  });

  it('refuse a bad date in French, with a 422', async () => {
    const api = await createTestApp({ viewer: AGENT });
    const json = await api.json('/api/stats?du=01/09/2025');
    expect(json.status).toBe(422);
    expect((json.body.fields as Record<string, string>).du).toContain('AAAA-MM-JJ');
    const page = await api.app.request('/stats?du=2025-02-30');
    expect(page.status).toBe(422);
    const text = await page.text();
    expect(text).toContain('Cette date n’existe pas.');
    expect(text).toContain('value="2025-02-30"');
    expect((await api.json('/api/stats?du=2025-03-02&au=2025-03-01')).status).toBe(422);
  });

  it('show an agent limited to some schools only the sessions of those schools', async () => {
    const api = await createTestApp({ viewer: AGENT });
    await aDayOfSessions(api, '0130001A');
    await aDayOfSessions(api, '0130002B');
    await aDayOfSessions(api);
    expect((await statsOf(api)).sessions).toBe(12);
    const restricted: Viewer = { kind: 'agent', name: 'agent.college', admin: false, schools: ['0130002B'] };
    const theirs = await statsOf(await createTestApp({ stores: api.stores, viewer: restricted }));
    expect(theirs.sessions).toBe(4);
    expect(flowIn(theirs, 'single-parent')).toMatchObject({ reached: 4, resolved: 1 });
  });

  it('count the fixes applied by kind, and those undone since', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const fix = [{ type: 'SUBMIT_IDENTITY', login: DEMO_CASES.dateSwapped.login }, { type: 'FIX_IDENTITY' }];
    await session(api, { flow: 'auth-error', uai: DEMO_CASES.uai }, fix);
    expect((await statsOf(api)).fixes).toEqual([{ action: 'set-identity', applied: 1, undone: 0 }]);

    const [entry] = await api.pronote.listAudit({ uai: DEMO_CASES.uai, limit: 1 });
    await api.pronote.undo(entry?.batchId ?? '', { actor: 'agent.test', step: 'undo' });
    expect((await statsOf(api)).fixes).toEqual([{ action: 'set-identity', applied: 0, undone: 1 }]);
    const other: Viewer = { kind: 'agent', name: 'agent.ailleurs', admin: false, schools: ['0999999Z'] };
    expect((await statsOf(await createTestApp({ stores: api.stores, viewer: other }))).fixes).toEqual([]);
  });
});
