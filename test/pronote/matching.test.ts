import { describe, expect, it } from 'vitest';
import { dateKey, type FieldMatch, type Identity, matchIdentity } from '../../src/pronote/matching.js';
import { foldText, nameKey } from '../../src/pronote/normalise.js';

type Grades = [nom: FieldMatch, prenom: FieldMatch, date: FieldMatch];

const who = (nom: string, prenom: string, dateNaissance?: string): Identity =>
  dateNaissance === undefined ? { nom, prenom } : { nom, prenom, dateNaissance };

// One ENT identity against one PRONOTE account: what each field says, and the verdict.
const pairs: Array<[string, Identity, Identity, Grades, string]> = [
  [
    'the same identity',
    who('Dupont', 'Marie', '2010-04-03'),
    who('Dupont', 'Marie', '2010-04-03'),
    ['exact', 'exact', 'exact'],
    'match',
  ],
  [
    'surrounding spaces',
    who(' Dupont ', 'Marie ', '2010-04-03'),
    who('Dupont', 'Marie', '2010-04-03'),
    ['exact', 'exact', 'exact'],
    'match',
  ],
  [
    'accents typed decomposed',
    who('Lefèvre', 'He\u0301le\u0300ne'),
    who('Lefèvre', 'Hélène'),
    ['exact', 'exact', 'missing'],
    'match',
  ],
  [
    'case',
    who('dupont', 'MARIE', '03/04/2010'),
    who('DUPONT', 'Marie', '2010-04-03'),
    ['normalised', 'normalised', 'exact'],
    'match',
  ],
  [
    'accents dropped',
    who('LEFEVRE', 'Helene', '03/04/2010'),
    who('Lefèvre', 'Hélène', '2010-04-03'),
    ['normalised', 'normalised', 'exact'],
    'match',
  ],
  [
    'cedilla dropped',
    who('GARCON', 'Francois'),
    who('Garçon', 'François'),
    ['normalised', 'normalised', 'missing'],
    'match',
  ],
  [
    'ligature Œ in the nom',
    who('COEUR', 'Anne'),
    who('Cœur', 'Anne'),
    ['normalised', 'exact', 'missing'],
    'match',
  ],
  [
    'ligature œ inside a nom',
    who('LOEUILLET', 'Paul'),
    who('Lœuillet', 'Paul'),
    ['normalised', 'exact', 'missing'],
    'match',
  ],
  [
    'ligature Æ in the prénom',
    who('Martin', 'Laetitia'),
    who('Martin', 'Lætitia'),
    ['exact', 'normalised', 'missing'],
    'match',
  ],
  ['letter Ø', who('Hansen', 'Soren'), who('Hansen', 'Søren'), ['exact', 'normalised', 'missing'], 'match'],
  [
    'curly and straight apostrophes',
    who("D'Angelo", 'Luca'),
    who('D’ANGELO', 'Luca'),
    ['normalised', 'exact', 'missing'],
    'match',
  ],
  [
    'apostrophe left out',
    who('ONEILL', 'Sean'),
    who("O'Neill", 'Sean'),
    ['close', 'exact', 'missing'],
    'mismatch',
  ],
  [
    'particles in another case',
    who('DE LA FONTAINE', 'Jean'),
    who('de La Fontaine', 'Jean'),
    ['normalised', 'exact', 'missing'],
    'match',
  ],
  [
    'particles glued to the nom',
    who('Delafontaine', 'Jean'),
    who('de La Fontaine', 'Jean'),
    ['close', 'exact', 'missing'],
    'mismatch',
  ],
  [
    'particles left out',
    who('Fontaine', 'Jean'),
    who('de La Fontaine', 'Jean'),
    ['close', 'exact', 'missing'],
    'mismatch',
  ],
  [
    'one particle left out',
    who('La Fontaine', 'Jean'),
    who('de La Fontaine', 'Jean'),
    ['close', 'exact', 'missing'],
    'mismatch',
  ],
  [
    'a particle alone is not a nom given in part',
    who('De', 'Jean'),
    who('de La Fontaine', 'Jean'),
    ['different', 'exact', 'missing'],
    'none',
  ],
  [
    'hyphen or space in a compound prénom',
    who('Roux', 'Jean Michel'),
    who('Roux', 'Jean-Michel'),
    ['exact', 'normalised', 'missing'],
    'match',
  ],
  [
    'runs of spaces',
    who('Roux', 'Jean   Michel'),
    who('Roux', 'Jean Michel'),
    ['exact', 'normalised', 'missing'],
    'match',
  ],
  [
    'non-breaking space',
    who('Roux', 'Jean\u00a0Michel'),
    who('Roux', 'Jean Michel'),
    ['exact', 'normalised', 'missing'],
    'match',
  ],
  [
    'compound prénom glued',
    who('Roux', 'Jeanmichel'),
    who('Roux', 'Jean-Michel'),
    ['exact', 'close', 'missing'],
    'mismatch',
  ],
  [
    'first forename only',
    who('Dupont', 'Marie', '03/04/2010'),
    who('DUPONT', 'Marie-Claire', '2010-04-03'),
    ['normalised', 'close', 'exact'],
    'mismatch',
  ],
  [
    'second forename only',
    who('Dupont', 'Claire'),
    who('Dupont', 'Marie-Claire'),
    ['exact', 'close', 'missing'],
    'mismatch',
  ],
  [
    'compound prénom in the other order',
    who('Dupont', 'Pierre-Jean'),
    who('Dupont', 'Jean-Pierre'),
    ['exact', 'close', 'missing'],
    'mismatch',
  ],
  [
    'usage name against birth name',
    who('MARTIN-DUPONT', 'Sophie'),
    who('DUPONT', 'Sophie'),
    ['close', 'exact', 'missing'],
    'mismatch',
  ],
  [
    'birth name against usage name',
    who('Martin', 'Sophie'),
    who('Dupont Martin', 'Sophie'),
    ['close', 'exact', 'missing'],
    'mismatch',
  ],
  [
    'one letter missing',
    who('Bosard', 'Robert'),
    who('Bossard', 'Robert'),
    ['close', 'exact', 'missing'],
    'mismatch',
  ],
  [
    'one letter wrong',
    who('Dupond', 'Marie'),
    who('Dupont', 'Marie'),
    ['close', 'exact', 'missing'],
    'mismatch',
  ],
  [
    'two letters swapped',
    who('Dupont', 'Mraie'),
    who('Dupont', 'Marie'),
    ['exact', 'close', 'missing'],
    'mismatch',
  ],
  [
    'two typos in a long prénom',
    who('Morel', 'Stefanie'),
    who('Morel', 'Stéphanie'),
    ['exact', 'close', 'missing'],
    'mismatch',
  ],
  [
    'a typo and an accent',
    who('Morel', 'Helena'),
    who('Morel', 'Hélène'),
    ['exact', 'close', 'missing'],
    'mismatch',
  ],
  [
    'two typos in a short prénom',
    who('Morel', 'Lucas'),
    who('Morel', 'Lucie'),
    ['exact', 'different', 'missing'],
    'none',
  ],
  [
    'one typo in a 3-letter prénom',
    who('Morel', 'Léo'),
    who('Morel', 'Léa'),
    ['exact', 'close', 'missing'],
    'mismatch',
  ],
  [
    'two typos in a 3-letter prénom',
    who('Morel', 'Tia'),
    who('Morel', 'Tom'),
    ['exact', 'different', 'missing'],
    'none',
  ],
  [
    'one typo in a 2-letter nom',
    who('LU', 'Wei'),
    who('LI', 'Wei'),
    ['different', 'exact', 'missing'],
    'none',
  ],
  ['another nom', who('Durand', 'Marie'), who('Dupont', 'Marie'), ['different', 'exact', 'missing'], 'none'],
  [
    'nom and prénom swapped',
    who('Marie', 'DUPONT', '03/04/2010'),
    who('DUPONT', 'Marie', '2010-04-03'),
    ['close', 'close', 'exact'],
    'mismatch',
  ],
  [
    'swapped, with accents dropped',
    who('Helene', 'LEFEVRE'),
    who('Lefèvre', 'Hélène'),
    ['close', 'close', 'missing'],
    'mismatch',
  ],
  [
    'the same day in two formats',
    who('Petit', 'Noé', '03/04/2010'),
    who('Petit', 'Noé', '2010-04-03'),
    ['exact', 'exact', 'exact'],
    'match',
  ],
  [
    'the same day without leading zeros',
    who('Petit', 'Noé', '3/4/2010'),
    who('Petit', 'Noé', '03/04/2010'),
    ['exact', 'exact', 'exact'],
    'match',
  ],
  [
    'day and month swapped',
    who('Petit', 'Noé', '03/04/2010'),
    who('Petit', 'Noé', '04/03/2010'),
    ['exact', 'exact', 'close'],
    'mismatch',
  ],
  [
    'day and month swapped across formats',
    who('Petit', 'Noé', '04/03/2010'),
    who('Petit', 'Noé', '2010-04-03'),
    ['exact', 'exact', 'close'],
    'mismatch',
  ],
  [
    'day and month swapped in another year',
    who('Petit', 'Noé', '03/04/2010'),
    who('Petit', 'Noé', '04/03/2011'),
    ['exact', 'exact', 'different'],
    'mismatch',
  ],
  [
    'a wrong date under the right names (case A)',
    who('PETIT', 'Noe', '15/09/2011'),
    who('Petit', 'Noé', '2010-04-03'),
    ['normalised', 'normalised', 'different'],
    'mismatch',
  ],
  [
    'a wrong date under a close name',
    who('Petit', 'Noa', '15/09/2011'),
    who('Petit', 'Noé', '2010-04-03'),
    ['exact', 'close', 'different'],
    'none',
  ],
  [
    'no date in the ENT',
    who('Petit', 'Noé'),
    who('Petit', 'Noé', '2010-04-03'),
    ['exact', 'exact', 'missing'],
    'match',
  ],
  [
    'no date in PRONOTE',
    who('Petit', 'Noé', '03/04/2010'),
    who('Petit', 'Noé'),
    ['exact', 'exact', 'missing'],
    'match',
  ],
  [
    'an empty date',
    who('Petit', 'Noé', '  '),
    who('Petit', 'Noé', '2010-04-03'),
    ['exact', 'exact', 'missing'],
    'match',
  ],
  [
    'the same unreadable date',
    who('Petit', 'Noé', '31/02/2010'),
    who('Petit', 'Noé', '31/02/2010'),
    ['exact', 'exact', 'exact'],
    'match',
  ],
  [
    'an unreadable date against a real one',
    who('Petit', 'Noé', '31/02/2010'),
    who('Petit', 'Noé', '2010-02-28'),
    ['exact', 'exact', 'different'],
    'mismatch',
  ],
  [
    'no prénom in PRONOTE',
    who('Petit', 'Noé', '03/04/2010'),
    who('Petit', '', '2010-04-03'),
    ['exact', 'missing', 'exact'],
    'mismatch',
  ],
  [
    'no names at all',
    who('', '', '03/04/2010'),
    who('Petit', 'Noé', '2010-04-03'),
    ['missing', 'missing', 'exact'],
    'none',
  ],
];

