import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import {
  decodeExport,
  ExportError,
  parseEntExport,
  parsePronoteExport,
} from '../../src/formats/pronote-export.js';
import { fr } from '../helpers/french.js';

const utf8 = (text: string) => new TextEncoder().encode(text);
const withBom = (text: string) => Uint8Array.of(0xef, 0xbb, 0xbf, ...utf8(text));
const cp1252 = (text: string) => new Uint8Array(iconv.encode(text, 'windows-1252'));
const crlf = (...lines: string[]) => `${lines.join('\r\n')}\r\n`;

/** The ExportError a parse throws, as a person would read it. */
function refusal(parse: () => unknown): { message: string; line: number; column?: string } {
  try {
    parse();
  } catch (err) {
    if (!(err instanceof ExportError)) throw err;
    return {
      message: err.message,
      line: err.line,
      ...(err.column === undefined ? {} : { column: err.column }),
    };
  }
  throw new Error('expected an ExportError');
}

// What PRONOTE's « Copier la liste (format CSV) » gives on a French Windows: cp1252, `;`, CRLF.
const PRONOTE_ELEVES = crlf(
  'Nom;Prénom;Né(e) le;Classe;Identifiant CAS;Identifiant PRONOTE-ENT',
  'LEFÈVRE;Hélène;03/04/2010;5A;;PE0001',
  'CŒUR;Zoé;12/11/2009;5A;zoe.coeur;PE0002',
  'D’ANGELO;Luca;2010-01-07;5B;;',
);

const ELEVES = [
  {
    line: 2,
    nom: 'LEFÈVRE',
    prenom: 'Hélène',
    dateNaissance: '2010-04-03',
    classe: '5A',
    pronoteEntId: 'PE0001',
  },
  {
    line: 3,
    nom: 'CŒUR',
    prenom: 'Zoé',
    dateNaissance: '2009-11-12',
    classe: '5A',
    casId: 'zoe.coeur',
    pronoteEntId: 'PE0002',
  },
  { line: 4, nom: 'D’ANGELO', prenom: 'Luca', dateNaissance: '2010-01-07', classe: '5B' },
];

describe('decodeExport', () => {
  it('reads Windows-1252, curly apostrophes and Œ included', () => {
    expect(decodeExport(cp1252('CŒUR D’ANGELO Hélène'))).toBe('CŒUR D’ANGELO Hélène');
  });

  it('drops the UTF-8 byte order mark', () => {
    expect(decodeExport(withBom('Nom;Prénom'))).toBe('Nom;Prénom');
  });

  it('reads UTF-16 with its byte order mark, as Excel saves « Texte Unicode »', () => {
    expect(decodeExport(new Uint8Array(iconv.encode('Nom\tPrénom', 'utf-16le', { addBOM: true })))).toBe(
      'Nom\tPrénom',
    );
  });
});

