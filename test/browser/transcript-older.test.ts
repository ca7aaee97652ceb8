import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Site, startSite } from './harness.js';

let site: Site;
beforeAll(async () => {
  site = await startSite();
});
afterAll(async () => {
  await site?.close();
});

/** A session 26 entries deep, answered through the JSON API as the signed-in agent of `page`. */
async function deepSession(page: Page): Promise<string> {
  const started = await page.request.post('/api/sessions', { data: {} });
  const { id } = (await started.json()) as { id: string };
  for (let n = 1; n <= 25; n++) {
    const res = await page.request.post(`/api/sessions/${id}/events`, {
      data: { type: 'DESCRIBE_MESSAGE', message: `sans rapport numéro ${n}` },
    });
    expect(res.status()).toBe(200);
  }
  return id;
}

const exchanges = (page: Page) => page.locator('.transcript .exchange').count();

describe('older exchanges of a long transcript', { timeout: 90_000 }, () => {
  it('load in place with htmx, the address unchanged', async () => {
    const page = await site.agentPage(await site.context());
    const id = await deepSession(page);
    await page.goto(`/s/${id}`);
    expect(await exchanges(page)).toBe(20);
    const address = page.url();
    await page.getByRole('link', { name: 'Afficher les étapes plus anciennes' }).click();
    await expect.poll(() => exchanges(page)).toBe(25);
    expect(page.url()).toBe(address);
    expect(await page.getByRole('link', { name: 'Afficher les étapes plus anciennes' }).count()).toBe(0);
    expect(await page.locator('.transcript .exchange').first().textContent()).toContain('numéro 1');
  });

  it('open on a page of their own without JavaScript', async () => {
    const page = await site.agentPage(await site.context({ javaScriptEnabled: false }));
    const id = await deepSession(page);
    await page.goto(`/s/${id}`);
    await page.getByRole('link', { name: 'Afficher les étapes plus anciennes' }).click();
    await page.waitForURL(/\/historique$/);
    expect(await page.getByRole('heading', { name: 'Étapes plus anciennes' }).count()).toBe(1);
    expect(await exchanges(page)).toBe(5);
    await page.getByRole('link', { name: 'Revenir à l’étape en cours' }).click();
    await page.waitForURL(new RegExp(`/s/${id}$`));
  });
});
