import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/engine/reconcile.js';
import { importSchool, type SchoolFile } from '../../src/formats/school-import.js';
import { sqliteStores } from '../../src/server/stores.js';
import { openMemoryDatabase } from '../../src/store/sqlite/database.js';

/**
 * A generated collège given as the files it really has (SIECLE pupils and responsables, STS, the PRONOTE
 * pupils list with its CAS ids, the ENT console export and its AAF), with the cases that trap a
 * reconciliation planted: homonym pupils born on other days, one holding the other's login; mothers known
 * by their usage name in the ENT and their birth name in PRONOTE; namesake parents at other postcodes.
 * Everything invented.
 */

const UAI = '0990030C';
const NOMS = [
  'MARTIN',
  'BERNARD',
  'PETIT',
  'ROBERT',
  'RICHARD',
  'DURAND',
  'LEROY',
  'MOREAU',
  'SIMON',
  'LAURENT',
];
const PRENOMS_E = ['Léa', 'Hugo', 'Chloé', 'Lucas', 'Emma', 'Théo', 'Inès', 'Jules', 'Zoé', 'Noé'];
const PRENOMS_A = ['Nadia', 'Sophie', 'Claire', 'Marc', 'Éric', 'Anne', 'Paul', 'Julie', 'Karim', 'Hélène'];
const POSTCODES = ['13001', '13008', '13012', '13100', '13400'];

interface Person {
  id: string;
  nom: string;
  /** The birth name when it differs (SIECLE NOM_DE_FAMILLE, AAF ENTPersonNomPatro). */
  naissance?: string;
  prenom: string;
  date?: string;
  login: string;
  codePostal?: string;
  classe?: string;
  eleves?: string[];
}

function generate() {
  let seed = 7;
  const r = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed / 2_147_483_648;
  };
  const pick = <T>(list: readonly T[]) => list[Math.floor(r() * list.length)] as T;
  const date = (from: number) =>
    `${from + Math.floor(r() * 4)}-${String(1 + Math.floor(r() * 12)).padStart(2, '0')}-${String(1 + Math.floor(r() * 28)).padStart(2, '0')}`;
  const pupils: Person[] = [];
  const parents: Person[] = [];
  for (let i = 0; i < 300; i += 1) {
    // One pupil in ten has a namesake born another day: the commonest trap.
    const twin = i % 10 === 1 ? pupils[i - 1] : undefined;
    const nom = twin?.nom ?? pick(NOMS);
    const prenom = twin?.prenom ?? pick(PRENOMS_E);
    pupils.push({
      id: `E${i}`,
      nom,
      prenom,
      date: date(2011),
      login: `e${i}.${nom.toLowerCase()}`,
      classe: `${6 - (i % 4)}A`,
    });
    const mother = {
      id: `P${i}`,
      nom,
      naissance: pick(NOMS.filter((n) => n !== nom)),
      prenom: pick(PRENOMS_A),
      login: `r${i}.${nom.toLowerCase()}`,
      codePostal: pick(POSTCODES),
      eleves: [`E${i}`],
    };
    parents.push(mother);
  }
  return { pupils, parents };
}

const xml = (root: string, body: string) =>
  iconv.encode(
    `<?xml version="1.0" encoding="ISO-8859-15"?>\n<${root}>\n<PARAMETRES><UAJ>${UAI}</UAJ></PARAMETRES>\n<DONNEES>\n${body}</DONNEES>\n</${root}>\n`,
    'iso-8859-15',
  );
const fr = (iso?: string) => (iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : '');
const q = (cells: string[]) => cells.map((c) => `"${c}"`).join(';');
const attr = (name: string, value = '') =>
  `<attr name="${name}">${value ? `<value>${value}</value>` : '<value/>'}</attr>`;

