import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_UAI } from '../../src/pronote/demo-data.js';
import { type CasPeer, startCasPeer } from '../helpers/cas-peer.js';
import { axeViolations, type Site, screenshot, startSite } from './harness.js';

/**
 * « Vérifier mon compte » end to end: a parent signs in at their ENT (a CAS peer), reads what blocks their
 * account, sends it to the school; an agent opens the request at the fix and marks it corrected; the
 * parent's follow-up link says so.
 */

let site: Site;
let cas: CasPeer;
const SLOW = 120_000;

beforeAll(async () => {
  cas = await startCasPeer();
  site = await startSite({ CAS_BASE_URL: `${cas.url}/cas` });
});
afterAll(async () => {
  await site?.close();
  await cas?.close();
});

describe('a parent checks their account through the ENT', { timeout: SLOW }, () => {
  it('picks their school, and reads who processes their data, on accessible pages', async () => {
    const context = await site.context();
    const page = await context.newPage();
    await page.goto('/verifier');
    expect(await page.locator('main').textContent()).toMatch(/Responsable du traitement/);
    expect(await axeViolations(page)).toEqual([]);
    for (const name of ['Mentions légales', 'Données personnelles', 'Accessibilité']) {
      await page.getByRole('contentinfo').getByRole('link', { name }).click();
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
    }
    await context.close();
  });

  it('reads the diagnosis, sends it, and sees « corrigée » once the school has fixed it', async () => {
    cas.state.person = {
      user: 'robert.bossard',
      attributes: { nom: 'BOSSARD', prenom: 'Robert', codePostal: '13001', categories: 'National_2' },
      shape: 'nested',
    };
    const parentContext = await site.context({ viewport: { width: 390, height: 844 } });
    const parent = await parentContext.newPage();
    await parent.goto('/');
    expect(await axeViolations(parent)).toEqual([]);
    await parent.getByRole('link', { name: 'Vérifier mon compte' }).click();
    await parent.getByLabel('Votre établissement').selectOption(DEMO_UAI);
    await parent.getByRole('button', { name: 'Me connecter avec l’ENT' }).click();
    await parent.waitForURL(`**/verifier/${DEMO_UAI}/resultat`);
    expect(new URL(parent.url()).pathname).not.toMatch(/bossard/i);
    await expect
      .poll(() => parent.locator('main').textContent())
      .toMatch(/L’accès à l’Espace Parents n’est pas ouvert pour vous/);
    expect(await axeViolations(parent)).toEqual([]);

    await parent.getByLabel('Adresse e-mail pour vous répondre').fill('robert@example.org');
    await parent.getByRole('button', { name: 'Envoyer à l’établissement' }).click();
    await parent.getByRole('heading', { name: 'Demande envoyée' }).waitFor();
    const reference = (await parent.locator('[role="status"] strong').first().textContent()) ?? '';
    expect(reference).toMatch(/^D-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    const follow = (await parent.getByRole('link', { name: /\/suivi\// }).getAttribute('href')) ?? '';
    expect(follow).not.toMatch(/bossard|robert/i);
    await screenshot(parent, 'verifier-resultat');

    const agentContext = await site.context();
    const agent = await site.agentPage(agentContext);
    await agent.goto('/demandes');
    const row = agent.getByRole('row', { name: new RegExp(reference) });
    await row.getByRole('button', { name: 'Ouvrir à la correction' }).click();
    await agent.waitForURL(/\/s\/[\w-]+/);
    expect(await agent.locator('#conversation').getAttribute('data-step')).toMatch(/^single-parent\./);
    expect(await agent.locator('#conversation').textContent()).toMatch(/BOSSARD/);

    await parent.goto(follow);
    expect(await parent.locator('main').textContent()).toMatch(/En cours/);

    await agent.goto('/demandes');
    const again = agent.getByRole('row', { name: new RegExp(reference) });
    await again.getByText('Répondre ou clore').click();
    await again.getByLabel('Suite').selectOption('corrigee');
    await again.getByLabel(/Réponse montrée/).fill('Accès à l’Espace Parents ouvert.');
    await again.getByRole('button', { name: 'Enregistrer' }).click();
    await agent.waitForURL('**/demandes');

    await parent.goto(follow);
    const text = (await parent.locator('main').textContent()) ?? '';
    expect(text).toMatch(/Corrigée — réessayez/);
    expect(text).not.toMatch(/BOSSARD|Robert/);
    expect(await axeViolations(parent)).toEqual([]);
    await screenshot(parent, 'verifier-suivi');
    await parentContext.close();
    await agentContext.close();
  });
});
