/**
 * Realistic French names for the benchmarks, from a seeded generator (the same run gives the same data):
 * a few hundred common surnames weighted like the real ones (MARTIN about 0.3 %), a long tail of rarer
 * surnames built from syllables, accents, apostrophes, particles, compound noms and prénoms, families
 * sharing a nom, twins, and homonyms across a region.
 */

/** Mulberry32: small, fast, seeded. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Random = () => number;

export const pick = <T>(r: Random, items: readonly T[]): T => items[Math.floor(r() * items.length)] as T;

const COMMON_NOMS =
  `Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefèvre Leroy
Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Müller Lefebvre Faure
André Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier Garcia Perrin Robin Clément Morin
Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont Marie Lemaire Noël Meyer Dufour Meunier
Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard Roche Renard Schmitt Roy
Leroux Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois Pierre
Benoît Rey Leclerc Payet Rolland Leclercq Guillaume Lecomte Lopez Jean Dupuy Guillot Hubert Berger Carpentier
Sanchez Dupuis Moulin Louis Deschamps Huet Vasseur Perez Boucher Fleury Royer Klein Jacquet Adam Paris Poirier
Marty Aubry Guyot Carré Charles Renault Charpentier Ménard Maillard Baron Bertin Bailly Hervé Schneider Fernandez
Le_Gall Collet Léger Bouvier Julien Prévost Millet Perrot Daniel Le_Roux Cousin Germain Breton Besson Langlois
Rémy Le_Goff Pelletier Lévêque Perrier Leblanc Barré Lebrun Marchal Weber Mallet Hamon Boulanger Jacob Monnier
Michaud Rodriguez Guichard Gillet Étienne Grondin Poulain Tessier Chevallier Collin Chauvin Da_Silva Bouchet Gay
Lemaître Bénard Maréchal Humbert Reynaud Antoine Hoarau Perret Barthélémy Cordier Pichon Lejeune Gilbert Lamy
Delaunay Pasquier Carlier Laporte Ben_Ali N'Diaye D'Angelo De_La_Fontaine Le_Cœur Œuvrard`
    .split(/\s+/)
    .map((n) => n.replaceAll('_', ' '));

// Syllables of the long tail: about 150,000 distinct surnames, most held by a handful of people.
const HEADS =
  'Ber Bou Cha Che Du Fa Fon Gi Gou La Le Ma Mo Pe Ri Ro Ta Va Vi Bé Lé Ché Dé Mé Ré Sé Tê Gré Bro Cou Fer Jo Mar Mon Pas Plan Sau Ver Vau Bar Cor Dal Fal Gal Hal Lan Mal Nor Pra Quen Roc Sal Tar Vil Bla Cra Dro Flo Gra'.split(
    ' ',
  );
const MIDDLES = 'r n l ch m d t v s rt ll nn rr g p qu zi ri li ni mi di ti vi ssi lo no'.split(' ');
const TAILS =
  'ard and ont ier ière et ette ot otte in ine on onne eau aud ault oux oul ac at ès é ée ey ez is ys ou eux euse ert our ay ain aine enne ois oise ange eron elle el erre uy'.split(
    ' ',
  );

const PRENOMS_F =
  `Léa Emma Chloé Manon Inès Camille Zoé Jade Louise Lina Anaïs Océane Noémie Sarah Clara Juliette Eva
Lucie Maëlys Éloïse Adèle Agathe Alice Romane Lola Margaux Pauline Mathilde Léna Ambre Mélissa Hélène Cécile Gaëlle
Nathalie Isabelle Sylvie Sandrine Valérie Stéphanie Véronique Céline Aurélie Émilie Élodie Virginie Christelle
Françoise Brigitte Marie Anne Sophie Claire Laëtitia Maïwenn Héloïse Joséphine Capucine Bérénice Nolwenn Rose Jeanne`.split(
    /\s+/,
  );
const PRENOMS_M =
  `Lucas Hugo Théo Louis Nathan Gabriel Raphaël Arthur Jules Mathéo Noah Ethan Tom Léo Enzo Maël Paul
Clément Timothée Baptiste Maxime Alexandre Antoine Thomas Nicolas Julien Sébastien Frédéric Stéphane Jérôme Laurent
Christophe Olivier Philippe Thierry Éric Pascal Patrick Loïc Joël Noël Gaël Yannick Hervé Benoît François Jean
Pierre Michel André Cédric Grégory Mickaël Jérémy Anthony Kévin Dylan Mohamed Yanis Rayan Adam Sacha Côme`.split(
    /\s+/,
  );
const FIRST_OF_COMPOUND_F = ['Marie', 'Anne', 'Marie', 'Anne', 'Louise', 'Rose'];
const FIRST_OF_COMPOUND_M = ['Jean', 'Pierre', 'Jean', 'Louis', 'Paul', 'Marc'];

/** Weights ∝ 1/√rank over the common list: together about 8 % of people, MARTIN about 0.3 %. */
const COMMON_CUMULATIVE = (() => {
  let total = 0;
  const cumulative = COMMON_NOMS.map((_, i) => {
    total += 1 / Math.sqrt(i + 1);
    return total;
  });
  return cumulative.map((c) => c / total);
})();
const COMMON_SHARE = 0.08;

function commonNom(r: Random): string {
  const x = r();
  let lo = 0;
  let hi = COMMON_CUMULATIVE.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((COMMON_CUMULATIVE[mid] ?? 1) < x) lo = mid + 1;
    else hi = mid;
  }
  return COMMON_NOMS[lo] ?? 'Martin';
}

function tailNom(r: Random): string {
  const base = pick(r, HEADS) + (r() < 0.6 ? pick(r, MIDDLES) : '') + pick(r, TAILS);
  const x = r();
  if (x < 0.02) return `de ${base}`;
  if (x < 0.035) return `Le ${base}`;
  if (x < 0.045) return `D'${base}`;
  return base;
}

