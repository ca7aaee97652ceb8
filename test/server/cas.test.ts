import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type CasConfig, casConfigFromEnv, parseCasAnswer } from '../../src/server/cas.js';
import { fr } from '../helpers/french.js';
import { refusedUrl, startPeer } from '../helpers/http-peer.js';
import { createTestApp, type TestApp } from '../helpers/test-app.js';

/** What `app.request()` calls the app: the service URL CAS must see at login and at validation. */
const SERVICE = 'http://localhost/connexion/cas';
const STACK_TRACE = /at \S+ \(.+:\d+:\d+\)/;

const success = (user: string) => `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
  <cas:authenticationSuccess>
    <cas:user>${user}</cas:user>
    <cas:attributes><cas:email>${user}@example.fr</cas:email></cas:attributes>
  </cas:authenticationSuccess>
</cas:serviceResponse>`;

const failure = (code: string) => `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
  <cas:authenticationFailure code="${code}">Ticket not recognized</cas:authenticationFailure>
</cas:serviceResponse>`;

/**
 * A CAS server in miniature: `/login` signs in whoever the test says and sends the browser back to the
 * service with a one-time ticket; `serviceValidate` vouches for a ticket it issued to that very service.
 */
async function startCas() {
  const tickets = new Map<string, string>();
  const state = { user: 'florence.agent', answer: null as null | { status: number; body: string } };
  let issued = 0;
  const peer = await startPeer((req, res) => {
    const url = new URL(req.url, 'http://cas');
    const service = url.searchParams.get('service') ?? '';
    if (url.pathname === '/cas/login') {
      const ticket = `ST-${++issued}-abcdefghij-cas01`;
      tickets.set(ticket, state.user);
      res.writeHead(302, { Location: `${service}?ticket=${encodeURIComponent(ticket)}` });
      return res.end();
    }
    if (url.pathname === '/cas/p3/serviceValidate' || url.pathname === '/cas/serviceValidate') {
      if (state.answer) {
        res.writeHead(state.answer.status, { 'Content-Type': 'text/html' });
        return res.end(state.answer.body);
      }
      const ticket = url.searchParams.get('ticket') ?? '';
      const user = tickets.get(ticket);
      tickets.delete(ticket);
      res.writeHead(200, { 'Content-Type': 'application/xml; charset=utf-8' });
      if (service !== SERVICE) return res.end(failure('INVALID_SERVICE'));
      return res.end(user ? success(user) : failure('INVALID_TICKET'));
    }
    res.writeHead(404);
    res.end();
  });
  return { ...peer, state };
}

type Cas = Awaited<ReturnType<typeof startCas>>;

async function setUp(cas: CasConfig) {
  const lines: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  const api = await createTestApp({ cas, logger });
  await api.agents.add({ name: 'florence.agent', admin: false, schools: ['0130001A'], cas: true });
  await api.agents.add({ name: 'marc.disabled', admin: false, schools: ['0130001A'], cas: true });
  await api.agents.update('marc.disabled', { disabled: true });
  return { api, logs: lines };
}

/** Goes through the CAS login as a browser would, and comes back to the assistant with the ticket. */
async function signInThroughCas(api: TestApp, browser = api.browser()) {
  const start = await browser.get('/connexion/cas');
  expect(start.status).toBe(302);
  const login = await fetch(start.headers.get('Location') ?? '', { redirect: 'manual' });
  const back = new URL(login.headers.get('Location') ?? '');
  expect(`${back.origin}${back.pathname}`).toBe(SERVICE);
  const answer = await browser.get(`${back.pathname}${back.search}`);
  return { browser, answer, ticket: back.searchParams.get('ticket') ?? '' };
}

