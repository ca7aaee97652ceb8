import { pgEntDirectory } from '../../src/ent/pg/index.js';
import { describePg } from '../helpers/pg.js';
import { freshPgSchemas } from '../store/fresh-pg.js';
import { entDirectoryContract } from './contract.js';

describePg('PostgreSQL ENT directory', () => {
  const fresh = freshPgSchemas();
  entDirectoryContract('PostgreSQL', async () => {
    const open = await fresh();
    return () => pgEntDirectory(open());
  });
});
