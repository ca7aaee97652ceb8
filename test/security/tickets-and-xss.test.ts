import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ticketLinks } from '../../src/server/ticket-links.js';
import { AGENT, createTestApp } from '../helpers/test-app.js';
import { SCHOOL_X, securityFixture } from './fixtures.js';

/** The key the test app derives for ticket links from its CSRF secret, to forge links with other dates. */
const TICKET_KEY = createHmac('sha256', 'test-secret').update('tickets').digest('hex');

describe('ticket links', () => {
  it('a link whose signature, session or step was altered is refused', async () => {
    const f = await securityFixture();
    const good = ticketLinks(TICKET_KEY).create({ sessionId: f.agentSession.id, seq: 2 });
    expect((await f.browsers.agentX.get(good)).status).toBe(303);
    const [, , payload = ''] = good.split('/');
    const [id = '', seq = '', exp = '', sig = ''] = payload.split('.');
    const flip = (s: string) => s.slice(0, -1) + (s.endsWith('A') ? 'B' : 'A');
    for (const forged of [
      `/ticket/${id}.${seq}.${exp}.${flip(sig)}`,
      `/ticket/${id}.${Number(seq) + 1}.${exp}.${sig}`,
      `/ticket/${id}.${seq}.${Number(exp) + 86_400}.${sig}`,
      `/ticket/${flip(id)}.${seq}.${exp}.${sig}`,
      `/ticket/${id}.${seq}.${exp}`,
    ]) {
      expect((await f.browsers.agentX.get(forged)).status, forged).toBe(404);
    }
  });

  it('an expired link is refused', async () => {
    const f = await securityFixture();
    const longAgo = () => new Date(Date.now() - 400 * 86_400_000);
    const expired = ticketLinks(TICKET_KEY, longAgo).create({ sessionId: f.agentSession.id, seq: 2 });
    const res = await f.browsers.agentX.get(expired);
    expect(res.status).toBe(404);
    expect(res.text).toContain('expiré');
  });

  it('carries no personal data, only a random session id and a step number', async () => {
    const f = await securityFixture();
    const link = ticketLinks(TICKET_KEY).create({ sessionId: f.agentSession.id, seq: 2 });
    expect(link).toMatch(/^\/ticket\/[\w-]{22}\.\d+\.\d+\.[\w-]{32}$/);
  });
});

const PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'><svg onload=alert(1)>",
  'javascript:alert(1)',
  '<a href="javascript:alert(1)">x</a>',
];

/** Inert means: the markup came back escaped, never as a live element or attribute. */
function expectInert(html: string) {
  expect(html).not.toMatch(/<script>alert/i);
  expect(html).not.toMatch(/<img src=x/i);
  expect(html).not.toMatch(/<svg onload/i);
  expect(html).not.toMatch(/href="javascript:/i);
}

describe('XSS payloads come back inert', () => {
  it('in every field a person types, as agent and as end user', async () => {
    for (const viewer of [AGENT, undefined]) {
      const api = await createTestApp({ data: true, ...(viewer ? { viewer } : {}) });
      for (const payload of PAYLOADS) {
        const flows: Array<[string, Record<string, unknown>]> = [
          ['triage', { type: 'DESCRIBE_MESSAGE', message: payload }],
          ['auth-error', { type: 'SUBMIT_IDENTITY', nom: payload, prenom: payload, login: 'x' }],
          ['changed-account', { type: 'SEARCH', query: payload }],
          ['single-parent', { type: 'SEARCH', query: payload }],
        ];
        for (const [flow, event] of flows) {
          const { body } = await api.json('/api/sessions', flow === 'triage' ? {} : { flow, uai: SCHOOL_X });
          await api.json(`/api/sessions/${body.id}/events`, event);
          const page = await (await api.app.request(`/s/${body.id}`)).text();
          expectInert(page);
          // JSON carries the text as data; what matters is that no client can take it for a page.
          const json = await api.app.request(`/api/sessions/${body.id}`);
          expect(json.headers.get('Content-Type')).toMatch(/^application\/json/);
          expect(json.headers.get('X-Content-Type-Options')).toBe('nosniff');
        }
      }
    }
  });

  it('in names imported into PRONOTE and shown to an agent', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    await api.pronote.loadSchool(
      {
        school: { uai: '0130099Z', name: '<script>alert(1)</script>' },
        accounts: PAYLOADS.map((p, i) => ({
          id: `x-${i}`,
          profile: 'eleve' as const,
          nom: `DUPONT${p}`,
          prenom: 'Léa',
          dateNaissance: '2010-01-01',
          casId: null,
          pronoteEntId: null,
          classe: p,
          espaceParents: null,
          email: null,
        })),
        links: [],
      },
      { replace: false },
    );
    const { body } = await api.json('/api/sessions', { flow: 'changed-account', uai: '0130099Z' });
    const found = await api.json(`/api/sessions/${body.id}/events`, { type: 'SEARCH', query: 'Dupont' });
    expect(found.body.step).toBe('changed-account.select');
    const page = await (await api.app.request(`/s/${body.id}`)).text();
    expect(page).toContain('&lt;script&gt;');
    expectInert(page);
  });
});
