import { beforeEach, describe, expect, it } from 'vitest';
import type { SessionStore, StepResult } from '../../src/store/session-port.js';
import type { SessionStats, StatsQuery } from '../../src/store/session-stats.js';

/** A fix as the audit journal records it, one row per account changed. */
export interface JournalRow {
  batchId: string;
  action: string;
  uai: string;
  at: string;
  accountId: string | null;
  undoOf: string | null;
}

/** One fresh, empty database: its session store, its audit journal and the statistics read from both. */
export interface StatsSubject {
  sessions: SessionStore;
  /** Writes rows to the audit journal at the given instants, creating the journal on first use. */
  journal(rows: JournalRow[]): Promise<void>;
  stats(query: StatsQuery): Promise<SessionStats>;
}

export type StatsFactory = () => Promise<StatsSubject>;

const A = '0130001A';
const B = '0130002B';
const FROM = '2025-03-01T00:00:00.000Z';
const TO = '2025-04-01T00:00:00.000Z';
const MARCH = { from: FROM, to: TO };

/** An answer: the step reached from the entry `parent`, with the checks or fixes run on the way. */
type Answer = [parent: number, step: string, results?: StepResult[]];

async function walk(
  store: SessionStore,
  id: string,
  uai: string | null,
  createdAt: string,
  answers: Answer[],
) {
  const entry = (parentSeq: number | null, step: string, results: StepResult[] = []) => ({
    parentSeq,
    at: createdAt,
    step,
    machineVersion: 1,
    snapshot: { value: step },
    event: parentSeq === null ? null : { type: 'ANSWER', fields: {} },
    results,
    actor: null,
  });
  await store.create({ id, createdAt, audience: 'agent', uai, owner: null }, entry(null, 'triage.start'));
  let head = 1;
  for (const [parent, step, results] of answers) {
    const seq = await store.append(id, entry(parent, step, results), head);
    if (seq === false) throw new Error(`answer refused in ${id}`);
    head = seq;
  }
}

const fix = (batchId: string, action: string, uai: string, at: string, undoOf: string | null = null) => ({
  batchId,
  action,
  uai,
  at,
  accountId: `compte-${batchId}`,
  undoOf,
});

/** The statistics page's figures, the same whatever database computes them. */
export function statsContract(name: string, fresh: StatsFactory): void {
  describe(`statistics contract: ${name}`, () => {
    let subject: StatsSubject;
    beforeEach(async () => {
      subject = await fresh();
      const { sessions } = subject;
      // Resolved after a check listed in the results of the next entry.
      await walk(sessions, 'resolu', A, FROM, [
        [1, 'single-parent.find'],
        [2, 'single-parent.resolved', [{ step: 'single-parent.check-access', outcome: 'no-access' }]],
      ]);
      // Went back to the triage and took another flow: both flows were reached, the head is the last answer.
      await walk(sessions, 'reprise', B, '2025-03-15T10:00:00.000Z', [
        [1, 'single-parent.find'],
        [1, 'auth-error.ask'],
      ]);
      // An end user's session, with no school.
      await walk(sessions, 'anonyme', null, '2025-03-31T23:59:59.999Z', []);
      // Outside the period: the end is excluded.
      await walk(sessions, 'avril', A, TO, [[1, 'profile-wide.ask']]);
      await walk(sessions, 'fevrier', A, '2025-02-28T23:59:59.999Z', [[1, 'profile-wide.ask']]);
    });

    it('count the sessions of the period, per flow and per step', async () => {
      expect(await subject.stats({ ...MARCH, schools: 'all' })).toEqual({
        sessions: 3,
        flows: [
          { flow: 'auth-error', reached: 1 },
          { flow: 'single-parent', reached: 2 },
          { flow: 'triage', reached: 3 },
        ],
        steps: [
          { step: 'auth-error.ask', reached: 1, atHead: 1 },
          { step: 'single-parent.check-access', reached: 1, atHead: 0 },
          { step: 'single-parent.find', reached: 2, atHead: 0 },
          { step: 'single-parent.resolved', reached: 1, atHead: 1 },
          { step: 'triage.start', reached: 3, atHead: 1 },
        ],
        fixes: [],
      });
    });

    it('count only the sessions of the agent’s schools, never those without a school', async () => {
      const stats = await subject.stats({ ...MARCH, schools: [A] });
      expect(stats.sessions).toBe(1);
      expect(stats.flows).toEqual([
        { flow: 'single-parent', reached: 1 },
        { flow: 'triage', reached: 1 },
      ]);
      expect((await subject.stats({ ...MARCH, schools: [A, B] })).sessions).toBe(2);
    });

    it('count nothing for an agent without schools, or outside any session', async () => {
      const none = { sessions: 0, flows: [], steps: [], fixes: [] };
      expect(await subject.stats({ ...MARCH, schools: [] })).toEqual(none);
      expect(
        await subject.stats({
          from: '2024-01-01T00:00:00.000Z',
          to: '2025-01-01T00:00:00.000Z',
          schools: 'all',
        }),
      ).toEqual(none);
    });

    it('count another period: its start included, its end excluded', async () => {
      const april = await subject.stats({ from: TO, to: '2025-05-01T00:00:00.000Z', schools: 'all' });
      expect(april.sessions).toBe(1);
      expect(april.steps).toEqual([
        { step: 'profile-wide.ask', reached: 1, atHead: 1 },
        { step: 'triage.start', reached: 1, atHead: 0 },
      ]);
    });

    describe('fixes', () => {
      beforeEach(async () => {
        await subject.journal([
          // One fix on two accounts counts once.
          fix('lot-identite', 'set-identity', A, '2025-03-02T10:00:00.000Z'),
          {
            ...fix('lot-identite', 'set-identity', A, '2025-03-02T10:00:00.000Z'),
            accountId: 'autre-compte',
          },
          fix('lot-cas', 'clear-cas-ids', B, '2025-03-03T10:00:00.000Z'),
          fix('lot-annule', 'set-cas-id', A, '2025-03-04T10:00:00.000Z'),
          fix('lot-annulation', 'undo', A, '2025-03-05T10:00:00.000Z', 'lot-annule'),
          fix('lot-ancien', 'set-identity', A, '2025-02-27T10:00:00.000Z'),
        ]);
      });

      it('count the fixes of the period by kind, and those undone since', async () => {
        expect((await subject.stats({ ...MARCH, schools: 'all' })).fixes).toEqual([
          { action: 'clear-cas-ids', applied: 1, undone: 0 },
          { action: 'set-cas-id', applied: 0, undone: 1 },
          { action: 'set-identity', applied: 1, undone: 0 },
        ]);
      });

      it('count only the fixes of the agent’s schools', async () => {
        expect((await subject.stats({ ...MARCH, schools: [B] })).fixes).toEqual([
          { action: 'clear-cas-ids', applied: 1, undone: 0 },
        ]);
        expect((await subject.stats({ ...MARCH, schools: ['0999999Z'] })).fixes).toEqual([]);
      });
    });
  });
}
