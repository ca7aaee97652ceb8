import type { EntAccount } from '../ent/port.js';
import { type NewAccount, newAccount, type SchoolLoad } from './model.js';

/**
 * The demo base `npm start` runs on: the teachers, pupils of 5A and responsables of the FAQ's screenshots
 * (names and codes as shown there, first names read from the e-mails, missing dates invented), plus a
 * planted case for each flow. Everything here is invented; no real person's data.
 */

export const DEMO_UAI = '0130001A';
export const DEMO_UAI_UNPUBLISHED = '0130002B';

/** The « Professeurs » list of the screenshot: e-mail local part, nom, PRONOTE-ENT code, invented date. */
const TEACHERS: [string, string, string, string, string][] = [
  ['albert', 'ALBERT', 'Marie-Désirée', '73WNQJFY5T8HU9A4', '1971-04-18'],
  ['bachelet', 'BACHELET', 'Sylvie', '9CYNBE48HM3ZXDPR', '1968-10-02'],
  ['gervais', 'GERVAIS', 'Florence', 'QWMSVHAN2FEPBKC7', '1979-01-25'],
  ['doucet', 'DOUCET', 'Anne', '9CQKWDUS48TMPVX2', '1983-06-09'],
  ['dupas', 'DUPAS', 'Nicole', 'P5ZJ7QFD23C89XWA', '1965-12-14'],
  ['favier', 'FAVIER', 'Catherine', 'UYZKBJHNS3RQ2CV8', '1974-03-30'],
  ['gallet', 'GALLET', 'Bernard', 'T9VZQF5JEC74BNPM', '1962-07-07'],
  ['professeur', 'PROFESSEUR', 'Marc', 'QJBSEV5YK3U98ZTD', '1980-05-01'],
  ['genet', 'GENET', 'Françoise', 'C9VJSMRKA4UTWYHD', '1969-09-21'],
  ['hubert', 'HUBERT', 'Francine', 'JBVCSNXH89MR7QK5', '1977-11-11'],
  ['lemaitre', 'LEMAITRE', 'Véronique', 'BCNP3DW7TVX9ME8R', '1975-03-02'],
  ['levy', 'LEVY', 'Giovanni', 'JSETHN4BARDKY2FZ', '1981-08-16'],
  ['lacaze', 'LACAZE', 'Jean-Michel', 'PKZWYNA4BECJUV5S', '1966-02-27'],
  ['marcel', 'MARCEL', 'Marie-Lise', 'K3SCUZMWX4AP9R5V', '1973-10-19'],
  ['millot', 'MILLOT', 'Brigitte', '4ZWQU8X3N7HPJ9KS', '1964-04-04'],
  ['monier', 'MONIER', 'Thylda', 'XAQNHW59M2UZFC38', '1985-01-13'],
  ['morand', 'MORAND', 'Marie-Annick', 'U4M7XDSBN9Y3APWH', '1967-06-23'],
  ['dejean', 'DEJEAN', 'Yannick', 'WQPYXNMRE35CTUF8', '1976-12-05'],
  // Shown as DEMONSTRATION (its « Identifiant de connexion »); the e-mail is bernard.gaudin.
  ['gaudin', 'GAUDIN', 'Bernard', 'C7ZMDHKQ5W29PVNB', '1970-09-09'],
];

const CAS_IDS: Record<string, string> = {
  gervais: 'florence.gervais',
  dejean: 'michelle.moreau', // the FAQ's wrong link: DEJEAN holds another teacher's ENT login
  doucet: 'anne.doucet', // her ENT login has since become anne.doucet2
};

/** `prenom.nom` the way ENTs build logins and e-mails: lower case, no accents, no spaces. */
const loginOf = (prenom: string, nom: string) =>
  `${prenom}.${nom}`.normalize('NFD').replace(/\p{M}/gu, '').replace(/\s+/g, '').toLowerCase();

