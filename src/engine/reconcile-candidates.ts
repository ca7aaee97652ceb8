import type { PronoteAccount, SearchIdentity } from '../pronote/model.js';
import { otherNomKey, type SearchKeys, searchKeys } from '../pronote/search-keys.js';

/**
 * The candidates of `PronotePort.findCandidates`, found in memory among a school's accounts read once:
 * a reconciliation asks for thousands of identities, and one query each costs more than the whole
 * school's read. Same rules, same keys (`searchKeys`), same ranking; a test holds both to the same
 * answers.
 */

type Keyed = { account: PronoteAccount; keys: SearchKeys };

const push = <K, V>(map: Map<K, V[]>, key: K, value: V) => {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
};

// Byte order, as SQLite's ORDER BY on the same keys.
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const order = (a: Keyed, b: Keyed) =>
  cmp(a.keys.nomKey, b.keys.nomKey) ||
  cmp(a.keys.prenomKey, b.keys.prenomKey) ||
  cmp(a.account.id, b.account.id);

/** An index of one school's accounts; returns the lookup `findCandidates(uai, identity, limit)` makes. */
export function candidateIndex(accounts: readonly PronoteAccount[]) {
  const byNom = new Map<string, Keyed[]>();
  const byNomPrenom = new Map<string, Keyed[]>();
  const byNomFirst = new Map<string, Keyed[]>();
  const byPartFirst = new Map<string, Keyed[]>();
  const byPrenomDate = new Map<string, Keyed[]>();
  const byPrenomNoDate = new Map<string, Keyed[]>();
  for (const account of accounts) {
    const keys = searchKeys(account.nom, account.prenom);
    const k: Keyed = { account, keys };
    push(byNom, keys.nomKey, k);
    // The other nom a national file gave: a married parent is found under either.
    const otherNom = otherNomKey(account.nomNaissance);
    if (otherNom !== null) push(byNom, otherNom, k);
    push(byNomPrenom, `${keys.nomKey}|${keys.prenomKey}`, k);
    push(byNomFirst, `${keys.nomKey}|${keys.prenomFirst}`, k);
    for (const part of keys.nomParts) push(byPartFirst, `${part}|${keys.prenomFirst}`, k);
    if (account.dateNaissance === null) push(byPrenomNoDate, keys.prenomKey, k);
    else push(byPrenomDate, `${keys.prenomKey}|${account.dateNaissance}`, k);
  }

  // The other nom (birth or usage), when known, is looked up too, as findCandidates does.
  return (identity: SearchIdentity, limit: number): PronoteAccount[] => {
    const k = searchKeys(identity.nom, identity.prenom);
    if (k.nomKey === '' && k.prenomKey === '') return [];
    const hits = new Map<Keyed, number>();
    const count = (list: Keyed[] | undefined) => {
      for (const c of list ?? []) hits.set(c, (hits.get(c) ?? 0) + 1);
    };
    // Same nom: the prénom or the date differs (accents, compound prénom, typo, day/month swap).
    count(byNom.get(k.nomKey));
    const other = otherNomKey(identity.nomNaissance);
    if (other !== null && other !== k.nomKey) count(byNom.get(other));
    // Nom and prénom swapped.
    count(byNomPrenom.get(`${k.prenomKey}|${k.nomKey}`));
    // One side has a compound nom, with the same first prénom: as a whole nom, and as a part of one.
    for (const word of new Set([k.nomKey, ...k.nomParts])) {
      count(byNomFirst.get(`${word}|${k.prenomFirst}`));
      count(byPartFirst.get(`${word}|${k.prenomFirst}`));
    }
    // Same prénom and birth date: the nom differs (usage name, typo).
    if (identity.dateNaissance) count(byPrenomDate.get(`${k.prenomKey}|${identity.dateNaissance}`));
    // The same prénom where PRONOTE has no date (responsables often have none).
    count(byPrenomNoDate.get(k.prenomKey));
    return [...hits]
      .sort(([a, x], [b, y]) => y - x || order(a, b))
      .slice(0, limit)
      .map(([c]) => c.account);
  };
}
