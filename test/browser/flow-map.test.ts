import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rootMachine } from '../../flows/root.machine.js';
import { flowGraphs } from '../../src/engine/flow-graph.js';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { axeViolations, type Site, screenshot, startSite } from './harness.js';
import { Walker } from './walks.js';

let site: Site;
let agent: BrowserContext;
let page: Page;
const SLOW = 90_000;
const SCREEN = { width: 1280, height: 800 };
const graphs = flowGraphs(rootMachine);

beforeAll(async () => {
  site = await startSite();
  agent = await site.context({ viewport: SCREEN });
  page = await site.agentPage(agent);
});
afterAll(async () => {
  await site?.close();
});

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
  text: string;
}

/** Where the browser drew each arrow's label and each box, with each line of a box's title. */
const drawn = (p: Page) =>
  p.locator('svg.flow-svg').evaluate((svg) => {
    const rect = (e: Element) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, w: r.width, h: r.height, text: e.textContent ?? '' };
    };
    return {
      labels: [...svg.querySelectorAll('.edge-label')].map(rect),
      boxes: [...svg.querySelectorAll('.node')].map((g) => ({
        box: rect(g.querySelector('rect') as Element),
        lines: [...g.querySelectorAll('text')].map(rect),
      })),
    };
  });

const overlap = (a: Rect, b: Rect) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
const inside = (a: Rect, b: Rect) =>
  a.x >= b.x - 1 && a.y >= b.y - 1 && a.x + a.w <= b.x + b.w + 1 && a.y + a.h <= b.y + b.h + 1;

/** No arrow's label over another or over a box, and each box's title inside its box. */
async function expectReadable(p: Page) {
  const { labels, boxes } = await drawn(p);
  expect(labels.length).toBeGreaterThan(0);
  for (const [i, a] of labels.entries()) {
    for (const b of labels.slice(i + 1)) expect(overlap(a, b), `« ${a.text} » / « ${b.text} »`).toBe(false);
    for (const { box } of boxes) expect(overlap(a, box), `« ${a.text} » / « ${box.text} »`).toBe(false);
  }
  // A box's title stays inside it, so it cannot run into its neighbour.
  for (const { box, lines } of boxes)
    for (const line of lines) expect(inside(line, box), `« ${line.text} »`).toBe(true);
}

describe('the flow map on a 1280 × 800 screen', { timeout: SLOW }, () => {
  it('lists the flows on a short page, each opening its own map', async () => {
    await page.goto('/flows');
    expect(await page.locator('svg').count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(
      2 * SCREEN.height,
    );
    await page.getByRole('link', { name: /Un parent n.a pas accès/ }).click();
    await page.waitForURL('**/flows/single-parent');
    expect(await page.locator('svg.flow-svg').count()).toBe(1);
  });

  for (const graph of graphs) {
    it(`draws « ${graph.flow} » within the screen's width, no label over another or over a box`, async () => {
      await page.goto(`/flows/${graph.flow}`);
      const svg = await page.locator('svg.flow-svg').boundingBox();
      expect(svg?.width).toBeLessThanOrEqual(SCREEN.width);
      expect(svg?.height).toBeLessThanOrEqual(2.25 * SCREEN.height);
      // The steps' texts are folded under the diagram: the page stays a few screens long.
      expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThanOrEqual(
        4.5 * SCREEN.height,
      );
      // The page itself never scrolls sideways.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
        SCREEN.width,
      );
      await expectReadable(page);
      await screenshot(page, `flow-map/${graph.flow}`);
    });
  }

  it('links every step of a flow from its box to its text, and the keyboard follows the links', async () => {
    for (const graph of graphs) {
      await page.goto(`/flows/${graph.flow}`);
      for (const node of graph.nodes) {
        const link = page.locator(`svg.flow-svg a:has(> g[data-step="${node.step}"])`).first();
        const href = await link.getAttribute('href');
        expect(href, node.step).toBe(`#etape-${node.step.replace('.', '-')}`);
        expect(await page.locator(href ?? '').count(), node.step).toBe(1);
      }
    }
    await page.goto('/flows/single-parent');
    // Tab from the top of the page until the focus reaches the diagram's first box, then open it.
    let step: string | null = null;
    for (let i = 0; i < 60 && !step; i++) {
      await page.keyboard.press('Tab');
      step = await page.evaluate(
        () => document.activeElement?.closest('svg a')?.querySelector('g')?.getAttribute('data-step') ?? null,
      );
    }
    expect(step).toBe('single-parent.find');
    // The step's text is folded until its box is followed.
    expect(await page.locator('#etape-single-parent-find').isVisible()).toBe(false);
    await page.keyboard.press('Enter');
    await page.waitForURL('**#etape-single-parent-find');
    expect(await page.locator('#etape-single-parent-find').isVisible()).toBe(true);
  });

  it('shows where a session went: its steps marked, the current one named in its box', async () => {
    const w = new Walker(page, { js: true });
    await w.start(/Un parent n.a pas accès/, DEMO_CASES.uai);
    await w.fill(/Nom du responsable/, 'Bossard');
    expect(await w.press(/Rechercher le responsable/)).toBe('single-parent.select');
    const id = new URL(page.url()).pathname.split('/')[2];
    await page.goto(`/flows/single-parent?session=${id}`);
    const marked = (cls: string) =>
      page
        .locator(`svg.flow-svg g.node.${cls}`)
        .evaluateAll((gs) => gs.map((g) => g.getAttribute('data-step')));
    expect(await marked('visited')).toEqual(['single-parent.find', 'single-parent.search']);
    expect(await marked('current')).toEqual(['single-parent.select']);
    expect(await page.locator('svg.flow-svg g.node.current .node-kind').textContent()).toBe('Étape actuelle');
    await expectReadable(page);
    expect(await axeViolations(page)).toEqual([]);
    // The current box leads back to the session's step.
    await page.locator('svg.flow-svg a:has(g.node.current)').click();
    await page.waitForURL(`**/s/${id}/2`);
  });

  for (const path of ['/flows', ...graphs.map((g) => `/flows/${g.flow}`)]) {
    it(`${path} passes the axe check, with and without JavaScript`, async () => {
      await page.goto(path);
      expect(await axeViolations(page)).toEqual([]);
      expect(await site.axeWithoutScripts(page)).toEqual([]);
    });
  }

  it('draws the end users’ wording without JavaScript too, within the width and with no overlap', async () => {
    const context = await site.context({ viewport: SCREEN, javaScriptEnabled: false });
    const anonymous = await context.newPage();
    for (const graph of graphs) {
      await anonymous.goto(`/flows/${graph.flow}`);
      expect((await anonymous.locator('svg.flow-svg').boundingBox())?.width).toBeLessThanOrEqual(
        SCREEN.width,
      );
      await expectReadable(anonymous);
    }
    await anonymous.locator('svg.flow-svg a').first().click();
    await anonymous.waitForURL('**#etape-*');
    expect(await anonymous.locator(new URL(anonymous.url()).hash).isVisible()).toBe(true);
    await context.close();
  });
});
