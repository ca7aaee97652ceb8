import { describe, expect, it } from 'vitest';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { createLogger } from '../../src/server/logger.js';
import { createTestApp } from '../helpers/test-app.js';

/** The product's logger, writing into a list instead of stdout. */
function capturedLog() {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line: string) => lines.push(line) });
  return { logger, lines, records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe('request log', () => {
  it('writes one line per request with method, route pattern, status, duration and the request id it sends back', async () => {
    const log = capturedLog();
    const api = await createTestApp({ logger: log.logger });
    const res = await api.app.request('/');
    const missing = await api.app.request('/nulle-part?nom=Dupont');
    const requests = log.records().filter((r) => r.msg === 'request');
    expect(requests).toHaveLength(2);
    expect(requests[0]).toMatchObject({ method: 'GET', route: '/', status: 200 });
    expect(requests[0]?.requestId).toBe(res.headers.get('X-Request-Id'));
    expect(requests[1]).toMatchObject({ method: 'GET', route: '(aucune)', status: 404 });
    expect(requests[1]?.requestId).toBe(missing.headers.get('X-Request-Id'));
    expect(requests[0]?.requestId).not.toBe(requests[1]?.requestId);
    for (const r of requests) expect(typeof r.durationMs).toBe('number');
  });

  it('keeps the id the proxy gave, so the proxy’s log and this one can be matched', async () => {
    const log = capturedLog();
    const api = await createTestApp({ logger: log.logger });
    const res = await api.app.request('/', {
      headers: { 'X-Request-Id': '0123456789abcdef0123456789abcdef' },
    });
    expect(res.headers.get('X-Request-Id')).toBe('0123456789abcdef0123456789abcdef');
    const forged = await api.app.request('/', { headers: { 'X-Request-Id': 'fake id; with spaces' } });
    expect(forged.headers.get('X-Request-Id')).not.toContain('fake');
  });

  it('never holds a name, a birth date, a login, a token or a session id, even through a whole fix', async () => {
    const log = capturedLog();
    const api = await createTestApp({ data: true, logger: log.logger });
    await api.agents.add({ name: 'agent.journal', admin: false, schools: 'all' });
    const token = await api.auth.issueApiToken('agent.journal');
    const headers = { Authorization: `Bearer ${token}` };
    const started = await api.json('/api/sessions', { flow: 'auth-error', uai: DEMO_CASES.uai }, { headers });
    const id = started.body.id as string;
    const login = DEMO_CASES.dateSwapped.login;
    const compared = await api.json(
      `/api/sessions/${id}/events`,
      { type: 'SUBMIT_IDENTITY', login },
      { headers },
    );
    expect(compared.body.step).toBe('auth-error.choose-fix');
    await api.json(`/api/sessions/${id}/events`, { type: 'FIX_IDENTITY' }, { headers });
    const account = await api.pronote.getAccount(DEMO_CASES.uai, DEMO_CASES.dateSwapped.accountId);
    const text = log.lines.join('').toLowerCase();
    const routes = log.records().map((r) => r.route);
    expect(routes).toContain('/api/sessions/:id/events');
    for (const secret of [login, account?.nom, account?.prenom, account?.dateNaissance, token, id]) {
      expect(secret).toBeTruthy();
      expect(text).not.toContain(String(secret).toLowerCase());
    }
  });
});