/** One birth surname; about 3 % are compound (« DUPONT-MARTIN », « DUPONT MARTIN »). */
export function nom(r: Random): string {
  const one = () => (r() < COMMON_SHARE ? commonNom(r) : tailNom(r));
  const x = r();
  if (x < 0.015) return `${one()}-${one()}`;
  if (x < 0.03) return `${one()} ${one()}`;
  return one();
}

/** A prénom; about 7 % compound (« Marie-Hélène », « Jean-Noël »). */
export function prenom(r: Random, female: boolean): string {
  const list = female ? PRENOMS_F : PRENOMS_M;
  if (r() < 0.07) return `${pick(r, female ? FIRST_OF_COMPOUND_F : FIRST_OF_COMPOUND_M)}-${pick(r, list)}`;
  return pick(r, list);
}

/** AAAA-MM-JJ between two years. */
export function birthDate(r: Random, fromYear: number, toYear: number): string {
  const y = fromYear + Math.floor(r() * (toYear - fromYear + 1));
  const m = 1 + Math.floor(r() * 12);
  const d = 1 + Math.floor(r() * 28);
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** How a PRONOTE export spells a nom: upper case (accents kept, as PRONOTE does), sometimes as typed. */
export const pronoteNom = (r: Random, n: string) => (r() < 0.85 ? n.toUpperCase() : n);

export interface Person {
  profile: 'eleve' | 'responsable' | 'professeur' | 'personnel';
  nom: string;
  prenom: string;
  /** AAAA-MM-JJ, or null (responsables often have none in PRONOTE). */
  dateNaissance: string | null;
  classe: string | null;
  /** For a responsable: the pupils' « NOM Prénom ». */
  enfants: string[];
  /** Index of a pupil's responsables in the same list. */
  family: number;
}

const CLASSES = ['6', '5', '4', '3'].flatMap((level) => ['A', 'B', 'C', 'D', 'E', 'F'].map((l) => level + l));

/**
 * One school's people, `size` of them: families (a pupil or two, twins now and then, one or two
 * responsables mostly sharing the pupils' nom), then teachers and staff.
 */
export function schoolPeople(r: Random, size: number): Person[] {
  const people: Person[] = [];
  const staff = Math.round(size * 0.05);
  let family = 0;
  while (people.length < size - staff) {
    family += 1;
    const familyNom = nom(r);
    const pupils: Person[] = [];
    const count = r() < 0.2 ? 2 : 1;
    for (let i = 0; i < count; i += 1) {
      const twinOf = i > 0 && r() < 0.15 ? pupils[0] : undefined;
      pupils.push({
        profile: 'eleve',
        nom: familyNom,
        prenom: prenom(r, r() < 0.5),
        dateNaissance: twinOf?.dateNaissance ?? birthDate(r, 2009, 2015),
        classe: twinOf?.classe ?? pick(r, CLASSES),
        enfants: [],
        family,
      });
    }
    people.push(...pupils);
    const parents = r() < 0.75 ? 2 : 1;
    for (let i = 0; i < parents && people.length < size - staff; i += 1) {
      const female = i === 0 ? r() < 0.6 : r() < 0.4;
      people.push({
        profile: 'responsable',
        // The mother often keeps her birth name in PRONOTE (SIECLE).
        nom: female && r() < 0.4 ? nom(r) : familyNom,
        prenom: prenom(r, female),
        dateNaissance: r() < 0.5 ? birthDate(r, 1968, 1990) : null,
        classe: null,
        enfants: pupils.map((p) => `${p.nom.toUpperCase()} ${p.prenom}`),
        family,
      });
    }
  }
  while (people.length < size) {
    people.push({
      profile: r() < 0.8 ? 'professeur' : 'personnel',
      nom: nom(r),
      prenom: prenom(r, r() < 0.6),
      dateNaissance: birthDate(r, 1960, 1998),
      classe: null,
      enfants: [],
      family: 0,
    });
  }
  return people;
}

const strip = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '');
const frDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/**
 * How the ENT may spell a person PRONOTE knows (the « Données connues » of FAQ case A): as is,
 * without accents, in another case, the compound prénom in part, a typo, a day/month swap, nom and
 * prénom swapped, or a usage name instead of the birth name.
 */
export function entSpelling(
  r: Random,
  p: { nom: string; prenom: string; dateNaissance: string | null },
): { nom: string; prenom: string; dateNaissance?: string } {
  const date = p.dateNaissance ? frDate(p.dateNaissance) : undefined;
  const withDate = (nomText: string, prenomText: string, d = date) => ({
    nom: nomText,
    prenom: prenomText,
    ...(d ? { dateNaissance: d } : {}),
  });
  const x = r();
  if (x < 0.3) return withDate(p.nom, p.prenom);
  if (x < 0.45) return withDate(strip(p.nom).toLowerCase(), strip(p.prenom).toLowerCase());
  if (x < 0.55) return withDate(p.nom, p.prenom.split('-')[0] ?? p.prenom);
  if (x < 0.65) {
    const i = 1 + Math.floor(r() * Math.max(1, p.nom.length - 2));
    return withDate(p.nom.slice(0, i) + p.nom[i + 1] + p.nom[i] + p.nom.slice(i + 2), p.prenom);
  }
  if (x < 0.75 && p.dateNaissance) {
    const [y, m, d] = p.dateNaissance.split('-');
    return withDate(p.nom, p.prenom, `${m}/${d}/${y}`);
  }
  if (x < 0.85) return withDate(p.prenom, p.nom);
  return withDate(nom(r), p.prenom);
}
