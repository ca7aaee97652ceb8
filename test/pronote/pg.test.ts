import { beforeEach, describe, expect, it } from 'vitest';
import { AlreadyUndoneError, CasIdTakenError, ConflictError } from '../../src/pronote/errors.js';
import type { NewAccount } from '../../src/pronote/model.js';
import { pgPronote } from '../../src/pronote/pg/index.js';
import type { PronoteLoader, PronotePort } from '../../src/pronote/port.js';
import type { PgPool } from '../../src/store/pg/pool.js';
import { describePg } from '../helpers/pg.js';
import { freshPgSchemas } from '../store/fresh-pg.js';
import { pronoteContract } from './contract.js';
import { CAS_HOLDERS, otherSchool, school, UAI } from './contract-fixture.js';

describePg('PostgreSQL PRONOTE adapter', () => {
  const fresh = freshPgSchemas();

  pronoteContract('PostgreSQL', async () => pgPronote((await fresh())()));

  describe('PostgreSQL only', () => {
    let open: () => PgPool;
    let pool: PgPool;
    let port: PronotePort & PronoteLoader;
    const ctx = { actor: 'agent.dupont' };
    beforeEach(async () => {
      open = await fresh();
      pool = open();
      port = await pgPronote(pool);
      await port.loadSchool(school, { replace: false });
      await port.loadSchool(otherSchool, { replace: false });
    });
    const accounts = () => Promise.all(CAS_HOLDERS.map((id) => port.getAccount(UAI, id)));
    const casIds = async () => (await accounts()).map((a) => a?.casId);

    /** A PL/pgSQL trigger that raises `message`, the way a full disk or a broken constraint would. */
    const failing = async (message: string, on: string, when = '') => {
      await pool.query(`CREATE FUNCTION fail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION '${message}'; END $$`);
      await pool.query(`CREATE TRIGGER fail ${on} FOR EACH ROW ${when} EXECUTE FUNCTION fail()`);
    };

    /**
     * Runs `writes` while another transaction holds the account's row, and lets it go once every write is
     * waiting for it: the writes then meet at the same moment, as two instances' requests would.
     */
    const racing = async <T>(id: string, writes: () => Promise<T>[]) => {
      const blocker = await pool.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query('SELECT 1 FROM pronote_accounts WHERE uai = $1 AND id = $2 FOR UPDATE', [
          UAI,
          id,
        ]);
        const started = writes();
        let ended = 0;
        const count = () => {
          ended += 1;
        };
        const all = Promise.allSettled(started.map((write) => write.finally(count)));
        // Until every write waits (or one ended without waiting, which the assertions will show).
        for (let waiting = 0; waiting < started.length && ended === 0; ) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          // Asked outside the blocker's transaction, which sees the activity as it was when it first looked.
          const { rows } = await pool.query<{ n: number }>(
            `SELECT COUNT(*) AS n FROM pg_stat_activity
             WHERE datname = current_database() AND wait_event_type = 'Lock'`,
          );
          waiting = rows[0]?.n ?? 0;
        }
        await blocker.query('COMMIT');
        return await all;
      } finally {
        blocker.release();
      }
    };

    describe('a fix that fails midway', () => {
      it('leaves no record of a batch written when the disk fails on the third', async () => {
        await failing(
          'panne simulée',
          'BEFORE UPDATE OF cas_id ON pronote_accounts',
          "WHEN (NEW.id = 'e-bertin')",
        );
        const before = await casIds();
        const selection = CAS_HOLDERS.map((id) => ({ id, expectedVersion: 1 }));
        await expect(port.clearCasIds(UAI, selection, ctx)).rejects.toThrow(/panne simulée/);
        expect(await casIds()).toEqual(before);
        expect((await accounts()).map((a) => a?.version)).toEqual([1, 1, 1, 1, 1]);
        expect(await port.listAudit({ limit: 10 })).toEqual([]);
      });

      it('does not keep a change whose audit entry could not be written', async () => {
        await failing('journal plein', 'BEFORE INSERT ON audit_entries');
        await expect(port.setCasId(UAI, 'p-lemaitre', 1, 'veronique.lemaitre', ctx)).rejects.toThrow(
          /journal plein/,
        );
        expect(await port.getAccount(UAI, 'p-lemaitre')).toMatchObject({ casId: null, version: 1 });
        expect(await port.findByCasId(UAI, 'veronique.lemaitre')).toBeNull();
      });

      it('does not half-publish when the audit fails after the console changed', async () => {
        await failing('journal plein', 'BEFORE INSERT ON audit_entries');
        await expect(port.publishEspace(UAI, 'parents', 1, ctx)).rejects.toThrow(/journal plein/);
        expect(await port.getPublication(UAI)).toMatchObject({ version: 1, espaces: { parents: false } });
      });
    });

    describe('two instances on one database', () => {
      it('never lose an update: of two writers of the same version one wins, the other sees its value', async () => {
        const other = await pgPronote(open());
        const [a, b] = await racing('p-lemaitre', () => [
          port.setCasId(UAI, 'p-lemaitre', 1, 'veronique.lemaitre', { actor: 'a' }),
          other.setCasId(UAI, 'p-lemaitre', 1, 'v.lemaitre', { actor: 'b' }),
        ]);
        const outcomes = [a, b].map((r) => r?.status).sort();
        expect(outcomes).toEqual(['fulfilled', 'rejected']);
        const lost = [a, b].find((r) => r?.status === 'rejected') as PromiseRejectedResult;
        const won = a?.status === 'fulfilled' ? 'veronique.lemaitre' : 'v.lemaitre';
        expect(lost.reason).toBeInstanceOf(ConflictError);
        expect((lost.reason as ConflictError).accounts).toEqual([
          expect.objectContaining({ id: 'p-lemaitre', casId: won, version: 2 }),
        ]);
        expect(await other.getAccount(UAI, 'p-lemaitre')).toMatchObject({ casId: won, version: 2 });
        expect(await port.listAudit({ limit: 10 })).toHaveLength(1);
      });

      it('give one login to one account only, naming the holder to the other', async () => {
        const other = await pgPronote(open());
        const results = await Promise.allSettled([
          port.setCasId(UAI, 'p-lemaitre', 1, 'prof.principal', { actor: 'a' }),
          other.setCasId(UAI, 'p-albert', 1, 'Prof.Principal', { actor: 'b' }),
        ]);
        expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        expect(lost.reason).toBeInstanceOf(CasIdTakenError);
        const holder = (await port.findByCasId(UAI, 'prof.principal'))?.id;
        expect((lost.reason as CasIdTakenError).holder.id).toBe(holder);
        expect(await port.listAudit({ limit: 10 })).toHaveLength(1);
      });

      it('undo a batch once: the second undo is told it was undone already', async () => {
        const other = await pgPronote(open());
        const done = await port.clearCasIds(
          UAI,
          CAS_HOLDERS.map((id) => ({ id, expectedVersion: 1 })),
          ctx,
        );
        const results = await racing('e-bertin', () => [
          port.undo(done.batchId, ctx),
          other.undo(done.batchId, { actor: 'agent.b' }),
        ]);
        expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
        const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
        expect(lost.reason).toBeInstanceOf(AlreadyUndoneError);
        expect(await casIds()).toEqual([
          'florence.gervais',
          'michelle.moreau',
          'tayeb.bertin',
          'damien.bossard',
          'lea.dupont',
        ]);
      });

      it('apply the migrations once when they start together', async () => {
        const fresher = await fresh();
        const [a, b] = await Promise.all([pgPronote(fresher()), pgPronote(fresher())]);
        const check = fresher();
        const { rows } = await check.query<{ scope: string; n: number }>(
          'SELECT scope, COUNT(*) AS n FROM schema_migrations GROUP BY scope ORDER BY scope',
        );
        expect(rows).toEqual([
          { scope: 'audit', n: 1 },
          { scope: 'corrections', n: 1 },
          { scope: 'pronote', n: 4 },
        ]);
        await a.loadSchool(school, { replace: false });
        expect((await b.listSchools()).map((s) => s.uai)).toEqual([UAI]);
      });
    });

    describe('a school of many accounts', () => {
      const many = (count: number): NewAccount[] =>
        Array.from({ length: count }, (_, i) => ({
          id: `a-${i}`,
          profile: i % 3 === 0 ? 'responsable' : 'eleve',
          nom: `NOM-${i % 997} D’ARTOIS`,
          prenom: `Prénom ${i}`,
          dateNaissance: null,
          casId: `login.${i}`,
          pronoteEntId: null,
          classe: null,
          espaceParents: i % 3 === 0 ? true : null,
          email: null,
        }));

      it('loads in chunks: every account, its search keys and its links across chunks; a replace keeps versions', async () => {
        const accountsOf = many(12_000);
        // Each pupil to a responsable half the school away, so that most links cross a chunk.
        const links = accountsOf.flatMap((a, i) => {
          const far = (i + 6000) % 12_000;
          return a.profile === 'eleve' ? [{ eleveId: a.id, responsableId: `a-${far - (far % 3)}` }] : [];
        });
        const big = { school: { uai: '0990003Z', name: 'Cité scolaire' }, accounts: accountsOf, links };
        expect(await port.loadSchool(big, { replace: false })).toEqual({
          eleve: 8000,
          responsable: 4000,
          professeur: 0,
          personnel: 0,
        });
        expect(await port.listAccounts('0990003Z')).toHaveLength(12_000);
        expect((await port.findByCasId('0990003Z', 'LOGIN.11999'))?.id).toBe('a-11999');
        expect(
          (await port.findCandidates('0990003Z', { nom: 'Nom-34 d’Artois', prenom: 'Prénom 11998' }))[0]?.id,
        ).toBe('a-11998');
        const child = links.at(-1);
        expect((await port.responsablesOf('0990003Z', child?.eleveId ?? '')).map((r) => r.id)).toEqual([
          child?.responsableId,
        ]);
        await port.setCasId('0990003Z', 'a-5001', 1, 'nouveau.login', ctx);
        await port.loadSchool(big, { replace: true });
        expect((await port.getAccount('0990003Z', 'a-5001'))?.version).toBe(3);
        expect((await port.getAccount('0990003Z', 'a-5002'))?.version).toBe(2);
      });
    });
  });
});