describe('matchIdentity, one account', () => {
  it.each(pairs)('%s', (_label, ent, account, [nom, prenom, dateNaissance], verdict) => {
    const result = matchIdentity(ent, [{ id: 'a1', ...account }]);
    expect(result.verdict).toBe(verdict);
    const expected = verdict === 'none' ? [] : [{ id: 'a1', fields: { nom, prenom, dateNaissance } }];
    expect(result.candidates).toEqual(expected);
  });
});

const account = (id: string, nom: string, prenom: string, dateNaissance?: string) => ({
  id,
  ...who(nom, prenom, dateNaissance),
});

describe('matchIdentity, several accounts', () => {
  it('finds nobody in an empty school', () => {
    expect(matchIdentity(who('Dupont', 'Marie'), [])).toEqual({ verdict: 'none', candidates: [] });
  });

  it('calls homonyms born the same day ambiguous, whatever the order they come in', () => {
    const accounts = [
      account('b', 'DUPONT', 'Marie', '2010-04-03'),
      account('a', 'Dupont', 'Marie', '2010-04-03'),
    ];
    const result = matchIdentity(who('Dupont', 'Marie', '03/04/2010'), accounts);
    expect(result.verdict).toBe('ambiguous');
    expect(result.candidates.map((c) => c.id)).toEqual(['a', 'b']);
    expect(matchIdentity(who('Dupont', 'Marie', '03/04/2010'), [...accounts].reverse())).toEqual(result);
  });

  it('lets the birth date tell homonyms apart, the other still listed second', () => {
    const result = matchIdentity(who('Dupont', 'Marie', '03/04/2010'), [
      account('a', 'Dupont', 'Marie', '2008-11-20'),
      account('b', 'Dupont', 'Marie', '2010-04-03'),
    ]);
    expect(result.verdict).toBe('match');
    expect(result.candidates).toEqual([
      { id: 'b', fields: { nom: 'exact', prenom: 'exact', dateNaissance: 'exact' } },
      { id: 'a', fields: { nom: 'exact', prenom: 'exact', dateNaissance: 'different' } },
    ]);
  });

  it('calls homonyms ambiguous when the ENT sends no date', () => {
    const result = matchIdentity(who('Dupont', 'Marie'), [
      account('a', 'Dupont', 'Marie', '2008-11-20'),
      account('b', 'Dupont', 'Marie', '2010-04-03'),
    ]);
    expect(result.verdict).toBe('ambiguous');
  });

  it('calls two accounts ambiguous when both would match, even if one agrees on more', () => {
    const result = matchIdentity(who('Dupont', 'Marie', '03/04/2010'), [
      account('a', 'Dupont', 'Marie'),
      account('b', 'Dupont', 'Marie', '2010-04-03'),
    ]);
    expect(result.verdict).toBe('ambiguous');
    expect(result.candidates.map((c) => c.id)).toEqual(['b', 'a']);
  });

  it('tells twins apart by their prénoms', () => {
    const result = matchIdentity(who('Morel', 'Léa', '12/06/2011'), [
      account('leo', 'MOREL', 'Léo', '2011-06-12'),
      account('lea', 'MOREL', 'Léa', '2011-06-12'),
      account('emma', 'MOREL', 'Emma', '2011-06-12'),
    ]);
    expect(result.verdict).toBe('match');
    expect(result.candidates).toEqual([
      { id: 'lea', fields: { nom: 'normalised', prenom: 'exact', dateNaissance: 'exact' } },
      { id: 'leo', fields: { nom: 'normalised', prenom: 'close', dateNaissance: 'exact' } },
    ]);
  });

  it('calls twins with the same prénom ambiguous', () => {
    const result = matchIdentity(who('Morel', 'Léa', '12/06/2011'), [
      account('lea1', 'MOREL', 'Léa', '2011-06-12'),
      account('lea2', 'MOREL', 'Lea', '2011-06-12'),
    ]);
    expect(result.verdict).toBe('ambiguous');
    expect(result.candidates.map((c) => c.id)).toEqual(['lea1', 'lea2']);
  });

  it('prefers the account that agrees on every field to one with a day/month swap', () => {
    const result = matchIdentity(who('Petit', 'Noé', '03/04/2010'), [
      account('swap', 'Petit', 'Noé', '2010-03-04'),
      account('same', 'PETIT', 'Noe', '2010-04-03'),
    ]);
    expect(result.verdict).toBe('match');
    expect(result.candidates.map((c) => c.id)).toEqual(['same', 'swap']);
  });

  it('proposes the closest of several near misses', () => {
    const result = matchIdentity(who('Dupont', 'Marie', '03/04/2010'), [
      account('typo', 'Dupond', 'marie', '2010-04-03'),
      account('swap', 'Dupont', 'Marie', '2010-03-04'),
    ]);
    expect(result.verdict).toBe('mismatch');
    expect(result.candidates).toEqual([
      { id: 'swap', fields: { nom: 'exact', prenom: 'exact', dateNaissance: 'close' } },
      { id: 'typo', fields: { nom: 'close', prenom: 'normalised', dateNaissance: 'exact' } },
    ]);
  });

  it('calls two equally near misses ambiguous', () => {
    const result = matchIdentity(who('Morel', 'Léa', '03/04/2010'), [
      account('date', 'Morel', 'Léa', '2010-03-04'),
      account('prenom', 'Morel', 'Léo', '2010-04-03'),
    ]);
    expect(result.verdict).toBe('ambiguous');
    expect(result.candidates.map((c) => c.id)).toEqual(['date', 'prenom']);
  });

  it('leaves implausible accounts out of the candidates', () => {
    const result = matchIdentity(who('Dupont', 'Marie', '03/04/2010'), [
      account('other', 'Durand', 'Paul', '2010-04-03'),
      account('wrongDate', 'Dupont', 'Marie', '2001-01-01'),
    ]);
    expect(result.verdict).toBe('mismatch');
    expect(result.candidates.map((c) => c.id)).toEqual(['wrongDate']);
  });
});

