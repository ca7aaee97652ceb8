import { type PgClient, type PgPool, withTransaction } from '../../store/pg/pool.js';
import { SchoolExistsError } from '../errors.js';
import { type NewAccount, PROFILES, type Profile, type SchoolLoad } from '../model.js';
import type { PronoteLoader } from '../port.js';
import { otherNomKey, searchKeys } from '../search-keys.js';
import { DEFAULT_ESPACES } from '../write-rules.js';
import { setEspaces, writePublication } from './schema.js';

// Rows per statement: a hundred thousand accounts go in a few dozen round trips, each well below the
// server's limits on a statement's parameters size.
const CHUNK = 5000;

const chunks = <T>(list: T[]): T[][] =>
  Array.from({ length: Math.ceil(list.length / CHUNK) }, (_, i) => list.slice(i * CHUNK, (i + 1) * CHUNK));

/** Inserts accounts a chunk per statement, one array per column; answers each account's pk by id. */
async function insertAccounts(
  client: PgClient,
  uai: string,
  accounts: NewAccount[],
  previous: Map<string, number>,
): Promise<Map<string, number>> {
  const pks = new Map<string, number>();
  for (const chunk of chunks(accounts)) {
    const keys = chunk.map((a) => searchKeys(a.nom, a.prenom));
    const column = <T>(pick: (a: NewAccount) => T) => chunk.map(pick);
    const { rows } = await client.query<{ pk: number; id: string }>(
      `INSERT INTO pronote_accounts (uai, id, profile, nom, prenom, date_naissance, cas_id, pronote_ent_id,
         classe, espace_parents, email, version, nom_key, prenom_key, prenom_first, nom_naissance, code_postal,
         nom_naissance_key)
       SELECT $1::text, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
         $8::text[], $9::text[], $10::boolean[], $11::text[], $12::int[], $13::text[], $14::text[], $15::text[],
         $16::text[], $17::text[], $18::text[])
       RETURNING pk, id`,
      [
        uai,
        column((a) => a.id),
        column((a) => a.profile),
        column((a) => a.nom),
        column((a) => a.prenom),
        column((a) => a.dateNaissance),
        column((a) => a.casId),
        column((a) => a.pronoteEntId),
        column((a) => a.classe),
        column((a) => a.espaceParents),
        column((a) => a.email),
        // A replaced account keeps counting its versions, so a fix prepared on the old data is refused.
        column((a) => (previous.get(a.id) ?? 0) + 1),
        keys.map((k) => k.nomKey),
        keys.map((k) => k.prenomKey),
        keys.map((k) => k.prenomFirst),
        column((a) => a.nomNaissance ?? null),
        column((a) => a.codePostal ?? null),
        column((a) => otherNomKey(a.nomNaissance)),
      ],
    );
    for (const r of rows) pks.set(r.id, r.pk);
    const parts = chunk.flatMap((a, i) => (keys[i]?.nomParts ?? []).map((part) => [part, a.id] as const));
    if (parts.length > 0) {
      await client.query(
        `INSERT INTO pronote_nom_parts (part, uai, account_pk)
         SELECT part, $1, pk FROM unnest($2::text[], $3::bigint[]) AS p(part, pk) ON CONFLICT DO NOTHING`,
        [uai, parts.map(([part]) => part), parts.map(([, id]) => pks.get(id))],
      );
    }
  }
  return pks;
}

async function insertLinks(client: PgClient, pks: Map<string, number>, links: SchoolLoad['links']) {
  const pairs = links.flatMap(({ eleveId, responsableId }) => {
    const e = pks.get(eleveId);
    const r = pks.get(responsableId);
    return e !== undefined && r !== undefined ? [[e, r] as const] : [];
  });
  for (const chunk of chunks(pairs)) {
    await client.query(
      `INSERT INTO pronote_links (eleve_pk, responsable_pk) SELECT * FROM unnest($1::bigint[], $2::bigint[])
       ON CONFLICT DO NOTHING`,
      [chunk.map(([e]) => e), chunk.map(([, r]) => r)],
    );
  }
}

export function pgLoader(pool: PgPool): PronoteLoader {
  return {
    loadSchool: ({ school: s, accounts, links, publication }, { replace }) =>
      withTransaction(pool, async (client) => {
        // Inserting first settles a race between two instances seeding at once: the second waits for the
        // first's commit, then finds the school there.
        const created = await client.query(
          `INSERT INTO pronote_schools (uai, name, base_published) VALUES ($1, $2, $3)
           ON CONFLICT (uai) DO NOTHING RETURNING uai`,
          [s.uai, s.name, publication?.basePublished ?? true],
        );
        const previous = new Map<string, number>();
        if (created.rows.length > 0) {
          await setEspaces(client, s.uai, publication?.espaces ?? DEFAULT_ESPACES);
        } else {
          if (!replace) throw new SchoolExistsError(s.uai);
          // Writes on the school's accounts share-lock its row: the reload waits for them, and they for it.
          await client.query('SELECT 1 FROM pronote_schools WHERE uai = $1 FOR UPDATE', [s.uai]);
          const versions = await client.query<{ id: string; version: number }>(
            'SELECT id, version FROM pronote_accounts WHERE uai = $1',
            [s.uai],
          );
          for (const v of versions.rows) previous.set(v.id, v.version);
          await client.query('DELETE FROM pronote_accounts WHERE uai = $1', [s.uai]);
          await client.query('UPDATE pronote_schools SET name = $1 WHERE uai = $2', [s.name, s.uai]);
          if (publication)
            await writePublication(client, s.uai, publication.basePublished, publication.espaces);
        }
        const pks = await insertAccounts(client, s.uai, accounts, previous);
        await insertLinks(client, pks, links);
        const counts = Object.fromEntries(PROFILES.map((p) => [p, 0])) as Record<Profile, number>;
        for (const a of accounts) counts[a.profile] += 1;
        return counts;
      }),
  };
}
