import { randomUUID } from 'node:crypto';
import { pgAgentStore } from '../../src/store/pg/agents.js';
import { pgHelpRequests } from '../../src/store/pg/help-requests.js';
import { pgIdentityChecks } from '../../src/store/pg/identity-checks.js';
import { pgSessionStats } from '../../src/store/pg/session-stats.js';
import { pgSessionStore } from '../../src/store/pg/sessions.js';
import { describePg } from '../helpers/pg.js';
import { agentStoreContract } from './agents-contract.js';
import { freshPgSchemas } from './fresh-pg.js';
import { helpRequestsContract } from './help-requests-contract.js';
import { identityChecksContract } from './identity-checks-contract.js';
import { sessionStoreContract } from './sessions-contract.js';
import { statsContract } from './stats-contract.js';

describePg('PostgreSQL stores', () => {
  const fresh = freshPgSchemas();

  sessionStoreContract('PostgreSQL', async () => {
    const open = await fresh();
    return () => pgSessionStore(open());
  });

  agentStoreContract('PostgreSQL', async () => {
    const open = await fresh();
    return () => pgAgentStore(open());
  });

  helpRequestsContract('PostgreSQL', async () => pgHelpRequests((await fresh())()));

  identityChecksContract('PostgreSQL', async () => {
    const open = await fresh();
    return () => pgIdentityChecks(open());
  });

  statsContract('PostgreSQL', async () => {
    const pool = (await fresh())();
    return {
      sessions: await pgSessionStore(pool),
      journal: async (rows) => {
        // The columns of SQLite's audit_entries, until the PostgreSQL journal creates its own table.
        await pool.query(`CREATE TABLE IF NOT EXISTS audit_entries (
          seq BIGSERIAL PRIMARY KEY, id TEXT NOT NULL UNIQUE, batch_id TEXT NOT NULL, at TEXT NOT NULL,
          actor TEXT NOT NULL, session_id TEXT, step TEXT, uai TEXT NOT NULL, action TEXT NOT NULL,
          account_id TEXT, before_json TEXT NOT NULL, after_json TEXT NOT NULL, version INTEGER NOT NULL,
          undo_of TEXT)`);
        for (const r of rows) {
          await pool.query(
            `INSERT INTO audit_entries (id, batch_id, at, actor, uai, action, account_id, before_json, after_json, version, undo_of)
             VALUES ($1, $2, $3, 'agent.test', $4, $5, $6, '{}', '{}', 2, $7)`,
            [randomUUID(), r.batchId, r.at, r.uai, r.action, r.accountId, r.undoOf],
          );
        }
      },
      stats: (query) => pgSessionStats(pool, query),
    };
  });
});
