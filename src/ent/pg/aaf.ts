import { migratePg, type PgPool } from '../../store/pg/pool.js';
import type { AafIdentities } from '../aaf-port.js';
import { type AafRow, toAafIdentity } from '../aaf-rows.js';

const MIGRATIONS = [
  `CREATE TABLE aaf_identities (
     uai TEXT NOT NULL,
     source_id TEXT NOT NULL,
     profile TEXT NOT NULL,
     nom TEXT NOT NULL,
     nom_naissance TEXT,
     prenom TEXT NOT NULL,
     date_naissance TEXT,
     code_postal TEXT,
     PRIMARY KEY (uai, source_id, profile)
   );`,
];

export async function pgAafIdentities(pool: PgPool): Promise<AafIdentities> {
  await migratePg(pool, 'aaf', MIGRATIONS);
  return {
    listSchool: async (uai) =>
      (
        await pool.query<AafRow>(
          'SELECT * FROM aaf_identities WHERE uai = $1 ORDER BY source_id COLLATE "C", profile COLLATE "C"',
          [uai],
        )
      ).rows.map(toAafIdentity),
    loadRegion: async (batches) => {
      const seen = new Set<string>();
      let people = 0;
      // One transaction across the batches as they are read; not retried: the batches are read once.
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for await (const batch of batches) {
          const fresh = [...new Set(batch.map((a) => a.uai))].filter((uai) => !seen.has(uai));
          for (const uai of fresh) seen.add(uai);
          if (fresh.length > 0) await client.query('DELETE FROM aaf_identities WHERE uai = ANY($1)', [fresh]);
          // One statement per batch: thousands of rows in eight arrays.
          await client.query(
            `INSERT INTO aaf_identities (uai, source_id, profile, nom, nom_naissance, prenom, date_naissance, code_postal)
             SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
               $8::text[])
             ON CONFLICT DO NOTHING`,
            [
              batch.map((a) => a.uai),
              batch.map((a) => a.sourceId),
              batch.map((a) => a.profile),
              batch.map((a) => a.nom),
              batch.map((a) => a.nomNaissance),
              batch.map((a) => a.prenom),
              batch.map((a) => a.dateNaissance),
              batch.map((a) => a.codePostal),
            ],
          );
          people += batch.length;
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.release();
      }
      return { schools: seen.size, people };
    },
  };
}
