import { beforeEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import {
  AccountNotFoundError,
  AlreadyUndoneError,
  CasIdTakenError,
  ConflictError,
  NotAResponsableError,
} from '../../src/pronote/errors.js';
import type { PronoteAccount } from '../../src/pronote/model.js';
import type { PronotePort, WriteContext } from '../../src/pronote/port.js';
import { CAS_HOLDERS, OTHER_UAI, UAI } from './contract-fixture.js';

const ctx: WriteContext = { actor: 'agent.dupont', sessionId: 's-1', step: 'auth-error.fix-identity' };

const thrown = async (write: Promise<unknown>): Promise<unknown> => {
  try {
    await write;
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
};

/** The writes the fixes call, run on the fixture `contract.ts` loaded. */
export function pronoteWriteContract(getPort: () => PronotePort): void {
  let port: PronotePort;
  beforeEach(() => {
    port = getPort();
  });
  const get = async (id: string, uai = UAI) => (await port.getAccount(uai, id)) as PronoteAccount;
  const casIds = () => Promise.all(CAS_HOLDERS.map(async (id) => (await get(id)).casId));

  describe('setIdentity', () => {
    it('aligns the identity, bumps the version and audits only the fields that changed', async () => {
      const { records, entries, batchId } = await port.setIdentity(
        UAI,
        'e-bertin',
        1,
        { nom: 'BERTIN', prenom: 'Tayeb', dateNaissance: '1999-08-11' },
        ctx,
      );
      expect(records[0]).toMatchObject({ dateNaissance: '1999-08-11', version: 2 });
      expect((await get('e-bertin')).dateNaissance).toBe('1999-08-11');
      expect(entries).toHaveLength(1);
      expect(entries[0]).toMatchObject({
        batchId,
        actor: 'agent.dupont',
        sessionId: 's-1',
        step: 'auth-error.fix-identity',
        uai: UAI,
        action: 'set-identity',
        accountId: 'e-bertin',
        before: { dateNaissance: '1999-11-08' },
        after: { dateNaissance: '1999-08-11' },
        version: 2,
        undoOf: null,
      });
      expect(Date.parse(entries[0]?.at ?? '')).not.toBeNaN();
    });

    it('is found under its new nom at once', async () => {
      await port.setIdentity(
        UAI,
        'r-mercier',
        1,
        { nom: 'CHOPIN', prenom: 'Laurence', dateNaissance: '1972-05-14' },
        ctx,
      );
      expect((await port.findCandidates(UAI, { nom: 'Chopin', prenom: 'X' })).map((a) => a.id)).toEqual([
        'r-mercier',
      ]);
      expect(await port.searchAccounts(UAI, { text: 'mercier', limit: 5 })).toEqual([]);
    });

    it('refuses a date that does not exist, in French, and writes nothing', async () => {
      const err = await thrown(
        port.setIdentity(
          UAI,
          'e-bertin',
          1,
          { nom: 'BERTIN', prenom: 'Tayeb', dateNaissance: '2000-02-30' },
          ctx,
        ),
      );
      expect(err).toBeInstanceOf(ZodError);
      expect((err as ZodError).issues[0]?.message).toMatch(/date réelle/);
      expect((await get('e-bertin')).version).toBe(1);
      expect(await port.listAudit({ limit: 10 })).toEqual([]);
    });

    it('refuses an empty nom or one too long', async () => {
      const blank = { nom: '  ', prenom: 'Tayeb', dateNaissance: null };
      await expect(port.setIdentity(UAI, 'e-bertin', 1, blank, ctx)).rejects.toThrow(
        /Nom\u00a0: une valeur est requise/,
      );
      const long = { nom: 'X'.repeat(101), prenom: 'Tayeb', dateNaissance: null };
      await expect(port.setIdentity(UAI, 'e-bertin', 1, long, ctx)).rejects.toThrow(/100 caractères/);
    });

    it('says when the account does not exist', async () => {
      const identity = { nom: 'A', prenom: 'B', dateNaissance: null };
      await expect(port.setIdentity(UAI, 'nobody', 1, identity, ctx)).rejects.toThrow(AccountNotFoundError);
    });
  });

  describe('optimistic versions', () => {
    it('lets one of two writers that read the same version win; the other sees the winner’s value', async () => {
      const readByA = await get('e-bossard');
      const readByB = await get('e-bossard');
      const identity = { nom: 'BOSSARD', prenom: 'Damien', dateNaissance: '2000-02-20' };
      await port.setIdentity(UAI, 'e-bossard', readByA.version, { ...identity, prenom: 'Damien-Paul' }, ctx);
      const err = await thrown(
        port.setIdentity(
          UAI,
          'e-bossard',
          readByB.version,
          { ...identity, nom: 'BOSARD' },
          { actor: 'agent.b' },
        ),
      );
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as ConflictError).accounts).toEqual([{ ...readByA, prenom: 'Damien-Paul', version: 2 }]);
      expect((err as ConflictError).message).toMatch(/modifiées entre-temps/);
      expect(await get('e-bossard')).toMatchObject({ nom: 'BOSSARD', prenom: 'Damien-Paul', version: 2 });
      expect(await port.listAudit({ limit: 10 })).toHaveLength(1);
    });
  });

  describe('setCasId', () => {
    it('writes the ENT login into « Identifiant CAS »', async () => {
      const { records, entries } = await port.setCasId(UAI, 'p-lemaitre', 1, ' veronique.lemaitre ', ctx);
      expect(records[0]?.casId).toBe('veronique.lemaitre');
      expect(entries[0]).toMatchObject({
        action: 'set-cas-id',
        before: { casId: null },
        after: { casId: 'veronique.lemaitre' },
      });
      expect((await port.findByCasId(UAI, 'veronique.lemaitre'))?.id).toBe('p-lemaitre');
    });

    it('refuses a login another account holds, naming the holder, and writes nothing', async () => {
      const err = await thrown(port.setCasId(UAI, 'p-lemaitre', 1, 'Michelle.Moreau', ctx));
      expect(err).toBeInstanceOf(CasIdTakenError);
      expect((err as CasIdTakenError).holder).toMatchObject({
        id: 'p-dejean',
        nom: 'DEJEAN',
        prenom: 'Yannick',
      });
      expect((err as CasIdTakenError).message).toMatch(/DEJEAN Yannick/);
      expect(await get('p-lemaitre')).toMatchObject({ casId: null, version: 1 });
      expect(await port.listAudit({ limit: 10 })).toEqual([]);
    });

    it('allows a login held in another school only', async () => {
      expect(
        (await port.setCasId(OTHER_UAI, 'x-lemaitre', 1, 'veronique.lemaitre', ctx)).records[0]?.version,
      ).toBe(2);
      expect((await port.setCasId(UAI, 'p-lemaitre', 1, 'veronique.lemaitre', ctx)).records[0]?.version).toBe(
        2,
      );
    });

    it('refuses a login with a space', async () => {
      await expect(port.setCasId(UAI, 'p-lemaitre', 1, 'veronique lemaitre', ctx)).rejects.toThrow(
        /pas d’espace/,
      );
    });

    it('changes nothing when the account already holds that login', async () => {
      const { records, entries } = await port.setCasId(UAI, 'p-gervais', 1, 'florence.gervais', ctx);
      expect(records[0]?.version).toBe(1);
      expect(entries).toEqual([]);
    });
  });

  describe('clearCasIds', () => {
    const selection = () =>
      Promise.all(CAS_HOLDERS.map(async (id) => ({ id, expectedVersion: (await get(id)).version })));

    it('clears every selected login in one audited batch', async () => {
      const { batchId, entries, records } = await port.clearCasIds(UAI, await selection(), ctx);
      expect(await casIds()).toEqual([null, null, null, null, null]);
      expect(records.map((r) => r.version)).toEqual([2, 2, 2, 2, 2]);
      expect(entries).toHaveLength(5);
      expect(new Set(entries.map((e) => e.batchId))).toEqual(new Set([batchId]));
      expect(entries.map((e) => e.before.casId)).toContain('michelle.moreau');
    });

    it('clears none when the third of five records changed since it was read, and lists it', async () => {
      const before = await casIds();
      const chosen = await selection();
      await port.setIdentity(
        UAI,
        'e-bertin',
        1,
        { nom: 'BERTIN', prenom: 'Tayeb', dateNaissance: null },
        ctx,
      );
      const err = await thrown(port.clearCasIds(UAI, chosen, ctx));
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as ConflictError).accounts.map((a) => [a.id, a.version, a.dateNaissance])).toEqual([
        ['e-bertin', 2, null],
      ]);
      expect(await casIds()).toEqual(before);
      expect(await port.listAudit({ limit: 10 })).toHaveLength(1);
    });

    it('clears none when one selected account does not exist', async () => {
      const before = await casIds();
      await expect(
        port.clearCasIds(UAI, [...(await selection()), { id: 'nobody', expectedVersion: 1 }], ctx),
      ).rejects.toThrow(AccountNotFoundError);
      expect(await casIds()).toEqual(before);
    });

    it('refuses an empty selection or the same account twice', async () => {
      await expect(port.clearCasIds(UAI, [], ctx)).rejects.toThrow(/au moins un compte/);
      const twice = [
        { id: 'p-gervais', expectedVersion: 1 },
        { id: 'p-gervais', expectedVersion: 1 },
      ];
      await expect(port.clearCasIds(UAI, twice, ctx)).rejects.toThrow(/deux fois/);
    });
  });

  describe('setEspaceParents', () => {
    it('grants « Accès à l’Espace Parents » to a responsable', async () => {
      const { entries } = await port.setEspaceParents(UAI, 'r-bossard', 1, true, ctx);
      expect(await get('r-bossard')).toMatchObject({ espaceParents: true, version: 2 });
      expect(entries[0]).toMatchObject({ before: { espaceParents: false }, after: { espaceParents: true } });
    });

    it('refuses it on a pupil', async () => {
      await expect(port.setEspaceParents(UAI, 'e-bossard', 1, true, ctx)).rejects.toThrow(
        NotAResponsableError,
      );
    });
  });

  describe('publishEspace', () => {
    it('unpublishes the base, publishes the espace and publishes the base again, each step audited', async () => {
      const { steps, records, entries, batchId } = await port.publishEspace(UAI, 'parents', 1, ctx);
      expect(steps).toEqual([
        { name: 'unpublish-base', changed: true },
        { name: 'publish-espace', changed: true },
        { name: 'publish-base', changed: true },
      ]);
      expect(records[0]).toMatchObject({ basePublished: true, version: 2 });
      expect((await port.getPublication(UAI))?.espaces.parents).toBe(true);
      expect(entries.map((e) => [e.action, e.before, e.after, e.batchId])).toEqual([
        ['unpublish-base', { basePublished: true }, { basePublished: false }, batchId],
        ['publish-espace', { 'espaces.parents': false }, { 'espaces.parents': true }, batchId],
        ['publish-base', { basePublished: false }, { basePublished: true }, batchId],
      ]);
    });

    it('says which steps had nothing to change', async () => {
      const { steps } = await port.publishEspace(UAI, 'eleves', 1, ctx);
      expect(steps.map((s) => s.changed)).toEqual([true, false, true]);
    });

    it('refuses a stale console version with its current state, and an unknown espace', async () => {
      await port.publishEspace(UAI, 'parents', 1, ctx);
      const err = await thrown(port.publishEspace(UAI, 'direction', 1, ctx));
      expect((err as ConflictError).publication).toMatchObject({ version: 2, espaces: { parents: true } });
      await expect(port.publishEspace(UAI, 'cantine' as never, 2, ctx)).rejects.toThrow(
        /Espace\u00a0: valeur inconnue/,
      );
    });
  });

  describe('undo', () => {
    it('restores a single change and audits the undo', async () => {
      const done = await port.setCasId(UAI, 'p-lemaitre', 1, 'veronique.lemaitre', ctx);
      const undone = await port.undo(done.batchId, { actor: 'agent.b', sessionId: 's-2' });
      expect(await get('p-lemaitre')).toMatchObject({ casId: null, version: 3 });
      expect(undone.entries[0]).toMatchObject({
        action: 'undo',
        actor: 'agent.b',
        undoOf: done.batchId,
        before: { casId: 'veronique.lemaitre' },
        after: { casId: null },
      });
    });

    it('restores a whole batch, or one entry of it', async () => {
      const { batchId, entries } = await port.clearCasIds(
        UAI,
        CAS_HOLDERS.map((id) => ({ id, expectedVersion: 1 })),
        ctx,
      );
      await port.undo(entries[0]?.id ?? '', ctx);
      expect((await get('p-gervais')).casId).toBe('florence.gervais');
      expect((await get('p-dejean')).casId).toBeNull();
      await port.setCasId(UAI, 'p-dejean', 2, 'yannick.dejean', ctx);
      await expect(port.undo(batchId, ctx)).rejects.toThrow(ConflictError);
    });

    it('is refused after a later change, showing the record as it is now', async () => {
      const done = await port.setIdentity(
        UAI,
        'e-bertin',
        1,
        { nom: 'BERTIN', prenom: 'Tayeb', dateNaissance: null },
        ctx,
      );
      await port.setCasId(UAI, 'e-bertin', 2, 'tayeb.bertin2', ctx);
      const err = await thrown(port.undo(done.batchId, ctx));
      expect((err as ConflictError).accounts[0]).toMatchObject({ casId: 'tayeb.bertin2', version: 3 });
      expect((await get('e-bertin')).dateNaissance).toBeNull();
    });

    it('is refused twice, and for an unknown entry', async () => {
      const done = await port.setEspaceParents(UAI, 'r-bossard', 1, true, ctx);
      await port.undo(done.batchId, ctx);
      await expect(port.undo(done.batchId, ctx)).rejects.toThrow(AlreadyUndoneError);
      await expect(port.undo('nope', ctx)).rejects.toThrow(/introuvable/);
    });

    it('puts the console back as it was before the three steps', async () => {
      const done = await port.publishEspace(UAI, 'parents', 1, ctx);
      await port.undo(done.batchId, ctx);
      expect(await port.getPublication(UAI)).toMatchObject({
        basePublished: true,
        version: 3,
        espaces: { parents: false },
      });
    });

    it('refuses to give back a login another account took since', async () => {
      const done = await port.clearCasIds(UAI, [{ id: 'p-gervais', expectedVersion: 1 }], ctx);
      await port.setCasId(UAI, 'p-albert', 1, 'florence.gervais', ctx);
      await expect(port.undo(done.batchId, ctx)).rejects.toThrow(CasIdTakenError);
      expect((await get('p-gervais')).casId).toBeNull();
    });
  });

  describe('audit journal', () => {
    it('lists entries newest first, by school and by session, page by page', async () => {
      await port.setEspaceParents(UAI, 'r-bossard', 1, true, ctx);
      await port.setCasId(UAI, 'p-lemaitre', 1, 'veronique.lemaitre', { actor: 'agent.b', sessionId: 's-2' });
      await port.setCasId(OTHER_UAI, 'x-lemaitre', 1, 'v.lemaitre', ctx);
      const all = await port.listAudit({ limit: 10 });
      expect(all.map((e) => e.accountId)).toEqual(['x-lemaitre', 'p-lemaitre', 'r-bossard']);
      expect((await port.listAudit({ uai: UAI, limit: 10 })).map((e) => e.accountId)).toEqual([
        'p-lemaitre',
        'r-bossard',
      ]);
      expect((await port.listAudit({ sessionId: 's-1', limit: 10 })).map((e) => e.accountId)).toEqual([
        'x-lemaitre',
        'r-bossard',
      ]);
      expect((await port.listAudit({ limit: 10, before: all[1]?.id ?? '' })).map((e) => e.accountId)).toEqual(
        ['r-bossard'],
      );
      expect(await port.getAuditEntry(all[0]?.id ?? '')).toEqual(all[0]);
      expect(await port.getAuditEntry('nope')).toBeNull();
    });
  });
}
