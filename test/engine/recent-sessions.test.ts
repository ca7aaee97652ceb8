import { describe, expect, it, vi } from 'vitest';
import { rootMachine } from '../../flows/root.machine.js';
import { answersThatMayFix, flowGraphs } from '../../src/engine/flow-graph.js';
import { createEngine, type Engine } from '../../src/engine/session-engine.js';
import { pgSessionStore } from '../../src/store/pg/sessions.js';
import type { SessionStore } from '../../src/store/session-port.js';
import { sqliteSessionStore } from '../../src/store/sqlite/sessions.js';
import { describePg } from '../helpers/pg.js';
import { freshPgSchemas } from '../store/fresh-pg.js';
import { freshSqliteFiles } from '../store/fresh-sqlite.js';

/** Two engines on one database, each with its own store connection: two instances of the server. */
type TwoInstances = () => Promise<{ a: Engine; b: Engine; storeA: SessionStore }>;

const agent = { audience: 'agent' as const, uai: null, owner: 'agent.test' };
const rien = { type: 'DESCRIBE_MESSAGE', message: 'rien' };

function recentSessionsSuite(name: string, instances: TwoInstances) {
  describe(`sessions kept in memory, two instances on one ${name} database`, () => {
    it('answer from memory, reading nothing, while no one else answers', async () => {
      const { a, storeA } = await instances();
      const { id } = await a.start(agent);
      const get = vi.spyOn(storeA, 'get');
      const entry = vi.spyOn(storeA, 'entry');
      await a.sendFrom(a.recall(id) ?? (await a.load(id)), rien);
      const second = await a.sendFrom(a.recall(id) ?? (await a.load(id)), rien);
      expect(second.seq).toBe(3);
      expect(get).not.toHaveBeenCalled();
      expect(entry).not.toHaveBeenCalled();
    });

    it('never answer from a state another instance has moved past', async () => {
      const { a, b, storeA } = await instances();
      const { id } = await a.start(agent);
      expect(a.recall(id)?.entry.seq).toBe(1);
      await b.send(id, rien);

      const stale = a.recall(id);
      expect(stale?.session.headSeq).toBe(1);
      const answered = await a.sendFrom(stale ?? (await a.load(id)), { type: 'CHOOSE_PROFILE_WIDE' });
      expect(answered.seq).toBe(3);
      expect(answered.state.entry.parentSeq).toBe(2);
      expect((await storeA.chain(id, 3)).map((e) => e.step)).toEqual([
        'triage.start',
        'triage.not-understood',
        answered.state.step.meta.step,
      ]);
    });

    it('take an answer the other instance’s step accepts, though the remembered one did not', async () => {
      const { a, b } = await instances();
      const { id } = await a.start(agent);
      await b.send(id, { type: 'DESCRIBE_MESSAGE', message: 'Vous n’avez pas accès à l’Espace Parents' });
      const answered = await a.sendFrom(a.recall(id) ?? (await a.load(id)), { type: 'ESCALATE' });
      expect(answered.state.entry.parentSeq).toBe(2);
      expect(answered.state.step.meta.step).toBe('triage.escalate');
    });

    it('answer again from an earlier step after the other instance answered, as a new branch', async () => {
      const { a, b, storeA } = await instances();
      const { id } = await a.start(agent);
      await a.send(id, rien, { at: 1 });
      await b.send(id, rien);
      const answered = await a.sendFrom(a.recall(id, 1) ?? (await a.load(id, 1)), rien);
      expect(answered.seq).toBe(4);
      expect(answered.state.entry.parentSeq).toBe(1);
      expect(await storeA.get(id)).toMatchObject({ headSeq: 4 });
    });

    it('forget a session idle for more than a day: the retention purge may have anonymised it', async () => {
      const { storeA } = await instances();
      let clock = Date.parse('2026-03-02T08:00:00Z');
      const a = createEngine({ machine: rootMachine, store: storeA, now: () => new Date(clock) });
      const { id } = await a.start(agent);
      clock += 23 * 3_600_000;
      expect(a.recall(id)).not.toBeNull();
      clock += 2 * 3_600_000;
      expect(a.recall(id)).toBeNull();
    });

    it('show the head the store has, not the one remembered', async () => {
      const { a, b } = await instances();
      const { id } = await a.start(agent);
      await b.send(id, rien);
      const shown = await a.load(id);
      expect(shown.session.headSeq).toBe(2);
      expect(shown.step.meta.step).toBe('triage.not-understood');
    });
  });
}

const sqliteFiles = freshSqliteFiles();
recentSessionsSuite('SQLite', async () => {
  const open = await sqliteFiles();
  const storeA = sqliteSessionStore(open());
  const storeB = sqliteSessionStore(open());
  return {
    a: createEngine({ machine: rootMachine, store: storeA }),
    b: createEngine({ machine: rootMachine, store: storeB }),
    storeA,
  };
});

describePg('on PostgreSQL', () => {
  const schemas = freshPgSchemas();
  recentSessionsSuite('PostgreSQL', async () => {
    const open = await schemas();
    const storeA = await pgSessionStore(open());
    const storeB = await pgSessionStore(open());
    return {
      a: createEngine({ machine: rootMachine, store: storeA }),
      b: createEngine({ machine: rootMachine, store: storeB }),
      storeA,
    };
  });
});

describe('answers that may lead to a fix', () => {
  it('are every answer that starts a fix, so none of them runs from a remembered state', () => {
    expect([...answersThatMayFix(flowGraphs(rootMachine))].sort()).toEqual([
      'auth-error.choose-fix FIX_CAS_ID',
      'auth-error.choose-fix FIX_IDENTITY',
      'auth-error.double-auth FIX_CAS_ID',
      'changed-account.confirm-clear CLEAR_CAS_ID',
      'profile-wide.offer-publish PUBLISH_ESPACE',
      'single-parent.offer-grant GRANT_ACCESS',
    ]);
  });
});
