import { describe, expect, it } from 'vitest';
import type { IdentityChecks } from '../../src/store/identity-checks.js';

/** Opens the store on a fresh database; each call of the returned function is another instance on it. */
export type IdentityChecksFactory = () => Promise<() => Promise<IdentityChecks>>;

const HOUR = 3_600_000;

/** What every store of « Vérifier mon compte » must do, run against SQLite and PostgreSQL. */
export function identityChecksContract(name: string, fresh: IdentityChecksFactory): void {
  describe(`identity checks contract: ${name}`, () => {
    it('lets a CAS ticket through once, whichever instance sees it again', async () => {
      const open = await fresh();
      const [one, two] = [await open(), await open()];
      const now = new Date();
      expect(await one.claimTicket('hash-a', now)).toBe(true);
      expect(await one.claimTicket('hash-a', now)).toBe(false);
      expect(await two.claimTicket('hash-a', now)).toBe(false);
      expect(await two.claimTicket('hash-b', now)).toBe(true);
    });

    it('lets the same ticket through twice at once only once', async () => {
      const open = await fresh();
      const [one, two] = [await open(), await open()];
      const now = new Date();
      const results = await Promise.all([one.claimTicket('hash-c', now), two.claimTicket('hash-c', now)]);
      expect(results.filter(Boolean)).toHaveLength(1);
    });

    it('forgets used tickets after a day', async () => {
      const checks = await (await fresh())();
      const then = new Date(Date.now() - 25 * HOUR);
      expect(await checks.claimTicket('hash-old', then)).toBe(true);
      // Claiming any ticket now sweeps the day-old record away.
      expect(await checks.claimTicket('hash-new', new Date())).toBe(true);
      expect(await checks.claimTicket('hash-old', new Date())).toBe(true);
    });

    it('keeps a check until it expires, under an id nobody can guess, for every instance', async () => {
      const open = await fresh();
      const [one, two] = [await open(), await open()];
      const data = { identity: { login: 'tayeb.bertin', nom: 'BERTIN' }, diagnosis: { profiles: [] } };
      const saved = await one.save('0130001A', data, new Date(Date.now() + 30 * 60_000));
      expect(saved.id).toMatch(/^[\w-]{24}$/);
      expect(await two.get(saved.id, new Date())).toEqual({
        id: saved.id,
        uai: '0130001A',
        expiresAt: saved.expiresAt,
        data,
      });
      expect(await two.get(saved.id, new Date(Date.now() + 31 * 60_000))).toBeNull();
      expect(await two.get('inconnu', new Date())).toBeNull();
    });
  });
}
