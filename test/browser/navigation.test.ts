import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CASES, DEMO_ENT, DEMO_SCHOOLS } from '../../src/pronote/demo-data.js';
import { axeViolations, currentStep, type Site, screenshot, startSite } from './harness.js';
import { AGENT_CASES, type Arrival, Walker } from './walks.js';

let site: Site;
let agent: BrowserContext;
let page: Page;
let checked = 0;
/** A browser walk takes a few seconds; give a loaded machine room. */
const SLOW = 90_000;

beforeAll(async () => {
  site = await startSite();
  agent = await site.context();
  page = await site.agentPage(agent);
});
afterAll(async () => {
  console.info(`navigation: axe found no violation on ${checked} steps`);
  await site?.close();
});

const checkAxe = (p: Page, name: string) => async (step: string, arrival: Arrival) => {
  if (arrival === 'swap') {
    await expect.poll(() => p.evaluate(() => document.activeElement?.id)).toBe('step-title');
  }
  expect(await axeViolations(p), step).toEqual([]);
  checked++;
  await screenshot(p, `${name}/${step}`);
};

describe('the browser’s back button after htmx swaps', { timeout: SLOW }, () => {
  it('shows the previous step at its own address, and answering there goes on from it', async () => {
    const w = new Walker(page, { js: true, onStep: checkAxe(page, 'back-button') });
    await w.start(/Identification impossible/, DEMO_CASES.uai);
    const first = new URL(page.url()).pathname;
    expect(first).toMatch(/^\/s\/[\w-]{22}\/1$/);
    await w.fill('Identifiant ENT', DEMO_CASES.accentMissing.login);
    expect(await w.press(/Comparer l.ENT et PRONOTE/)).toBe('auth-error.choose-fix');
    const second = new URL(page.url()).pathname;
    expect(second).toBe(first.replace(/1$/, '2'));

    await page.goBack();
    await page.waitForURL((url) => url.pathname === first);
    await page.locator('#conversation[data-seq="1"]').waitFor();
    expect(await currentStep(page)).toEqual({ step: 'auth-error.identify', seq: 1 });
    await expect.poll(() => page.getByText('Vous êtes revenu à une étape précédente').isVisible()).toBe(true);
    // htmx restored the page in place: the focus is on the step it shows, as after an answer.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe('step-title');
    expect(await axeViolations(page)).toEqual([]);
    checked++;
    await screenshot(page, 'back-button/after-back');

    // Answering the old step branches: a new step number, the other account compared.
    await w.fill('Identifiant ENT', DEMO_CASES.homonyms.logins[1]);
    expect(await w.press(/Comparer l.ENT et PRONOTE/)).toBe('auth-error.choose-fix');
    expect(new URL(page.url()).pathname).toBe(first.replace(/1$/, '3'));
    expect(await page.getByRole('table', { name: /Comparaison/ }).textContent()).toMatch(/DEVAUX/);

    // Forward history was replaced by the new answer; back again still works.
    await page.goBack();
    await page.waitForURL((url) => url.pathname === first);
    await page.locator('#conversation[data-seq="1"]').waitFor();
  });

  it('« Revenir à cette étape » opens an earlier step in place and pushes its address', async () => {
    const w = new Walker(page, { js: true, onStep: checkAxe(page, 'reopen') });
    await w.start(/Un parent n.a pas accès/, DEMO_CASES.uai);
    await w.fill(/Nom du responsable/, 'Bossard');
    expect(await w.press(/Rechercher le responsable/)).toBe('single-parent.select');
    expect(await w.reopen(0)).toBe('single-parent.find');
    expect(new URL(page.url()).pathname).toMatch(/\/1$/);
    await page.goBack();
    await page.waitForURL((url) => url.pathname.endsWith('/2'));
    await page.locator('#conversation[data-seq="2"]').waitFor();
    expect((await currentStep(page)).step).toBe('single-parent.select');
  });
});

describe('from the keyboard alone', { timeout: SLOW }, () => {
  it('an agent completes a case with Tab and Enter, the focus following each new step', async () => {
    const auth = AGENT_CASES.find((c) => c.flow === 'auth-error');
    if (!auth) throw new Error('no auth-error case');
    const w = new Walker(page, { js: true, keyboard: true, onStep: checkAxe(page, 'keyboard') });
    await auth.walk(w, (step, wanted) => expect(step).toBe(wanted));
    expect(w.steps.at(-1)).toBe('auth-error.resolved');
  });
});

