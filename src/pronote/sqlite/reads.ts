import type { Database, Statement } from 'better-sqlite3';
import type { Synchronous } from '../../store/sqlite/promised.js';
import { groupByOwner } from '../account-rows.js';
import type { PronoteAccount, School, SearchIdentity } from '../model.js';
import type { AccountSearch, PronotePort, PronoteReadName } from '../port.js';
import { likeFragment, otherNomKey, searchKeys, searchWords } from '../search-keys.js';
import { type AccountRow, accountRows, publicationRows, toAccount } from './schema.js';

type Reads = Pick<Synchronous<PronotePort>, PronoteReadName>;

const MAX_LIMIT = 500;
const DEFAULT_CANDIDATES = 50;
const clamp = (limit: number) => Math.min(MAX_LIMIT, Math.max(1, Math.trunc(limit) || 1));

export function sqliteReads(db: Database): Reads {
  const rows = accountRows(db);
  const publications = publicationRows(db);
  const schools = db.prepare<[], School>('SELECT uai, name FROM pronote_schools ORDER BY uai');
  const school = db.prepare<[string], School>('SELECT uai, name FROM pronote_schools WHERE uai = ?');
  const byCasId = db.prepare<[string, string], AccountRow>(
    'SELECT * FROM pronote_accounts WHERE uai = ? AND cas_id = ?',
  );
  const wholeSchool = db.prepare<[string], AccountRow>(
    'SELECT * FROM pronote_accounts WHERE uai = ? ORDER BY profile, nom_key, prenom_key, id',
  );
  const responsables = db.prepare<[string, string], AccountRow>(
    `SELECT r.* FROM pronote_accounts e
       JOIN pronote_links l ON l.eleve_pk = e.pk
       JOIN pronote_accounts r ON r.pk = l.responsable_pk
     WHERE e.uai = ? AND e.id = ? ORDER BY r.nom_key, r.prenom_key`,
  );
  const eleves = db.prepare<[string, string], AccountRow>(
    `SELECT e.* FROM pronote_accounts r
       JOIN pronote_links l ON l.responsable_pk = r.pk
       JOIN pronote_accounts e ON e.pk = l.eleve_pk
     WHERE r.uai = ? AND r.id = ? ORDER BY e.nom_key, e.prenom_key`,
  );
  const elevesOfEach = db.prepare<[string, string], AccountRow & { of_id: string }>(
    `SELECT r.id AS of_id, e.* FROM pronote_accounts r
       JOIN pronote_links l ON l.responsable_pk = r.pk
       JOIN pronote_accounts e ON e.pk = l.eleve_pk
     WHERE r.uai = ? AND r.id IN (SELECT value FROM json_each(?)) ORDER BY e.nom_key, e.prenom_key`,
  );

  /**
   * The lookups' SQL depends only on their shape (school or region, date or not, how many nom words), so
   * each shape is prepared once: preparing costs more than running on an indexed million rows.
   */
  const statements = new Map<string, Statement<[Record<string, unknown>], AccountRow>>();
  const prepared = (shape: string, sql: () => string) => {
    let statement = statements.get(shape);
    if (!statement) {
      statement = db.prepare<[Record<string, unknown>], AccountRow>(sql());
      statements.set(shape, statement);
    }
    return statement;
  };

  /**
   * Each rule is one indexed lookup; an account found by several rules ranks first. With `uai` null the
   * school condition is left out rather than made optional, so SQLite still uses the whole index.
   */
  const candidatesSql = (uai: string | null, date: string | null, nomWords: number, other: boolean) => {
    const inSchool = (alias = '') => (uai === null ? '' : ` AND ${alias}uai = @uai`);
    const words = Array.from({ length: nomWords }, (_, i) => `@w${i}`).join(', ');
    // The plans must not hang on statistics (none until ANALYZE, misleading once a school grows): where two
    // indexes would fit, the SQL says which. `+uai` keeps the school index away from a nom lookup (a nom
    // is held by a handful of accounts, a school by thousands); the swapped-names rule names the nom index
    // on all three of its columns (prenom_first is the first word of prenom_key), not the prénom one
    // (every « Virginie » of the region).
    const school = uai === null ? '' : ' AND +uai = @uai';
    const rules = [
      // Same nom: the prénom or the date differs (accents, compound prénom, typo, day/month swap).
      `SELECT pk FROM pronote_accounts WHERE nom_key = @nom${school}`,
      // The account's other nom is this one (a married parent PRONOTE shows under the birth name).
      `SELECT pk FROM pronote_accounts WHERE nom_naissance_key = @nom${school}`,
      // Nom and prénom swapped.
      `SELECT pk FROM pronote_accounts WHERE nom_key = @prenom AND prenom_first = @nomFirst AND prenom_key = @nom${inSchool()}`,
      // One side has a compound nom (« DUPONT MARTIN » and « DUPONT »), with the same first prénom.
      `SELECT pk FROM pronote_accounts WHERE nom_key IN (${words}) AND prenom_first = @first${inSchool()}`,
      `SELECT p.account_pk AS pk FROM pronote_nom_parts p JOIN pronote_accounts a ON a.pk = p.account_pk
         WHERE p.part IN (${words}) AND a.prenom_first = @first${inSchool('p.')}`,
    ];
    // The ENT's other nom, under either nom of the account.
    if (other) {
      rules.push(
        `SELECT pk FROM pronote_accounts WHERE nom_key = @other${school}`,
        `SELECT pk FROM pronote_accounts WHERE nom_naissance_key = @other${school}`,
      );
    }
    // Same prénom and birth date: the nom differs (usage name, typo).
    if (date !== null) {
      rules.push(
        `SELECT pk FROM pronote_accounts WHERE prenom_key = @prenom AND date_naissance = @date${inSchool()}`,
      );
    }
    // Within one school, the same prénom where PRONOTE has no date (responsables often have none).
    if (uai !== null) {
      rules.push(
        `SELECT pk FROM pronote_accounts WHERE prenom_key = @prenom AND date_naissance IS NULL${inSchool()}`,
      );
    }
    return `SELECT a.* FROM (
        SELECT pk, COUNT(*) AS hits FROM (${rules.join(' UNION ALL ')}) GROUP BY pk
      ) found JOIN pronote_accounts a ON a.pk = found.pk
      ORDER BY found.hits DESC, a.uai, a.nom_key, a.prenom_key, a.id LIMIT @limit`;
  };

  const findCandidates = (
    uai: string | null,
    identity: SearchIdentity,
    limit = DEFAULT_CANDIDATES,
  ): PronoteAccount[] => {
    const k = searchKeys(identity.nom, identity.prenom);
    if (k.nomKey === '' && k.prenomKey === '') return [];
    const date = identity.dateNaissance ?? null;
    const nomWords = [...new Set([k.nomKey, ...k.nomParts])];
    const other = otherNomKey(identity.nomNaissance);
    const hasOther = other !== null && other !== k.nomKey;
    const shape = `candidates|${uai === null ? 'region' : 'school'}|${date === null ? '' : 'date'}|${nomWords.length}|${hasOther ? 'other' : ''}`;
    const statement = prepared(shape, () => candidatesSql(uai, date, nomWords.length, hasOther));
    const params: Record<string, string | number | null> = {
      nom: k.nomKey,
      prenom: k.prenomKey,
      first: k.prenomFirst,
      nomFirst: k.nomKey.split(' ')[0] ?? '',
      limit: clamp(limit),
      ...Object.fromEntries(nomWords.map((w, i) => [`w${i}`, w])),
    };
    if (date !== null) params.date = date;
    if (uai !== null) params.uai = uai;
    if (hasOther) params.other = other;
    return statement.all(params).map(toAccount);
  };

  /** Every word must appear in the folded nom or prénom; or the text is an exact CAS or PRONOTE-ENT id. */
  const searchAccounts = (uai: string, { text, profile, limit }: AccountSearch): PronoteAccount[] => {
    const where = ['uai = @uai'];
    const params: Record<string, string | number> = { uai, limit: clamp(limit) };
    if (profile !== undefined) {
      where.push('profile = @profile');
      params.profile = profile;
    }
    const raw = text?.trim() ?? '';
    if (raw !== '') {
      const words = searchWords(raw);
      const byName = words.map((w, i) => {
        params[`w${i}`] = likeFragment(w);
        return `(nom_key || ' ' || prenom_key) LIKE @w${i} ESCAPE '\\'`;
      });
      params.exact = raw;
      const byId = ['cas_id = @exact', 'pronote_ent_id = @exact'];
      where.push(
        `(${[byName.length > 0 ? `(${byName.join(' AND ')})` : null, ...byId].filter(Boolean).join(' OR ')})`,
      );
    }
    const sql = `SELECT * FROM pronote_accounts WHERE ${where.join(' AND ')} ORDER BY nom_key, prenom_key, id LIMIT @limit`;
    return db.prepare<[Record<string, unknown>], AccountRow>(sql).all(params).map(toAccount);
  };

  return {
    listSchools: () => schools.all(),
    getSchool: (uai) => school.get(uai) ?? null,
    getAccount: (uai, id) => {
      const row = rows.get(uai, id);
      return row ? toAccount(row) : null;
    },
    findCandidates,
    searchAccounts,
    findByCasId: (uai, casId) => {
      const row = byCasId.get(uai, casId.trim());
      return row ? toAccount(row) : null;
    },
    listAccounts: (uai) => wholeSchool.all(uai).map(toAccount),
    responsablesOf: (uai, eleveId) => responsables.all(uai, eleveId).map(toAccount),
    elevesOf: (uai, responsableId) => eleves.all(uai, responsableId).map(toAccount),
    elevesOfEach: (uai, responsableIds) =>
      groupByOwner(responsableIds, elevesOfEach.all(uai, JSON.stringify(responsableIds)), toAccount),
    getPublication: (uai) => publications.get(uai),
  };
}
