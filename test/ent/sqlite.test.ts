import { sqliteEntDirectory } from '../../src/ent/sqlite/index.js';
import { freshSqliteFiles } from '../store/fresh-sqlite.js';
import { entDirectoryContract } from './contract.js';

const fresh = freshSqliteFiles();

entDirectoryContract('SQLite', async () => {
  const open = await fresh();
  return async () => sqliteEntDirectory(open());
});