const teachers = TEACHERS.map(([key, nom, prenom, code, date]) =>
  newAccount(`prof-${key}`, 'professeur', nom, prenom, {
    dateNaissance: date,
    pronoteEntId: code,
    casId: CAS_IDS[key] ?? null,
    email: `${loginOf(prenom, nom)}@fournisseur.fr`,
  }),
);

/** « Élèves de 5A »: dates as shown where the screenshot shows them, invented otherwise. */
const PUPILS_5A: [string, string, string, string][] = [
  ['bertin-tayeb', 'BERTIN', 'Tayeb', '1999-11-08'],
  ['berton-kenza', 'BERTON', 'Kenza', '2000-02-23'],
  ['besnier-marie', 'BESNIER', 'Marie', '2000-02-15'],
  ['blanchard-valentin', 'BLANCHARD', 'Valentin', '1999-07-04'],
  ['boivin-philippe', 'BOIVIN', 'Philippe', '2000-01-29'],
  ['bossard-damien', 'BOSSARD', 'Damien', '2000-02-20'],
  ['bouchard-maxime', 'BOUCHARD', 'Maxime', '1999-12-03'],
  ['boulay-emilie', 'BOULAY', 'Emilie', '2000-05-17'],
  ['chopin-pauline', 'CHOPIN', 'Pauline', '1999-10-26'],
  ['darras-selene', 'DARRAS', 'Selene', '2000-03-08'],
  ['delattre-kelly', 'DELATTRE', 'Kelly', '1999-08-31'],
  ['devaux-martin', 'DEVAUX', 'Martin', '2000-06-14'],
  ['didier-elliot', 'DIDIER', 'Elliot', '1999-09-12'],
];

const pupils = [
  ...PUPILS_5A.map(([key, nom, prenom, date]) =>
    newAccount(`eleve-${key}`, 'eleve', nom, prenom, {
      dateNaissance: date,
      classe: '5A',
      casId: key === 'boulay-emilie' ? 'emilie.boulay' : null,
    }),
  ),
  // Homonym of the 5A pupil: same nom and prénom, another class and birth date.
  newAccount('eleve-devaux-martin-3c', 'eleve', 'DEVAUX', 'Martin', {
    dateNaissance: '1998-01-30',
    classe: '3C',
  }),
  newAccount('eleve-roux-ines', 'eleve', 'ROUX', 'Inès', { dateNaissance: '1998-04-22', classe: '3C' }),
];

