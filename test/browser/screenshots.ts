/**
 * `npm run screenshots`: the README's pictures, docs/screenshots/*.png. Each planted case of the demo data
 * followed by an agent in Chromium, pictured where the check has found the cause and the fix is offered;
 * then an end user's step on a phone, and one flow's map. Same server, browser and walks as the browser tests.
 */
import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { type Site, startSite } from './harness.js';
import { AGENT_CASES, Walker } from './walks.js';

const OUT = 'docs/screenshots';

/** The step of each case worth a picture: the check's findings, with the fix to apply. */
const PICTURED: Record<string, string> = {
  'auth-error': 'auth-error.choose-fix',
  'changed-account': 'changed-account.confirm-clear',
  'profile-wide': 'profile-wide.offer-publish',
  'single-parent': 'single-parent.offer-grant',
};

/** A fix step: the correction prepared on the copy, with what to do in PRONOTE and « C'est fait ». */
const FIX_PICTURED = { flow: 'single-parent', step: 'single-parent.confirm', name: 'correction-a-faire' };

/** The whole page, cut at a height that keeps the file small; the step's title is near the top of it. */
async function picture(page: Page, name: string, maxHeight = 4000) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  const width = page.viewportSize()?.width ?? 800;
  await page.screenshot({
    path: `${OUT}/${name}.png`,
    fullPage: true,
    clip: { x: 0, y: 0, width, height: Math.min(height, maxHeight) },
  });
  console.info(`${OUT}/${name}.png`);
}

async function agentCases(site: Site) {
  const context = await site.context({ viewport: { width: 800, height: 900 } });
  const page = await site.agentPage(context);
  for (const c of AGENT_CASES) {
    let fixPictured = false;
    const w = new Walker(page, {
      js: true,
      onStep: async (step) => {
        if (step === PICTURED[c.flow]) await picture(page, c.flow);
        // The first time only: before « C'est fait dans PRONOTE », while the correction is to do.
        if (c.flow === FIX_PICTURED.flow && step === FIX_PICTURED.step && !fixPictured) {
          fixPictured = true;
          await picture(page, FIX_PICTURED.name);
        }
      },
    });
    await c.walk(w, (step, wanted) => {
      if (step !== wanted) throw new Error(`${c.flow}: ${step} reached instead of ${wanted}`);
    });
  }
  await context.close();
}

async function endUserOnPhone(site: Site) {
  const context = await site.context({
    viewport: { width: 390, height: 844 },
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  const w = new Walker(page, { js: true });
  // An end user is asked nothing the assistant cannot use: straight to the question on their access.
  await w.start(/Je suis parent/);
  await w.press(/Non, ou je ne sais pas/);
  await picture(page, 'usager-telephone', 1600);
  await context.close();
}

/** One flow's map on a desktop screen: the diagram, without the list of steps under it. */
async function flowMap(site: Site) {
  const context = await site.context({ viewport: { width: 1280, height: 800 } });
  const page = await site.agentPage(context);
  await page.goto('/flows/single-parent');
  const figure = await page.locator('.flow-figure').boundingBox();
  await picture(page, 'plan-parcours', Math.ceil((figure?.y ?? 0) + (figure?.height ?? 0) + 16));
  await context.close();
}

mkdirSync(OUT, { recursive: true });
const site = await startSite();
try {
  await agentCases(site);
  await endUserOnPhone(site);
  await flowMap(site);
} finally {
  await site.close();
}
