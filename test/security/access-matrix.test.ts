import { beforeAll, describe, expect, it } from 'vitest';
import { PERSONAL, ROLES, type Role, SCHOOL_X, type SecurityFixture, securityFixture } from './fixtures.js';

type Expect = Record<Role, number>;

const all = (status: number): Expect => ({
  anonymous: status,
  agentX: status,
  agentY: status,
  admin: status,
  tokenX: status,
});
/** Only the agents allowed on school X (agent X, the admin, agent X's API token) get it. */
const schoolX = (ok: number, refused = 404): Expect => ({
  anonymous: refused,
  agentX: ok,
  agentY: refused,
  admin: ok,
  tokenX: ok,
});
const agentsOnly = (): Expect => ({ anonymous: 403, agentX: 200, agentY: 200, admin: 200, tokenX: 200 });

type Fixture = SecurityFixture & { ticketLink: string };

interface Route {
  path: (f: Fixture) => string;
  expect: Expect;
  /** The roles allowed to read the personal data of the fixture's case in the answer. */
  personal: Role[];
}

const X_ONLY: Role[] = ['agentX', 'admin', 'tokenX'];

const ROUTES: Record<string, Route> = {
  'GET /': { path: () => '/', expect: all(200), personal: [] },
  'GET /s/:agentSession': { path: (f) => `/s/${f.agentSession.id}`, expect: schoolX(200), personal: X_ONLY },
  'GET /s/:agentSession/:seq': {
    path: (f) => `/s/${f.agentSession.id}/2`,
    expect: schoolX(200),
    personal: X_ONLY,
  },
  'GET /s/:publicSession': { path: (f) => `/s/${f.publicSessionId}`, expect: all(200), personal: [] },
  'GET resume.md': {
    path: (f) => `/s/${f.agentSession.id}/${f.agentSession.seq}/resume.md`,
    expect: schoolX(200),
    personal: X_ONLY,
  },
  'GET resume.txt': {
    path: (f) => `/s/${f.agentSession.id}/${f.agentSession.seq}/resume.txt`,
    expect: schoolX(200),
    personal: X_ONLY,
  },
  'GET /ticket/:token': {
    path: (f) => new URL(f.ticketLink).pathname,
    // Signed out: to the sign-in page (then back); an agent of another school: told so, plainly.
    expect: { anonymous: 303, agentX: 303, agentY: 403, admin: 303, tokenX: 303 },
    personal: [],
  },
  'GET /audit': { path: () => '/audit', expect: agentsOnly(), personal: X_ONLY },
  'GET /api/audit': { path: () => '/api/audit', expect: agentsOnly(), personal: X_ONLY },
  'GET /corrections/:uai': {
    path: () => `/corrections/${SCHOOL_X}`,
    expect: { ...schoolX(200), anonymous: 403 },
    personal: X_ONLY,
  },
  'GET /corrections/:uai.csv': {
    path: () => `/corrections/${SCHOOL_X}.csv`,
    expect: { ...schoolX(200), anonymous: 403 },
    personal: X_ONLY,
  },
  'GET /api/corrections/:uai': {
    path: () => `/api/corrections/${SCHOOL_X}`,
    expect: { ...schoolX(200), anonymous: 403 },
    personal: X_ONLY,
  },
  'GET /reglages/:uai': {
    path: () => `/reglages/${SCHOOL_X}`,
    expect: { ...schoolX(200), anonymous: 403 },
    personal: [],
  },
  'GET /api/schools/:uai/settings': {
    path: () => `/api/schools/${SCHOOL_X}/settings`,
    expect: { ...schoolX(200), anonymous: 403 },
    personal: [],
  },
  'GET /import/:uai': {
    path: () => `/import/${SCHOOL_X}`,
    expect: { ...schoolX(200), anonymous: 403 },
    personal: [],
  },
  'GET /demandes': { path: () => '/demandes', expect: agentsOnly(), personal: X_ONLY },
  'GET /agents': { path: () => '/agents', expect: { ...all(403), admin: 200 }, personal: [] },
  'GET /compte': { path: () => '/compte', expect: agentsOnly(), personal: [] },
  'GET /stats': { path: () => '/stats', expect: agentsOnly(), personal: [] },
  'GET /api/stats': { path: () => '/api/stats', expect: agentsOnly(), personal: [] },
  'GET /flows': { path: () => '/flows', expect: all(200), personal: [] },
  'GET /flows?session': {
    path: (f) => `/flows?session=${f.agentSession.id}`,
    expect: schoolX(200),
    personal: [],
  },
  'GET /api/flows': { path: () => '/api/flows', expect: all(200), personal: [] },
  'GET /api/sessions/:agentSession': {
    path: (f) => `/api/sessions/${f.agentSession.id}`,
    expect: schoolX(200),
    personal: X_ONLY,
  },
  'GET /reconciliation': { path: () => '/reconciliation', expect: agentsOnly(), personal: [] },
  'GET /reconciliation/:uai': {
    path: () => `/reconciliation/${SCHOOL_X}`,
    expect: { ...schoolX(200), anonymous: 403 },
    personal: X_ONLY,
  },
  'GET /reconciliation/:uai.csv': {
    path: () => `/reconciliation/${SCHOOL_X}.csv`,
    expect: { ...schoolX(200), anonymous: 403 },
    personal: X_ONLY,
  },
  'GET /api/reconciliation/:uai': {
    path: () => `/api/reconciliation/${SCHOOL_X}`,
    expect: { ...schoolX(200), anonymous: 403 },
    personal: X_ONLY,
  },
  'GET /reconciliation/:uai/identifiants-cas.tsv': {
    path: () => `/reconciliation/${SCHOOL_X}/identifiants-cas.tsv`,
    expect: { ...schoolX(200), anonymous: 403 },
    personal: X_ONLY,
  },
  'GET /api/sessions/:publicSession': {
    path: (f) => `/api/sessions/${f.publicSessionId}`,
    expect: all(200),
    personal: [],
  },
};

