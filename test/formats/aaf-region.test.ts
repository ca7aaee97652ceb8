import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sqliteAafIdentities } from '../../src/ent/sqlite/aaf.js';
import { formatRegionSummary, importAafRegion, storedAafPeople } from '../../src/formats/aaf-region.js';
import { importSchool } from '../../src/formats/school-import.js';
import { sqliteStores } from '../../src/server/stores.js';
import { openMemoryDatabase } from '../../src/store/sqlite/database.js';
import { fr } from '../helpers/french.js';

const fixture = (name: string) => join(import.meta.dirname, '../fixtures/school', name);

const record = (categorie: string, id: string, nom: string, prenom: string, date: string, uais: string[]) =>
  `<addRequest>
<operationalAttributes><attr name="categoriePersonne"><value>${categorie}</value></attr></operationalAttributes>
<identifier><id>${id}</id></identifier>
<attributes>
<attr name="ENTPersonJointure"><value>${id}</value></attr>
<attr name="sn"><value>${nom}</value></attr>
<attr name="givenName"><value>${prenom}</value></attr>
<attr name="ENTPersonDateNaissance"><value>${date}</value></attr>
<attr name="ENTPersonStructRattach">${uais.map((u) => `<value>${u}</value>`).join('')}</attr>
<attr name="PersEducNatPresenceDevantEleves"><value>O</value></attr>
</attributes>
</addRequest>
`;
const file = (records: string[]) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<ficAlimMENESR>\n${records.join('')}</ficAlimMENESR>\n`;

describe('a region’s AAF delivery loaded whole', () => {
  let dir: string;
  const write = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'aaf-region-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const delivery = () => [
    write(
      'ENT_Complet_Eleve_0000.xml',
      file([
        record('Eleve', '1', 'DUPONT', 'Léa', '03/04/2012', ['0130001A']),
        record('Eleve', '2', 'ROUX', 'Jules', '05/06/2011', ['0130002B']),
      ]),
    ),
    write(
      'ENT_Complet_PersEducNat_0000.xml',
      file([
        record('PersEducNat', '5', 'GERVAIS', 'Florence', '05/05/1975', ['0130001A', '0130002B']),
        record('PersEducNat', '6', 'SANS', 'Attache', '01/01/1970', ['1000']),
      ]),
    ),
  ];

  it('stores each person in every school named, from files split by category', async () => {
    const aaf = sqliteAafIdentities(openMemoryDatabase());
    const summary = await importAafRegion(aaf, delivery());
    expect(summary.schools).toBe(2);
    expect(summary.stored).toBe(4);
    expect((await aaf.listSchool('0130002B')).map((p) => [p.nom, p.profile, p.dateNaissance])).toEqual([
      ['ROUX', 'eleve', '2011-06-05'],
      ['GERVAIS', 'professeur', '1975-05-05'],
    ]);
    const printed = formatRegionSummary(summary);
    expect(printed).toContain(fr('ENT_Complet_Eleve_0000.xml : lu comme annuaire AAF, 2 personnes'));
    expect(printed).toContain(
      fr(
        '(non repris : aucun établissement connu dans ENTPersonStructRattach, ni UAI ni structure du fichier EtabEducNat : 1)',
      ),
    );
    expect(printed).toContain('2 établissements, 4 identités');
  });

  it('places people by structure id through the delivery’s EtabEducNat file, whatever its place in the list', async () => {
    const aaf = sqliteAafIdentities(openMemoryDatabase());
    const structure = (id: string, uai: string) => `<addRequest>
<operationalAttributes><attr name="categorieStructure"><value>EtabEducNat</value></attr></operationalAttributes>
<identifier><id>${id}</id></identifier>
<attributes>
<attr name="ENTStructureJointure"><value>${id}</value></attr>
<attr name="ENTStructureUAI"><value>${uai}</value></attr>
<attr name="ENTStructureNomCourant"><value>COLLEGE DES CALANQUES</value></attr>
</attributes>
</addRequest>
`;
    const etab = join(dir, 'ENT_Complet_EtabEducNat_0000.xml');
    writeFileSync(
      etab,
      iconv.encode(
        file([structure('1000', '0130001A'), structure('1001', '0130002B')]).replace('UTF-8', 'ISO-8859-15'),
        'iso-8859-15',
      ),
    );
    const people = write(
      'ENT_Complet_Eleve_0000.xml',
      file([
        record('Eleve', '1', 'DUPONT', 'Léa', '03/04/2012', ['1000']),
        record('PersEducNat', '5', 'GERVAIS', 'Florence', '05/05/1975', ['1000', '1001']),
        record('Eleve', '9', 'AILLEURS', 'Noé', '01/01/2012', ['4242']),
      ]),
    );
    const summary = await importAafRegion(aaf, [people, etab]);
    expect((await aaf.listSchool('0130001A')).map((p) => p.nom)).toEqual(['DUPONT', 'GERVAIS']);
    expect((await aaf.listSchool('0130002B')).map((p) => p.nom)).toEqual(['GERVAIS']);
    expect(summary.files.map((f) => [f.people, f.structures, f.unplaced])).toEqual([
      [3, 0, 1],
      [0, 2, 0],
    ]);
  });

  it('a file missing from the list refuses the delivery, naming it', async () => {
    const aaf = sqliteAafIdentities(openMemoryDatabase());
    const missing = join(dir, 'ENT_Complet_Eleve_0009.xml');
    await expect(importAafRegion(aaf, [...delivery(), missing])).rejects.toThrow(
      fr(`Fichier introuvable ou illisible : ${missing}`),
    );
    expect(await aaf.listSchool('0130001A')).toEqual([]);
  });

  it('a truncated file refuses the whole delivery, naming the file and line; the region stays as it was', async () => {
    const aaf = sqliteAafIdentities(openMemoryDatabase());
    await importAafRegion(aaf, delivery());
    const text = file([record('Eleve', '3', 'NEUF', 'Noé', '01/01/2012', ['0130001A'])]);
    const cut = write('ENT_Complet_Eleve_0001.xml', text.slice(0, text.indexOf('<attr name="sn">')));
    const [first] = delivery();
    await expect(importAafRegion(aaf, [first as string, cut])).rejects.toThrow(
      fr(
        `${cut} : Ligne 8 : fichier XML tronqué, il s’arrête avant la fermeture de <ficAlimMENESR>, <addRequest>, <attributes>.`,
      ),
    );
    expect((await aaf.listSchool('0130001A')).map((p) => p.nom)).toEqual(['DUPONT', 'GERVAIS']);
  });

  it('a school imported afterwards with its console export alone gets the region’s birth dates, birth names and postcodes', async () => {
    const stores = sqliteStores(openMemoryDatabase());
    await importAafRegion(stores.aaf, [
      fixture('ENT_Complet_Eleve_0000.xml'),
      fixture('ENT_Complet_PersRelEleve_PersEducNat_0000.xml'),
    ]);
    await importSchool(stores, {
      uai: '0130001A',
      pronote: [],
      files: ['pronote-eleves.csv', 'export-console-ent.csv'].map((name) => ({
        path: name,
        bytes: readFileSync(fixture(name)),
      })),
      replace: false,
      storedAaf: storedAafPeople(await stores.aaf.listSchool('0130001A')),
    });
    const ent = await stores.ent.listSchool('0130001A');
    expect(ent.find((a) => a.login === 'lea.dupont')?.dateNaissance).toBe('2012-04-03');
    expect(ent.find((a) => a.login === 'nadia.dupont')).toMatchObject({
      nomNaissance: 'BENALI',
      codePostal: '13001',
    });
    await stores.close();
  });
});