describe('parsePronoteExport', () => {
  describe('encodings and separators', () => {
    it.each([
      ['Windows-1252 with CRLF', cp1252(PRONOTE_ELEVES)],
      ['UTF-8 with a BOM', withBom(PRONOTE_ELEVES)],
      ['UTF-8 without a BOM, LF', utf8(PRONOTE_ELEVES.replaceAll('\r\n', '\n'))],
      ['a tab-separated paste', utf8(PRONOTE_ELEVES.replaceAll(';', '\t'))],
      ['commas', utf8(PRONOTE_ELEVES.replaceAll(';', ','))],
      ['old Mac line ends', cp1252(PRONOTE_ELEVES.replaceAll('\r\n', '\r'))],
      [
        'UTF-16 with a BOM',
        new Uint8Array(iconv.encode(PRONOTE_ELEVES.replaceAll(';', '\t'), 'utf-16le', { addBOM: true })),
      ],
    ])('reads %s', (_label, bytes) => {
      expect(parsePronoteExport(bytes)).toEqual(ELEVES);
    });

    it('drops control characters a damaged file holds, such as NUL, from every cell', () => {
      const [row] = parsePronoteExport(utf8('Nom;Prénom;Classe\nDU\u0000PONT;An\u0007ne;3A\n'));
      expect(row).toMatchObject({ nom: 'DUPONT', prenom: 'Anne' });
    });

    it('keeps separators and quotes that sit inside quoted cells', () => {
      const rows = parsePronoteExport(
        utf8('Nom,Prénom,Classe\n"DUPONT, épouse MARTIN",Anne,"3A ""euro"""\n'),
      );
      expect(rows).toEqual([{ line: 2, nom: 'DUPONT, épouse MARTIN', prenom: 'Anne', classe: '3A "euro"' }]);
    });
  });

  describe('headers', () => {
    it('recognises headers whatever their case, accents, punctuation and spacing', () => {
      const rows = parsePronoteExport(
        utf8(
          [
            ' NOM ; prenom ;NE(E)  LE;identifiant cas;ESP PAR;adresse e mail;IDENTIFIANT DE CONNEXION',
            'MARTIN;Sophie;1/9/1980;sophie.martin;Oui;s.martin@example.fr;SMARTIN',
          ].join('\n'),
        ),
      );
      expect(rows).toEqual([
        {
          line: 2,
          nom: 'MARTIN',
          prenom: 'Sophie',
          dateNaissance: '1980-09-01',
          casId: 'sophie.martin',
          espaceParents: true,
          email: 's.martin@example.fr',
          loginPronote: 'SMARTIN',
        },
      ]);
    });

    it.each([
      ['Date de naissance', 'Accès à l’Espace Parents', 'E-mail'],
      ['Date naissance', "Accès à l'Espace Parents", 'Adresse E-mail'],
      ['Né le', 'Esp. Par.', 'e-mail'],
    ])('reads « %s », « %s » and « %s »', (date, espace, email) => {
      const rows = parsePronoteExport(
        utf8(`Nom;Prénom;${date};${espace};${email}\nBOSSARD;Robert;2010-05-06;X;r@b.fr\n`),
      );
      expect(rows[0]).toMatchObject({ dateNaissance: '2010-05-06', espaceParents: true, email: 'r@b.fr' });
    });

    it('ignores columns it does not know', () => {
      const rows = parsePronoteExport(utf8('Civilité;Nom;Régime;Prénom\nMme;MARTIN;DP;Sophie\n'));
      expect(rows).toEqual([{ line: 2, nom: 'MARTIN', prenom: 'Sophie' }]);
    });

    it('refuses a file without a Prénom column, naming it', () => {
      expect(refusal(() => parsePronoteExport(utf8('Nom;Classe\nMARTIN;5A\n')))).toEqual({
        line: 1,
        message: fr('Ligne 1 : colonne « Prénom » introuvable dans l’en-tête (lu : Nom, Classe).'),
      });
    });

    it('refuses a column given twice rather than guess which one to read', () => {
      expect(refusal(() => parsePronoteExport(utf8('Nom;Prénom;Nom\nA;B;C\n')))).toMatchObject({
        line: 1,
        column: 'Nom',
      });
    });

    it('refuses an empty file', () => {
      expect(refusal(() => parsePronoteExport(utf8('\r\n \r\n')))).toMatchObject({ line: 1 });
    });
  });

  describe('cells', () => {
    it('trims cells and collapses spaces, non-breaking ones too, keeping accents', () => {
      const rows = parsePronoteExport(utf8('Nom;Prénom\n  DE LA\u00a0 FONTAINE ;  Marie   Hélène \n'));
      expect(rows).toEqual([{ line: 2, nom: 'DE LA FONTAINE', prenom: 'Marie Hélène' }]);
    });

    it.each([
      ['Oui', true],
      ['non', false],
      ['X', true],
      ['x', true],
      ['✓', true],
      ['✔', true],
      ['1', true],
      ['0', false],
      ['Vrai', true],
      ['FAUX', false],
      ['', false],
    ])('reads « %s » under Esp. par. as %s', (value, granted) => {
      const [row] = parsePronoteExport(utf8(`Nom;Prénom;Esp. par.\nGERVAIS;Florence;${value}\n`));
      expect(row?.espaceParents).toBe(granted);
    });

    it('leaves Esp. par. unknown when the export has no such column', () => {
      const [row] = parsePronoteExport(utf8('Nom;Prénom\nGERVAIS;Florence\n'));
      expect(row?.espaceParents).toBeUndefined();
    });

    it('refuses an Esp. par. value it cannot read', () => {
      expect(
        refusal(() => parsePronoteExport(utf8('Nom;Prénom;Esp. par.\nGERVAIS;Florence;peut-être\n'))),
      ).toEqual({
        line: 2,
        column: 'Esp. par.',
        message: fr(
          'Ligne 2, colonne « Esp. par. » : valeur « peut-être » non comprise (attendu Oui ou Non).',
        ),
      });
    });

    it('refuses an impossible date, naming the line and the column as written in the file', () => {
      const bytes = cp1252(crlf('NOM;PRÉNOM;NÉ(E) LE', 'A;B;01/02/2009', 'C;D;2009-02-28', 'E;F;31/02/2009'));
      expect(refusal(() => parsePronoteExport(bytes))).toEqual({
        line: 4,
        column: 'NÉ(E) LE',
        message: fr(
          'Ligne 4, colonne « NÉ(E) LE » : date illisible « 31/02/2009 » (attendu JJ/MM/AAAA ou AAAA-MM-JJ).',
        ),
      });
    });

    it('refuses a date in another format', () => {
      expect(refusal(() => parsePronoteExport(utf8('Nom;Prénom;Né(e) le\nA;B;03-04-2010\n')))).toMatchObject({
        line: 2,
        column: 'Né(e) le',
      });
    });

    it('refuses a row without a nom', () => {
      expect(refusal(() => parsePronoteExport(utf8('Nom;Prénom\nA;B\n ;C\n')))).toEqual({
        line: 3,
        column: 'Nom',
        message: fr('Ligne 3, colonne « Nom » : valeur vide.'),
      });
    });

    it('lists the children named on a responsable’s row', () => {
      const text =
        'Nom;Prénom;Enfants\nDUPONT;Anne;"DUPONT Léa; DUPONT Tom"\nMARTIN;Paul;"MARTIN Zoé\nMARTIN Noé"\nPETIT;Luc;\n';
      expect(parsePronoteExport(utf8(text))).toEqual([
        { line: 2, nom: 'DUPONT', prenom: 'Anne', enfants: ['DUPONT Léa', 'DUPONT Tom'] },
        { line: 3, nom: 'MARTIN', prenom: 'Paul', enfants: ['MARTIN Zoé', 'MARTIN Noé'] },
        { line: 5, nom: 'PETIT', prenom: 'Luc', enfants: [] },
      ]);
    });
  });

  describe('lines', () => {
    it('skips empty lines and lines of bare separators, and counts lines as the file does', () => {
      const text = crlf('', 'Nom;Prénom;Classe', 'A;B;5A', '', ';;', '  ;\t; ', 'C;D;5B');
      expect(parsePronoteExport(cp1252(text)).map((r) => [r.line, r.nom])).toEqual([
        [3, 'A'],
        [7, 'C'],
      ]);
    });

    it('accepts rows and headers padded with empty cells', () => {
      const rows = parsePronoteExport(utf8('Nom;Prénom;;\nA;B;;\nC;D\nE;F;;;;\n'));
      expect(rows.map((r) => r.line)).toEqual([2, 3, 4]);
    });

    it('refuses a row that lacks a cell', () => {
      expect(refusal(() => parsePronoteExport(utf8('Nom;Prénom;Classe\nA;B;5A\nC;5B\n')))).toEqual({
        line: 3,
        message: fr(
          'Ligne 3 : 2 cellules au lieu de 3. Une valeur contient-elle le séparateur « ; » sans guillemets, ou manque-t-il une cellule ?',
        ),
      });
    });

    it('refuses a row shifted by a separator inside an unquoted value', () => {
      const text = 'Nom\tPrénom\tClasse\nA\tB\t5A\nDUPONT\tMarie\tClaire\t5B\n';
      expect(refusal(() => parsePronoteExport(utf8(text)))).toMatchObject({
        line: 3,
        message: expect.stringContaining(
          '4 cellules au lieu de 3. Une valeur contient-elle le séparateur la tabulation',
        ),
      });
    });

    it('refuses a quote that never closes, at the line it opens', () => {
      const text = 'Nom;Prénom\nA;B\n"C;D\nE;F\n';
      expect(refusal(() => parsePronoteExport(utf8(text)))).toEqual({
        line: 3,
        message: fr('Ligne 3 : un guillemet ouvert ici n’est jamais refermé.'),
      });
    });
  });
});

