import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Database } from 'better-sqlite3';
import iconv from 'iconv-lite';
import { beforeEach, describe, expect, it } from 'vitest';
import { sqliteEntDirectory } from '../../src/ent/sqlite/index.js';
import {
  formatSummary,
  ImportError,
  type ImportInput,
  importSchool,
} from '../../src/formats/school-import.js';
import { SchoolExistsError } from '../../src/pronote/errors.js';
import { sqlitePronote } from '../../src/pronote/sqlite/index.js';
import { pgStores, type Stores, sqliteStores } from '../../src/server/stores.js';
import { openDatabase, openMemoryDatabase } from '../../src/store/sqlite/database.js';
import { fr } from '../helpers/french.js';
import { createTestDatabase, describePg } from '../helpers/pg.js';

/** Exports as schools send them: Windows-1252 from the PRONOTE client, `;`, CRLF, a BOM now and then. */
const cp1252 = (lines: string[]) => iconv.encode(`${lines.join('\r\n')}\r\n`, 'win1252');
const utf8Bom = (lines: string[]) => Buffer.from(`\uFEFF${lines.join('\r\n')}\r\n`, 'utf8');

const eleves = [
  'Nom;Prénom;Né(e) le;Classe;Identifiant CAS',
  'BERTIN;Tayeb;08/11/1999;5A;',
  'BOSSARD;Damien;20/02/2000;5A;damien.bossard',
  'GARNIER;Hélène;03/09/2000;5A;',
  'DEVAUX;Martin;14/06/2000;5A;',
  'DEVAUX;Martin;30/01/1998;3C;',
];
const responsables = [
  'Nom;Prénom;Identifiant PRONOTE-ENT;Esp. par.;Élèves',
  'BOSSARD;Robert;KFDQRSMCX427UWZ9;Non;BOSSARD Damien',
  'BERTIN;Karim;DRM5T74PYVSCFJAZ;Oui;BERTIN Tayeb',
  'DEVAUX;Stéphane;VQJPWHTE2BAC74SM;Oui;DEVAUX Martin',
];
const professeurs = [
  'Nom;Prénom;Adresse E-mail;Identifiant PRONOTE-ENT;Identifiant CAS',
  'GERVAIS;Florence;florence.gervais@fournisseur.fr;QWMSVHAN2FEPBKC7;florence.gervais',
  'DEJEAN;Yannick;yannick.dejean@fournisseur.fr;WQPYXNMRE35CTUF8;michelle.moreau',
];
const ent = [
  'login;nom;prenom;dateNaissance;profils;uai',
  'tayeb.bertin;BERTIN;Tayeb;11/08/1999;National_1;0130001A',
  'florence.gervais;GERVAIS;Florence;;National_3;0130001A',
  'autre.ecole;AUTRE;Ecole;;National_3;0130009Z',
];

const UAI = '0130001A';

const input = (extra: Partial<ImportInput> = {}): ImportInput => ({
  uai: UAI,
  name: 'Collège Exemple',
  pronote: [
    { path: 'eleves.csv', bytes: cp1252(eleves), profile: 'eleve' },
    { path: 'responsables.csv', bytes: utf8Bom(responsables), profile: 'responsable' },
    { path: 'profs.csv', bytes: cp1252(professeurs), profile: 'professeur' },
  ],
  ent: { path: 'ent.csv', bytes: utf8Bom(ent) },
  replace: false,
  ...extra,
});

const thrown = async (fn: () => Promise<unknown>): Promise<Error> => {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
};