describe('text folding', () => {
  it.each([
    ['Jean-Michel d’Œuvre', 'JEAN MICHEL D OEUVRE'],
    ["  Hélène   D'Angelo ", 'HELENE D ANGELO'],
    ['Lætitia_Müller', 'LAETITIA MULLER'],
    ['Strauß', 'STRAUSS'],
    ['Marie–Claire', 'MARIE CLAIRE'],
  ])('folds « %s » to « %s »', (text, folded) => {
    expect(foldText(text)).toBe(folded);
  });

  it('keys a name on the folded nom and the first word of the prénom', () => {
    expect(nameKey('de La Fontaine', 'Marie-Hélène')).toBe('DE LA FONTAINE|MARIE');
    expect(nameKey('DE LA FONTAINE', 'marie')).toBe(nameKey('de La Fontaine', 'Marie-Hélène'));
    expect(nameKey('Dupont', '')).toBe('DUPONT|');
  });

  it.each([
    ['03/04/2010', '2010-04-03'],
    ['3/4/2010', '2010-04-03'],
    ['2010-04-03', '2010-04-03'],
    [' 29/02/2012 ', '2012-02-29'],
    ['31/02/2010', null],
    ['29/02/2011', null],
    ['2010-13-01', null],
    ['03-04-2010', null],
    ['', null],
  ])('reads the date « %s » as %s', (text, key) => {
    expect(dateKey(text)).toBe(key);
  });
});
