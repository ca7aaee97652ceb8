import { beforeEach, describe, expect, it } from 'vitest';
import { ZodError } from 'zod';
import { AlreadyUndoneError, ConflictError, SchoolNotFoundError } from '../../src/pronote/errors.js';
import type { PronoteLoader, PronotePort, WriteContext } from '../../src/pronote/port.js';
import type { IdentificationMode } from '../../src/pronote/school-settings.js';
import { OTHER_UAI, school, UAI } from './contract-fixture.js';

const ctx: WriteContext = { actor: 'agent.dupont', step: 'school-settings' };

/** The school's identification mode, on the fixture `contract.ts` loaded. */
export function pronoteSettingsContract(getPort: () => PronotePort & PronoteLoader): void {
  let port: PronotePort & PronoteLoader;
  beforeEach(() => {
    port = getPort();
  });
  const mode = async (uai = UAI) => (await port.getSchoolSettings(uai))?.identificationMode;

  describe('the identification mode of a school', () => {
    it('is the identity mode for a school nobody described, and null for an unknown school', async () => {
      expect(await port.getSchoolSettings(UAI)).toEqual({
        uai: UAI,
        identificationMode: 'identity',
        version: 1,
      });
      expect(await port.getSchoolSettings('0000000Z')).toBeNull();
    });

    it('is changed, version bumped, with an audit entry of who, when, before and after, and no correction', async () => {
      const { records, entries } = await port.setIdentificationMode(UAI, 'pronote-ent-id', 1, ctx);
      expect(records[0]).toEqual({ uai: UAI, identificationMode: 'pronote-ent-id', version: 2 });
      expect(await mode()).toBe('pronote-ent-id');
      expect(await mode(OTHER_UAI)).toBe('identity');
      expect(entries).toEqual([
        expect.objectContaining({
          actor: 'agent.dupont',
          uai: UAI,
          action: 'set-identification-mode',
          accountId: null,
          before: { identificationMode: 'identity' },
          after: { identificationMode: 'pronote-ent-id' },
          version: 2,
        }),
      ]);
      expect(Date.parse(entries[0]?.at ?? '')).not.toBeNaN();
      expect(await port.listCorrections({ uai: UAI })).toEqual([]);
    });

    it('refuses a change made on a version that moved, writing nothing', async () => {
      await port.setIdentificationMode(UAI, 'double-auth', 1, ctx);
      await expect(port.setIdentificationMode(UAI, 'pronote-ent-id', 1, ctx)).rejects.toThrow(ConflictError);
      expect(await mode()).toBe('double-auth');
      expect(await port.listAudit({ uai: UAI, limit: 10 })).toHaveLength(1);
    });

    it('refuses an unknown mode or school', async () => {
      await expect(
        port.setIdentificationMode(UAI, 'telepathie' as IdentificationMode, 1, ctx),
      ).rejects.toThrow(ZodError);
      await expect(port.setIdentificationMode('0000000Z', 'double-auth', 1, ctx)).rejects.toThrow(
        SchoolNotFoundError,
      );
      expect(await mode()).toBe('identity');
    });

    it('writes nothing when the mode is already the one asked for', async () => {
      const { records, entries } = await port.setIdentificationMode(UAI, 'identity', 1, ctx);
      expect(records[0]?.version).toBe(1);
      expect(entries).toEqual([]);
    });

    it('is undone while unchanged since, once, and the undo is audited', async () => {
      const done = await port.setIdentificationMode(UAI, 'double-auth', 1, ctx);
      const undone = await port.undo(done.batchId, { actor: 'agent.b' });
      expect(await port.getSchoolSettings(UAI)).toEqual({
        uai: UAI,
        identificationMode: 'identity',
        version: 3,
      });
      expect(undone.entries[0]).toMatchObject({
        action: 'undo',
        undoOf: done.batchId,
        before: { identificationMode: 'double-auth' },
        after: { identificationMode: 'identity' },
      });
      await expect(port.undo(done.batchId, { actor: 'agent.b' })).rejects.toThrow(AlreadyUndoneError);
    });

    it('is not undone over a later change', async () => {
      const first = await port.setIdentificationMode(UAI, 'double-auth', 1, ctx);
      await port.setIdentificationMode(UAI, 'pronote-ent-id', 2, ctx);
      await expect(port.undo(first.batchId, { actor: 'agent.b' })).rejects.toThrow(ConflictError);
      expect(await mode()).toBe('pronote-ent-id');
    });

    it('survives a reload of the school’s data', async () => {
      await port.setIdentificationMode(UAI, 'pronote-ent-id', 1, ctx);
      await port.loadSchool(school, { replace: true });
      expect(await mode()).toBe('pronote-ent-id');
    });
  });
}