function files(): {
  files: SchoolFile[];
  pupils: Person[];
  parents: Person[];
  stolen: Array<[Person, Person]>;
} {
  const { pupils, parents } = generate();
  const eleves = xml(
    'BEE_ELEVES',
    `<ELEVES>\n${pupils.map((p) => `<ELEVE ELEVE_ID="${p.id}"><NOM_DE_FAMILLE>${p.nom}</NOM_DE_FAMILLE><PRENOM>${p.prenom}</PRENOM><DATE_NAISS>${fr(p.date)}</DATE_NAISS></ELEVE>\n`).join('')}</ELEVES>\n<STRUCTURES>\n${pupils.map((p) => `<STRUCTURES_ELEVE ELEVE_ID="${p.id}"><STRUCTURE><CODE_STRUCTURE>${p.classe}</CODE_STRUCTURE><TYPE_STRUCTURE>D</TYPE_STRUCTURE></STRUCTURE></STRUCTURES_ELEVE>\n`).join('')}</STRUCTURES>\n`,
  );
  const responsables = xml(
    'BEE_RESPONSABLES',
    `<PERSONNES>\n${parents.map((p) => `<PERSONNE PERSONNE_ID="${p.id}"><NOM_DE_FAMILLE>${p.naissance}</NOM_DE_FAMILLE><PRENOM>${p.prenom}</PRENOM><ADRESSE_ID>A${p.id}</ADRESSE_ID></PERSONNE>\n`).join('')}</PERSONNES>\n<RESPONSABLES>\n${parents.map((p) => `<RESPONSABLE_ELEVE><ELEVE_ID>${p.eleves?.[0]}</ELEVE_ID><PERSONNE_ID>${p.id}</PERSONNE_ID><RESP_LEGAL>1</RESP_LEGAL></RESPONSABLE_ELEVE>\n`).join('')}</RESPONSABLES>\n<ADRESSES>\n${parents.map((p) => `<ADRESSE ADRESSE_ID="A${p.id}"><CODE_POSTAL>${p.codePostal}</CODE_POSTAL></ADRESSE>\n`).join('')}</ADRESSES>\n`,
  );
  // PRONOTE knows seven pupils in ten by their login; for every namesake pair, it gave the first one's
  // login to the second (the wrong person), who must never be shown as linked.
  const stolen: Array<[Person, Person]> = [];
  const list = pupils.map((p, i) => {
    const namesake = i % 10 === 1 ? pupils[i - 1] : undefined;
    if (namesake) stolen.push([namesake, p]);
    const cas = namesake ? namesake.login : i % 10 === 0 ? '' : i % 3 === 0 ? '' : p.login;
    return `${p.nom};${p.prenom};${fr(p.date)};${p.classe};${cas}`;
  });
  const pronote = iconv.encode(
    ['Nom;Prénom;Né(e) le;Classe;Identifiant CAS', ...list].join('\r\n'),
    'win1252',
  );
  const header = q([
    'Id',
    'Identifiant SIECLE',
    'Type',
    'Nom',
    'Prénom',
    'Identifiant',
    'Login personnalisé (Alias)',
    "Code d'activation",
    'Fonctions',
    'Établissements',
    'Classes',
    'Enfants',
    'Parents',
    'Dernière connexion',
    'Courriel',
    'Téléphone',
  ]);
  const consoleRow = (p: Person, type: string) =>
    q([`u-${p.id}`, p.id, type, p.nom, p.prenom, p.login, '', '', '', 'Collège', '', '', '', '', '', '']);
  const entConsole = Buffer.from(
    `\uFEFF${[header, ...pupils.map((p) => consoleRow(p, 'Élève')), ...parents.map((p) => consoleRow(p, 'Parent'))].join('\r\n')}\r\n`,
  );
  const record = (cat: string, p: Person) =>
    `<addRequest><operationalAttributes>${attr('categoriePersonne', cat)}</operationalAttributes><identifier><id>${p.id}</id></identifier><attributes>${attr('ENTPersonJointure', p.id)}${attr('sn', p.nom)}${attr('ENTPersonNomPatro', p.naissance ?? p.nom)}${attr('givenName', p.prenom)}${attr('ENTPersonDateNaissance', fr(p.date))}${attr('ENTPersonCodePostal', p.codePostal ?? '')}</attributes></addRequest>\n`;
  const aaf = Buffer.from(
    `<?xml version="1.0" encoding="UTF-8"?>\n<ficAlimMENESR>\n${pupils.map((p) => record('Eleve', p)).join('')}${parents.map((p) => record('PersRelEleve', p)).join('')}</ficAlimMENESR>\n`,
  );
  return {
    files: [
      { path: 'ElevesSansAdresses.xml', bytes: eleves },
      { path: 'ResponsablesAvecAdresses.xml', bytes: responsables },
      { path: 'eleves.csv', bytes: pronote },
      { path: 'export-console.csv', bytes: entConsole },
      { path: 'aaf.xml', bytes: aaf },
    ],
    pupils,
    parents,
    stolen,
  };
}

describe('a generated collège loaded from all its files', () => {
  it('reconciles with no wrong person linked or proposed, and every stolen login held by the wrong person', async () => {
    const stores = sqliteStores(openMemoryDatabase());
    const { files: given, pupils, parents, stolen } = files();
    const summary = await importSchool(stores, { uai: UAI, pronote: [], files: given, replace: false });
    expect(summary.counts).toMatchObject({ eleve: pupils.length, responsable: parents.length });
    const report = await reconcile(stores, UAI);
    if (!report) throw new Error('no report');
    const truth = new Map([...pupils, ...parents].map((p) => [p.login, p]));
    let linkedOrProposed = 0;
    for (const row of report.rows) {
      const f = row.finding;
      const account = f.kind === 'linked' || f.kind === 'match' ? f.account : null;
      if (!account) continue;
      linkedOrProposed += 1;
      const person = truth.get(row.ent.login);
      // The account is that person: same prénom, one of their noms, and their birth date when known.
      expect(account.prenom).toBe(person?.prenom);
      expect([person?.nom, person?.naissance]).toContain(account.nom);
      if (person?.date) expect(account.dateNaissance).toBe(person.date);
    }
    expect(linkedOrProposed).toBeGreaterThan(pupils.length);
    for (const [owner, holder] of stolen) {
      const finding = report.rows.find((r) => r.ent.login === owner.login)?.finding;
      expect(finding?.kind).toBe('login-held');
      expect(report.casIds).toContainEqual(
        expect.objectContaining({
          kind: 'wrong-person',
          account: expect.objectContaining({ dateNaissance: holder.date }),
        }),
      );
    }
    // Mothers: the ENT sends the usage name, PRONOTE (fed from SIECLE) shows the birth name.
    const mothers = report.rows.filter((r) => r.profile === 'responsable');
    // Every mother is found under one of her noms: matched, or shown among namesakes (same birth name
    // and prénom, no birth date, the postcode alone cannot tell), never « no account ».
    expect(mothers.filter((r) => r.finding.kind === 'none')).toEqual([]);
    expect(mothers.every((r) => r.finding.kind === 'match' || r.finding.kind === 'ambiguous')).toBe(true);
  });
});
