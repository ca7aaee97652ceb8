import { describe, expect, it } from 'vitest';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { openMemoryDatabase } from '../../src/store/sqlite/database.js';
import { pageTypographyFaults, readableTexts, typographyFaults } from '../helpers/french.js';
import { createTestApp } from '../helpers/test-app.js';

/**
 * French typography of the pages themselves (the steps' own text is checked in test/engine/typography.test.ts
 * and every step of every flow in test/server/flow-paths.test.ts): one apostrophe (’), and a non-breaking
 * space before ? ! ; : » and after «, in every text and every attribute a person reads.
 */

const UAI = DEMO_CASES.uai;
const ADMIN = { kind: 'agent', name: 'admin', admin: true, schools: 'all' } as const;

async function apps() {
  const db = openMemoryDatabase();
  const agent = await createTestApp({ db, data: true, viewer: ADMIN });
  const anonymous = await createTestApp({ db });
  await agent.agents.add({ name: ADMIN.name, admin: true, schools: 'all' });
  return { agent, anonymous };
}

describe('French typography on the pages', () => {
  it('the agent’s pages: home, reconciliation, statistics, corrections, import, requests, agents, audit, map', async () => {
    const { agent, anonymous } = await apps();
    // Something in each list: a fix prepared (a correction and an audit line), a request sent by a family.
    const fixed = await agent.json('/api/sessions', { flow: 'auth-error', uai: UAI });
    const id = fixed.body.id as string;
    await agent.json(`/api/sessions/${id}/events`, {
      type: 'SUBMIT_IDENTITY',
      login: DEMO_CASES.dateSwapped.login,
    });
    const fix = await agent.json(`/api/sessions/${id}/events`, { type: 'FIX_IDENTITY' });
    expect(fix.body.step).toMatch(/^auth-error\.confirm/);
    const family = await anonymous.json('/api/sessions', { flow: 'auth-error' });
    const familyId = family.body.id as string;
    await anonymous.json(`/api/sessions/${familyId}/events`, {
      type: 'SUBMIT_IDENTITY',
      nom: 'Bertin',
      prenom: 'Tayeb',
    });
    await anonymous.json(`/api/sessions/${familyId}/events`, { type: 'ESCALATE' });
    const user = anonymous.browser();
    await user.get(`/s/${familyId}`);
    const sent = await user.post(`/s/${familyId}/demande`, { uai: UAI, email: 'famille@example.org' });
    expect(sent.status).toBe(200);
    expect(pageTypographyFaults(sent.text)).toEqual([]);

    const pages = [
      '/',
      '/compte',
      '/agents',
      '/reconciliation',
      `/reconciliation/${UAI}`,
      '/stats',
      '/corrections',
      `/corrections/${UAI}`,
      `/import/${UAI}`,
      '/demandes',
      '/audit',
      '/flows',
      '/flows/auth-error',
      `/s/${id}`,
      `/flows/auth-error?session=${id}`,
    ];
    const b = agent.browser();
    const faults: string[] = [];
    for (const path of pages) {
      const page = await b.get(path);
      expect(page.status, path).toBe(200);
      faults.push(...pageTypographyFaults(page.text).map((f) => `${path}: ${f}`));
    }
    expect(faults).toEqual([]);
  });

  it('the pages anyone sees: home, sign-in, privacy, accessibility, errors', async () => {
    const { anonymous } = await apps();
    const b = anonymous.browser();
    const pages: Array<[string, number]> = [
      ['/', 200],
      ['/connexion', 200],
      ['/connexion/lien/abc', 200],
      ['/mentions-legales', 200],
      ['/donnees-personnelles', 200],
      ['/accessibilite', 200],
      ['/nulle-part', 404],
      ['/s/inconnue', 404],
      ['/stats', 403],
    ];
    const faults: string[] = [];
    for (const [path, status] of pages) {
      const page = await b.get(path);
      expect(page.status, path).toBe(status);
      faults.push(...pageTypographyFaults(page.text).map((f) => `${path}: ${f}`));
    }
    // A refused form: its French error message too.
    const refused = await b.post('/connexion', { name: 'personne', password: 'mauvais-mot-de-passe' });
    faults.push(...pageTypographyFaults(refused.text).map((f) => `refused sign-in: ${f}`));
    expect(faults).toEqual([]);
  });

  it('the check reads what a person reads, and finds each kind of fault', () => {
    const html =
      '<title>L\'aide ?</title><script>if (a ? b : c) x = "l\'ENT";</script>' +
      '<p title="Voir : plus">Oui ! «\u00a0Non »</p><code>a ; b</code><input type="submit" value="Aller ?">';
    expect(readableTexts(html).join('|')).not.toMatch(/a \? b|a ; b/);
    expect(pageTypographyFaults(html)).toHaveLength(6);
    expect(typographyFaults('L’aide\u202f? Voir\u00a0: plus. «\u00a0Non\u00a0»')).toEqual([]);
  });
});
