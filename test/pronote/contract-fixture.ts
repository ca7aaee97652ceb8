import { newAccount, type SchoolLoad } from '../../src/pronote/model.js';

/** Two small schools for the contract suite: every case a read or a write must handle, nothing more. */

export const UAI = '0990001X';
export const OTHER_UAI = '0990002Y';

export const school: SchoolLoad = {
  school: { uai: UAI, name: 'Collège du Contrat' },
  accounts: [
    newAccount('p-lemaitre', 'professeur', 'LEMAÎTRE', 'Véronique', {
      dateNaissance: '1975-03-02',
      pronoteEntId: 'BCNP3DW7TVX9ME8R',
    }),
    newAccount('p-gervais', 'professeur', 'GERVAIS', 'Florence', { casId: 'florence.gervais' }),
    newAccount('p-dejean', 'professeur', 'DEJEAN', 'Yannick', { casId: 'michelle.moreau' }),
    newAccount('p-albert', 'professeur', 'ALBERT', 'Marie-Désirée'),
    newAccount('e-bertin', 'eleve', 'BERTIN', 'Tayeb', {
      dateNaissance: '1999-11-08',
      classe: '5A',
      casId: 'tayeb.bertin',
    }),
    newAccount('e-bossard', 'eleve', 'BOSSARD', 'Damien', {
      dateNaissance: '2000-02-20',
      classe: '5A',
      casId: 'damien.bossard',
    }),
    newAccount('e-dupont-martin', 'eleve', 'DUPONT-MARTIN', 'Léa', {
      dateNaissance: '2001-05-06',
      classe: '4B',
      casId: 'lea.dupont',
    }),
    newAccount('e-swapped', 'eleve', 'THOMAS', 'Julien', {
      dateNaissance: '2000-07-01',
      classe: '4B',
      casId: 'julien.thomas',
    }),
    newAccount('e-percent', 'eleve', 'D_A%', 'Zoé', { dateNaissance: '2000-01-01', classe: '4B' }),
    newAccount('r-bossard', 'responsable', 'BOSSARD', 'Robert', { espaceParents: false }),
    newAccount('r-mercier', 'responsable', 'MERCIER', 'Laurence', { dateNaissance: '1972-05-14' }),
    newAccount('s-support', 'personnel', 'SUPPORT', 'Personnel'),
  ],
  links: [
    { eleveId: 'e-bossard', responsableId: 'r-bossard' },
    { eleveId: 'e-bossard', responsableId: 'r-mercier' },
    { eleveId: 'e-bertin', responsableId: 'r-mercier' },
  ],
  publication: { basePublished: true, espaces: { eleves: true, parents: false, professeurs: true } },
};

export const otherSchool: SchoolLoad = {
  school: { uai: OTHER_UAI, name: 'Collège Voisin' },
  accounts: [
    newAccount('x-lemaitre', 'professeur', 'Lemaitre', 'Veronique', {
      dateNaissance: '1975-03-02',
      casId: 'florence.gervais',
    }),
  ],
  links: [],
};

/** The five accounts of UAI that hold an « Identifiant CAS » a batch can clear. */
export const CAS_HOLDERS = ['p-gervais', 'p-dejean', 'e-bertin', 'e-bossard', 'e-dupont-martin'] as const;
