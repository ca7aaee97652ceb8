import type { Database } from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import { sqlitePronote } from '../../src/pronote/sqlite.js';
import { openMemoryDatabase } from '../../src/store/database.js';
import { pronoteContract } from './contract.js';
import { CAS_HOLDERS, otherSchool, school, UAI } from './contract-fixture.js';

pronoteContract('SQLite', () => sqlitePronote(openMemoryDatabase()));

describe('SQLite PRONOTE adapter', () => {
  let db: Database;
  let port: ReturnType<typeof sqlitePronote>;
  const ctx = { actor: 'agent.dupont' };
  beforeEach(() => {
    db = openMemoryDatabase();
    port = sqlitePronote(db);
    port.loadSchool(school, { replace: false });
    port.loadSchool(otherSchool, { replace: false });
  });
  const casIds = () => CAS_HOLDERS.map((id) => port.getAccount(UAI, id)?.casId);

  describe('a fix that fails midway', () => {
    it('leaves no record of a batch written when the disk fails on the third', () => {
      db.exec(`CREATE TRIGGER fail_third BEFORE UPDATE OF cas_id ON pronote_accounts WHEN NEW.id = 'e-bertin'
               BEGIN SELECT RAISE(ABORT, 'panne simulée'); END`);
      const before = casIds();
      const selection = CAS_HOLDERS.map((id) => ({ id, expectedVersion: 1 }));
      expect(() => port.clearCasIds(UAI, selection, ctx)).toThrow(/panne simulée/);
      expect(casIds()).toEqual(before);
      expect(CAS_HOLDERS.map((id) => port.getAccount(UAI, id)?.version)).toEqual([1, 1, 1, 1, 1]);
      expect(port.listAudit({ limit: 10 })).toEqual([]);
    });

    it('does not keep a change whose audit entry could not be written', () => {
      db.exec(`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_entries
               BEGIN SELECT RAISE(ABORT, 'journal plein'); END`);
      expect(() => port.setCasId(UAI, 'p-lemaitre', 1, 'veronique.lemaitre', ctx)).toThrow(/journal plein/);
      expect(port.getAccount(UAI, 'p-lemaitre')).toMatchObject({ casId: null, version: 1 });
      expect(port.findByCasId(UAI, 'veronique.lemaitre')).toBeNull();
    });

    it('does not half-publish when the audit fails after the console changed', () => {
      db.exec(`CREATE TRIGGER fail_audit BEFORE INSERT ON audit_entries
               BEGIN SELECT RAISE(ABORT, 'journal plein'); END`);
      expect(() => port.publishEspace(UAI, 'parents', 1, ctx)).toThrow(/journal plein/);
      expect(port.getPublication(UAI)).toMatchObject({ version: 1, espaces: { parents: false } });
    });
  });

  describe('two database connections', () => {
    it('never lose an update: the second writer of the same version is refused', async () => {
      const { mkdtempSync } = await import('node:fs');
      const { tmpdir } = await import('node:os');
      const { join } = await import('node:path');
      const { openDatabase } = await import('../../src/store/database.js');
      const dir = mkdtempSync(join(tmpdir(), 'pronote-'));
      const a = sqlitePronote(openDatabase(dir));
      a.loadSchool(school, { replace: false });
      const b = sqlitePronote(openDatabase(dir));
      const version = a.getAccount(UAI, 'p-lemaitre')?.version ?? 0;
      expect(b.getAccount(UAI, 'p-lemaitre')?.version).toBe(version);
      a.setCasId(UAI, 'p-lemaitre', version, 'veronique.lemaitre', { actor: 'a' });
      expect(() => b.setCasId(UAI, 'p-lemaitre', version, 'v.lemaitre', { actor: 'b' })).toThrow(
        /modifiées entre-temps/,
      );
      expect(b.getAccount(UAI, 'p-lemaitre')?.casId).toBe('veronique.lemaitre');
    });
  });

  describe('finding candidates in a region of a million accounts', () => {
    /** Records the statements an adapter call runs, to read SQLite's plan for each. */
    const plansOf = (call: () => void): string[] => {
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
        call();
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

    it('reads indexes only, within a school or across all of them', () => {
      const identity = { nom: 'Dupont Martin', prenom: 'Léa', dateNaissance: '2001-05-06' };
      for (const uai of [UAI, null]) {
        const plans = plansOf(() => port.findCandidates(uai, identity));
        expect(plans.length).toBeGreaterThan(0);
        expect(fullScans(plans)).toEqual([]);
      }
    });

    it('searches one school through its own index', () => {
      const plans = plansOf(() => port.searchAccounts(UAI, { text: 'bos', profile: 'eleve', limit: 20 }));
      expect(fullScans(plans)).toEqual([]);
    });
  });
});