describe('parseEntExport', () => {
  it('reads logins, identities, profiles and schools', () => {
    const text = crlf(
      'Login;Nom;Prénom;Date de naissance;Profils;UAI',
      'florence.gervais;GERVAIS;Florence;14/02/1978;"Enseignant;Parent";0130001a',
      'lea.morel;Morel;Léa;12/06/2011;National_1;0130001A',
      'paul.roux;ROUX;Paul;;Personnels;',
      'anne.dupont;DUPONT;Anne;;PARENT, parent;0130001A',
    );
    expect(parseEntExport(cp1252(text))).toEqual([
      {
        line: 2,
        login: 'florence.gervais',
        nom: 'GERVAIS',
        prenom: 'Florence',
        dateNaissance: '1978-02-14',
        profiles: ['professeur', 'responsable'],
        uai: '0130001A',
      },
      {
        line: 3,
        login: 'lea.morel',
        nom: 'Morel',
        prenom: 'Léa',
        dateNaissance: '2011-06-12',
        profiles: ['eleve'],
        uai: '0130001A',
      },
      { line: 4, login: 'paul.roux', nom: 'ROUX', prenom: 'Paul', profiles: ['personnel'] },
      {
        line: 5,
        login: 'anne.dupont',
        nom: 'DUPONT',
        prenom: 'Anne',
        profiles: ['responsable'],
        uai: '0130001A',
      },
    ]);
  });

  it.each([
    ['Élève', ['eleve']],
    ['ÉLÈVES', ['eleve']],
    ['Student', ['eleve']],
    ['Responsable', ['responsable']],
    ['Relative', ['responsable']],
    ['Professeur', ['professeur']],
    ['Teacher', ['professeur']],
    ['National_2;National_3', ['responsable', 'professeur']],
    ['National_4', ['personnel']],
    ['Invité', []],
    ['', []],
  ])('reads the profile « %s »', (value, profiles) => {
    const [row] = parseEntExport(utf8(`Identifiant ENT\tNom\tPrénom\tCatégories\nx.y\tY\tX\t${value}\n`));
    expect(row?.profiles).toEqual(profiles);
  });

  it('finds the UAI inside an Établissement cell', () => {
    const [row] = parseEntExport(
      utf8('Identifiant;Nom;Prénom;Établissement\nx.y;Y;X;0130001A - Collège Jean Moulin\n'),
    );
    expect(row?.uai).toBe('0130001A');
  });

  it('refuses an Établissement cell without a UAI', () => {
    const bytes = utf8('Identifiant;Nom;Prénom;Établissement\nx.y;Y;X;Collège Jean Moulin\n');
    expect(refusal(() => parseEntExport(bytes))).toEqual({
      line: 2,
      column: 'Établissement',
      message: fr(
        'Ligne 2, colonne « Établissement » : aucun code UAI (7 chiffres et une lettre) dans « Collège Jean Moulin ».',
      ),
    });
  });

  it('refuses a profile it does not know', () => {
    const bytes = utf8('Login;Nom;Prénom;Profil\na.b;B;A;Enseignant\nc.d;D;C;Directeur\n');
    expect(refusal(() => parseEntExport(bytes))).toMatchObject({
      line: 3,
      column: 'Profil',
      message: expect.stringContaining(fr('profil « Directeur » inconnu')),
    });
  });

  it('refuses an export without logins', () => {
    expect(refusal(() => parseEntExport(utf8('Nom;Prénom\nA;B\n')))).toEqual({
      line: 1,
      message: fr('Ligne 1 : colonne « Login » introuvable dans l’en-tête (lu : Nom, Prénom).'),
    });
  });

  it('refuses a login given twice in one school, not in two', () => {
    const twoSchools = 'Login;Nom;Prénom;UAI\na.b;B;A;0130001A\na.b;B;A;0130002B\n';
    expect(parseEntExport(utf8(twoSchools))).toHaveLength(2);
    expect(refusal(() => parseEntExport(utf8(`${twoSchools}A.B;B;A;0130001A\n`)))).toEqual({
      line: 4,
      column: 'Login',
      message: fr('Ligne 4, colonne « Login » : « A.B » figure déjà ligne 2.'),
    });
  });
});
