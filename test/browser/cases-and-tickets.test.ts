import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { axeViolations, type Site, startSite } from './harness.js';
import { Walker } from './walks.js';

/**
 * Issue 16's points that had no browser test: the comparison's choices and fix 2's own confirmation, the
 * routes between cases and the answers they record, the ticket link from a ticket system, and the agents'
 * page warning of an unknown UAI; each with and without JavaScript.
 */
let site: Site;
const SLOW = 90_000;
const PASSWORD = 'un mot de passe assez long';

beforeAll(async () => {
  site = await startSite({ TRUST_PROXY: '127.0.0.1' });
});
// Each browser is a person at an address of their own, as behind the helpdesk's proxy: this file signs in
// more agents than the sign-in limit allows one address in a minute (10).
let people = 0;
const newContext = (options: BrowserContextOptions = {}) =>
  site.context({ ...options, extraHTTPHeaders: { 'X-Forwarded-For': `192.0.2.${++people}` } });
afterAll(async () => {
  await site?.close();
});

const choices = (page: Page) => page.locator('#conversation .choices button').allTextContents();

for (const js of [true, false]) {
  const axe = (page: Page) => (js ? axeViolations(page) : site.axeWithoutScripts(page));

  describe(`an agent, ${js ? 'with' : 'without'} JavaScript`, { timeout: SLOW }, () => {
    let context: BrowserContext;
    let page: Page;
    beforeAll(async () => {
      context = await newContext({ javaScriptEnabled: js });
      page = await site.agentPage(context);
    });
    afterAll(async () => {
      await context.close();
    });

    it('is offered only the fixes that apply, and fix 2 is followed by its own confirmation', async () => {
      const w = new Walker(page, { js });
      await w.start(/Identification impossible/, DEMO_CASES.uai);
      // Fix 2 links the account for good: each run takes its own person whose identity differs.
      await w.fill('Identifiant ENT', js ? DEMO_CASES.dateSwapped.login : DEMO_CASES.usageName.login);
      expect(await w.press(/Comparer l.ENT et PRONOTE/)).toBe('auth-error.choose-fix');
      const offered = (await choices(page)).join(' | ');
      expect(offered).toMatch(/Aligner l’identité PRONOTE sur l’ENT/);
      expect(offered).toMatch(/Écrire l’identifiant ENT dans «\sIdentifiant CAS\s»/);
      // A field differs and the Identifiant CAS is empty: nothing to delete, and « nothing to fix » is wrong.
      expect(offered).not.toMatch(/ancien identifiant ENT/);
      expect(offered).not.toMatch(/Rien à corriger/);
      expect(await w.press(/Écrire l’identifiant ENT dans «\sIdentifiant CAS\s»/)).toBe(
        'auth-error.confirm-link',
      );
      // Fix 2's own question (fix 1's asks whether PRONOTE now opens, with nothing about the link).
      expect(await page.locator('#step-title').textContent()).toMatch(/saisi dans «\sIdentifiant CAS\s»/);
      expect(await axe(page)).toEqual([]);
    });

    it('sees the pasted message and the espace chosen in words in the history', async () => {
      const w = new Walker(page, { js });
      expect(await w.start(/Commencer/, DEMO_CASES.uai)).toBe('triage.start');
      await w.fill(/Ou collez le message/, 'Tous les parents du collège ont une erreur depuis ce matin');
      expect(await w.press(/Analyser ce message/)).toBe('profile-wide.choose-profile');
      const history = page.locator('.transcript .answer');
      expect(await history.last().textContent()).toMatch(/Tous les parents du collège ont une erreur/);
      await w.check(/Espace Parents/);
      const next = await w.press(/Vérifier la publication/);
      expect(next).toMatch(/^profile-wide\./);
      const answer = (await history.last().textContent()) ?? '';
      expect(answer).toMatch(/Espace Parents/);
      expect(answer).not.toMatch(/CHOOSE_PROFILE|Vérifier la publication/);
      expect(await axe(page)).toEqual([]);
    });

    it('opens a ticket link after signing in, and is told why when the school is not theirs', async () => {
      const w = new Walker(page, { js });
      await w.start(/Identification impossible/, DEMO_CASES.uai);
      await w.fill('Identifiant ENT', DEMO_CASES.dateSwapped.login);
      expect(await w.press(/Comparer l.ENT et PRONOTE/)).toBe('auth-error.choose-fix');
      const stepPath = new URL(page.url()).pathname;
      const link = (await page.locator('#ticket-link').inputValue()) ?? '';
      expect(new URL(link).pathname).toMatch(/^\/ticket\//);
      // The summary puts the ENT's and PRONOTE's values side by side.
      expect(await page.locator('#ticket-summary').inputValue()).toMatch(/\| Champ \| ENT \| PRONOTE \|/);

      // The same agent, in a browser where they are signed out: the sign-in page, then the ticket's step.
      const name = `ticket.${js ? 'js' : 'nojs'}`;
      const mine = await site.agentPage(await newContext({ javaScriptEnabled: js }), { name });
      await mine.goto('/compte');
      await mine.getByLabel(/Nouveau mot de passe/).fill(PASSWORD);
      await mine.getByLabel('Confirmez-le').fill(PASSWORD);
      await mine.getByRole('button', { name: 'Enregistrer' }).click();
      await mine.waitForLoadState();
      await mine.context().close();
      const fresh = await newContext({ javaScriptEnabled: js });
      const signedOut = await fresh.newPage();
      await signedOut.goto(link);
      expect(new URL(signedOut.url()).pathname).toBe('/connexion');
      await signedOut.getByLabel('Identifiant').fill(name);
      await signedOut.getByLabel('Mot de passe').fill(PASSWORD);
      await signedOut.getByRole('button', { name: 'Se connecter' }).click();
      await signedOut.waitForURL((url) => url.pathname === stepPath);
      expect(await signedOut.locator('#conversation').getAttribute('data-step')).toBe(
        'auth-error.choose-fix',
      );
      await fresh.close();

      // An agent of another school: a 403 that says so, not « introuvable ».
      const elsewhere = await newContext({ javaScriptEnabled: js });
      const other = await site.agentPage(elsewhere, {
        name: `autre.${js ? 'js' : 'nojs'}`,
        schools: ['0130002B'],
      });
      const res = await other.goto(link);
      expect(res?.status()).toBe(403);
      const text = (await other.locator('main').textContent()) ?? '';
      expect(text).toMatch(/votre compte n’a pas de droits/);
      expect(text).not.toMatch(/introuvable/i);
      expect(await axe(other)).toEqual([]);
      await elsewhere.close();
    });

    it('an administrator adding an agent is warned of a UAI the data does not hold', async () => {
      const adminContext = await newContext({ javaScriptEnabled: js });
      const admin = await site.agentPage(adminContext, { name: `admin.${js ? 'js' : 'nojs'}`, admin: true });
      await admin.goto('/agents');
      await admin.getByLabel(/Identifiant \(lettres/).fill(`helene.${js ? 'js' : 'nojs'}`);
      await admin.getByLabel(/Établissements.: codes UAI/).fill(`${DEMO_CASES.uai},0999999Z`);
      await admin.getByRole('button', { name: /Créer et obtenir un lien/ }).click();
      await admin.waitForLoadState();
      const warning = (await admin.locator('main').textContent()) ?? '';
      expect(warning).toMatch(/Inconnu des données.: 0999999Z/);
      expect(warning).not.toMatch(new RegExp(`Inconnu des données.: ${DEMO_CASES.uai}`));
      expect(await axe(admin)).toEqual([]);
      await adminContext.close();
    });
  });

  describe(`an end user, ${js ? 'with' : 'without'} JavaScript`, { timeout: SLOW }, () => {
    let context: BrowserContext;
    let page: Page;
    beforeAll(async () => {
      context = await newContext({ javaScriptEnabled: js, viewport: { width: 390, height: 844 } });
      page = await context.newPage();
    });
    afterAll(async () => {
      await context.close();
    });

    it('a parent whose others get in goes on to the one-parent check, told « les parents »', async () => {
      const w = new Walker(page, { js });
      expect(await w.start(/Personne de mon profil/)).toBe('profile-wide.choose-profile');
      await w.check(/Espace Parents/);
      expect(await w.press(/Continuer/)).toBe('profile-wide.ask-publication');
      expect(await page.locator('.transcript .answer').last().textContent()).toMatch(/Espace Parents/);
      // The next question names the people chosen, in words.
      expect(await page.locator('#conversation').textContent()).toMatch(
        /Parmi les parents de l’établissement/,
      );
      expect(await w.press(/Oui, d.autres y arrivent/)).toBe('single-parent.ask-access');
      expect(await axe(page)).toEqual([]);
    });

    it('« pas accès à l’Espace Élèves » for one pupil has its own step', async () => {
      const w = new Walker(page, { js });
      expect(await w.start(/Commencer/)).toBe('triage.start');
      await w.fill(/Ou recopiez le message/, 'Vous n’avez pas accès à l’Espace Élèves');
      expect(await w.press(/Continuer/)).toBe('triage.no-access');
      expect(await w.press(/Je suis élève/)).toBe('triage.one-person');
      const offered = (await choices(page)).join(' | ');
      expect(offered).toMatch(/Identification impossible/);
      expect(offered).toMatch(/Demander de l.aide/);
      expect(await axe(page)).toEqual([]);
    });

    it('an unrecognised message is shown back, with the cases and a way to ask for help', async () => {
      const w = new Walker(page, { js });
      expect(await w.start(/Commencer/)).toBe('triage.start');
      const message = 'Écran blanc après la connexion';
      await w.fill(/Ou recopiez le message/, message);
      expect(await w.press(/Continuer/)).toBe('triage.not-understood');
      expect(await page.locator('.transcript .answer').last().textContent()).toContain(message);
      expect(
        await page.locator('#conversation textarea, #conversation input[name="message"]').inputValue(),
      ).toBe(message);
      expect((await choices(page)).join(' | ')).toMatch(/Identification impossible/);
      expect(await w.press(/demander de l.aide/i)).toBe('triage.escalate');
      expect(await axe(page)).toEqual([]);
    });
  });
}
