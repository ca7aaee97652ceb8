import type { Database } from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { sqlitePronote } from '../../src/pronote/sqlite/index.js';
import { openMemoryDatabase } from '../../src/store/sqlite/database.js';
import { pronoteContract } from './contract.js';
import { CAS_HOLDERS, otherSchool, school, UAI } from './contract-fixture.js';

pronoteContract('SQLite', async () => sqlitePronote(openMemoryDatabase()));

describe('SQLite PRONOTE adapter', () => {
  let db: Database;
  let port: ReturnType<typeof sqlitePronote>;
  const ctx = { actor: 'agent.dupont' };
  beforeEach(async () => {
    db = openMemoryDatabase();
    port = sqlitePronote(db);
    await port.loadSchool(school, { replace: false });
    await port.loadSchool(otherSchool, { replace: false });
  });
  const accounts = () => Promise.all(CAS_HOLDERS.map((id) => port.getAccount(UAI, id)));
  const casIds = async () => (await accounts()).map((a) => a?.casId);

  it('finds the accounts loaded before the other nom was indexed under that nom, once migrated', async () => {
    const married = {
      ...school.accounts[0],
      id: 'r-married',
      nom: 'GARNIER',
      nomNaissance: 'BENALI',
      dateNaissance: '1980-03-02',
    };
    await port.loadSchool({ ...school, accounts: [...school.accounts, married] } as typeof school, {
      replace: true,
    });
    // The base as it was before that step: no key column, that step and the later ones not applied.
    db.exec(`DROP INDEX pronote_accounts_nom_naissance;
             ALTER TABLE pronote_accounts DROP COLUMN nom_naissance_key;
             ALTER TABLE pronote_schools DROP COLUMN identification_mode;
             ALTER TABLE pronote_schools DROP COLUMN settings_version;
             DELETE FROM schema_migrations WHERE scope = 'pronote' AND version >= 3;`);
    const reopened = sqlitePronote(db);
    const found = await reopened.findCandidates(UAI, { nom: 'Benali', prenom: married.prenom ?? '' });
    expect(found.map((a) => a.id)).toContain('r-married');
  });

  describe('a fix that fails midway', () => {
    it('leaves no record of a batch written when the disk fails on the third', async () => {
      db.exec(`CREATE TRIGGER fail_third BEFORE UPDATE OF cas_id ON pronote_accounts WHEN NEW.id = 'e-bertin'
               BEGIN SELECT RAISE(ABORT, 'panne simulée'); END`);
      const before = await casIds();
      const selection = CAS_HOLDERS.map((id) => ({ id, expectedVersion: 1 }));
      await expect(port.clearCasIds(UAI, selection, ctx)).rejects.toThrow(/panne simulée/);
      expect(await casIds()).toEqual(before);
      expect((await accounts()).map((a) => a?.version)).toEqual([1, 1, 1, 1, 1]);
      expect(await port.listAudit({ limit: 10 })).toEqual([]);
    });

    it('does not keep a change whose audit entry could not be written', async () => {
      db.exec(`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_entries
               BEGIN SELECT RAISE(ABORT, 'journal plein'); END`);
      await expect(port.setCasId(UAI, 'p-lemaitre', 1, 'veronique.lemaitre', ctx)).rejects.toThrow(
        /journal plein/,
      );
      expect(await port.getAccount(UAI, 'p-lemaitre')).toMatchObject({ casId: null, version: 1 });
      expect(await port.findByCasId(UAI, 'veronique.lemaitre')).toBeNull();
    });

    it('does not half-publish when the audit fails after the console changed', async () => {
      db.exec(`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_entries
               BEGIN SELECT RAISE(ABORT, 'journal plein'); END`);
      await expect(port.publishEspace(UAI, 'parents', 1, ctx)).rejects.toThrow(/journal plein/);
      expect(await port.getPublication(UAI)).toMatchObject({ version: 1, espaces: { parents: false } });
    });
  });

  describe('two database connections', () => {
    it('never lose an update: the second writer of the same version is refused', async () => {
      const { mkdtempSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      const { openDatabase } = await import('../../src/store/sqlite/database.js');
      const dir = mkdtempSync(join(tmpdir(), 'pronote-'));
      const a = sqlitePronote(openDatabase(dir));
      await a.loadSchool(school, { replace: false });
      const b = sqlitePronote(openDatabase(dir));
      const version = (await a.getAccount(UAI, 'p-lemaitre'))?.version ?? 0;
      expect((await b.getAccount(UAI, 'p-lemaitre'))?.version).toBe(version);
      await a.setCasId(UAI, 'p-lemaitre', version, 'veronique.lemaitre', { actor: 'a' });
      await expect(b.setCasId(UAI, 'p-lemaitre', version, 'v.lemaitre', { actor: 'b' })).rejects.toThrow(
        /modifiées entre-temps/,
      );
      expect((await b.getAccount(UAI, 'p-lemaitre'))?.casId).toBe('veronique.lemaitre');
    });
  });

  describe('finding candidates in a region of a million accounts', () => {
    /** Records the statements an adapter call runs, to read SQLite's plan for each. */
    const plansOf = async (call: () => Promise<unknown>): Promise<string[]> => {
      const seen: { sql: string; args: unknown[] }[] = [];
      const prepare = db.prepare.bind(db);
      db.prepare = ((sql: string) => {
        const statement = prepare(sql);
        const all = statement.all.bind(statement);
        statement.all = ((...args: unknown[]) => {
          seen.push({ sql, args });
          return all(...args);
        }) as typeof statement.all;
        return statement;
      }) as typeof db.prepare;
      try {
        await call();
      } finally {
        db.prepare = prepare as typeof db.prepare;
      }
      return seen.flatMap(({ sql, args }) =>
        prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all(...args)
          .map((r) => (r as { detail: string }).detail),
      );
    };
    const fullScans = (plans: string[]) =>
      plans.filter((d) => /^SCAN (pronote_accounts|pronote_nom_parts|a|p)\b/.test(d));

    it('reads indexes only, within a school or across all of them', async () => {
      const identity = {
        nom: 'Dupont Martin',
        prenom: 'Léa',
        dateNaissance: '2001-05-06',
        nomNaissance: 'Garnier',
      };
      for (const uai of [UAI, null]) {
        const plans = await plansOf(() => port.findCandidates(uai, identity));
        expect(plans.length).toBeGreaterThan(0);
        expect(fullScans(plans)).toEqual([]);
      }
    });

    it('searches one school through its own index', async () => {
      const plans = await plansOf(() =>
        port.searchAccounts(UAI, { text: 'bos', profile: 'eleve', limit: 20 }),
      );
      expect(fullScans(plans)).toEqual([]);
    });
  });
});
