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
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * Upper-case, without accents, ligatures expanded, hyphens, apostrophes and underscores turned into
 * spaces, runs of spaces collapsed, trimmed: « Jean-Michel d’Œuvre » → « JEAN MICHEL D OEUVRE ».
 */
export function foldText(s: string): string {
  if (s.length > FOLD_KEPT_LENGTH) return fold(s);
  let folded = folds.get(s);
  if (folded === undefined) {
    if (folds.size >= FOLDS_KEPT) folds.clear();
    folded = fold(s);
    folds.set(s, folded);
  }
  return folded;
}

/**
 * `foldText` of a text of several words, word by word: the same result (folding never joins two words),
 * but each word is a nom or a prénom met before, where the whole text (« DUPONT Léa ») is new each time.
 */
export function foldWords(text: string): string {
  return text
    .split(/\s+/)
    .map(foldText)
    .filter((w) => w !== '')
    .join(' ');
}

// The same prénoms and noms come back all the time (an import folds each several times, every lookup
// folds both sides): up to 10,000 foldings of name-sized texts are kept, all forgotten when full.
const FOLDS_KEPT = 10_000;
const FOLD_KEPT_LENGTH = 100;
const folds = new Map<string, string>();

function fold(s: string): string {
  // Most names are plain ASCII (« DUPONT », « Marie »): no accent to strip, no ligature to expand.
  if (!NON_ASCII.test(s)) return s.toUpperCase().replace(SEPARATORS, ' ').replace(/\s+/g, ' ').trim();
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
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  // Years before 100 were never readable (Date.UTC takes them for 19xx): still refused.
  if (year < 100 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return null;
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

const leap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
const daysIn = (year: number, month: number) =>
  month === 2 ? (leap(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
