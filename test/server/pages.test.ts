import { describe, expect, it } from 'vitest';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { createTestApp } from '../helpers/test-app.js';

const navLinks = (html: string) => {
  const nav = /<nav class="site-nav"[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? '';
  return [...nav.matchAll(/<a href="([^"]+)"[^>]*>([^<]+)<\/a>/g)].map((m) => `${m[2]} ${m[1]}`);
};

async function signedIn(name: string, admin: boolean, schools: string[] | 'all') {
  const api = await createTestApp({ data: true });
  await api.agents.add({ name, admin, schools });
  const browser = api.browser();
  const link = await api.auth.issueSignInLink(name);
  await browser.get(link);
  await browser.post(link, {});
  return { api, browser };
}

describe('the header', () => {
  it('offers the public the home page and the agents’ sign-in', async () => {
    const api = await createTestApp({ data: true });
    const html = await (await api.app.request('/')).text();
    expect(navLinks(html)).toEqual(['Accueil /', 'Espace agents /connexion']);
    expect(html).toContain('aria-current="page"');
    expect(html).not.toContain('Se déconnecter');
  });

  it('offers an agent their pages and a way out, on every page including errors', async () => {
    const { browser } = await signedIn('agent.a', false, 'all');
    for (const path of ['/', '/audit', '/nulle-part']) {
      const { text } = await browser.get(path);
      expect(navLinks(text)).toEqual([
        'Accueil /',
        'Demandes /demandes',
        'Journal /audit',
        'Corrections /corrections',
        'Réconciliation /reconciliation',
        'Réglages /reglages',
        'Parcours /flows',
        'Statistiques /stats',
        'Mon compte /compte',
      ]);
      expect(text).toContain('Se déconnecter');
    }
    const audit = (await browser.get('/audit')).text;
    expect(audit).toMatch(/<a href="\/audit" aria-current="page">Journal<\/a>/);
  });

  it('adds « Agents » for an administrator', async () => {
    const { browser } = await signedIn('chef', true, 'all');
    expect(navLinks((await browser.get('/')).text)).toContain('Agents /agents');
  });
});

describe('errors during an htmx swap', () => {
  it('come as the error panel alone, retargeted to the page’s content', async () => {
    const api = await createTestApp({ data: true });
    const res = await api.app.request('/nulle-part', { headers: { 'HX-Request': 'true' } });
    expect(res.status).toBe(404);
    expect(res.headers.get('HX-Retarget')).toBe('#contenu');
    expect(res.headers.get('HX-Reswap')).toBe('innerHTML');
    const text = await res.text();
    expect(text).not.toContain('<html');
    expect(text).toContain('Page introuvable');
  });

  it('but as a whole page when htmx restores the history', async () => {
    const api = await createTestApp({ data: true });
    const res = await api.app.request('/nulle-part', {
      headers: { 'HX-Request': 'true', 'HX-History-Restore-Request': 'true' },
    });
    expect(res.headers.get('HX-Retarget')).toBeNull();
    expect(await res.text()).toContain('<html');
  });
});

describe('the home page', () => {
  it('lets an agent choose among the schools they are allowed on, and starts the case there', async () => {
    const { api, browser } = await signedIn('agent.b', false, [DEMO_CASES.espaceUnpublished.uai]);
    const home = (await browser.get('/')).text;
    const options = [...home.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]);
    expect(options).toEqual([DEMO_CASES.espaceUnpublished.uai, '']);
    const started = await browser.post('/s', { flow: 'profile-wide', uai: DEMO_CASES.espaceUnpublished.uai });
    expect(started.status).toBe(303);
    const id = started.headers.get('Location')?.split('/')[2] ?? '';
    expect((await api.engine.load(id)).session.uai).toBe(DEMO_CASES.espaceUnpublished.uai);
  });

  it('asks the public for no school', async () => {
    const api = await createTestApp({ data: true });
    const html = await (await api.app.request('/')).text();
    expect(html).not.toContain('name="uai"');
    expect(html).toContain('name="flow" value="single-parent"');
  });
});