describe('importSchool', () => {
  let db: Database;
  let stores: Stores;
  let pronote: ReturnType<typeof sqlitePronote>;
  beforeEach(() => {
    db = openMemoryDatabase();
    stores = sqliteStores(db);
    pronote = sqlitePronote(db);
  });
  const all = () => pronote.searchAccounts(UAI, { limit: 100 });

  it('loads every profile, decodes Windows-1252 and counts what it loaded', async () => {
    const summary = await importSchool(stores, input());
    expect(summary.counts).toEqual({ eleve: 5, responsable: 3, professeur: 2, personnel: 0 });
    expect((await pronote.searchAccounts(UAI, { text: 'helene', limit: 5 }))[0]).toMatchObject({
      nom: 'GARNIER',
      prenom: 'Hélène',
      dateNaissance: '2000-09-03',
      classe: '5A',
    });
    expect((await pronote.findByCasId(UAI, 'michelle.moreau'))?.nom).toBe('DEJEAN');
    expect((await pronote.getSchool(UAI))?.name).toBe('Collège Exemple');
  });

  it('reads « Esp. par. » and links children named on a responsable’s row', async () => {
    await importSchool(stores, input());
    const robert = (await pronote.searchAccounts(UAI, { text: 'bossard robert', limit: 5 }))[0];
    expect(robert?.espaceParents).toBe(false);
    expect((await pronote.elevesOf(UAI, robert?.id ?? '')).map((e) => e.prenom)).toEqual(['Damien']);
  });

  it('leaves unlinked a child two pupils could be, and says so', async () => {
    const summary = await importSchool(stores, input());
    expect(summary.links).toBe(2);
    expect(summary.unlinked).toEqual([{ path: 'responsables.csv', line: 4, child: 'DEVAUX Martin' }]);
    expect(formatSummary(summary)).toContain(fr('responsables.csv, ligne 4 : « DEVAUX Martin »'));
  });

  it('loads the ENT accounts of this school only', async () => {
    const summary = await importSchool(stores, input());
    expect(summary.entAccounts).toBe(2);
    const directory = sqliteEntDirectory(db);
    expect(await directory.findByLogin(UAI, 'tayeb.bertin')).toMatchObject({
      dateNaissance: '1999-08-11',
      profiles: ['eleve'],
    });
    expect(await directory.findByLogin(null, 'autre.ecole')).toBeNull();
  });

  it('prints a French summary with the counts per profile', async () => {
    expect(formatSummary(await importSchool(stores, input()))).toBe(
      [
        fr('eleves.csv : lu comme liste exportée de PRONOTE (élèves), 5 personnes'),
        fr('responsables.csv : lu comme liste exportée de PRONOTE (responsables), 3 personnes'),
        fr('profs.csv : lu comme liste exportée de PRONOTE (professeurs), 2 personnes'),
        fr('ent.csv : lu comme comptes ENT (format de l’assistant), 3 personnes'),
        fr('Établissement 0130001A « Collège Exemple » importé :'),
        fr('  élèves : 5 (avant : 0)'),
        fr('  responsables : 3 (avant : 0)'),
        fr('  professeurs : 2 (avant : 0)'),
        fr('  liens élève–responsable : 2'),
        fr('  comptes ENT : 2'),
        fr('Enfants non reliés (aucun élève de ce nom, ou plusieurs) :'),
        fr('  responsables.csv, ligne 4 : « DEVAUX Martin »'),
      ].join('\n'),
    );
  });

  it('gives the same ids when the same exports are loaded again', async () => {
    await importSchool(stores, input());
    const first = (await all()).map((a) => a.id);
    await importSchool(stores, input({ replace: true }));
    expect((await all()).map((a) => a.id)).toEqual(first);
  });

  describe('corrections made since the last import', () => {
    const ctx = { actor: 'agent.dupont' };
    const eleveId = async (nom: string) =>
      (await pronote.searchAccounts(UAI, { text: nom, profile: 'eleve', limit: 5 }))[0];
    const reimport = (lines: { eleves?: string[]; responsables?: string[] }) =>
      importSchool(
        stores,
        input({
          replace: true,
          pronote: [
            { path: 'eleves.csv', bytes: cp1252(lines.eleves ?? eleves), profile: 'eleve' },
            {
              path: 'responsables.csv',
              bytes: utf8Bom(lines.responsables ?? responsables),
              profile: 'responsable',
            },
            { path: 'profs.csv', bytes: cp1252(professeurs), profile: 'professeur' },
          ],
        }),
      );

    it('verifies those the new exports show, contradicts the others and lists them by name', async () => {
      await importSchool(stores, input());
      const garnier = await eleveId('garnier');
      const bertin = await eleveId('bertin');
      await pronote.setCasId(UAI, garnier?.id ?? '', garnier?.version ?? 0, 'helene.garnier', ctx);
      await pronote.setCasId(UAI, bertin?.id ?? '', bertin?.version ?? 0, 'tayeb.bertin', ctx);
      const summary = await reimport({
        eleves: eleves.map((l) =>
          l.replace('GARNIER;Hélène;03/09/2000;5A;', 'GARNIER;Hélène;03/09/2000;5A;helene.garnier'),
        ),
      });
      expect(summary.corrections).toMatchObject({ verified: 1, open: 0 });
      expect(summary.corrections.contradicted.map((c) => c.accountId)).toEqual([bertin?.id]);
      expect(formatSummary(summary).split('\n').slice(-5)).toEqual([
        fr('Corrections :'),
        fr('  vérifiées par cet import : 1'),
        fr('  contredites par cet import : 1'),
        fr('  encore à vérifier (hors export, ou pas encore faites) : 0'),
        fr(
          '  contredite : BERTIN Tayeb (Identifiant CAS) : Identifiant CAS attendu « tayeb.bertin », trouvé « vide »',
        ),
      ]);
      expect((await pronote.listCorrections({ uai: UAI })).map((c) => c.state)).toEqual([
        'contradicted',
        'verified',
      ]);
    });

    it('verifies an identity fix although the person’s id follows the new identity', async () => {
      await importSchool(stores, input());
      const bertin = await eleveId('bertin');
      await pronote.setIdentity(
        UAI,
        bertin?.id ?? '',
        bertin?.version ?? 0,
        { nom: 'BERTIN', prenom: 'Tayeb', dateNaissance: '1999-08-11' },
        ctx,
      );
      const summary = await reimport({
        eleves: eleves.map((l) => l.replace('BERTIN;Tayeb;08/11/1999', 'BERTIN;Tayeb;11/08/1999')),
      });
      expect(summary.corrections).toMatchObject({ verified: 1, contradicted: [] });
    });

    it('says a person the new exports no longer list is absent', async () => {
      await importSchool(stores, input());
      const garnier = await eleveId('garnier');
      await pronote.setCasId(UAI, garnier?.id ?? '', garnier?.version ?? 0, 'helene.garnier', ctx);
      const summary = await reimport({ eleves: eleves.filter((l) => !l.startsWith('GARNIER')) });
      expect(formatSummary(summary)).toContain(
        fr(
          '  contredite : GARNIER Hélène (Identifiant CAS) : absent de l’export ; Identifiant CAS attendu « helene.garnier »',
        ),
      );
    });

    it('keeps open what no export shows: an espace published in the console', async () => {
      await importSchool(stores, input());
      const p = await pronote.getPublication(UAI);
      await pronote.publishEspace(UAI, 'accompagnants', p?.version ?? 0, ctx);
      const summary = await reimport({});
      expect(summary.corrections).toMatchObject({ verified: 0, contradicted: [], open: 1 });
    });
  });

  describe('a file with a bad line', () => {
    const badDate = [...eleves.slice(0, 3), 'ROUX;Inès;31/02/2000;3C;', ...eleves.slice(3)];
    const withBadDate = () =>
      input({
        pronote: [
          ...input().pronote.slice(1),
          { path: 'eleves.csv', bytes: cp1252(badDate), profile: 'eleve' },
        ],
      });

    it('imports nothing at all, and names the file and the line', async () => {
      const err = await thrown(() => importSchool(stores, withBadDate()));
      expect(err).toBeInstanceOf(ImportError);
      expect(err.message).toBe(
        fr(
          'eleves.csv : Ligne 4, colonne « Né(e) le » : date illisible « 31/02/2000 » (attendu JJ/MM/AAAA ou AAAA-MM-JJ).',
        ),
      );
      expect(await pronote.listSchools()).toEqual([]);
      expect(await sqliteEntDirectory(db).listSchool(UAI)).toEqual([]);
    });

    it('leaves the school as it was when replacing it', async () => {
      await importSchool(stores, input());
      const before = await all();
      await expect(importSchool(stores, { ...withBadDate(), replace: true })).rejects.toThrow(ImportError);
      expect(await all()).toEqual(before);
    });

    it('refuses logins on two accounts, listing every repeated login with all its lines at once', async () => {
      const twice = [
        ...professeurs,
        'MOREAU;Michelle;;;Michelle.Moreau',
        'GERVAIS;Flore;;;florence.gervais',
        'MOREAU;Michel;;;michelle.moreau',
      ];
      const err = await thrown(() =>
        importSchool(
          stores,
          input({ pronote: [{ path: 'profs.csv', bytes: cp1252(twice), profile: 'professeur' }] }),
        ),
      );
      expect(err.message).toBe(
        [
          fr(
            '2 identifiant(s) CAS figurent sur plusieurs comptes ; un identifiant CAS ne peut appartenir qu’à un compte :',
          ),
          fr('  « florence.gervais » : profs.csv, ligne 2 ; profs.csv, ligne 5'),
          fr('  « michelle.moreau » : profs.csv, ligne 3 ; profs.csv, ligne 4 ; profs.csv, ligne 6'),
        ].join('\n'),
      );
      expect(await pronote.listSchools()).toEqual([]);
    });

    it('refuses an ENT login with a space, a quote or a leading formula sign, naming the line', async () => {
      for (const login of ['jean dupont', '"jean"', '=HYPERLINK(1)', '@jean', 'jean\u0007']) {
        const bad = [
          ...ent.slice(0, 2),
          `${login.replaceAll('"', '""').replace(/^(.*"".*)$/, '"$1"')};DUPONT;Jean;;National_1;0130001A`,
        ];
        const err = await thrown(() =>
          importSchool(stores, input({ ent: { path: 'ent.csv', bytes: utf8Bom(bad) } })),
        );
        expect(err.message).toMatch(
          /^ent\.csv\u00a0: Ligne 3, colonne «\u00a0login\u00a0»\u00a0: identifiant «\u00a0.*\u00a0» refusé\u00a0: un identifiant ENT/,
        );
      }
      expect(await pronote.listSchools()).toEqual([]);
    });
  });

  it('refuses a replacement removing more than half of the school unless forced, with the counts', async () => {
    await importSchool(stores, input());
    const headerOnly = input({
      pronote: [{ path: 'vide.csv', bytes: cp1252([eleves[0] ?? '']), profile: 'eleve' }],
    });
    const err = await thrown(() => importSchool(stores, { ...headerOnly, replace: true }));
    expect(err.message).toBe(
      [
        fr(
          'Remplacement refusé : 10 des 10 comptes de l’établissement 0130001A seraient retirés, plus de la moitié.',
        ),
        fr('  avant : élèves 5, responsables 3, professeurs 2, personnels 0'),
        fr('  après : élèves 0, responsables 0, professeurs 0, personnels 0'),
        fr('Vérifiez les fichiers ; si c’est bien voulu, relancez avec --force.'),
      ].join('\n'),
    );
    expect(await all()).toHaveLength(10);
    const forced = await importSchool(stores, { ...headerOnly, replace: true, force: true });
    expect(forced.before).toEqual({ eleve: 5, responsable: 3, professeur: 2, personnel: 0 });
    expect(formatSummary(forced)).toContain(fr('  élèves : 0 (avant : 5)'));
    expect(await all()).toHaveLength(0);
  });

  it('replaces without --force when most of the school stays', async () => {
    await importSchool(stores, input());
    const fewer = input({
      pronote: input().pronote.map((f) =>
        f.profile === 'eleve' ? { ...f, bytes: cp1252(eleves.slice(0, 4)) } : f,
      ),
    });
    const summary = await importSchool(stores, { ...fewer, replace: true });
    expect(summary.counts.eleve).toBe(3);
    expect(summary.before.eleve).toBe(5);
  });

  it('refuses to overwrite a school without --replace', async () => {
    await importSchool(stores, input());
    await expect(importSchool(stores, input())).rejects.toThrow(SchoolExistsError);
  });

  it('refuses a malformed UAI', async () => {
    await expect(importSchool(stores, input({ uai: '13001' }))).rejects.toThrow(
      /UAI «\u00a013001\u00a0» invalide/,
    );
  });
});