/** Responsables: the screenshot's PRONOTE-ENT codes, invented names; [key, nom, prénom, code, children]. */
const RESPONSABLES: [string, string, string, string, string[], Partial<NewAccount>?][] = [
  ['bertin-karim', 'BERTIN', 'Karim', 'DRM5T74PYVSCFJAZ', ['bertin-tayeb']],
  ['berton-samia', 'BERTON', 'Samia', 'Y7XTPEUKAWZN4FHV', ['berton-kenza']],
  ['besnier-olivier', 'BESNIER', 'Olivier', 'ETDM3QHKVPXJR4FZ', ['besnier-marie']],
  ['besnier-claire', 'BESNIER', 'Claire', 'F9J3S7WDNQ5VMBAY', ['besnier-marie']],
  ['blanchard-sophie', 'BLANCHARD', 'Sophie', 'FHDRXBSVJZ9QW5CY', ['blanchard-valentin']],
  ['boivin-thierry', 'BOIVIN', 'Thierry', 'VRSN3X9YHZA547U8', ['boivin-philippe']],
  ['bossard-robert', 'BOSSARD', 'Robert', 'KFDQRSMCX427UWZ9', ['bossard-damien'], { espaceParents: false }],
  ['bossard-nathalie', 'BOSSARD', 'Nathalie', 'J784NECR2UWM3TP9', ['bossard-damien']],
  ['bouchard-isabelle', 'BOUCHARD', 'Isabelle', 'ZHUKMPJR59XWSYDA', ['bouchard-maxime']],
  // Grand-mother entered as « autre contact »: no Espace Parents by default.
  ['leroy-martine', 'LEROY', 'Martine', 'AZDSURQYXNM435JF', ['devaux-martin'], { espaceParents: false }],
  ['boulay-patrick', 'BOULAY', 'Patrick', '4ZE7QNBHASJ3RY25', ['boulay-emilie']],
  // PRONOTE (from SIECLE) has her birth name; the ENT has her usage name, CHOPIN.
  [
    'mercier-laurence',
    'MERCIER',
    'Laurence',
    'F3H2UKRCSMNEY74A',
    ['chopin-pauline'],
    { dateNaissance: '1972-05-14' },
  ],
  ['darras-frederic', 'DARRAS', 'Frédéric', 'DRCYJKUTNH92E5ZX', ['darras-selene']],
  ['delattre-valerie', 'DELATTRE', 'Valérie', '345AEFK2DYSP7BZV', ['delattre-kelly']],
  ['devaux-stephane', 'DEVAUX', 'Stéphane', 'VQJPWHTE2BAC74SM', ['devaux-martin']],
  ['didier-laurent', 'DIDIER', 'Laurent', 'V4SCNAQDPH8KMY2F', ['didier-elliot']],
  ['didier-christine', 'DIDIER', 'Christine', 'NRYCT52EJD7MQ9HX', ['didier-elliot']],
  ['roux-paul', 'ROUX', 'Paul', 'WEZRFK25SQUY3DC7', ['roux-ines']],
];

const responsables = RESPONSABLES.map(([key, nom, prenom, code, , extra]) =>
  newAccount(`resp-${key}`, 'responsable', nom, prenom, { pronoteEntId: code, ...extra }),
);

const personnels = [
  // The identity on the FAQ's « Identification impossible » page.
  newAccount('pers-support', 'personnel', 'SUPPORT', 'Personnel', { dateNaissance: '1980-01-01' }),
  newAccount('pers-roussel', 'personnel', 'ROUSSEL', 'Agnès', {
    dateNaissance: '1978-02-12',
    email: 'agnes.roussel@fournisseur.fr',
  }),
  newAccount('pers-fontaine', 'personnel', 'de LA FONTAINE', 'Jean', { dateNaissance: '1963-05-28' }),
  // Michelle MOREAU's own account, spelled Michèle in PRONOTE: her login is held by DEJEAN.
  newAccount('prof-moreau', 'professeur', 'MOREAU', 'Michèle', {
    dateNaissance: '1968-04-12',
    pronoteEntId: 'H6TQ2MZRC8WKX5JN',
    email: 'michelle.moreau@fournisseur.fr',
  }),
];

const exemple: SchoolLoad = {
  school: { uai: DEMO_UAI, name: 'Collège Exemple' },
  accounts: [...teachers, ...pupils, ...responsables, ...personnels],
  links: RESPONSABLES.flatMap(([key, , , , children]) =>
    children.map((child) => ({ eleveId: `eleve-${child}`, responsableId: `resp-${key}` })),
  ),
  publication: {
    basePublished: true,
    espaces: { eleves: true, parents: true, professeurs: true, 'vie-scolaire': true, direction: true },
  },
};