describe('agents sign in through the ENT’s CAS server', () => {
  let cas: Cas;
  let config: CasConfig;
  beforeAll(async () => {
    cas = await startCas();
    config = { baseUrl: `${cas.url}/cas`, version: 3, serviceUrl: SERVICE };
  });
  afterAll(() => cas.close());
  beforeEach(() => {
    cas.state.user = 'florence.agent';
    cas.state.answer = null;
  });

  it('offers « Se connecter avec l’ENT » on the sign-in page', async () => {
    const { api } = await setUp(config);
    const page = await api.browser().get('/connexion');
    expect(page.text).toContain('Se connecter avec l’ENT');
    expect(page.text).toContain('href="/connexion/cas"');
  });

  it('sends the agent to the CAS login page with the service URL', async () => {
    const { api } = await setUp(config);
    const res = await api.browser().get('/connexion/cas');
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe(`${cas.url}/cas/login?service=${encodeURIComponent(SERVICE)}`);
  });

  it('signs in the agent the CAS server vouches for, and the ticket is checked at /p3/serviceValidate', async () => {
    const { api, logs } = await setUp(config);
    const { browser, answer, ticket } = await signInThroughCas(api);
    expect(answer.status).toBe(303);
    expect(answer.headers.get('Location')).toBe('/');
    expect((await browser.get('/compte')).text).toContain(fr('Mon compte : florence.agent'));

    const validation = cas.requests.at(-1);
    expect(validation?.url).toMatch(/^\/cas\/p3\/serviceValidate\?/);
    const query = new URL(validation?.url ?? '', 'http://cas').searchParams;
    expect(query.get('service')).toBe(SERVICE);
    expect(query.get('ticket')).toBe(ticket);
    expect(logs.join('\n')).not.toContain(ticket);
  });

  it('matches the CAS user to the agent’s name whatever the case', async () => {
    const { api } = await setUp(config);
    cas.state.user = 'Florence.AGENT';
    const { browser, answer } = await signInThroughCas(api);
    expect(answer.status).toBe(303);
    expect((await browser.get('/compte')).text).toContain(fr('Mon compte : florence.agent'));
  });

  it('refuses a ticket the CAS server does not recognise, and a ticket used twice', async () => {
    const { api } = await setUp(config);
    const browser = api.browser();
    const unknown = await browser.get('/connexion/cas?ticket=ST-999-inconnu');
    expect(unknown.status).toBe(403);
    expect(unknown.text).toContain('L’ENT n’a pas confirmé votre connexion');
    expect((await browser.get('/compte')).status).toBe(403);

    const { ticket } = await signInThroughCas(api);
    const replay = await api.browser().get(`/connexion/cas?ticket=${ticket}`);
    expect(replay.status).toBe(403);
  });

  it('refuses an ENT user who is not an agent', async () => {
    const { api } = await setUp(config);
    cas.state.user = 'eleve.curieux';
    const { browser, answer } = await signInThroughCas(api);
    expect(answer.status).toBe(403);
    expect(answer.text).toContain(
      fr('Votre compte ENT n’est pas enregistré comme agent : demandez à un administrateur'),
    );
    expect(answer.headers.getSetCookie().some((c: string) => c.startsWith('agent_session='))).toBe(false);
    expect((await browser.get('/compte')).status).toBe(403);
  });

  it('refuses an agent an admin has not opened to CAS sign-in, such as the first « admin »', async () => {
    const { api } = await setUp(config);
    await api.agents.add({ name: 'admin', admin: true, schools: 'all' });
    cas.state.user = 'admin';
    const { browser, answer } = await signInThroughCas(api);
    expect(answer.status).toBe(403);
    expect(answer.headers.getSetCookie().some((c: string) => c.startsWith('agent_session='))).toBe(false);
    expect((await browser.get('/agents')).status).toBe(403);
  });

  it('refuses a disabled agent', async () => {
    const { api } = await setUp(config);
    cas.state.user = 'marc.disabled';
    const { browser, answer } = await signInThroughCas(api);
    expect(answer.status).toBe(403);
    expect(answer.text).toContain('Votre compte d’agent est désactivé');
    expect((await browser.get('/compte')).status).toBe(403);
  });

  it('refuses a malformed ticket without asking the CAS server', async () => {
    const { api } = await setUp(config);
    const before = cas.requests.length;
    const res = await api.browser().get(`/connexion/cas?ticket=${encodeURIComponent('ST-1"><script>')}`);
    expect(res.status).toBe(422);
    expect(res.text).toContain('Ticket CAS invalide.');
    expect(res.text).not.toContain('<script>');
    expect(cas.requests.length).toBe(before);
  });

  it('says in French that the CAS server is down when nothing answers, never with a stack trace', async () => {
    const { api } = await setUp({ ...config, baseUrl: `${await refusedUrl()}/cas` });
    const res = await api.browser().get('/connexion/cas?ticket=ST-1-abc');
    expect(res.status).toBe(503);
    expect(res.text).toContain('Le serveur d’authentification de l’ENT (CAS) ne répond pas');
    expect(res.text).not.toMatch(STACK_TRACE);
  });

  it('gives up after its timeout when the CAS server hangs', async () => {
    const hanging = await startPeer(() => {});
    try {
      const { api } = await setUp({ ...config, baseUrl: `${hanging.url}/cas`, timeoutMs: 200 });
      const res = await api.browser().get('/connexion/cas?ticket=ST-1-abc');
      expect(res.status).toBe(503);
    } finally {
      await hanging.close();
    }
  });

  it('answers 502 when the CAS server answers something that is not a CAS answer', async () => {
    const { api } = await setUp(config);
    cas.state.answer = { status: 200, body: '<html><body>Maintenance</body></html>' };
    const page = await api.browser().get('/connexion/cas?ticket=ST-1-abc');
    expect(page.status).toBe(502);
    expect(page.text).toContain('réponse illisible');
    cas.state.answer = { status: 500, body: 'Internal Server Error' };
    expect((await api.browser().get('/connexion/cas?ticket=ST-1-abc')).status).toBe(502);
  });

  it('uses /serviceValidate with CAS 2', async () => {
    const { api } = await setUp({ ...config, version: 2 });
    const { answer } = await signInThroughCas(api);
    expect(answer.status).toBe(303);
    expect(cas.requests.at(-1)?.url).toMatch(/^\/cas\/serviceValidate\?/);
  });
});

