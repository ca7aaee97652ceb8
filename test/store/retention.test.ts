import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { ErasedEntryError } from '../../src/pronote/corrections.js';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { pgStores, type Stores, sqliteStores } from '../../src/server/stores.js';
import { ERASED, type RetentionPolicy } from '../../src/store/retention.js';
import { openMemoryDatabase } from '../../src/store/sqlite/database.js';
import { createTestDatabase, describePg } from '../helpers/pg.js';
import { AGENT, createTestApp } from '../helpers/test-app.js';

const POLICY: RetentionPolicy = { publicDays: 90, agentDays: 365, journalNamesDays: 365 };
const later = (days: number) => new Date(Date.now() + days * 86_400_000);
const TYPED = { login: 'lea.martin', nom: 'Martinez', prenom: 'Léandre', dateNaissance: '04/03/2011' };
const ALL_TIME = {
  from: '2000-01-01T00:00:00.000Z',
  to: '2999-01-01T00:00:00.000Z',
  schools: 'all' as const,
};

/** A public session that typed an identity, an agent's session that fixed a record, and a request. */
async function lived(stores: Stores) {
  const publicApp = await createTestApp({ stores, data: true });
  const started = await publicApp.json('/api/sessions', { flow: 'auth-error', uai: DEMO_CASES.uai });
  const publicId = started.body.id as string;
  await publicApp.json(`/api/sessions/${publicId}/events`, { type: 'SUBMIT_IDENTITY', ...TYPED });
  const agentApp = await createTestApp({ stores, viewer: AGENT, data: true });
  const agentStart = await agentApp.json('/api/sessions', { flow: 'auth-error', uai: DEMO_CASES.uai });
  const agentId = agentStart.body.id as string;
  await agentApp.json(`/api/sessions/${agentId}/events`, {
    type: 'SUBMIT_IDENTITY',
    login: DEMO_CASES.dateSwapped.login,
  });
  const fixed = await agentApp.json(`/api/sessions/${agentId}/events`, { type: 'FIX_IDENTITY' });
  expect(fixed.body.step).toBe('auth-error.confirm');
  await stores.requests.add(DEMO_CASES.uai, publicId, {
    flow: 'auth-error',
    step: 'auth-error.escalate',
    identity: TYPED,
    corrections: '',
    contact: { email: 'parent@example.fr' },
  });
  return { publicApp, agentApp, publicId, agentId };
}

function retention(
  describeOn: (name: string, body: () => void) => void,
  name: string,
  open: () => Promise<Stores>,
) {
  describeOn(`retention purge: ${name}`, () => {
    it('anonymises old sessions, deletes old requests and erases old names from the journal, keeping the counts', async () => {
      const stores = await open();
      const { publicApp, publicId, agentId } = await lived(stores);
      const statsBefore = await stores.stats(ALL_TIME);

      // A dry run says what would go and changes nothing.
      const dry = await stores.retention.purge(POLICY, { now: later(100), dryRun: true });
      expect(dry).toMatchObject({ publicSessions: 1, agentSessions: 0, requests: 1, journalEntries: 0 });
      expect((await publicApp.json(`/api/sessions/${publicId}`)).status).toBe(200);

      // 100 days later: the end user's session and request are past 90 days, the agent's are not.
      const first = await stores.retention.purge(POLICY, { now: later(100), dryRun: false });
      expect(first).toMatchObject({ publicSessions: 1, agentSessions: 0, requests: 1, journalEntries: 0 });
      // Read by a process that has not just served it (days have passed): the session is gone for good.
      const afterwards = await createTestApp({ stores, viewer: AGENT });
      expect((await afterwards.json(`/api/sessions/${publicId}`)).status).toBe(410);
      const entries = await Promise.all([1, 2].map((seq) => stores.sessions.entry(publicId, seq)));
      const stored = JSON.stringify(entries).toLowerCase();
      for (const typed of Object.values(TYPED)) expect(stored).not.toContain(typed.toLowerCase());
      expect(entries[1]?.step).toBeTruthy();
      expect(await stores.requests.list('all')).toEqual([]);
      expect((await afterwards.json(`/api/sessions/${agentId}`)).status).toBe(200);
      // The statistics keep their counts: sessions, steps reached, fixes.
      expect(await stores.stats(ALL_TIME)).toEqual(statsBefore);

      // 400 days later: the agent's session too, and the journal keeps its entries without the names.
      const second = await stores.retention.purge(POLICY, { now: later(400), dryRun: false });
      expect(second).toMatchObject({ publicSessions: 0, agentSessions: 1, corrections: 1 });
      expect(second?.journalEntries).toBeGreaterThanOrEqual(1);
      expect(
        (await (await createTestApp({ stores, viewer: AGENT })).json(`/api/sessions/${agentId}`)).status,
      ).toBe(410);
      const [entry] = await stores.pronote.listAudit({ uai: DEMO_CASES.uai, limit: 10 });
      expect(entry?.accountId).toBe(DEMO_CASES.dateSwapped.accountId);
      expect(entry?.before.dateNaissance).toBe(ERASED);
      expect(entry?.after.dateNaissance).toBe(ERASED);
      const [correction] = await stores.pronote.listCorrections({ uai: DEMO_CASES.uai });
      expect(correction?.person?.nom).toBe(ERASED);
      expect(JSON.stringify(correction?.changes)).not.toMatch(/\d{4}-\d{2}-\d{2}/);
      await expect(stores.pronote.undo(entry?.id as string, { actor: 'admin' })).rejects.toThrow(
        ErasedEntryError,
      );
      expect(await stores.stats(ALL_TIME)).toEqual(statsBefore);

      // Done once: the same purge again finds nothing left.
      expect(await stores.retention.purge(POLICY, { now: later(400), dryRun: false })).toEqual({
        publicSessions: 0,
        agentSessions: 0,
        requests: 0,
        journalEntries: 0,
        corrections: 0,
        identityChecks: 0,
      });
      await stores.close();
    }, 60_000);
  });
}

retention(describe, 'SQLite', async () => sqliteStores(openMemoryDatabase()));
retention(describePg, 'PostgreSQL', async () => pgStores(await createTestDatabase()));

describePg('retention purge: one instance at a time on PostgreSQL', () => {
  it('skips the purge while another instance holds the lock', async () => {
    const url = await createTestDatabase();
    const stores = await pgStores(url);
    const other = new pg.Client({ connectionString: url });
    await other.connect();
    try {
      await other.query("SELECT pg_advisory_lock(hashtext('assistant-retention'))");
      expect(await stores.retention.purge(POLICY, { now: later(100), dryRun: false })).toBeNull();
      await other.query("SELECT pg_advisory_unlock(hashtext('assistant-retention'))");
      expect(await stores.retention.purge(POLICY, { now: later(100), dryRun: false })).not.toBeNull();
    } finally {
      await other.end();
      await stores.close();
    }
  });
});
