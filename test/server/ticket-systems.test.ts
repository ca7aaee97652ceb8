import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import {
  glpiContent,
  type TicketSystems,
  ticketSystemsFromEnv,
} from '../../src/server/ticket-systems/index.js';
import { fr } from '../helpers/french.js';
import { type PeerRequest, refusedUrl, sendJson, startPeer } from '../helpers/http-peer.js';
import { createTestApp } from '../helpers/test-app.js';

const SCHOOL_X = DEMO_CASES.uai;
const SCHOOL_Y = DEMO_CASES.espaceUnpublished.uai;
const KNOWN_TICKET = 42;
const TOKENS = { glpiApp: 'glpi-app-token-123', glpiUser: 'glpi-user-token-456', zammad: 'zammad-token-789' };

/** GLPI's REST API in miniature: a session from the tokens, follow-ups on ticket 42 only. */
async function startGlpi() {
  return startPeer((req, res) => {
    const path = req.url.split('?')[0];
    if (path === '/apirest.php/initSession' && req.method === 'GET') {
      const good =
        req.headers['app-token'] === TOKENS.glpiApp &&
        req.headers.authorization === `user_token ${TOKENS.glpiUser}`;
      if (!good) return sendJson(res, 400, ['ERROR_GLPI_LOGIN_USER_TOKEN', 'paramètre user_token invalide']);
      return sendJson(res, 200, { session_token: 'glpi-session-1' });
    }
    const inSession =
      req.headers['session-token'] === 'glpi-session-1' && req.headers['app-token'] === TOKENS.glpiApp;
    if (path === '/apirest.php/ITILFollowup' && req.method === 'POST') {
      if (!inSession) return sendJson(res, 401, ['ERROR_SESSION_TOKEN_INVALID', 'session_token invalide']);
      const { input } = JSON.parse(req.body) as { input: { items_id: number } };
      if (input.items_id !== KNOWN_TICKET) return sendJson(res, 400, ['ERROR_GLPI_ADD', 'Ajout impossible']);
      return sendJson(res, 201, { id: 7, message: '' });
    }
    if (path === '/apirest.php/killSession' && req.method === 'GET')
      return sendJson(res, inSession ? 200 : 401, {});
    sendJson(res, 404, ['ERROR_RESOURCE_NOT_FOUND_NOR_COMMONDBTM', '']);
  });
}

/** Zammad's API in miniature: internal notes on ticket 42 only, with the right token. */
async function startZammad() {
  return startPeer((req, res) => {
    if (req.url !== '/api/v1/ticket_articles' || req.method !== 'POST') return sendJson(res, 404, {});
    if (req.headers.authorization !== `Token token=${TOKENS.zammad}`)
      return sendJson(res, 401, { error: 'Authentication required' });
    const body = JSON.parse(req.body) as { ticket_id: number };
    if (body.ticket_id !== KNOWN_TICKET) return sendJson(res, 404, { error: "Couldn't find Ticket" });
    return sendJson(res, 201, { id: 99, ticket_id: KNOWN_TICKET });
  });
}

type Peer = Awaited<ReturnType<typeof startPeer>>;

/** An app whose agent of school X has a session with a comparison in it, at step 2. */
async function setUp(ticketSystems?: TicketSystems) {
  const logs: string[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk, _enc, done) {
        logs.push(String(chunk));
        done();
      },
    }),
  );
  const api = await createTestApp({ data: true, logger, ...(ticketSystems ? { ticketSystems } : {}) });
  await api.agents.add({ name: 'agent.x', admin: false, schools: [SCHOOL_X] });
  await api.agents.add({ name: 'agent.y', admin: false, schools: [SCHOOL_Y] });
  const signIn = async (name: string) => {
    const browser = api.browser();
    const link = await api.auth.issueSignInLink(name);
    await browser.get(link);
    await browser.post(link, {});
    return browser;
  };
  const agentX = await signIn('agent.x');
  await agentX.get('/');
  const started = await agentX.post('/s', { flow: 'auth-error', uai: SCHOOL_X });
  const id = (started.headers.get('Location') ?? '').split('/')[2] ?? '';
  await agentX.get(`/s/${id}/1`);
  const answered = await agentX.post(`/s/${id}/events`, {
    type: 'SUBMIT_IDENTITY',
    login: DEMO_CASES.dateSwapped.login,
    at: '1',
  });
  const step = answered.headers.get('Location') ?? '';
  expect(step).toBe(`/s/${id}/2`);
  const page = await agentX.get(step);
  return { api, agentX, signIn, step, action: `${step}/ticket`, page, logs };
}