async function get(f: Fixture, role: Role, path: string) {
  if (role === 'tokenX') {
    const res = await f.api.app.request(path, { headers: { Authorization: `Bearer ${f.token}` } });
    return { status: res.status, text: await res.text() };
  }
  return f.browsers[role].get(path);
}

describe('every route × every kind of viewer', () => {
  let f: Fixture;
  beforeAll(async () => {
    const fixture = await securityFixture();
    const page = await fixture.browsers.agentX.get(`/s/${fixture.agentSession.id}`);
    const ticketLink = /id="ticket-link"[^>]*value="([^"]+)"/.exec(page.text)?.[1] ?? '';
    expect(ticketLink).toMatch(/\/ticket\//);
    f = { ...fixture, ticketLink };
  });

  for (const [name, route] of Object.entries(ROUTES)) {
    it(`${name}: the expected status, and personal data only for those allowed`, async () => {
      for (const role of ROLES) {
        const path = route.path(f);
        // A token counts on the JSON API only: anywhere else its holder is an anonymous visitor.
        const asAnonymous = role === 'tokenX' && !path.startsWith('/api/');
        const res = await get(f, role, path);
        expect(res.status, `${name} as ${role}`).toBe(route.expect[asAnonymous ? 'anonymous' : role]);
        expect(res.text, `${name} as ${role}`).not.toMatch(/at \S+ \(.+:\d+:\d+\)/);
        if (asAnonymous || !route.personal.includes(role)) {
          for (const pattern of PERSONAL)
            expect(res.text, `${name} as ${role} shows ${pattern}`).not.toMatch(pattern);
        }
      }
    });
  }

  it('the agents allowed on the school do see the case (the matrix above is not vacuous)', async () => {
    const page = await get(f, 'agentX', `/s/${f.agentSession.id}`);
    expect(page.text).toMatch(/BERTIN/);
    expect((await get(f, 'agentX', '/demandes')).text).toMatch(/BERTIN/);
  });
});

