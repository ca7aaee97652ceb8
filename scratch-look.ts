import { startSite } from './test/browser/harness.js';
const site = await startSite();
const ctx = await site.context({ viewport: { width: 1280, height: 800 } });
const page = await site.agentPage(ctx);
await page.goto('/flows');
console.log('index', await page.evaluate(() => document.documentElement.scrollHeight));
await page.screenshot({ path: `/tmp/i16b/index.png` });
for (const f of ['triage','auth-error','changed-account','profile-wide','single-parent']) {
await page.goto('/flows/'+f);
const fig = page.locator('.flow-svg').first();
console.log(f, await fig.boundingBox(), await fig.getAttribute('viewBox'));
await fig.screenshot({ path: `/tmp/i16b/fig-${f}.png` });
}
await page.goto('/flows/auth-error');
await page.screenshot({ path: `/tmp/i16b/page-auth.png` });
await site.close();
