import { beforeEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { CasIdTakenError, ConflictError } from '../../src/pronote/errors.js';
import type { PronoteAccount } from '../../src/pronote/model.js';
import type { PronotePort, WriteContext } from '../../src/pronote/port.js';
import { OTHER_UAI, UAI } from './contract-fixture.js';

const ctx: WriteContext = { actor: 'agent.dupont', step: 'reconciliation' };

/** The reads and writes of a whole-school reconciliation, run on the fixture `contract.ts` loaded. */
export function pronoteBatchContract(getPort: () => PronotePort): void {
  let port: PronotePort;
  beforeEach(() => {
    port = getPort();
  });
  const get = async (id: string) => (await port.getAccount(UAI, id)) as PronoteAccount;
  const casIdsOf = (ids: string[]) => Promise.all(ids.map(async (id) => (await get(id)).casId));

  describe('listAccounts', () => {
    it('lists every account of the school once, by profile then nom, and none of another school', async () => {
      const all = await port.listAccounts(UAI);
      expect(all).toHaveLength(12);
      expect(new Set(all.map((a) => a.uai))).toEqual(new Set([UAI]));
      expect(all.map((a) => a.profile)).toEqual([...all.map((a) => a.profile)].sort());
      expect(all.filter((a) => a.profile === 'responsable').map((a) => a.id)).toEqual([
        'r-bossard',
        'r-mercier',
      ]);
      expect((await port.listAccounts(OTHER_UAI)).map((a) => a.id)).toEqual(['x-lemaitre']);
      expect(await port.listAccounts('0000000Z')).toEqual([]);
    });
  });

  describe('setCasIds', () => {
    const batch = [
      { id: 'p-lemaitre', expectedVersion: 1, casId: 'veronique.lemaitre' },
      { id: 'p-albert', expectedVersion: 1, casId: 'marie-desiree.albert' },
      { id: 's-support', expectedVersion: 1, casId: 'personnel.support' },
    ];
    const ids = batch.map((a) => a.id);

    it('writes every login in one batch, one audit entry per account, undone as a whole', async () => {
      const { batchId, records, entries } = await port.setCasIds(UAI, batch, ctx);
      expect(await casIdsOf(ids)).toEqual([
        'veronique.lemaitre',
        'marie-desiree.albert',
        'personnel.support',
      ]);
      expect(records.map((r) => r.version)).toEqual([2, 2, 2]);
      expect(entries).toHaveLength(3);
      expect(entries.every((e) => e.batchId === batchId && e.action === 'set-cas-id')).toBe(true);
      expect(entries[0]).toMatchObject({ step: 'reconciliation', before: { casId: null } });
      expect((await port.findByCasId(UAI, 'personnel.support'))?.id).toBe('s-support');
      // The whole batch, from any of its entries or from its id: what the journal's paste rows list.
      const whole = entries.map((e) => e.id);
      expect((await port.getAuditBatch(entries[2]?.id ?? '')).map((e) => e.id)).toEqual(whole);
      expect((await port.getAuditBatch(batchId)).map((e) => e.id)).toEqual(whole);
      expect(await port.getAuditBatch('inconnu')).toEqual([]);

      await port.undo(batchId, ctx);
      expect(await casIdsOf(ids)).toEqual([null, null, null]);
    });

    it('writes none when one login is held by another account, and names the holder', async () => {
      const taken = [...batch, { id: 'r-mercier', expectedVersion: 1, casId: 'Michelle.Moreau' }];
      let err: unknown;
      try {
        await port.setCasIds(UAI, taken, ctx);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CasIdTakenError);
      expect((err as CasIdTakenError).holder.id).toBe('p-dejean');
      expect(await casIdsOf(ids)).toEqual([null, null, null]);
      expect(await port.listAudit({ limit: 10 })).toEqual([]);
    });

    it('writes none when one account changed since it was read, and lists it', async () => {
      await port.setEspaceParents(UAI, 'r-bossard', 1, true, ctx);
      const stale = [...batch, { id: 'r-bossard', expectedVersion: 1, casId: 'robert.bossard' }];
      await expect(port.setCasIds(UAI, stale, ctx)).rejects.toThrow(ConflictError);
      expect(await casIdsOf([...ids, 'r-bossard'])).toEqual([null, null, null, null]);
    });

    it('refuses the same account or the same login twice, in French', async () => {
      const sameLogin = [batch[0], { ...batch[1], casId: 'VERONIQUE.lemaitre' }];
      await expect(port.setCasIds(UAI, sameLogin as typeof batch, ctx)).rejects.toThrow(
        /identifiant CAS figure deux fois/,
      );
      const sameAccount = [batch[0], { ...batch[0], casId: 'v.lemaitre' }];
      await expect(port.setCasIds(UAI, sameAccount as typeof batch, ctx)).rejects.toThrow(
        /compte figure deux fois/,
      );
      await expect(port.setCasIds(UAI, [], ctx)).rejects.toThrow(ZodError);
    });

    it('leaves an account that already holds its login untouched, without an entry', async () => {
      const { entries } = await port.setCasIds(
        UAI,
        [{ id: 'p-gervais', expectedVersion: 1, casId: 'florence.gervais' }, batch[0] as (typeof batch)[0]],
        ctx,
      );
      expect(entries.map((e) => e.accountId)).toEqual(['p-lemaitre']);
      expect((await get('p-gervais')).version).toBe(1);
    });
  });
}
