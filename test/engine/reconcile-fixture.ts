import type { EntAccount } from '../../src/ent/port.js';
import { type NewAccount, newAccount, type Profile, type SchoolLoad } from '../../src/pronote/model.js';

/**
 * A generated school that holds every kind of finding a reconciliation reports, and a generator of large
 * schools for timing. Everything invented.
 */

export const GEN_UAI = '0990010A';

const ent = (
  login: string,
  nom: string,
  prenom: string,
  dateNaissance: string | null,
  profiles: Profile[],
): EntAccount => ({ login, uai: GEN_UAI, nom, prenom, dateNaissance, profiles });

/** Which login or account illustrates which finding. */
export const GEN_CASES = {
  linked: { login: 'anne.linked', accountId: 'p-linked' },
  match: { login: 'paul.match', accountId: 'e-match' },
  normalised: { login: 'helene.lefevre', accountId: 'p-lefevre' },
  homonyms: { logins: ['jean.homo', 'jean.homo1'], accountIds: ['e-homo-a', 'e-homo-b'] },
  shared: { logins: ['luc.shared', 'luc.shared2'], accountId: 'e-shared' },
  severalProfiles: { login: 'claire.multi', accountIds: ['p-multi', 'r-multi'] },
  mismatch: { login: 'lina.swap', accountId: 'e-swap' },
  ambiguous: { login: 'leo.twin', accountIds: ['e-twin-a', 'e-twin-b'] },
  loginHeld: { login: 'sophie.victim', holderId: 'p-holder', ownId: 'p-victim', holderLogin: 'marc.holder' },
  stale: { login: 'zoe.changed2', accountId: 'e-changed', oldLogin: 'zoe.changed' },
  none: { login: 'nobody.here' },
  pronoteOnly: { accountId: 's-alone' },
  noParentAccess: { accountId: 'r-noaccess', login: 'karim.noaccess' },
  withoutProfile: { login: 'ghost.account' },
} as const;

export const generatedSchool: SchoolLoad = {
  school: { uai: GEN_UAI, name: 'Collège Généré' },
  accounts: [
    newAccount('p-linked', 'professeur', 'LINKED', 'Anne', {
      dateNaissance: '1980-01-01',
      casId: 'anne.linked',
    }),
    newAccount('e-match', 'eleve', 'MATCH', 'Paul', { dateNaissance: '2010-01-01', classe: '6A' }),
    newAccount('p-lefevre', 'professeur', 'LEFÈVRE', 'Hélène', { dateNaissance: '1975-05-05' }),
    newAccount('e-homo-a', 'eleve', 'HOMO', 'Jean', { dateNaissance: '2010-02-02', classe: '6A' }),
    newAccount('e-homo-b', 'eleve', 'HOMO', 'Jean', { dateNaissance: '2008-09-09', classe: '4B' }),
    newAccount('e-shared', 'eleve', 'SHARED', 'Luc', { dateNaissance: '2009-05-05', classe: '5C' }),
    newAccount('p-multi', 'professeur', 'MULTI', 'Claire', { dateNaissance: '1978-07-07' }),
    newAccount('r-multi', 'responsable', 'MULTI', 'Claire'),
    newAccount('e-swap', 'eleve', 'SWAP', 'Lina', { dateNaissance: '2010-03-04', classe: '6A' }),
    newAccount('e-twin-a', 'eleve', 'TWIN', 'Léo', { dateNaissance: '2011-11-11', classe: '6B' }),
    newAccount('e-twin-b', 'eleve', 'TWIN', 'Léo', { dateNaissance: '2011-11-11', classe: '6C' }),
    newAccount('p-holder', 'professeur', 'HOLDER', 'Marc', {
      dateNaissance: '1970-10-10',
      casId: 'sophie.victim',
    }),
    newAccount('p-victim', 'professeur', 'VICTIM', 'Sophie', { dateNaissance: '1982-02-12' }),
    newAccount('e-changed', 'eleve', 'CHANGED', 'Zoé', { dateNaissance: '2010-06-06', casId: 'zoe.changed' }),
    newAccount('s-alone', 'personnel', 'ALONE', 'Odile', { dateNaissance: '1965-04-04' }),
    newAccount('r-noaccess', 'responsable', 'NOACCESS', 'Karim', { espaceParents: false }),
  ],
  links: [{ eleveId: 'e-match', responsableId: 'r-noaccess' }],
  // Parents fail as a whole: the Espace Parents is closed.
  publication: { basePublished: true, espaces: { eleves: true, parents: false, professeurs: true } },
};

