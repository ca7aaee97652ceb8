import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { type AafPerson, AafReader, readAaf } from '../../src/formats/aaf.js';
import { readSchoolFile } from '../../src/formats/detect.js';
import { importSchool } from '../../src/formats/school-import.js';
import { sqliteStores } from '../../src/server/stores.js';
import { openMemoryDatabase } from '../../src/store/sqlite/database.js';
import { fr } from '../helpers/french.js';

const fixture = (name: string) => readFileSync(join(import.meta.dirname, '../fixtures/school', name));

/** Feeds a file in slices of `size` bytes, as a disk or a network hands it over. */
function streamed(bytes: Uint8Array, size: number): AafPerson[] {
  const read: AafPerson[] = [];
  const reader = new AafReader((p) => read.push(p));
  for (let at = 0; at < bytes.length; at += size) reader.write(bytes.subarray(at, at + size));
  reader.end();
  return read;
}

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
};

const record = (id: number, nom: string, prenom: string, date: string, uai = '0130001A') =>
  `<addRequest>
<operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes>
<identifier><id>${id}</id></identifier>
<attributes>
<attr name="ENTPersonJointure"><value>${id}</value></attr>
<attr name="sn"><value>${nom}</value></attr>
<attr name="givenName"><value>${prenom}</value></attr>
<attr name="ENTPersonDateNaissance"><value>${date}</value></attr>
<attr name="ENTPersonStructRattach"><value>${uai}</value></attr>
</attributes>
</addRequest>
`;

const aaf = (body: string, declaration = '<?xml version="1.0" encoding="UTF-8"?>') =>
  `${declaration}\n<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">\n<ficAlimMENESR>\n<!-- versionAF="AAF-VE1301" -->\n${body}</ficAlimMENESR>\n`;

describe('AAF files read as a stream', () => {
  it('reads the same people whatever the slices, accents cut in two included', () => {
    const bytes = fixture('ENT_Complet_PersRelEleve_PersEducNat_0000.xml');
    const whole = readAaf(bytes).people;
    expect(whole.map((p) => p.prenom)).toEqual(['Marc', 'Nadia', 'Florence', 'Michelle']);
    for (const size of [1, 3, 7, 64]) expect(streamed(bytes, size).map((r) => r.person)).toEqual(whole);
    const pupils = streamed(fixture('ENT_Complet_Eleve_0000.xml'), 5);
    expect(pupils.map((r) => [r.person.nom, r.person.prenom, r.person.line, r.schools])).toEqual([
      ['DUPONT', 'Léa', 3, ['0130001A']],
      ['MARTIN', 'Théo', 16, ['0130001A']],
      ['MARTIN', 'Théo', 28, ['0130001A']],
      ['LEFÈVRE-NGUYEN', 'Hélène', 40, ['0130001A']],
    ]);
  });

  it('reads a file with a doctype, comments, entities and no declaration, as the ENT writes them', () => {
    const text = aaf(record(1, 'N&apos;DIAYE', 'Aïcha', '02/03/2011'), '');
    const [person] = readAaf(Buffer.from(text.trimStart())).people;
    expect(person).toMatchObject({ nom: "N'DIAYE", prenom: 'Aïcha' });
    expect(person?.dateNaissance).toBe('2011-03-02');
  });

  it('reads a file declared ISO-8859-1 in that encoding', () => {
    const text = aaf(
      record(1, 'LEFÈVRE', 'Zoé', '02/03/2011'),
      '<?xml version="1.0" encoding="ISO-8859-1"?>',
    );
    expect(readAaf(iconv.encode(text, 'latin1')).people[0]).toMatchObject({ nom: 'LEFÈVRE', prenom: 'Zoé' });
  });

  it('names every person of a region file, and no single school', () => {
    const read = readAaf(
      Buffer.from(aaf(record(1, 'A', 'B', '01/01/2010') + record(2, 'C', 'D', '01/01/2010', '0130002B'))),
    );
    expect(read.uai).toBeUndefined();
    expect(read.people).toHaveLength(2);
  });
});

