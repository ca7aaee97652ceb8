import { sqliteAafIdentities } from '../../src/ent/sqlite/aaf.js';
import { freshSqliteFiles } from '../store/fresh-sqlite.js';
import { aafIdentitiesContract } from './aaf-contract.js';

const fresh = freshSqliteFiles();

aafIdentitiesContract('SQLite', async () => sqliteAafIdentities((await fresh())()));
