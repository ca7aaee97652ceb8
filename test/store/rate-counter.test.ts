import { afterAll, describe, expect, it } from 'vitest';
import { openPostgres, type PgPool } from '../../src/store/pg/pool.js';
import { pgRateCounter } from '../../src/store/pg/rate-counter.js';
import { memoryRateCounter, type RateCounter, rateKey } from '../../src/store/rate-counter.js';
import { createTestDatabase, describePg } from '../helpers/pg.js';

function rateCounterContract(name: string, open: () => Promise<RateCounter>) {
  describe(`rate counter: ${name}`, () => {
    it('counts each client in its window, and starts again at the next window', async () => {
      const counter = await open();
      const a = rateKey('sign-in', '203.0.113.7');
      const b = rateKey('sign-in', '198.51.100.2');
      expect([
        await counter.hit(a, 60_000),
        await counter.hit(a, 60_000),
        await counter.hit(b, 60_000),
      ]).toEqual([1, 2, 1]);
      expect(await counter.hit(a, 120_000)).toBe(1);
    });

    it('keeps two limits of one client apart', async () => {
      const counter = await open();
      await counter.hit(rateKey('sign-in', '203.0.113.7'), 0);
      expect(await counter.hit(rateKey('requests', '203.0.113.7'), 0)).toBe(1);
    });
  });
}

rateCounterContract('memory', async () => memoryRateCounter());

describe('rate keys', () => {
  it('never hold the client’s address in clear', () => {
    expect(rateKey('sign-in', '203.0.113.7')).not.toContain('203.0.113');
    expect(rateKey('sign-in', '203.0.113.7')).toBe(rateKey('sign-in', '203.0.113.7'));
  });
});

describePg('rate counter shared by instances', () => {
  const pools: PgPool[] = [];
  const open = async (url: string) => {
    const pool = openPostgres(url, { max: 4 });
    pools.push(pool);
    return pgRateCounter(pool);
  };
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
  });

  rateCounterContract('PostgreSQL', async () => open(await createTestDatabase()));

  it('counts every hit of two instances at once, each once', async () => {
    const url = await createTestDatabase();
    const [first, second] = [await open(url), await open(url)];
    const key = rateKey('public-posts', '203.0.113.7');
    const counts = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? first : second).hit(key, 0)),
    );
    expect([...counts].sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
  });
});