describe('AAF files refused with the line and the element', () => {
  const many = aaf(Array.from({ length: 50 }, (_, i) => record(i, 'MARTIN', 'Théo', '01/01/2010')).join(''));

  it('a truncated delivery, naming the elements left open, even read in slices', () => {
    const bytes = Buffer.from(many);
    const cut = bytes.subarray(0, bytes.indexOf('<attr name="sn">', 4000));
    const line = cut.toString('utf8').split('\n').length;
    expect(refusal(() => streamed(cut, 1000))).toBe(
      fr(
        `Ligne ${line} : fichier XML tronqué, il s’arrête avant la fermeture de <ficAlimMENESR>, <addRequest>, <attributes>. Exportez-le à nouveau.`,
      ),
    );
  });

  it('malformed XML: the line, the column and the element it was in', () => {
    const broken = many.replace('<value>Théo</value></attr>', '<value>Théo</attr>');
    expect(refusal(() => readAaf(Buffer.from(broken)))).toBe(
      fr('Ligne 11, colonne 42 : XML mal formé : <value> n’est pas fermé.'),
    );
  });

  it('Windows-1252 bytes in a file declared UTF-8, far into the file', () => {
    const lines = many.split('\n');
    const bytes = Buffer.concat([
      Buffer.from(lines.slice(0, 400).join('\n')),
      iconv.encode(`\n${lines.slice(400).join('\n')}`, 'win1252'),
    ]);
    const line = 401 + lines.slice(400).findIndex((l) => l.includes('é'));
    expect(refusal(() => streamed(bytes, 4096))).toMatch(
      new RegExp(
        fr(
          `^Ligne ${line} : le fichier annonce l’encodage UTF-8 mais contient des caractères dans un autre encodage`,
        ),
      ),
    );
  });

  it('a file re-saved as UTF-8 while it declares ISO-8859-1', () => {
    const text = aaf(
      record(1, 'LEFÈVRE', 'Zoé', '02/03/2011'),
      '<?xml version="1.0" encoding="ISO-8859-1"?>',
    );
    expect(refusal(() => readAaf(Buffer.from(text)))).toMatch(
      /^Ligne 10\u00a0: le fichier annonce l’encodage ISO-8859-1 mais son contenu est en UTF-8/,
    );
  });

  it('a record without its prénom, and an unknown category', () => {
    expect(refusal(() => readAaf(Buffer.from(aaf(record(7, 'MARTIN', '', '01/01/2010')))))).toBe(
      fr('Ligne 5, élément <givenName> : prénom absent (7).'),
    );
    const odd = aaf(record(7, 'MARTIN', 'Léo', '01/01/2010').replace('>Eleve<', '>Extraterrestre<'));
    expect(refusal(() => readAaf(Buffer.from(odd)))).toMatch(
      /^Ligne 5, élément <addRequest>\u00a0: categoriePersonne «\u00a0Extraterrestre\u00a0» inconnue/,
    );
  });

  it('another root is not read as AAF', () => {
    expect(refusal(() => readSchoolFile(Buffer.from('<?xml version="1.0"?>\n<ficAlim/>')))).toMatch(
      /^Ligne 1, élément <ficAlim>\u00a0: fichier XML non reconnu \(racines lues\u00a0: .*ficAlimMENESR\)/,
    );
  });

  it('an AAF file of another school is refused by the import, nothing loaded', async () => {
    const stores = sqliteStores(openMemoryDatabase());
    const other = fixture('ENT_Complet_Eleve_0000.xml').toString('utf8').replaceAll('0130001A', '0130009Z');
    const err = await importSchool(stores, {
      uai: '0130001A',
      pronote: [],
      files: [
        { path: 'eleves.csv', bytes: fixture('pronote-eleves.csv') },
        { path: 'console.csv', bytes: fixture('export-console-ent.csv') },
        { path: 'aaf.xml', bytes: Buffer.from(other) },
      ],
      replace: false,
    }).catch((e: Error) => e);
    expect((err as Error).message).toBe(
      fr('aaf.xml : fichier de l’établissement 0130009Z, pas de 0130001A. Vérifiez le fichier ou le --uai.'),
    );
    expect(await stores.pronote.listSchools()).toEqual([]);
    await stores.close();
  });
});
