import { afterAll, expect, it } from 'vitest';
import { pgStores, type Stores } from '../../src/server/stores.js';
import { createTestDatabase, describePg } from '../helpers/pg.js';
import { awayFromWindowEdge } from '../helpers/rate-window.js';
import { createTestApp } from '../helpers/test-app.js';

describePg('rate limits with several instances on PostgreSQL', () => {
  let stores: Stores | null = null;
  afterAll(async () => {
    await stores?.close();
  });

  it('a client guessing passwords gets the limit once, not once per instance', async () => {
    stores = await pgStores(await createTestDatabase());
    await awayFromWindowEdge();
    const [one, two] = [await createTestApp({ stores }), await createTestApp({ stores })];
    const browsers = [one.browser(), two.browser()];
    for (const b of browsers) await b.get('/connexion');
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      const b = browsers[i % 2] as (typeof browsers)[number];
      statuses.push((await b.post('/connexion', { name: 'admin', password: `essai ${i}` })).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 422)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
  });
});
