import { pgAafIdentities } from '../../src/ent/pg/aaf.js';
import { describePg } from '../helpers/pg.js';
import { freshPgSchemas } from '../store/fresh-pg.js';
import { aafIdentitiesContract } from './aaf-contract.js';

describePg('PostgreSQL AAF identities', () => {
  const fresh = freshPgSchemas();
  aafIdentitiesContract('PostgreSQL', async () => pgAafIdentities((await fresh())()));
});
