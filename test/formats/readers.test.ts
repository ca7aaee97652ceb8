import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { type ReadFile, readSchoolFile } from '../../src/formats/detect.js';
import { fr } from '../helpers/french.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/school', name));

const people = (read: ReadFile) => ('file' in read ? read.file.people : []);

const refusal = (bytes: Uint8Array): string => {
  try {
    readSchoolFile(bytes);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
};

describe('school files told by their content', () => {
  it('reads SIECLE pupils in ISO-8859-15: both noms, the class, pupils who left counted apart', () => {
    const read = readSchoolFile(fixture('ElevesSansAdresses.xml'));
    expect(read.kind).toBe('siecle-eleves');
    if (!('file' in read)) throw new Error('no people');
    expect(read.file.uai).toBe('0130001A');
    expect(read.file.leftOut?.count).toBe(1);
    expect(read.file.people.map((p) => [p.nom, p.prenom, p.dateNaissance, p.classe])).toEqual([
      ['DUPONT', 'Léa', '2012-04-03', '6A'],
      ['MARTIN', 'Théo', '2011-05-05', '5B'],
      ['MARTIN', 'Théo', '2012-09-09', '6A'],
      ['LEFÈVRE-NGUYEN', 'Hélène', '2012-02-01', '6A'],
    ]);
    expect(read.file.people[3]?.nomNaissance).toBe('LEFÈVRE');
  });

  it('reads SIECLE responsables with their postcode and pupils, leaving out those responsible for none', () => {
    const read = readSchoolFile(fixture('ResponsablesAvecAdresses.xml'));
    expect(read.kind).toBe('siecle-responsables');
    expect(people(read).map((p) => [p.nom, p.nomNaissance, p.prenom, p.codePostal, p.eleveIds])).toEqual([
      ['DUPONT', undefined, 'Marc', '13001', ['81001']],
      ['DUPONT', 'BENALI', 'Nadia', '13001', ['81001']],
      ['MARTIN', undefined, 'Sophie', '13008', ['81002']],
      ['MARTIN', undefined, 'Sophie', '13012', ['81003']],
    ]);
  });

  it('reads STS staff: teachers by their ENS function, both noms, ISO dates', () => {
    const read = readSchoolFile(fixture('sts_emp_0130001A_2025.xml'));
    expect(read.kind).toBe('sts');
    expect(people(read).map((p) => [p.profile, p.nom, p.nomNaissance, p.dateNaissance])).toEqual([
      ['professeur', 'GERVAIS', undefined, '1975-05-05'],
      ['professeur', 'MOREAU', 'DUBOIS', '1980-02-02'],
      ['personnel', 'ALARCON', undefined, '1965-04-04'],
    ]);
  });

  it('reads AAF records by categoriePersonne, with birth name, birth date and postcode', () => {
    const pupils = readSchoolFile(fixture('ENT_Complet_Eleve_0000.xml'));
    expect(pupils.kind).toBe('aaf');
    expect(people(pupils)[0]).toMatchObject({
      sourceId: '81001',
      profile: 'eleve',
      dateNaissance: '2012-04-03',
    });
    const others = people(readSchoolFile(fixture('ENT_Complet_PersRelEleve_PersEducNat_0000.xml')));
    expect(others.map((p) => [p.profile, p.nom, p.nomNaissance, p.dateNaissance, p.codePostal])).toEqual([
      ['responsable', 'DUPONT', undefined, undefined, '13001'],
      ['responsable', 'DUPONT', 'BENALI', undefined, '13001'],
      ['professeur', 'GERVAIS', undefined, '1975-05-05', undefined],
      ['professeur', 'MOREAU', 'DUBOIS', '1980-02-02', undefined],
    ]);
  });

  it('reads the Open ENT NG console export: its Type, a teacher with children in both profiles, guests apart', () => {
    const read = readSchoolFile(fixture('export-console-ent.csv'));
    if (read.kind !== 'ent-console') throw new Error(read.kind);
    expect(read.guests).toBe(1);
    expect(read.rows.map((r) => [r.login, r.profiles])).toEqual([
      ['lea.dupont', ['eleve']],
      ['theo.martin', ['eleve']],
      ['theo.martin1', ['eleve']],
      ['helene.lefevre-nguyen', ['eleve']],
      ['marc.dupont', ['responsable']],
      ['nadia.dupont', ['responsable']],
      ['florence.gervais', ['professeur', 'responsable']],
      ['michelle.moreau', ['professeur']],
    ]);
    expect(read.rows[0]).toMatchObject({ nom: 'DUPONT', prenom: 'Léa', jointure: '81001' });
  });

  it('tells a PRONOTE pupils list from its columns', () => {
    const read = readSchoolFile(fixture('pronote-eleves.csv'));
    expect(read).toMatchObject({ kind: 'pronote-list', profile: 'eleve' });
    expect(readSchoolFile(fixture('pronote-professeurs.csv'))).toMatchObject({ profile: null });
  });
});

describe('files refused with the line and the element or column', () => {
  it('a SIECLE file re-saved as UTF-8 while it declares ISO-8859-15', () => {
    const text = iconv.decode(fixture('ElevesSansAdresses.xml'), 'iso-8859-15');
    expect(refusal(Buffer.from(text, 'utf8'))).toBe(
      fr(
        'Ligne 14 : le fichier annonce l’encodage ISO-8859-15 mais son contenu est en UTF-8 (il a été réenregistré). Exportez-le à nouveau sans l’ouvrir dans un éditeur.',
      ),
    );
  });

  it('an AAF file declared UTF-8 holding Windows-1252 bytes', () => {
    const text = fixture('ENT_Complet_Eleve_0000.xml').toString('utf8');
    expect(refusal(iconv.encode(text, 'win1252'))).toMatch(
      /^Ligne 10\u00a0: le fichier annonce l’encodage UTF-8/,
    );
  });

  it('a truncated XML file, naming the elements left open', () => {
    const bytes = fixture('ElevesSansAdresses.xml');
    expect(refusal(bytes.subarray(0, 900))).toMatch(
      /^Ligne \d+\u00a0: fichier XML tronqué, il s’arrête avant la fermeture de <BEE_ELEVES>, <DONNEES>, <ELEVES>/,
    );
  });

  it('an XML file of no known kind', () => {
    expect(refusal(Buffer.from('<?xml version="1.0"?>\n<NOMENCLATURES/>'))).toMatch(
      /^Ligne 1, élément <NOMENCLATURES>\u00a0: fichier XML non reconnu/,
    );
  });

  it('an element without what the format requires', () => {
    const text = iconv
      .decode(fixture('sts_emp_0130001A_2025.xml'), 'latin1')
      .replace('<PRENOM>Michelle</PRENOM>', '');
    expect(refusal(iconv.encode(text, 'latin1'))).toBe(
      fr('Ligne 19, élément <PRENOM> : prénom absent (INDIVIDU 5102).'),
    );
  });

  it('a CSV whose header is no known export', () => {
    expect(refusal(Buffer.from('Matricule;Service;Bureau\r\n12;Cantine;B2\r\n'))).toMatch(
      /^Ligne 1\u00a0: en-tête non reconnu \(lu\u00a0: Matricule, Service, Bureau\)/,
    );
  });

  it('a console export with a column the console does not write', () => {
    const text = fixture('export-console-ent.csv')
      .toString('utf8')
      .replace('"Téléphone"', '"Date de naissance"');
    expect(refusal(Buffer.from(text))).toBe(
      fr(
        'Ligne 1, colonne « Date de naissance » : colonne inconnue dans un export de console ENT (Open ENT NG).',
      ),
    );
  });
});
