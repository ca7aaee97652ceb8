import { beforeEach, describe, expect, it } from 'vitest';
import { CorrectionStateError, verifyCorrections } from '../../src/pronote/corrections.js';
import type { NewAccount } from '../../src/pronote/model.js';
import type { PronoteLoader, PronotePort, WriteContext } from '../../src/pronote/port.js';
import { CAS_HOLDERS, school, UAI } from './contract-fixture.js';

const ctx: WriteContext = { actor: 'agent.dupont', sessionId: 's-1', step: 'auth-error.fix-cas-id' };
const importer: WriteContext = { actor: 'import' };

/** The school's accounts as a later export brings them, with some fields changed. */
const exported = (changes: Record<string, Partial<NewAccount>>): NewAccount[] =>
  school.accounts.map((a) => ({ ...a, ...(changes[a.id] ?? {}) }));

/** Corrections: each fix records what to do in PRONOTE, and follows it until an import shows it. */
export function pronoteCorrectionContract(getPort: () => PronotePort & PronoteLoader): void {
  let port: PronotePort & PronoteLoader;
  beforeEach(() => {
    port = getPort();
  });
  const settleWith = async (accounts: NewAccount[]) => {
    const open = await port.listCorrections({ uai: UAI, states: ['pending', 'applied'] });
    return port.settleCorrections(UAI, verifyCorrections(open, accounts), importer);
  };

  describe('corrections', () => {
    it('records each fix as a correction to do in PRONOTE, with the value as imported and as it will be', async () => {
      const { batchId } = await port.setCasId(UAI, 'p-lemaitre', 1, 'veronique.lemaitre', ctx);
      const [c] = await port.listCorrections({ uai: UAI });
      expect(c).toMatchObject({
        uai: UAI,
        batchId,
        kind: 'cas-id',
        state: 'pending',
        accountId: 'p-lemaitre',
        person: {
          profile: 'professeur',
          nom: 'LEMAÎTRE',
          prenom: 'Véronique',
          dateNaissance: '1975-03-02',
          pronoteEntId: 'BCNP3DW7TVX9ME8R',
        },
        changes: [{ field: 'casId', before: null, after: 'veronique.lemaitre' }],
        by: 'agent.dupont',
        sessionId: 's-1',
        step: 'auth-error.fix-cas-id',
        appliedAt: null,
        settledAt: null,
      });
      expect(await port.getCorrection(c?.id ?? '')).toEqual(c);
    });

    it('keeps the identity as imported on an identity fix, so PRONOTE can still find the person', async () => {
      await port.setIdentity(
        UAI,
        'e-bertin',
        1,
        { nom: 'BERTIN', prenom: 'Tayeb', dateNaissance: '1999-08-11' },
        ctx,
      );
      const [c] = await port.listCorrections({ uai: UAI });
      expect(c).toMatchObject({
        kind: 'identity',
        person: { nom: 'BERTIN', prenom: 'Tayeb', dateNaissance: '1999-11-08' },
        changes: [{ field: 'dateNaissance', before: '1999-11-08', after: '1999-08-11' }],
      });
    });

    it('gives a batch one correction per person, and the console one correction with its net change', async () => {
      const done = await port.clearCasIds(
        UAI,
        CAS_HOLDERS.map((id) => ({ id, expectedVersion: 1 })),
        ctx,
      );
      await port.publishEspace(UAI, 'parents', 1, ctx);
      const batch = await port.listCorrections({ uai: UAI, batchId: done.batchId });
      expect(batch.map((c) => [c.kind, c.accountId]).sort()).toEqual(
        CAS_HOLDERS.map((id) => ['clear-cas-id', id]).sort(),
      );
      const [publish] = await port.listCorrections({ uai: UAI, states: ['pending'], limit: 1 });
      expect(publish).toMatchObject({
        kind: 'publish-espace',
        accountId: null,
        person: null,
        changes: [{ field: 'espaces.parents', before: false, after: true }],
      });
    });

    it('is marked done in PRONOTE once; the second time says when and by whom', async () => {
      await port.setEspaceParents(UAI, 'r-bossard', 1, true, ctx);
      const [c] = await port.listCorrections({ uai: UAI });
      const applied = await port.markApplied(c?.id ?? '', { actor: 'agent.martin' });
      expect(applied).toMatchObject({ state: 'applied', appliedBy: 'agent.martin' });
      const again = await port.markApplied(c?.id ?? '', { actor: 'agent.dupont' }).catch((e) => e);
      expect(again).toBeInstanceOf(CorrectionStateError);
      expect((again as Error).message).toMatch(/déjà marquée faite dans PRONOTE .* par agent\.martin/);
      expect(await port.getCorrection(c?.id ?? '')).toMatchObject({
        state: 'applied',
        appliedBy: 'agent.martin',
      });
    });

    it('is verified by an import that shows the new value, contradicted by one that shows the old', async () => {
      await port.setCasId(UAI, 'p-lemaitre', 1, 'veronique.lemaitre', ctx);
      await port.setEspaceParents(UAI, 'r-bossard', 1, true, ctx);
      const settled = await settleWith(
        exported({ 'p-lemaitre': { casId: 'Veronique.Lemaitre' }, 'r-bossard': { espaceParents: false } }),
      );
      expect(settled.map((c) => [c.accountId, c.state]).sort()).toEqual([
        ['p-lemaitre', 'verified'],
        ['r-bossard', 'contradicted'],
      ]);
      const contradicted = settled.find((c) => c.state === 'contradicted');
      expect(contradicted).toMatchObject({ seen: { espaceParents: false }, settledBy: 'import' });
      // Contradicted first on the school's list.
      expect((await port.listCorrections({ uai: UAI }))[0]?.state).toBe('contradicted');
    });

    it('is contradicted when the import no longer lists the person', async () => {
      await port.setCasId(UAI, 'p-albert', 1, 'marie.albert', ctx);
      const [c] = await settleWith(school.accounts.filter((a) => a.id !== 'p-albert'));
      expect(c).toMatchObject({ state: 'contradicted', seen: null });
    });

    it('finds the person under the new identity when the import derives ids from it', async () => {
      await port.setIdentity(
        UAI,
        'e-bertin',
        1,
        { nom: 'BERTIN', prenom: 'Tayeb', dateNaissance: '1999-08-11' },
        ctx,
      );
      const accounts = exported({ 'e-bertin': { id: 'e-bertin-new', dateNaissance: '1999-08-11' } });
      const [c] = await settleWith(accounts);
      expect(c).toMatchObject({ state: 'verified' });
    });

    it('is marked undone with the fix, and an undone correction cannot be marked done', async () => {
      const { batchId } = await port.setCasId(UAI, 'p-lemaitre', 1, 'veronique.lemaitre', ctx);
      await port.undo(batchId, { actor: 'agent.martin' });
      const [c] = await port.listCorrections({ uai: UAI });
      expect(c).toMatchObject({ state: 'undone', settledBy: 'agent.martin' });
      await expect(port.markApplied(c?.id ?? '', ctx)).rejects.toThrow(/annulée/);
    });

    it('refuses to undo a fix an import has verified, and leaves the copy and the journal as they are', async () => {
      const { batchId } = await port.setCasId(UAI, 'p-lemaitre', 1, 'veronique.lemaitre', ctx);
      await settleWith(exported({ 'p-lemaitre': { casId: 'veronique.lemaitre' } }));
      const refused = await port.undo(batchId, ctx).catch((e) => e);
      expect(refused).toBeInstanceOf(CorrectionStateError);
      expect((refused as Error).message).toMatch(/vérifiée par l’import/);
      expect((await port.getAccount(UAI, 'p-lemaitre'))?.casId).toBe('veronique.lemaitre');
      expect(await port.listAudit({ uai: UAI, limit: 10 })).toHaveLength(1);
    });

    it('leaves alone what an import cannot show: the console, and « Esp. par. » missing from the export', async () => {
      await port.publishEspace(UAI, 'parents', 1, ctx);
      await port.setEspaceParents(UAI, 'r-bossard', 1, true, ctx);
      expect(await settleWith(exported({ 'r-bossard': { espaceParents: null } }))).toEqual([]);
      expect((await port.listCorrections({ uai: UAI })).map((c) => c.state)).toEqual(['pending', 'pending']);
    });

    it('does not settle twice: a correction settled meanwhile keeps its state', async () => {
      await port.setCasId(UAI, 'p-lemaitre', 1, 'veronique.lemaitre', ctx);
      const [c] = await port.listCorrections({ uai: UAI });
      await port.settleCorrections(UAI, [{ id: c?.id ?? '', state: 'verified', seen: null }], importer);
      await port.settleCorrections(
        UAI,
        [{ id: c?.id ?? '', state: 'contradicted', seen: { casId: null } }],
        importer,
      );
      expect(await port.getCorrection(c?.id ?? '')).toMatchObject({ state: 'verified', seen: null });
    });

    it('filters by state and keeps each school to itself', async () => {
      await port.setCasId(UAI, 'p-lemaitre', 1, 'veronique.lemaitre', ctx);
      await port.setCasId(UAI, 'p-albert', 1, 'marie.albert', ctx);
      const [first] = await port.listCorrections({ uai: UAI });
      await port.markApplied(first?.id ?? '', ctx);
      expect(await port.listCorrections({ uai: UAI, states: ['applied'] })).toHaveLength(1);
      expect(await port.listCorrections({ uai: UAI, states: ['pending'] })).toHaveLength(1);
      expect(await port.listCorrections({ uai: '0990002Y' })).toEqual([]);
      expect(await port.listCorrections({ uai: UAI, accountId: 'p-albert' })).toHaveLength(1);
      expect(await port.listCorrections({ uai: UAI, kind: 'publish-espace' })).toEqual([]);
    });
  });
}