/** Every name, birth date and login of the demo data, as a page could show it. */
const PERSONAL: RegExp[] = [
  ...new Set(
    DEMO_SCHOOLS.flatMap(({ accounts }) =>
      accounts.flatMap((a) => [
        a.nom,
        a.prenom,
        ...(a.dateNaissance ? [a.dateNaissance, a.dateNaissance.split('-').reverse().join('/')] : []),
        ...(a.casId ? [a.casId] : []),
      ]),
    ),
  ),
  ...DEMO_ENT.map((e) => e.login),
].map((s) => new RegExp(`(?<![\\p{L}\\d.])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\d])`, 'u'));

async function personalDataOn(p: Page): Promise<string[]> {
  const text = await p.locator('body').textContent();
  const fields = await p
    .locator('input, textarea')
    .evaluateAll((els) => els.map((e) => (e as HTMLInputElement).value));
  const all = `${text}\n${fields.join('\n')}`;
  return PERSONAL.filter((re) => re.test(all)).map(String);
}

describe('an end user, who has not signed in', { timeout: SLOW }, () => {
  let user: BrowserContext;
  let phone: Page;

  beforeAll(async () => {
    user = await site.context({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    phone = await user.newPage();
  });

  const onStep = (name: string) => async (step: string, arrival: Arrival) => {
    expect(await personalDataOn(phone), step).toEqual([]);
    await checkAxe(phone, `public/${name}`)(step, arrival);
  };

  it('follows « Identification impossible » on a phone, typing someone’s identity, and sees no one’s data', async () => {
    const w = new Walker(phone, { js: true, onStep: onStep('auth-error') });
    expect(await w.start(/Identification impossible/)).toBe('auth-error.identify');
    const bertin = DEMO_SCHOOLS[0]?.accounts.find((a) => a.id === DEMO_CASES.dateSwapped.accountId);
    await w.fill(/Votre identifiant ENT/, DEMO_CASES.dateSwapped.login);
    await w.fill(/Nom affiché/, bertin?.nom ?? '');
    await w.fill(/Prénom affiché/, bertin?.prenom ?? '');
    await w.fill(/Date de naissance affichée/, '11/08/1999');
    expect(await w.press(/Continuer/)).toBe('auth-error.ask-compare');
    expect(await w.press(/Non, quelque chose est faux/)).toBe('auth-error.choose-manual-fix');
    expect(await w.press(/Une information est fausse/)).toBe('auth-error.fix-identity-manual');
    expect(await w.press(/Demander de l.aide à mon établissement/)).toBe('auth-error.escalate');
    // The request to the school: the schools to choose from, no one's data.
    expect(await phone.getByRole('combobox', { name: 'Votre établissement' }).count()).toBe(1);
  });

  it('follows the parent’s case without being asked a name nothing would use, and is shown no one', async () => {
    const w = new Walker(phone, { js: true, onStep: onStep('single-parent') });
    expect(await w.start(/Je suis parent/)).toBe('single-parent.ask-access');
    expect(await phone.locator('#conversation input[type="text"]').count()).toBe(0);
    expect(await personalDataOn(phone)).toEqual([]);
  });

  it('cannot open an agent’s session: its address gives « Page introuvable » and nothing else', async () => {
    const w = new Walker(page, { js: true });
    await w.start(/Identification impossible/, DEMO_CASES.uai);
    await w.fill('Identifiant ENT', DEMO_CASES.wrongCasId.login);
    await w.press(/Comparer l.ENT et PRONOTE/);
    expect(await page.locator('main').textContent()).toMatch(/DEJEAN/);
    // The detector itself sees the agent's page for what it is.
    expect((await personalDataOn(page)).some((found) => found.includes('DEJEAN'))).toBe(true);
    const response = await phone.goto(new URL(page.url()).pathname);
    expect(response?.status()).toBe(404);
    expect(await phone.getByRole('heading', { level: 1 }).textContent()).toBe('Page introuvable');
    expect(await personalDataOn(phone)).toEqual([]);
    expect(await axeViolations(phone)).toEqual([]);
    checked++;
  });
});
