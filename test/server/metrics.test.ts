import { BlockList } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { AGENT, createTestApp, type TestApp } from '../helpers/test-app.js';

const TOKEN = 'jeton-de-metriques-0123456789';
const scrape = (api: TestApp, headers: Record<string, string> = {}, peer?: string) =>
  api.app.request(
    '/metrics',
    { headers },
    // What the Node adapter gives the app: the peer's socket.
    peer ? { incoming: { socket: { remoteAddress: peer, remoteFamily: 'IPv4' } } } : undefined,
  );
const bearer = { Authorization: `Bearer ${TOKEN}` };

/** The value of one series of the scrape, or undefined when it is absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('/metrics access', () => {
  it('does not exist for anyone when neither METRICS_TOKEN nor METRICS_ALLOW is set', async () => {
    const api = await createTestApp();
    expect((await scrape(api, bearer, '127.0.0.1')).status).toBe(404);
  });

  it('answers the bearer of the token, and nobody with another', async () => {
    const api = await createTestApp({ metricsAccess: { token: TOKEN } });
    expect((await scrape(api)).status).toBe(404);
    expect((await scrape(api, { Authorization: `Bearer ${TOKEN}x` })).status).toBe(404);
    const res = await scrape(api, bearer);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/^text\/plain; version=0\.0\.4/);
  });

  it('answers a peer of the allow-list, not one outside it', async () => {
    const allow = new BlockList();
    allow.addSubnet('10.0.0.0', 24, 'ipv4');
    const api = await createTestApp({ metricsAccess: { allow } });
    expect((await scrape(api, {}, '10.0.0.7')).status).toBe(200);
    expect((await scrape(api, {}, '::ffff:10.0.0.8')).status).toBe(200);
    expect((await scrape(api, {}, '10.0.1.7')).status).toBe(404);
  });
});

describe('/metrics content', () => {
  it('counts answers per flow and step, checks and fixes by outcome, corrections by state, HTTP classes', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT, metricsAccess: { token: TOKEN } });
    const started = await api.json('/api/sessions', { flow: 'auth-error', uai: DEMO_CASES.uai });
    const id = started.body.id as string;
    const identify = started.body.step as string;
    const login = DEMO_CASES.dateSwapped.login;
    await api.json(`/api/sessions/${id}/events`, { type: 'SUBMIT_IDENTITY', login });
    const fixed = await api.json(`/api/sessions/${id}/events`, { type: 'FIX_IDENTITY' });
    expect(fixed.body.step).toBe('auth-error.confirm');
    await api.json(`/api/sessions/${id}/events`, { type: 'NO_SUCH_EVENT' });

    const text = await (await scrape(api, bearer)).text();
    expect(sample(text, `assistant_answers_total{flow="auth-error",step="${identify}"}`)).toBe(1);
    expect(sample(text, 'assistant_answers_total{flow="auth-error",step="auth-error.choose-fix"}')).toBe(1);
    expect(sample(text, 'assistant_answer_duration_seconds_count{flow="auth-error"}')).toBe(2);
    expect(sample(text, 'assistant_fixes_total{step="auth-error.fix-identity",outcome="done"}')).toBe(1);
    expect(text).toMatch(/^assistant_checks_total\{step="auth-error\.[a-z-]+",outcome="[a-z-]+"\} \d+$/m);
    expect(sample(text, 'assistant_corrections{state="pending"}')).toBe(1);
    expect(sample(text, 'assistant_database_up')).toBe(1);
    expect(sample(text, 'assistant_http_requests_total{method="POST",status_class="2xx"}')).toBe(3);
    expect(sample(text, 'assistant_http_requests_total{method="POST",status_class="4xx"}')).toBe(1);
    // Nobody in it: no login, no name, no session.
    const account = await api.pronote.getAccount(DEMO_CASES.uai, DEMO_CASES.dateSwapped.accountId);
    for (const secret of [login, account?.nom, id])
      expect(text.toLowerCase()).not.toContain(String(secret).toLowerCase());
  });

  it('counts rate-limit refusals by route, and the database pool where there is one', async () => {
    const api = await createTestApp({ metricsAccess: { token: TOKEN } });
    const browser = api.browser();
    await browser.get('/connexion');
    for (let i = 0; i < 11; i++) await browser.post('/connexion', { name: 'admin', password: `essai ${i}` });
    const text = await (await scrape(api, bearer)).text();
    expect(sample(text, 'assistant_rate_limit_refusals_total{route="/connexion"}')).toBe(1);
    const max = sample(text, 'assistant_db_pool_connections{state="max"}');
    if (process.env.TEST_STORE === 'postgres') expect(max).toBe(10);
    else expect(max).toBeUndefined();
  });

  it('says the database is down rather than failing the scrape', async () => {
    const api = await createTestApp({ metricsAccess: { token: TOKEN } });
    await api.stores.close();
    const res = await scrape(api, bearer);
    expect(res.status).toBe(200);
    expect(sample(await res.text(), 'assistant_database_up')).toBe(0);
  });
});