describe('without CAS settings', () => {
  it('has no CAS link and no CAS route', async () => {
    const api = await createTestApp();
    const browser = api.browser();
    expect((await browser.get('/connexion')).text).not.toContain('Se connecter avec l’ENT');
    expect((await browser.get('/connexion/cas')).status).toBe(404);
  });
});

describe('CAS settings from the environment', () => {
  it('is off without CAS_BASE_URL', () => {
    expect(casConfigFromEnv({}, 'https://assistant.example.fr/')).toBeUndefined();
  });

  it('defaults to CAS 3 and builds the service URL from PUBLIC_URL', () => {
    expect(
      casConfigFromEnv({ CAS_BASE_URL: 'https://cas.example.fr/cas/' }, 'https://assistant.example.fr'),
    ).toEqual({
      baseUrl: 'https://cas.example.fr/cas',
      version: 3,
      serviceUrl: 'https://assistant.example.fr/connexion/cas',
    });
    expect(
      casConfigFromEnv(
        { CAS_BASE_URL: 'https://cas.example.fr/cas', CAS_VERSION: '2' },
        'https://a.example.fr/',
      )?.version,
    ).toBe(2);
  });

  it('stops the start-up on a wrong value, saying which', () => {
    expect(() => casConfigFromEnv({ CAS_BASE_URL: 'cas.example.fr' }, 'http://x/')).toThrow(/CAS_BASE_URL/);
    expect(() =>
      casConfigFromEnv({ CAS_BASE_URL: 'https://cas.example.fr/cas', CAS_VERSION: '4' }, 'http://x/'),
    ).toThrow(/CAS_VERSION/);
  });
});

describe('CAS answers', () => {
  it('reads the user of a success, trimmed', () => {
    expect(parseCasAnswer(success('  jean.dupont\n'))).toMatchObject({ ok: true, user: 'jean.dupont' });
  });

  it('reads the code of a failure', () => {
    expect(parseCasAnswer(failure('INVALID_TICKET'))).toEqual({ ok: false, code: 'INVALID_TICKET' });
  });

  it('keeps a user made of digits as text', () => {
    expect(parseCasAnswer(success('0012'))).toMatchObject({ ok: true, user: '0012' });
  });

  it('reads Open ENT NG attributes directly in cas:attributes or in cas:userAttributes, prefixed or not', () => {
    const wanted = { nom: 'BERTIN', prenom: 'Tayeb', dateNaissance: '11/08/1999', categories: 'National_1' };
    const wrap = (inner: string) => `<cas:serviceResponse xmlns:cas="http://www.yale.edu/tp/cas">
      <cas:authenticationSuccess><cas:user>tayeb.bertin</cas:user><cas:attributes>${inner}</cas:attributes>
      </cas:authenticationSuccess></cas:serviceResponse>`;
    const fields = (prefix: string) =>
      Object.entries(wanted)
        .map(([k, v]) => `<${prefix}${k}>${v}</${prefix}${k}>`)
        .join('');
    for (const inner of [
      fields('cas:'),
      fields(''),
      `<cas:userAttributes>${fields('')}</cas:userAttributes>`,
      `<cas:userAttributes>${fields('cas:')}</cas:userAttributes>`,
    ]) {
      expect(parseCasAnswer(wrap(inner))).toEqual({ ok: true, user: 'tayeb.bertin', attributes: wanted });
    }
    expect(parseCasAnswer(wrap('<cas:nom>D&#x2019;ANGELO</cas:nom>'))).toMatchObject({
      attributes: { nom: 'D’ANGELO' },
    });
  });

  it('treats anything else as a bad answer', () => {
    expect(() => parseCasAnswer('<html/>')).toThrow();
    expect(() => parseCasAnswer('not xml at all <<<')).toThrow();
  });
});
