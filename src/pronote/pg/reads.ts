import type { PgPool } from '../../store/pg/pool.js';
import { groupByOwner } from '../account-rows.js';
import type { PronoteAccount, School, SearchIdentity } from '../model.js';
import type { AccountSearch, PronotePort, PronoteReadName } from '../port.js';
import { likeFragment, otherNomKey, searchKeys, searchWords } from '../search-keys.js';
import { type AccountRow, casKey, getAccountRow, getPublication, toAccount } from './schema.js';

type Reads = Pick<PronotePort, PronoteReadName>;

const MAX_LIMIT = 500;
const DEFAULT_CANDIDATES = 50;
const clamp = (limit: number) => Math.min(MAX_LIMIT, Math.max(1, Math.trunc(limit) || 1));

/** Numbered parameters for a query built piece by piece: each value once, its `$n` used where needed. */
function parameters() {
  const values: unknown[] = [];
  const add = (value: unknown) => {
    values.push(value);
    return `$${values.length}`;
  };
  return { values, add };
}

/** The reads of `sqlite/reads.ts`, in the same order; ties SQLite leaves to its plan are broken by id. */
export function pgReads(pool: PgPool): Reads {
  const accounts = async (sql: string, values: unknown[]) =>
    (await pool.query<AccountRow>(sql, values)).rows.map(toAccount);

  /** Each rule is one indexed lookup; an account found by several rules ranks first. */
  const findCandidates = async (
    uai: string | null,
    identity: SearchIdentity,
    limit = DEFAULT_CANDIDATES,
  ): Promise<PronoteAccount[]> => {
    const k = searchKeys(identity.nom, identity.prenom);
    if (k.nomKey === '' && k.prenomKey === '') return [];
    const date = identity.dateNaissance ?? null;
    const p = parameters();
    const nom = p.add(k.nomKey);
    const prenom = p.add(k.prenomKey);
    const first = p.add(k.prenomFirst);
    const nomFirst = p.add(k.nomKey.split(' ')[0] ?? '');
    const words = p.add([...new Set([k.nomKey, ...k.nomParts])]);
    const school = uai === null ? null : p.add(uai);
    const inSchool = (alias = '') => (school === null ? '' : ` AND ${alias}uai = ${school}`);
    const rules = [
      // Same nom: the prénom or the date differs (accents, compound prénom, typo, day/month swap).
      `SELECT pk FROM pronote_accounts WHERE nom_key = ${nom}${inSchool()}`,
      // The account's other nom is this one (a married parent PRONOTE shows under the birth name).
      `SELECT pk FROM pronote_accounts WHERE nom_naissance_key = ${nom}${inSchool()}`,
      // Nom and prénom swapped.
      `SELECT pk FROM pronote_accounts WHERE nom_key = ${prenom} AND prenom_first = ${nomFirst} AND prenom_key = ${nom}${inSchool()}`,
      // One side has a compound nom (« DUPONT MARTIN » and « DUPONT »), with the same first prénom.
      `SELECT pk FROM pronote_accounts WHERE nom_key = ANY(${words}::text[]) AND prenom_first = ${first}${inSchool()}`,
      `SELECT p.account_pk AS pk FROM pronote_nom_parts p JOIN pronote_accounts a ON a.pk = p.account_pk
         WHERE p.part = ANY(${words}::text[]) AND a.prenom_first = ${first}${inSchool('p.')}`,
    ];
    // The ENT's other nom, under either nom of the account.
    const other = otherNomKey(identity.nomNaissance);
    if (other !== null && other !== k.nomKey) {
      const o = p.add(other);
      rules.push(
        `SELECT pk FROM pronote_accounts WHERE nom_key = ${o}${inSchool()}`,
        `SELECT pk FROM pronote_accounts WHERE nom_naissance_key = ${o}${inSchool()}`,
      );
    }
    // Same prénom and birth date: the nom differs (usage name, typo).
    if (date !== null) {
      rules.push(
        `SELECT pk FROM pronote_accounts WHERE prenom_key = ${prenom} AND date_naissance = ${p.add(date)}${inSchool()}`,
      );
    }
    // Within one school, the same prénom where PRONOTE has no date (responsables often have none).
    if (school !== null) {
      rules.push(
        `SELECT pk FROM pronote_accounts WHERE prenom_key = ${prenom} AND date_naissance IS NULL${inSchool()}`,
      );
    }
    return accounts(
      `SELECT a.* FROM (
         SELECT pk, COUNT(*) AS hits FROM (${rules.join(' UNION ALL ')}) rule GROUP BY pk
       ) found JOIN pronote_accounts a ON a.pk = found.pk
       ORDER BY found.hits DESC, a.uai, a.nom_key, a.prenom_key, a.id LIMIT ${p.add(clamp(limit))}`,
      p.values,
    );
  };

  /** Every word must appear in the folded nom or prénom; or the text is an exact CAS or PRONOTE-ENT id. */
  const searchAccounts = async (uai: string, { text, profile, limit }: AccountSearch) => {
    const p = parameters();
    const where = [`uai = ${p.add(uai)}`];
    if (profile !== undefined) where.push(`profile = ${p.add(profile)}`);
    const raw = text?.trim() ?? '';
    if (raw !== '') {
      const byName = searchWords(raw).map(
        (w) => `(nom_key || ' ' || prenom_key) LIKE ${p.add(likeFragment(w))} ESCAPE '\\'`,
      );
      const exact = p.add(raw);
      const byId = [`lower(cas_id) = ${casKey(exact)}`, `pronote_ent_id = ${exact}`];
      where.push(
        `(${[byName.length > 0 ? `(${byName.join(' AND ')})` : null, ...byId].filter(Boolean).join(' OR ')})`,
      );
    }
    return accounts(
      `SELECT * FROM pronote_accounts WHERE ${where.join(' AND ')}
       ORDER BY nom_key, prenom_key, id LIMIT ${p.add(clamp(limit))}`,
      p.values,
    );
  };

  /** The accounts linked to one: a pupil's responsables, or the pupils of a responsable. */
  const linked = (uai: string, id: string, side: 'eleve' | 'responsable', other: 'eleve' | 'responsable') =>
    accounts(
      `SELECT o.* FROM pronote_accounts s
         JOIN pronote_links l ON l.${side}_pk = s.pk
         JOIN pronote_accounts o ON o.pk = l.${other}_pk
       WHERE s.uai = $1 AND s.id = $2 ORDER BY o.nom_key, o.prenom_key, o.id`,
      [uai, id],
    );

  return {
    listSchools: async () =>
      (await pool.query<School>('SELECT uai, name FROM pronote_schools ORDER BY uai')).rows,
    getSchool: async (uai) =>
      (await pool.query<School>('SELECT uai, name FROM pronote_schools WHERE uai = $1', [uai])).rows[0] ??
      null,
    getAccount: async (uai, id) => {
      const row = await getAccountRow(pool, uai, id);
      return row ? toAccount(row) : null;
    },
    findCandidates,
    searchAccounts,
    findByCasId: async (uai, casId) =>
      (
        await accounts(`SELECT * FROM pronote_accounts WHERE uai = $1 AND lower(cas_id) = ${casKey('$2')}`, [
          uai,
          casId.trim(),
        ])
      )[0] ?? null,
    listAccounts: (uai) =>
      accounts('SELECT * FROM pronote_accounts WHERE uai = $1 ORDER BY profile, nom_key, prenom_key, id', [
        uai,
      ]),
    responsablesOf: (uai, eleveId) => linked(uai, eleveId, 'eleve', 'responsable'),
    elevesOf: (uai, responsableId) => linked(uai, responsableId, 'responsable', 'eleve'),
    elevesOfEach: async (uai, responsableIds) => {
      const { rows } = await pool.query<AccountRow & { of_id: string }>(
        `SELECT s.id AS of_id, o.* FROM pronote_accounts s
           JOIN pronote_links l ON l.responsable_pk = s.pk
           JOIN pronote_accounts o ON o.pk = l.eleve_pk
         WHERE s.uai = $1 AND s.id = ANY($2::text[]) ORDER BY o.nom_key, o.prenom_key, o.id`,
        [uai, responsableIds],
      );
      return groupByOwner(responsableIds, rows, toAccount);
    },
    getPublication: (uai) => getPublication(pool, uai),
  };
}
