/**
 * Text folding shared by identity matching, the search keys adapters index, and the export parser.
 * The ENT and PRONOTE spell the same person differently (« Hélène » / « HELENE », « D’Angelo » /
 * « D'ANGELO », « Cœur » / « COEUR »); folding both sides makes those spellings compare equal.
 */

// Upper-case letters NFD does not split into a base letter and an accent (ß upper-cases to SS itself).
const EXPANSIONS: Record<string, string> = { Œ: 'OE', Æ: 'AE', Ø: 'O', Ł: 'L', Đ: 'D', Ð: 'D', Þ: 'TH' };
const UNSPLIT = new RegExp(`[${Object.keys(EXPANSIONS).join('')}]`, 'g');

// Hyphens and dashes of every width, straight and curly apostrophes, backtick, underscore.
const SEPARATORS = /[-‐‑‒–—―'’‘ʼ`´_]/g;

/**
 * Upper-case, without accents, ligatures expanded, hyphens, apostrophes and underscores turned into
 * spaces, runs of spaces collapsed, trimmed: « Jean-Michel d’Œuvre » → « JEAN MICHEL D OEUVRE ».
 */
export function foldText(s: string): string {
  return s
    .toUpperCase()
    .replace(UNSPLIT, (c) => EXPANSIONS[c] ?? c)
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(SEPARATORS, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Equality key for an index: folded nom, a `|`, then the first word of the folded prénom
 * (« DUPONT|MARIE » for « Dupont, Marie-Claire »). Looking it up finds, without a scan, the accounts
 * that differ only in case, accents, punctuation or a compound prénom given in part; typos and
 * swapped names need other keys. The `|` never appears in folded text, so a compound nom cannot
 * collide with a nom followed by a prénom.
 */
export function nameKey(nom: string, prenom: string): string {
  const first = foldText(prenom).split(' ')[0] ?? '';
  return `${foldText(nom)}|${first}`;
}

/**
 * A birth date as PRONOTE exports and the ENT sends it (JJ/MM/AAAA, J/M/AAAA) or as stored
 * (AAAA-MM-JJ), to `AAAA-MM-JJ`; `null` when unreadable or not a real day (31/02).
 */
export function dateKey(s: string): string | null {
  const text = s.trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : fr ? [fr[3], fr[2], fr[1]] : [];
  if (y === undefined || m === undefined || d === undefined) return null;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  const key = `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
  return date.toISOString().slice(0, 10) === key ? key : null;
}