describe('npm run import', () => {
  const run = promisify(execFile);
  const dir = mkdtempSync(join(tmpdir(), 'import-cli-'));
  const file = (name: string, bytes: Uint8Array) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const cli = (args: string[]) =>
    run('npx', ['tsx', 'src/cli/import-cli.ts', ...args], {
      env: { ...process.env, DATA_DIR: join(dir, 'data') },
    });

  it('prints the summary and exits 0', async () => {
    const { stdout } = await cli([
      '--uai',
      UAI,
      '--pronote',
      file('e.csv', cp1252(eleves)),
      '--profile',
      'élèves',
    ]);
    expect(stdout).toContain(fr('  élèves : 5'));
    const db = openDatabase(join(dir, 'data'));
    expect((await sqlitePronote(db).getSchool(UAI))?.name).toBe(`Établissement ${UAI}`);
    db.close();
  });

  it('tells each file given by name alone from its content, one line per file, then the counts', async () => {
    const fixtures = join(import.meta.dirname, '../fixtures/school');
    const { stdout } = await cli([
      '--uai',
      UAI,
      '--replace',
      '--force',
      join(fixtures, 'ElevesSansAdresses.xml'),
      join(fixtures, 'sts_emp_0130001A_2025.xml'),
      join(fixtures, 'export-console-ent.csv'),
      '--pronote',
      join(fixtures, 'pronote-professeurs.csv'),
      '--profile',
      'professeur',
    ]);
    expect(stdout).toMatch(/ElevesSansAdresses\.xml\u00a0: lu comme SIECLE élèves, 4 personnes/);
    expect(stdout).toMatch(
      /sts_emp_0130001A_2025\.xml\u00a0: lu comme STS-Web \(emploi du temps\), 3 personnes/,
    );
    expect(stdout).toMatch(
      /export-console-ent\.csv\u00a0: lu comme export de la console ENT \(Open ENT NG\), 8 personnes/,
    );
    expect(stdout).toMatch(/ {2}élèves\u00a0: 4 \(avant\u00a0: \d+\)/);
  });

  it('prints the French message of a bad line and exits 1', async () => {
    const bad = file('bad.csv', cp1252([eleves[0] ?? '', 'BERTIN;Tayeb;32/13/1999;5A;']));
    const err = (await cli(['--uai', '0130003C', '--pronote', bad, '--profile', 'eleve']).catch(
      (e) => e,
    )) as {
      code: number;
      stderr: string;
    };
    expect(err.code).toBe(1);
    expect(err.stderr).toMatch(/bad\.csv\u00a0: Ligne 2, colonne «\u00a0Né\(e\) le\u00a0»/);
    expect(err.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});

describePg('npm run import with DATABASE_URL', () => {
  it('loads the school into PostgreSQL, where every instance reads it', async () => {
    const run = promisify(execFile);
    const dir = mkdtempSync(join(tmpdir(), 'import-pg-'));
    const path = join(dir, 'e.csv');
    writeFileSync(path, cp1252(eleves));
    const url = await createTestDatabase();
    const { stdout } = await run(
      'npx',
      ['tsx', 'src/cli/import-cli.ts', '--uai', UAI, '--pronote', path, '--profile', 'eleve'],
      { env: { ...process.env, DATA_DIR: join(dir, 'data'), DATABASE_URL: url } },
    );
    expect(stdout).toContain(fr('  élèves : 5'));
    const stores = await pgStores(url);
    try {
      expect(await stores.pronote.getSchool(UAI)).toEqual({ uai: UAI, name: `Établissement ${UAI}` });
      expect(await stores.pronote.searchAccounts(UAI, { text: 'bertin', limit: 10 })).toHaveLength(1);
    } finally {
      await stores.close();
    }
  });
});
