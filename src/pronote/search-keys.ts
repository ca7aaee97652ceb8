import { foldText } from './normalise.js';

/**
 * The normalised keys an adapter stores beside each account so that finding the candidates for an
 * identity reads an index instead of scanning a region's million accounts.
 */
export interface SearchKeys {
  /** Nom folded (case, accents, hyphens, apostrophes, spaces). */
  nomKey: string;
  prenomKey: string;
  /** First word of the prénom: « Marie-Désirée » and « Marie » share it. */
  prenomFirst: string;
  /** Words of a compound nom (« DUPONT MARTIN »), so each part finds it; empty for a one-word nom. */
  nomParts: string[];
}

// Particles and short words would make every « de … » a candidate for every other.
const MIN_PART = 3;

const words = (folded: string) => folded.split(' ').filter((w) => w.length > 0);

export function nomParts(nomKey: string): string[] {
  const parts = words(nomKey);
  return parts.length < 2 ? [] : [...new Set(parts.filter((w) => w.length >= MIN_PART))];
}

export function searchKeys(nom: string, prenom: string): SearchKeys {
  const nomKey = foldText(nom);
  const prenomKey = foldText(prenom);
  return { nomKey, prenomKey, prenomFirst: words(prenomKey)[0] ?? '', nomParts: nomParts(nomKey) };
}

/** The other nom (birth or usage) folded as `nomKey`, or null when unknown: the key it is found under. */
export const otherNomKey = (nomNaissance: string | null | undefined): string | null => {
  const key = nomNaissance ? foldText(nomNaissance) : '';
  return key === '' ? null : key;
};

/** Folded words of a search text, e.g. « bossard rob » → ['bossard', 'rob']. */
export const searchWords = (text: string): string[] => words(foldText(text));

/** LIKE treats % and _ as wildcards (and \\ escapes): a search for « d_a » means those letters. */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** A LIKE pattern finding this word anywhere, with `ESCAPE '\\'`. */
export const likeFragment = (word: string): string => `%${escapeLike(word)}%`;
