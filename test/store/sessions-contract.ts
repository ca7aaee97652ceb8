import { beforeEach, describe, expect, it } from 'vitest';
import type { HistoryEntry, SessionRecord, SessionStore } from '../../src/store/session-port.js';

/**
 * A new empty database per call; the function it answers opens one more store on that database, as
 * another instance of the server would.
 */
export type SessionStoreFactory = () => Promise<() => Promise<SessionStore>>;

const ID = 'session-contrat';
const CREATED = '2025-03-10T08:00:00.000Z';

const session: Omit<SessionRecord, 'headSeq' | 'updatedAt'> = {
  id: ID,
  createdAt: CREATED,
  audience: 'agent',
  uai: '0130001A',
  owner: 'agent.dupont',
};

// Key order, accents, nesting and an array in the snapshot: it must come back as it was written.
const snapshot = (step: string) => ({
  value: { [step.split('.')[0] ?? '']: step.split('.')[1] },
  context: { zeta: 1, alpha: ['Hélène', 'D’Angelo'], nested: { b: null, a: true } },
  status: 'active',
});

const first: Omit<HistoryEntry, 'seq' | 'parentSeq'> = {
  at: CREATED,
  step: 'triage.start',
  machineVersion: 3,
  snapshot: snapshot('triage.start'),
  event: null,
  results: [],
  actor: 'agent.dupont',
};

const next = (parentSeq: number, step: string, minute: number): Omit<HistoryEntry, 'seq'> => ({
  parentSeq,
  at: `2025-03-10T08:${String(minute).padStart(2, '0')}:00.000Z`,
  step,
  machineVersion: 3,
  snapshot: snapshot(step),
  event: { type: 'ANSWER_NO', fields: { query: 'Bossard' } },
  results: [
    { step: 'single-parent.check-access', outcome: 'no-access', detail: { before: 'a', after: 'b' } },
  ],
  actor: null,
});

const steps = (entries: HistoryEntry[]) => entries.map((e) => `${e.seq}:${e.step}`);