describe('writes by viewers not allowed on the school', () => {
  it('an answer in an agent session: refused to anonymous visitors and other schools, taken from its school', async () => {
    const f = await securityFixture();
    const path = `/api/sessions/${f.agentSession.id}/events`;
    const body = JSON.stringify({ type: 'ANSWER_YES' });
    const headers = { 'Content-Type': 'application/json' };
    expect((await f.api.app.request(path, { method: 'POST', body, headers })).status).toBe(404);
    const tokenY = await f.api.auth.issueApiToken('agent.y');
    expect(
      (
        await f.api.app.request(path, {
          method: 'POST',
          body,
          headers: { ...headers, Authorization: `Bearer ${tokenY}` },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await f.api.app.request(path, {
          method: 'POST',
          body,
          headers: { ...headers, Authorization: `Bearer ${f.token}` },
        })
      ).status,
    ).toBe(200);
  });

  it('an undo: refused to anonymous visitors and other schools', async () => {
    const f = await securityFixture();
    const path = `/audit/${f.auditEntry.id}/annuler`;
    await f.browsers.anonymous.get('/');
    expect((await f.browsers.anonymous.post(path, {})).status).toBe(403);
    await f.browsers.agentY.get('/audit');
    expect((await f.browsers.agentY.post(path, {})).status).toBe(404);
    const before = await f.api.pronote.getAccount(f.auditEntry.uai, f.auditEntry.accountId ?? '');
    await f.browsers.agentX.get('/audit');
    expect((await f.browsers.agentX.post(path, {})).status).toBe(303);
    expect((await f.api.pronote.getAccount(f.auditEntry.uai, f.auditEntry.accountId ?? ''))?.version).toBe(
      (before?.version ?? 0) + 1,
    );
  });

  it('marking a correction done in PRONOTE: refused to anonymous visitors and other schools', async () => {
    const f = await securityFixture();
    const [correction] = await f.api.pronote.listCorrections({ uai: f.auditEntry.uai });
    const path = `/api/corrections/${correction?.id}/applied`;
    const json = { 'Content-Type': 'application/json' };
    expect((await f.api.app.request(path, { method: 'POST', headers: json })).status).toBe(403);
    const tokenY = await f.api.auth.issueApiToken('agent.y');
    const asY = { ...json, Authorization: `Bearer ${tokenY}` };
    expect((await f.api.app.request(path, { method: 'POST', headers: asY })).status).toBe(404);
    expect((await f.api.pronote.getCorrection(correction?.id ?? ''))?.state).toBe('pending');
    const asX = { ...json, Authorization: `Bearer ${f.token}` };
    expect((await f.api.app.request(path, { method: 'POST', headers: asX })).status).toBe(200);
    expect((await f.api.pronote.getCorrection(correction?.id ?? ''))?.state).toBe('applied');
  });

  it('opening a request: refused to anonymous visitors and other schools', async () => {
    const f = await securityFixture();
    const path = `/demandes/${f.request.id}/ouvrir`;
    await f.browsers.anonymous.get('/');
    expect((await f.browsers.anonymous.post(path, {})).status).toBe(403);
    await f.browsers.agentY.get('/demandes');
    expect((await f.browsers.agentY.post(path, {})).status).toBe(404);
    await f.browsers.agentX.get('/demandes');
    expect((await f.browsers.agentX.post(path, {})).status).toBe(303);
  });

  it('managing agents: admins only', async () => {
    const f = await securityFixture();
    for (const role of ['anonymous', 'agentX'] as const) {
      await f.browsers[role].get('/');
      expect((await f.browsers[role].post('/agents', { name: 'intrus', schools: '*' })).status).toBe(403);
    }
    expect(await f.api.agents.get('intrus')).toBeNull();
  });
});