const oliviers: SchoolLoad = {
  school: { uai: DEMO_UAI_UNPUBLISHED, name: 'Collège des Oliviers' },
  accounts: [
    newAccount('b-prof-garnier', 'professeur', 'GARNIER', 'Hélène', { dateNaissance: '1982-09-03' }),
    newAccount('b-prof-navarro', 'professeur', 'NAVARRO', 'Luis', { dateNaissance: '1977-03-19' }),
    newAccount('b-eleve-petit-lucas', 'eleve', 'PETIT', 'Lucas', {
      dateNaissance: '2001-10-05',
      classe: '6B',
    }),
    newAccount('b-eleve-moulin-chloe', 'eleve', 'MOULIN', 'Chloé', {
      dateNaissance: '2001-04-27',
      classe: '6B',
    }),
    newAccount('b-resp-petit-sandrine', 'responsable', 'PETIT', 'Sandrine'),
    newAccount('b-resp-moulin-eric', 'responsable', 'MOULIN', 'Éric'),
    newAccount('b-pers-blanc', 'personnel', 'BLANC', 'Odile', { dateNaissance: '1970-12-24' }),
  ],
  links: [
    { eleveId: 'b-eleve-petit-lucas', responsableId: 'b-resp-petit-sandrine' },
    { eleveId: 'b-eleve-moulin-chloe', responsableId: 'b-resp-moulin-eric' },
  ],
  // Case C1: every parent of this school fails because the Espace Parents is not published.
  publication: {
    basePublished: true,
    espaces: { eleves: true, parents: false, professeurs: true, 'vie-scolaire': true, direction: true },
  },
};

export const DEMO_SCHOOLS: readonly SchoolLoad[] = [exemple, oliviers];

/** Where the ENT holds something else than PRONOTE: the planted cases. Key: PRONOTE account id. */
const ENT_DIFFERENCES: Record<string, Partial<EntAccount>> = {
  'eleve-bertin-tayeb': { dateNaissance: '1999-08-11' }, // day and month swapped
  'prof-lemaitre': { prenom: 'Veronique' }, // no accent on the ENT side
  'resp-mercier-laurence': { login: 'laurence.chopin', nom: 'CHOPIN' }, // usage name
  'prof-moreau': { login: 'michelle.moreau', prenom: 'Michelle' },
  'prof-doucet': { login: 'anne.doucet2' }, // changed login: PRONOTE still holds anne.doucet
  'eleve-boulay-emilie': { login: 'emilie.boulay2' },
  'eleve-devaux-martin-3c': { login: 'martin.devaux1' }, // homonym: the ENT numbers the second login
};

export const DEMO_ENT: readonly EntAccount[] = DEMO_SCHOOLS.flatMap(({ school, accounts }) =>
  accounts.map((a) => ({
    login: loginOf(a.prenom, a.nom),
    uai: school.uai,
    nom: a.nom,
    prenom: a.prenom,
    dateNaissance: a.dateNaissance,
    profiles: [a.profile],
    ...ENT_DIFFERENCES[a.id],
  })),
);

/** Which account and login illustrates which case, for tests and documentation. */
export const DEMO_CASES = {
  uai: DEMO_UAI,
  casIdLinked: { accountId: 'prof-gervais', login: 'florence.gervais' },
  wrongCasId: { holderId: 'prof-dejean', login: 'michelle.moreau', ownerId: 'prof-moreau' },
  dateSwapped: { accountId: 'eleve-bertin-tayeb', login: 'tayeb.bertin' },
  accentMissing: { accountId: 'prof-lemaitre', login: 'veronique.lemaitre' },
  usageName: { accountId: 'resp-mercier-laurence', login: 'laurence.chopin' },
  changedLogin: [
    { accountId: 'prof-doucet', oldLogin: 'anne.doucet', login: 'anne.doucet2' },
    { accountId: 'eleve-boulay-emilie', oldLogin: 'emilie.boulay', login: 'emilie.boulay2' },
  ],
  homonyms: {
    accountIds: ['eleve-devaux-martin', 'eleve-devaux-martin-3c'],
    logins: ['martin.devaux', 'martin.devaux1'],
  },
  parentWithoutAccess: {
    accountId: 'resp-bossard-robert',
    login: 'robert.bossard',
    childId: 'eleve-bossard-damien',
  },
  espaceUnpublished: { uai: DEMO_UAI_UNPUBLISHED, espace: 'parents', login: 'sandrine.petit' },
  errorPage: { accountId: 'pers-support', login: 'personnel.support' },
} as const;
