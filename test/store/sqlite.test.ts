import { randomUUID } from 'node:crypto';
import { sqliteAuditLog } from '../../src/pronote/sqlite/audit.js';
import { sqliteHelpRequests } from '../../src/store/help-requests.js';
import { sqliteIdentityChecks } from '../../src/store/identity-checks.js';
import { sessionStats } from '../../src/store/session-stats.js';
import { sqliteAgentStore } from '../../src/store/sqlite/agents.js';
import { openMemoryDatabase } from '../../src/store/sqlite/database.js';
import { sqliteSessionStore } from '../../src/store/sqlite/sessions.js';
import { agentStoreContract } from './agents-contract.js';
import { freshSqliteFiles } from './fresh-sqlite.js';
import { helpRequestsContract } from './help-requests-contract.js';
import { identityChecksContract } from './identity-checks-contract.js';
import { sessionStoreContract } from './sessions-contract.js';
import { statsContract } from './stats-contract.js';

const fresh = freshSqliteFiles();

sessionStoreContract('SQLite', async () => {
  const open = await fresh();
  return async () => sqliteSessionStore(open());
});

agentStoreContract('SQLite', async () => {
  const open = await fresh();
  return async () => sqliteAgentStore(open());
});

helpRequestsContract('SQLite', async () => sqliteHelpRequests(openMemoryDatabase()));

identityChecksContract('SQLite', async () => {
  const open = await fresh();
  return async () => sqliteIdentityChecks(open());
});

statsContract('SQLite', async () => {
  const db = openMemoryDatabase();
  return {
    sessions: sqliteSessionStore(db),
    journal: async (rows) => {
      sqliteAuditLog(db);
      const insert = db.prepare(
        `INSERT INTO audit_entries (id, batch_id, at, actor, uai, action, account_id, before_json, after_json, version, undo_of)
         VALUES (?, ?, ?, 'agent.test', ?, ?, ?, '{}', '{}', 2, ?)`,
      );
      for (const r of rows) insert.run(randomUUID(), r.batchId, r.at, r.uai, r.action, r.accountId, r.undoOf);
    },
    stats: async (query) => sessionStats(db, query),
  };
});
