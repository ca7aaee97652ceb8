import { beforeEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import {
  AccountNotFoundError,
  AlreadyUndoneError,
  CasIdTakenError,
  ConflictError,
  NotAResponsableError,
  type PronoteAccount,
  type PronotePort,
  type WriteContext,
} from '../../src/pronote/port.js';
import { CAS_HOLDERS, OTHER_UAI, UAI } from './contract-fixture.js';

const ctx: WriteContext = { actor: 'agent.dupont', sessionId: 's-1', step: 'auth-error.fix-identity' };

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
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
  const get = (id: string, uai = UAI) => port.getAccount(uai, id) as PronoteAccount;
  const casIds = () => CAS_HOLDERS.map((id) => get(id).casId);

  describe('setIdentity', () => {
    it('aligns the identity, bumps the version and audits only the fields that changed', () => {
      const { records, entries, batchId } = port.setIdentity(
        UAI,
        'e-bertin',
        1,
        { nom: 'BERTIN', prenom: 'Tayeb', dateNaissance: '1999-08-11' },
        ctx,
      );
      expect(records[0]).toMatchObject({ dateNaissance: '1999-08-11', version: 2 });
      expect(get('e-bertin').dateNaissance).toBe('1999-08-11');
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

    it('is found under its new nom at once', () => {
      port.setIdentity(
        UAI,
        'r-mercier',
        1,
        { nom: 'CHOPIN', prenom: 'Laurence', dateNaissance: '1972-05-14' },
        ctx,
      );
      expect(port.findCandidates(UAI, { nom: 'Chopin', prenom: 'X' }).map((a) => a.id)).toEqual([
        'r-mercier',
      ]);
      expect(port.searchAccounts(UAI, { text: 'mercier', limit: 5 })).toEqual([]);
    });

    it('refuses a date that does not exist, in French, and writes nothing', () => {
      const err = thrown(() =>
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
      expect(get('e-bertin').version).toBe(1);
      expect(port.listAudit({ limit: 10 })).toEqual([]);
    });

    it('refuses an empty nom or one too long', () => {
      const blank = { nom: '  ', prenom: 'Tayeb', dateNaissance: null };
      expect(() => port.setIdentity(UAI, 'e-bertin', 1, blank, ctx)).toThrow(/Nom : une valeur est requise/);
      const long = { nom: 'X'.repeat(101), prenom: 'Tayeb', dateNaissance: null };
      expect(() => port.setIdentity(UAI, 'e-bertin', 1, long, ctx)).toThrow(/100 caractères/);
    });

    it('says when the account does not exist', () => {
      const identity = { nom: 'A', prenom: 'B', dateNaissance: null };
      expect(() => port.setIdentity(UAI, 'nobody', 1, identity, ctx)).toThrow(AccountNotFoundError);
    });
  });

  describe('optimistic versions', () => {
    it('lets one of two writers that read the same version win; the other sees the winner’s value', () => {
      const readByA = get('e-bossard');
      const readByB = get('e-bossard');
      const identity = { nom: 'BOSSARD', prenom: 'Damien', dateNaissance: '2000-02-20' };
      port.setIdentity(UAI, 'e-bossard', readByA.version, { ...identity, prenom: 'Damien-Paul' }, ctx);
      const err = thrown(() =>
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
      expect(get('e-bossard')).toMatchObject({ nom: 'BOSSARD', prenom: 'Damien-Paul', version: 2 });
      expect(port.listAudit({ limit: 10 })).toHaveLength(1);
    });
  });

  describe('setCasId', () => {
    it('writes the ENT login into « Identifiant CAS »', () => {
      const { records, entries } = port.setCasId(UAI, 'p-lemaitre', 1, ' veronique.lemaitre ', ctx);
      expect(records[0]?.casId).toBe('veronique.lemaitre');
      expect(entries[0]).toMatchObject({
        action: 'set-cas-id',
        before: { casId: null },
        after: { casId: 'veronique.lemaitre' },
      });
      expect(port.findByCasId(UAI, 'veronique.lemaitre')?.id).toBe('p-lemaitre');
    });

    it('refuses a login another account holds, naming the holder, and writes nothing', () => {
      const err = thrown(() => port.setCasId(UAI, 'p-lemaitre', 1, 'Michelle.Moreau', ctx));
      expect(err).toBeInstanceOf(CasIdTakenError);
      expect((err as CasIdTakenError).holder).toMatchObject({
        id: 'p-dejean',
        nom: 'DEJEAN',
        prenom: 'Yannick',
      });
      expect((err as CasIdTakenError).message).toMatch(/DEJEAN Yannick/);
      expect(get('p-lemaitre')).toMatchObject({ casId: null, version: 1 });
      expect(port.listAudit({ limit: 10 })).toEqual([]);
    });

    it('allows a login held in another school only', () => {
      expect(port.setCasId(OTHER_UAI, 'x-lemaitre', 1, 'veronique.lemaitre', ctx).records[0]?.version).toBe(
        2,
      );
      expect(port.setCasId(UAI, 'p-lemaitre', 1, 'veronique.lemaitre', ctx).records[0]?.version).toBe(2);
    });

    it('refuses a login with a space', () => {
      expect(() => port.setCasId(UAI, 'p-lemaitre', 1, 'veronique lemaitre', ctx)).toThrow(/pas d’espace/);
    });

    it('changes nothing when the account already holds that login', () => {
      const { records, entries } = port.setCasId(UAI, 'p-gervais', 1, 'florence.gervais', ctx);
      expect(records[0]?.version).toBe(1);
      expect(entries).toEqual([]);
    });
  });

  describe('clearCasIds', () => {
    const selection = () => CAS_HOLDERS.map((id) => ({ id, expectedVersion: get(id).version }));

    it('clears every selected login in one audited batch', () => {
      const { batchId, entries, records } = port.clearCasIds(UAI, selection(), ctx);
      expect(casIds()).toEqual([null, null, null, null, null]);
      expect(records.map((r) => r.version)).toEqual([2, 2, 2, 2, 2]);
      expect(entries).toHaveLength(5);
      expect(new Set(entries.map((e) => e.batchId))).toEqual(new Set([batchId]));
      expect(entries.map((e) => e.before.casId)).toContain('michelle.moreau');
    });

    it('clears none when the third of five records changed since it was read, and lists it', () => {
      const before = casIds();
      const chosen = selection();
      port.setIdentity(UAI, 'e-bertin', 1, { nom: 'BERTIN', prenom: 'Tayeb', dateNaissance: null }, ctx);
      const err = thrown(() => port.clearCasIds(UAI, chosen, ctx));
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as ConflictError).accounts.map((a) => [a.id, a.version, a.dateNaissance])).toEqual([
        ['e-bertin', 2, null],
      ]);
      expect(casIds()).toEqual(before);
      expect(port.listAudit({ limit: 10 })).toHaveLength(1);
    });

    it('clears none when one selected account does not exist', () => {
      const before = casIds();
      expect(() =>
        port.clearCasIds(UAI, [...selection(), { id: 'nobody', expectedVersion: 1 }], ctx),
      ).toThrow(AccountNotFoundError);
      expect(casIds()).toEqual(before);
    });

    it('refuses an empty selection or the same account twice', () => {
      expect(() => port.clearCasIds(UAI, [], ctx)).toThrow(/au moins un compte/);
      const twice = [
        { id: 'p-gervais', expectedVersion: 1 },
        { id: 'p-gervais', expectedVersion: 1 },
      ];
      expect(() => port.clearCasIds(UAI, twice, ctx)).toThrow(/deux fois/);
    });
  });

  describe('setEspaceParents', () => {
    it('grants « Accès à l’Espace Parents » to a responsable', () => {
      const { entries } = port.setEspaceParents(UAI, 'r-bossard', 1, true, ctx);
      expect(get('r-bossard')).toMatchObject({ espaceParents: true, version: 2 });
      expect(entries[0]).toMatchObject({ before: { espaceParents: false }, after: { espaceParents: true } });
    });

    it('refuses it on a pupil', () => {
      expect(() => port.setEspaceParents(UAI, 'e-bossard', 1, true, ctx)).toThrow(NotAResponsableError);
    });
  });

  describe('publishEspace', () => {
    it('unpublishes the base, publishes the espace and publishes the base again, each step audited', () => {
      const { steps, records, entries, batchId } = port.publishEspace(UAI, 'parents', 1, ctx);
      expect(steps).toEqual([
        { name: 'unpublish-base', changed: true },
        { name: 'publish-espace', changed: true },
        { name: 'publish-base', changed: true },
      ]);
      expect(records[0]).toMatchObject({ basePublished: true, version: 2 });
      expect(port.getPublication(UAI)?.espaces.parents).toBe(true);
      expect(entries.map((e) => [e.action, e.before, e.after, e.batchId])).toEqual([
        ['unpublish-base', { basePublished: true }, { basePublished: false }, batchId],
        ['publish-espace', { 'espaces.parents': false }, { 'espaces.parents': true }, batchId],
        ['publish-base', { basePublished: false }, { basePublished: true }, batchId],
      ]);
    });

    it('says which steps had nothing to change', () => {
      const { steps } = port.publishEspace(UAI, 'eleves', 1, ctx);
      expect(steps.map((s) => s.changed)).toEqual([true, false, true]);
    });

    it('refuses a stale console version with its current state, and an unknown espace', () => {
      port.publishEspace(UAI, 'parents', 1, ctx);
      const err = thrown(() => port.publishEspace(UAI, 'direction', 1, ctx));
      expect((err as ConflictError).publication).toMatchObject({ version: 2, espaces: { parents: true } });
      expect(() => port.publishEspace(UAI, 'cantine' as never, 2, ctx)).toThrow(/Espace : valeur inconnue/);
    });
  });

  describe('undo', () => {
    it('restores a single change and audits the undo', () => {
      const done = port.setCasId(UAI, 'p-lemaitre', 1, 'veronique.lemaitre', ctx);
      const undone = port.undo(done.batchId, { actor: 'agent.b', sessionId: 's-2' });
      expect(get('p-lemaitre')).toMatchObject({ casId: null, version: 3 });
      expect(undone.entries[0]).toMatchObject({
        action: 'undo',
        actor: 'agent.b',
        undoOf: done.batchId,
        before: { casId: 'veronique.lemaitre' },
        after: { casId: null },
      });
    });

    it('restores a whole batch, or one entry of it', () => {
      const { batchId, entries } = port.clearCasIds(
        UAI,
        CAS_HOLDERS.map((id) => ({ id, expectedVersion: 1 })),
        ctx,
      );
      port.undo(entries[0]?.id ?? '', ctx);
      expect(get('p-gervais').casId).toBe('florence.gervais');
      expect(get('p-dejean').casId).toBeNull();
      port.setCasId(UAI, 'p-dejean', 2, 'yannick.dejean', ctx);
      expect(() => port.undo(batchId, ctx)).toThrow(ConflictError);
    });

    it('is refused after a later change, showing the record as it is now', () => {
      const done = port.setIdentity(
        UAI,
        'e-bertin',
        1,
        { nom: 'BERTIN', prenom: 'Tayeb', dateNaissance: null },
        ctx,
      );
      port.setCasId(UAI, 'e-bertin', 2, 'tayeb.bertin2', ctx);
      const err = thrown(() => port.undo(done.batchId, ctx));
      expect((err as ConflictError).accounts[0]).toMatchObject({ casId: 'tayeb.bertin2', version: 3 });
      expect(get('e-bertin').dateNaissance).toBeNull();
    });

    it('is refused twice, and for an unknown entry', () => {
      const done = port.setEspaceParents(UAI, 'r-bossard', 1, true, ctx);
      port.undo(done.batchId, ctx);
      expect(() => port.undo(done.batchId, ctx)).toThrow(AlreadyUndoneError);
      expect(() => port.undo('nope', ctx)).toThrow(/introuvable/);
    });

    it('puts the console back as it was before the three steps', () => {
      const done = port.publishEspace(UAI, 'parents', 1, ctx);
      port.undo(done.batchId, ctx);
      expect(port.getPublication(UAI)).toMatchObject({
        basePublished: true,
        version: 3,
        espaces: { parents: false },
      });
    });

    it('refuses to give back a login another account took since', () => {
      const done = port.clearCasIds(UAI, [{ id: 'p-gervais', expectedVersion: 1 }], ctx);
      port.setCasId(UAI, 'p-albert', 1, 'florence.gervais', ctx);
      expect(() => port.undo(done.batchId, ctx)).toThrow(CasIdTakenError);
      expect(get('p-gervais').casId).toBeNull();
    });
  });

  describe('audit journal', () => {
    it('lists entries newest first, by school and by session, page by page', () => {
      port.setEspaceParents(UAI, 'r-bossard', 1, true, ctx);
      port.setCasId(UAI, 'p-lemaitre', 1, 'veronique.lemaitre', { actor: 'agent.b', sessionId: 's-2' });
      port.setCasId(OTHER_UAI, 'x-lemaitre', 1, 'v.lemaitre', ctx);
      const all = port.listAudit({ limit: 10 });
      expect(all.map((e) => e.accountId)).toEqual(['x-lemaitre', 'p-lemaitre', 'r-bossard']);
      expect(port.listAudit({ uai: UAI, limit: 10 }).map((e) => e.accountId)).toEqual([
        'p-lemaitre',
        'r-bossard',
      ]);
      expect(port.listAudit({ sessionId: 's-1', limit: 10 }).map((e) => e.accountId)).toEqual([
        'x-lemaitre',
        'r-bossard',
      ]);
      expect(port.listAudit({ limit: 10, before: all[1]?.id ?? '' }).map((e) => e.accountId)).toEqual([
        'r-bossard',
      ]);
      expect(port.getAuditEntry(all[0]?.id ?? '')).toEqual(all[0]);
      expect(port.getAuditEntry('nope')).toBeNull();
    });
  });
}