const followups = (peer: Peer) => peer.requests.filter((r) => r.url === '/apirest.php/ITILFollowup');
const paths = (requests: PeerRequest[]) => requests.map((r) => `${r.method} ${r.url}`);

describe('posting the ticket summary', () => {
  let glpi: Peer;
  let zammad: Peer;
  let systems: TicketSystems;
  beforeAll(async () => {
    glpi = await startGlpi();
    zammad = await startZammad();
    systems = {
      glpi: { url: `${glpi.url}/`, appToken: TOKENS.glpiApp, userToken: TOKENS.glpiUser },
      zammad: { url: zammad.url, token: TOKENS.zammad },
    };
  });
  afterAll(async () => {
    await glpi.close();
    await zammad.close();
  });

  it('offers the configured systems beside the summary, and no form when none is configured', async () => {
    const { page, action } = await setUp(systems);
    expect(page.text).toContain(`action="${action}"`);
    expect(page.text).toContain('<option value="glpi">GLPI</option>');
    expect(page.text).toContain('<option value="zammad">Zammad</option>');

    const bare = await setUp();
    expect(bare.page.text).toContain('id="ticket-summary"');
    expect(bare.page.text).not.toContain(bare.action);
    expect((await bare.agentX.post(bare.action, { system: 'glpi', ticket: '42' })).status).toBe(404);
  });

  describe('to GLPI', () => {
    it('opens a session with both tokens, adds a private follow-up to the ticket, and closes the session', async () => {
      const { agentX, action, logs } = await setUp(systems);
      const before = glpi.requests.length;
      const res = await agentX.post(action, { system: 'glpi', ticket: ' 42 ' });
      expect(res.status).toBe(200);
      expect(res.text).toContain('Résumé ajouté en suivi privé au ticket GLPI n° 42.');

      const calls = glpi.requests.slice(before);
      expect(paths(calls)).toEqual([
        'GET /apirest.php/initSession',
        'POST /apirest.php/ITILFollowup',
        'GET /apirest.php/killSession',
      ]);
      const [, post, kill] = calls;
      expect(post?.headers['content-type']).toMatch(/^application\/json/);
      expect(post?.headers['session-token']).toBe('glpi-session-1');
      expect(post?.headers['app-token']).toBe(TOKENS.glpiApp);
      expect(post?.headers.authorization).toBeUndefined();
      expect(kill?.headers['session-token']).toBe('glpi-session-1');
      const { input } = JSON.parse(post?.body ?? '{}');
      expect(input).toMatchObject({ itemtype: 'Ticket', items_id: 42, is_private: 1 });
      expect(input.content).toContain('<h2>Connexion ENT–PRONOTE');
      expect(input.content).toContain('<strong>Statut</strong>');
      expect(input.content).toMatch(/<a href="http:\/\/assistant\.test\/ticket\/[^"]+">/);
      expect(input.content).not.toContain('**');

      const logged = logs.join('\n');
      for (const secret of [...Object.values(TOKENS), 'glpi-session-1']) expect(logged).not.toContain(secret);
      expect(logged).toContain('ticket summary posted');
    });

    it('says the ticket number is to check when GLPI refuses the follow-up, keeps the summary, and still closes the session', async () => {
      const { agentX, action } = await setUp(systems);
      const before = glpi.requests.length;
      const res = await agentX.post(action, { system: 'glpi', ticket: '41' });
      expect(res.status).toBe(502);
      expect(res.text).toContain(
        fr('GLPI a refusé la note (erreur 400, ERROR_GLPI_ADD) : vérifiez le numéro du ticket'),
      );
      expect(res.text).toContain('Le résumé n’a pas été envoyé');
      expect(res.text).toContain('id="ticket-summary"');
      expect(res.text).toContain('value="41"');
      expect(paths(glpi.requests.slice(before)).at(-1)).toBe('GET /apirest.php/killSession');
    });

    it('says the tokens are to check when GLPI refuses the session, and posts nothing', async () => {
      const { agentX, action } = await setUp({
        glpi: { ...systems.glpi, userToken: 'wrong' } as TicketSystems['glpi'],
      });
      const before = followups(glpi).length;
      const res = await agentX.post(action, { system: 'glpi', ticket: '42' });
      expect(res.status).toBe(502);
      expect(res.text).toContain('GLPI a refusé l’accès (erreur 400, ERROR_GLPI_LOGIN_USER_TOKEN)');
      expect(followups(glpi).length).toBe(before);
    });

    it('says GLPI does not answer when it is down, and keeps the summary to copy', async () => {
      const { agentX, action } = await setUp({ glpi: { url: await refusedUrl(), userToken: 'x' } });
      const res = await agentX.post(action, { system: 'glpi', ticket: '42' });
      expect(res.status).toBe(502);
      expect(res.text).toContain('GLPI ne répond pas');
      expect(res.text).toContain('id="ticket-summary"');
      expect(res.text).not.toMatch(/at \S+ \(.+:\d+:\d+\)/);
    });

    it('gives up after its timeout when GLPI hangs', async () => {
      const hanging = await startPeer(() => {});
      try {
        const { agentX, action } = await setUp({
          glpi: { url: hanging.url, userToken: 'x', timeoutMs: 200 },
        });
        const res = await agentX.post(action, { system: 'glpi', ticket: '42' });
        expect(res.status).toBe(502);
        expect(res.text).toContain('GLPI ne répond pas');
      } finally {
        await hanging.close();
      }
    });
  });

  describe('to Zammad', () => {
    it('adds an internal plain-text note with the token', async () => {
      const { agentX, action } = await setUp(systems);
      const before = zammad.requests.length;
      const res = await agentX.post(action, { system: 'zammad', ticket: '42' });
      expect(res.status).toBe(200);
      expect(res.text).toContain('Résumé ajouté en note interne au ticket Zammad n° 42.');
      const [call] = zammad.requests.slice(before);
      expect(call?.headers.authorization).toBe(`Token token=${TOKENS.zammad}`);
      expect(call?.headers['content-type']).toMatch(/^application\/json/);
      const body = JSON.parse(call?.body ?? '{}');
      expect(body).toMatchObject({ ticket_id: 42, content_type: 'text/plain', type: 'note', internal: true });
      expect(Object.keys(body).sort()).toEqual(['body', 'content_type', 'internal', 'ticket_id', 'type']);
      expect(body.body).toMatch(/^Connexion ENT–PRONOTE/);
      expect(body.body).toContain('Reste à faire');
      expect(body.body).not.toMatch(/\*\*|^#/m);
    });

    it('says the ticket number is to check when Zammad does not know the ticket', async () => {
      const { agentX, action } = await setUp(systems);
      const res = await agentX.post(action, { system: 'zammad', ticket: '7' });
      expect(res.status).toBe(502);
      expect(res.text).toContain(
        fr('Zammad a refusé la note (erreur 404) : vérifiez le numéro du ticket (n° 7).'),
      );
      expect(res.text).toContain('id="ticket-summary"');
    });

    it('says the token is to check when Zammad refuses it', async () => {
      const { agentX, action } = await setUp({ zammad: { url: zammad.url, token: 'wrong' } });
      const res = await agentX.post(action, { system: 'zammad', ticket: '42' });
      expect(res.status).toBe(502);
      expect(res.text).toContain('Zammad a refusé l’accès (erreur 401)');
    });
  });

  it('sends a wrong ticket number or system back for correction, without calling anyone', async () => {
    const { agentX, action } = await setUp(systems);
    const before = glpi.requests.length + zammad.requests.length;
    for (const ticket of ['', 'abc', '0', '-3', '4.5', '99999999999']) {
      const res = await agentX.post(action, { system: 'glpi', ticket });
      expect(res.status, ticket).toBe(422);
      expect(res.text).toContain('Numéro de ticket invalide');
    }
    const noSystem = await agentX.post(action, { system: 'jira', ticket: '42' });
    expect(noSystem.status).toBe(422);
    expect(noSystem.text).toContain('Choisissez le système de tickets.');
    expect(glpi.requests.length + zammad.requests.length).toBe(before);
  });

  it('answers an htmx post with the step panel only', async () => {
    const { agentX, action, step } = await setUp(systems);
    const res = await agentX.post(action, { system: 'zammad', ticket: '42' }, { 'HX-Request': 'true' });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('<html');
    expect(res.text).toContain('Résumé ajouté en note interne');
    expect(res.headers.get('HX-Push-Url')).toBe(step);
  });

  it('is for agents allowed on the session’s school only', async () => {
    const { api, signIn, action } = await setUp(systems);
    const before = glpi.requests.length;
    const agentY = await signIn('agent.y');
    await agentY.get('/');
    expect((await agentY.post(action, { system: 'glpi', ticket: '42' })).status).toBe(404);
    const anonymous = api.browser();
    await anonymous.get('/');
    expect((await anonymous.post(action, { system: 'glpi', ticket: '42' })).status).toBe(404);
    expect(glpi.requests.length).toBe(before);
  });
});

describe('the GLPI follow-up', () => {
  it('is the Markdown summary as HTML, with nothing that runs', () => {
    const html = glpiContent(
      '## Titre\n\n- **Nom** : <img src=x onerror=alert(1)> <script>alert(1)</script>\n',
    );
    expect(html).toContain('<h2>Titre</h2>');
    expect(html).toContain('<strong>Nom</strong>');
    expect(html).not.toMatch(/<img|<script|onerror/);
  });
});

describe('ticket systems from the environment', () => {
  it('is off when no system is set', () => {
    expect(ticketSystemsFromEnv({})).toBeUndefined();
  });

  it('reads GLPI and Zammad', () => {
    expect(
      ticketSystemsFromEnv({
        GLPI_URL: 'https://glpi.example.fr',
        GLPI_APP_TOKEN: 'a',
        GLPI_USER_TOKEN: 'u',
        ZAMMAD_URL: 'https://zammad.example.fr',
        ZAMMAD_TOKEN: 'z',
      }),
    ).toEqual({
      glpi: { url: 'https://glpi.example.fr', appToken: 'a', userToken: 'u' },
      zammad: { url: 'https://zammad.example.fr', token: 'z' },
    });
    expect(ticketSystemsFromEnv({ GLPI_URL: 'https://glpi.example.fr', GLPI_USER_TOKEN: 'u' })).toEqual({
      glpi: { url: 'https://glpi.example.fr', userToken: 'u' },
    });
  });

  it('stops the start-up when a token is missing or an address is wrong, saying which', () => {
    expect(() => ticketSystemsFromEnv({ GLPI_URL: 'https://glpi.example.fr' })).toThrow(/GLPI_USER_TOKEN/);
    expect(() => ticketSystemsFromEnv({ ZAMMAD_URL: 'zammad', ZAMMAD_TOKEN: 'z' })).toThrow(/ZAMMAD_URL/);
  });
});
