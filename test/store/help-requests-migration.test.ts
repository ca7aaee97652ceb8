import { describe, expect, it } from 'vitest';
import { sqliteHelpRequests } from '../../src/store/help-requests.js';
import { openMemoryDatabase } from '../../src/store/sqlite/database.js';
import { migrate } from '../../src/store/sqlite/migrate.js';

describe('requests kept before references and owners existed', () => {
  it('get a reference, keep their opener as owner, and read « en cours »', async () => {
    const db = openMemoryDatabase();
    // The first schema step, as a database created before this change holds it.
    migrate(db, 'help-requests', [
      `CREATE TABLE help_requests (id TEXT PRIMARY KEY, uai TEXT NOT NULL, session_id TEXT NOT NULL,
         created_at TEXT NOT NULL, status TEXT NOT NULL, opened_by TEXT, opened_session TEXT, data TEXT NOT NULL);
       CREATE INDEX help_requests_uai ON help_requests (uai, created_at);`,
    ]);
    db.prepare(
      `INSERT INTO help_requests VALUES ('abcdefgh12345678', '0130001A', 's1', '2026-01-02T03:04:05.000Z',
         'ouverte', 'agent.a', 's2', '{"flow":"auth-error","step":"auth-error.escalate","corrections":"x","contact":{}}')`,
    ).run();
    const requests = sqliteHelpRequests(db);
    expect(await requests.get('abcdefgh12345678')).toMatchObject({
      reference: 'D-ABCDEFGH',
      status: 'en-cours',
      owner: 'agent.a',
      answer: null,
      updatedAt: '2026-01-02T03:04:05.000Z',
    });
  });
});