/** What every session store must do, run against SQLite and PostgreSQL. */
export function sessionStoreContract(name: string, fresh: SessionStoreFactory): void {
  describe(`session store contract: ${name}`, () => {
    let open: () => Promise<SessionStore>;
    let store: SessionStore;
    beforeEach(async () => {
      open = await fresh();
      store = await open();
      await store.create(session, first);
    });

    describe('a new session', () => {
      it('starts at its first entry, updated when created', async () => {
        expect(await store.get(ID)).toEqual({ ...session, updatedAt: CREATED, headSeq: 1 });
        expect(await store.count()).toBe(1);
      });

      it('gives back its first entry exactly as written, snapshot included', async () => {
        const entry = await store.entry(ID, 1);
        expect(entry).toEqual({ ...first, seq: 1, parentSeq: null });
        expect(JSON.stringify(entry?.snapshot)).toBe(JSON.stringify(first.snapshot));
      });

      it('answers null for an unknown session or step', async () => {
        expect(await store.get('inconnue')).toBeNull();
        expect(await store.entry(ID, 2)).toBeNull();
        expect(await store.entry('inconnue', 1)).toBeNull();
      });

      it('cannot be created twice under the same id', async () => {
        await expect(store.create(session, first)).rejects.toThrow();
        expect(await store.count()).toBe(1);
      });

      it('keeps an end user’s session without school or owner', async () => {
        const anonymous = { ...session, id: 'publique', audience: 'public' as const, uai: null, owner: null };
        await store.create(anonymous, { ...first, actor: null });
        expect(await store.get('publique')).toMatchObject({ audience: 'public', uai: null, owner: null });
        expect(await store.count()).toBe(2);
      });
    });

    describe('answering', () => {
      it('appends the answer as the new head, with its event and results', async () => {
        const entry = next(1, 'single-parent.find', 1);
        expect(await store.append(ID, entry, 1)).toBe(2);
        expect(await store.get(ID)).toMatchObject({ headSeq: 2, updatedAt: entry.at, createdAt: CREATED });
        expect(await store.entry(ID, 2)).toEqual({ ...entry, seq: 2 });
      });

      it('refuses an answer from a step that is no longer the head, and writes nothing', async () => {
        await store.append(ID, next(1, 'single-parent.find', 1), 1);
        expect(await store.append(ID, next(1, 'auth-error.ask', 2), 1)).toBe(false);
        expect(await store.get(ID)).toMatchObject({ headSeq: 2 });
        expect(await store.entry(ID, 3)).toBeNull();
      });

      it('refuses an answer to a session that does not exist', async () => {
        expect(await store.append('inconnue', next(1, 'single-parent.find', 1), 1)).toBe(false);
        expect(await store.count()).toBe(1);
      });
    });

    describe('going back and answering again', () => {
      it('branches: the new answer follows the earlier step, the old answers stay', async () => {
        await store.append(ID, next(1, 'single-parent.find', 1), 1);
        await store.append(ID, next(2, 'single-parent.ask-access', 2), 2);
        expect(await store.append(ID, next(1, 'auth-error.ask', 3), 3)).toBe(4);

        expect(steps(await store.chain(ID, 4))).toEqual(['1:triage.start', '4:auth-error.ask']);
        expect(steps(await store.chain(ID, 3))).toEqual([
          '1:triage.start',
          '2:single-parent.find',
          '3:single-parent.ask-access',
        ]);
        expect(await store.get(ID)).toMatchObject({ headSeq: 4 });
      });

      it('reads a transcript from the first entry, with every entry as written', async () => {
        const second = next(1, 'single-parent.find', 1);
        await store.append(ID, second, 1);
        expect(await store.chain(ID, 2)).toEqual([
          { ...first, seq: 1, parentSeq: null },
          { ...second, seq: 2 },
        ]);
      });

      it('finds no transcript for an unknown step', async () => {
        expect(await store.chain(ID, 9)).toEqual([]);
        expect(await store.chain('inconnue', 1)).toEqual([]);
      });

      it('follows a long history through its parents only', async () => {
        for (let seq = 1; seq < 40; seq++)
          await store.append(ID, next(seq, `flow.step-${seq}`, seq % 60), seq);
        // A branch from the middle: its transcript skips every later answer of the first branch.
        expect(await store.append(ID, next(5, 'auth-error.ask', 59), 40)).toBe(41);
        const chain = await store.chain(ID, 41);
        expect(chain.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 41]);
        expect((await store.chain(ID, 40)).map((e) => e.seq)).toEqual(
          Array.from({ length: 40 }, (_, i) => i + 1),
        );
      });
    });

    describe('reading only the recent part of a history', () => {
      it('gives the last entries up to a step, oldest first, with the branch they are on', async () => {
        for (let seq = 1; seq < 30; seq++)
          await store.append(ID, next(seq, `flow.step-${seq}`, seq % 60), seq);
        expect(await store.append(ID, next(25, 'auth-error.ask', 59), 30)).toBe(31);

        expect((await store.chain(ID, 30, 4)).map((e) => e.seq)).toEqual([27, 28, 29, 30]);
        expect((await store.chain(ID, 31, 3)).map((e) => e.seq)).toEqual([24, 25, 31]);
        const recent = await store.chain(ID, 31, 2);
        expect(recent).toEqual([await store.entry(ID, 25), await store.entry(ID, 31)]);
      });

      it('stops at the first entry when the history is shorter', async () => {
        await store.append(ID, next(1, 'single-parent.find', 1), 1);
        expect(steps(await store.chain(ID, 2, 21))).toEqual(['1:triage.start', '2:single-parent.find']);
        expect(steps(await store.chain(ID, 1, 1))).toEqual(['1:triage.start']);
        expect(await store.chain(ID, 9, 5)).toEqual([]);
      });
    });

    describe('two answers sent at once from the same step', () => {
      it('takes exactly one, and tells the other', async () => {
        const outcomes = await Promise.all([
          store.append(ID, next(1, 'profile-wide.ask', 1), 1),
          store.append(ID, next(1, 'single-parent.find', 1), 1),
        ]);
        expect(outcomes.filter((o) => o === false)).toHaveLength(1);
        const head = (await store.get(ID))?.headSeq;
        expect(outcomes).toContain(head);
        expect(await store.entry(ID, 3)).toBeNull();
      });

      it('takes exactly one even when they reach two instances', async () => {
        const other = await open();
        const outcomes = await Promise.all(
          Array.from({ length: 8 }, (_, i) =>
            (i % 2 ? other : store).append(ID, next(1, `flow.answer-${i}`, i), 1),
          ),
        );
        expect(outcomes.filter((o) => o !== false)).toEqual([2]);
        expect(await other.get(ID)).toMatchObject({ headSeq: 2 });
        expect(await store.entry(ID, 3)).toBeNull();
      });

      it('lets the next answer, from the new head, through', async () => {
        const other = await open();
        await other.append(ID, next(1, 'single-parent.find', 1), 1);
        expect(await store.append(ID, next(2, 'single-parent.ask-access', 2), 2)).toBe(3);
        expect(steps(await other.chain(ID, 3))).toEqual([
          '1:triage.start',
          '2:single-parent.find',
          '3:single-parent.ask-access',
        ]);
      });
    });
  });
}