export const generatedEnt: EntAccount[] = [
  ent('anne.linked', 'LINKED', 'Anne', '1980-01-01', ['professeur']),
  ent('paul.match', 'MATCH', 'Paul', '2010-01-01', ['eleve']),
  ent('helene.lefevre', 'Lefevre', 'Helene', '1975-05-05', ['professeur']),
  ent('jean.homo', 'HOMO', 'Jean', '2010-02-02', ['eleve']),
  ent('jean.homo1', 'HOMO', 'Jean', '2008-09-09', ['eleve']),
  ent('luc.shared', 'SHARED', 'Luc', '2009-05-05', ['eleve']),
  ent('luc.shared2', 'SHARED', 'Luc', '2009-05-05', ['eleve']),
  ent('claire.multi', 'MULTI', 'Claire', '1978-07-07', ['professeur', 'responsable']),
  ent('lina.swap', 'SWAP', 'Lina', '2010-04-03', ['eleve']),
  ent('leo.twin', 'TWIN', 'Léo', '2011-11-11', ['eleve']),
  ent('sophie.victim', 'VICTIM', 'Sophie', '1982-02-12', ['professeur']),
  ent('marc.holder', 'HOLDER', 'Marc', '1970-10-10', ['professeur']),
  ent('zoe.changed2', 'CHANGED', 'Zoé', '2010-06-06', ['eleve']),
  ent('nobody.here', 'NOBODY', 'Here', '1990-01-01', ['professeur']),
  ent('karim.noaccess', 'NOACCESS', 'Karim', null, ['responsable']),
  ent('ghost.account', 'GHOST', 'Account', null, []),
];

// Three hundred noms (twenty starts by fifteen ends) and forty prénoms: about ten accounts share a nom
// in a school of three thousand, as the commonest French surnames do, and homonyms occur.
const STARTS = [
  'BER',
  'MAR',
  'DU',
  'LE',
  'FOUR',
  'GAR',
  'CHE',
  'ROU',
  'LAM',
  'MO',
  'PE',
  'GI',
  'BOU',
  'FAU',
  'GUÉ',
  'DE',
  'VAL',
  'BRU',
  'RI',
  'SA',
];
const ENDS = [
  'TIN',
  'NARD',
  'PONT',
  'ROY',
  'NIER',
  'CIA',
  'VALIER',
  'SSEAU',
  'BERT',
  'REAU',
  'TIT',
  'RARD',
  'CHER',
  'RÈS',
  'LOT',
];
const NOMS = STARTS.flatMap((a) => ENDS.map((b) => `${a}${b}`));
const PRENOMS = [
  'Léa',
  'Hugo',
  'Chloé',
  'Lucas',
  'Emma',
  'Louis',
  'Inès',
  'Gabriel',
  'Jade',
  'Arthur',
  'Zoé',
  'Jules',
  'Manon',
  'Adam',
  'Camille',
  'Raphaël',
  'Sarah',
  'Nathan',
  'Lina',
  'Noé',
  'Élise',
  'Théo',
  'Anaïs',
  'Maël',
  'Paul',
  'Alice',
  'Victor',
  'Rose',
  'Martin',
  'Juliette',
  'Tom',
  'Mila',
  'Sacha',
  'Nina',
  'Ethan',
  'Lou',
  'Axel',
  'Clara',
  'Simon',
  'Margaux',
];

/**
 * A school of `size` accounts: four pupils in five, then responsables, professeurs and personnels, with
 * French names that collide as they do in a real school (same nom, same prénom, some born the same day).
 * The ENT has every one of them, about one in twenty spelled without accents.
 */
export function largeSchool(uai: string, size: number): { load: SchoolLoad; ent: EntAccount[] } {
  let seed = 42;
  const next = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)] as T;
  const profileAt = (i: number): Profile =>
    i < size * 0.8 ? 'eleve' : i < size * 0.93 ? 'responsable' : i < size * 0.98 ? 'professeur' : 'personnel';
  const accounts: NewAccount[] = [];
  const entAccounts: EntAccount[] = [];
  for (let i = 0; i < size; i += 1) {
    const profile = profileAt(i);
    const year = profile === 'eleve' ? 2008 + Math.floor(next() * 7) : 1960 + Math.floor(next() * 30);
    const date = `${year}-${String(1 + Math.floor(next() * 12)).padStart(2, '0')}-${String(1 + Math.floor(next() * 28)).padStart(2, '0')}`;
    const nom = pick(NOMS);
    const prenom = pick(PRENOMS);
    const withDate = profile !== 'responsable';
    // Every seventh responsable is known by two noms: PRONOTE shows the married one, the ENT the other.
    const otherNom = profile === 'responsable' && i % 7 === 0 ? NOMS[i % NOMS.length] : undefined;
    accounts.push(
      newAccount(`g-${i}`, profile, nom, prenom, {
        dateNaissance: withDate ? date : null,
        classe: profile === 'eleve' ? `${6 - (i % 4)}${'ABCDE'[i % 5]}` : null,
        ...(otherNom ? { nomNaissance: otherNom } : {}),
      }),
    );
    const plain = (s: string) => (next() < 0.05 ? s.normalize('NFD').replace(/\p{M}/gu, '') : s);
    entAccounts.push({
      login: `${prenom}.${nom}${i}`.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase(),
      uai,
      nom: plain(otherNom ?? nom),
      prenom: plain(prenom),
      dateNaissance: withDate ? date : null,
      profiles: [profile],
      ...(otherNom && i % 2 === 0 ? { nomNaissance: nom } : {}),
    });
  }
  return {
    load: { school: { uai, name: `Collège de ${size} comptes` }, accounts, links: [] },
    ent: entAccounts,
  };
}
