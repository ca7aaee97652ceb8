import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { beforeEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../src/engine/reconcile.js';
import { sqliteEntDirectory } from '../../src/ent/sqlite/index.js';
import {
  formatSummary,
  type ImportInput,
  importSchool,
  type SchoolFile,
} from '../../src/formats/school-import.js';
import { sqlitePronote } from '../../src/pronote/sqlite/index.js';
import { type Stores, sqliteStores } from '../../src/server/stores.js';
import { openMemoryDatabase } from '../../src/store/sqlite/database.js';
import { fr } from '../helpers/french.js';

const UAI = '0130001A';
const file = (name: string): SchoolFile => ({
  path: name,
  bytes: readFileSync(join(import.meta.dirname, '../fixtures/school', name)),
});

/** Every file a collège has: SIECLE, STS, the PRONOTE lists that add the CAS ids, the ENT console and its AAF. */
const wholeSchool = (): ImportInput => ({
  uai: UAI,
  name: 'Collège des Calanques',
  pronote: [{ ...file('pronote-professeurs.csv'), profile: 'professeur' }],
  files: [
    file('ElevesSansAdresses.xml'),
    file('ResponsablesAvecAdresses.xml'),
    file('sts_emp_0130001A_2025.xml'),
    file('pronote-eleves.csv'),
    file('export-console-ent.csv'),
    file('ENT_Complet_Eleve_0000.xml'),
    file('ENT_Complet_PersRelEleve_PersEducNat_0000.xml'),
  ],
  replace: false,
});

const thrown = async (fn: () => Promise<unknown>): Promise<Error> => {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
};

describe('a school loaded from the files it really has', () => {
  let stores: Stores;
  let pronote: ReturnType<typeof sqlitePronote>;
  let db: ReturnType<typeof openMemoryDatabase>;
  beforeEach(() => {
    db = openMemoryDatabase();
    stores = sqliteStores(db);
    pronote = sqlitePronote(db);
  });

  it('says what each file was read as and how many people it holds', async () => {
    const summary = await importSchool(stores, wholeSchool());
    const text = formatSummary(summary);
    expect(text).toContain(
      fr(
        'ElevesSansAdresses.xml : lu comme SIECLE élèves, 4 personnes (non repris : élèves sortis de l’établissement (DATE_SORTIE) : 1)',
      ),
    );
    expect(text).toContain(
      fr('export-console-ent.csv : lu comme export de la console ENT (Open ENT NG), 8 personnes'),
    );
    expect(text).toContain(
      fr('pronote-eleves.csv : lu comme liste exportée de PRONOTE (élèves), 4 personnes'),
    );
    expect(summary.counts).toEqual({ eleve: 4, responsable: 4, professeur: 2, personnel: 1 });
    expect(summary.links).toBe(4);
    expect(summary.entAccounts).toBe(8);
  });

  it('merges a SIECLE pupil with the PRONOTE list row of that person, keeping its Identifiant CAS', async () => {
    await importSchool(stores, wholeSchool());
    const lea = (await pronote.searchAccounts(UAI, { text: 'dupont lea', limit: 5 }))[0];
    expect(lea).toMatchObject({ casId: 'lea.dupont', classe: '6A', dateNaissance: '2012-04-03' });
    // Known by her birth name in PRONOTE's list, by both in SIECLE: one account, not two.
    expect(await pronote.searchAccounts(UAI, { text: 'helene', limit: 5 })).toHaveLength(1);
  });

  it('completes the console export with the AAF birth dates', async () => {
    await importSchool(stores, wholeSchool());
    const theo = await sqliteEntDirectory(db).findByLogin(UAI, 'theo.martin1');
    expect(theo?.dateNaissance).toBe('2012-09-09');
  });

  it('reconciles with no wrong person proposed and no login held by the wrong person shown as linked', async () => {
    await importSchool(stores, wholeSchool());
    const report = await reconcile(stores, UAI);
    if (!report) throw new Error('no report');
    const finding = (login: string) => report.rows.find((r) => r.ent.login === login)?.finding;
    // theo.martin is the Théo born in 2011; PRONOTE gave his login to the Théo born in 2012.
    expect(finding('theo.martin')).toMatchObject({ kind: 'login-held' });
    expect(report.casIds).toContainEqual(expect.objectContaining({ kind: 'wrong-person' }));
    for (const row of report.rows) {
      const f = row.finding;
      const account = f.kind === 'linked' || f.kind === 'match' ? f.account : null;
      if (!account) continue;
      // Every linked or proposed account is that person: same date when both sides have one.
      if (account.dateNaissance && row.ent.dateNaissance)
        expect(account.dateNaissance).toBe(row.ent.dateNaissance);
    }
  });
});

describe('school files refused, nothing imported', () => {
  let stores: Stores;
  let pronote: ReturnType<typeof sqlitePronote>;
  beforeEach(() => {
    const db = openMemoryDatabase();
    stores = sqliteStores(db);
    pronote = sqlitePronote(db);
  });

  const refused = async (input: ImportInput) => {
    const err = await thrown(() => importSchool(stores, input));
    expect(await pronote.listSchools()).toEqual([]);
    return err.message;
  };

  it('a file of another school', async () => {
    const eleves = file('ElevesSansAdresses.xml');
    const other = iconv.encode(
      iconv
        .decode(Buffer.from(eleves.bytes), 'iso-8859-15')
        .replace('<UAJ>0130001A</UAJ>', '<UAJ>0130009Z</UAJ>'),
      'iso-8859-15',
    );
    expect(await refused({ ...wholeSchool(), files: [{ path: 'eleves.xml', bytes: other }] })).toBe(
      fr(
        'eleves.xml : fichier de l’établissement 0130009Z, pas de 0130001A. Vérifiez le fichier ou le --uai.',
      ),
    );
  });

  it('two files of the same kind', async () => {
    const input = wholeSchool();
    const twice = {
      ...input,
      files: [...(input.files ?? []), { ...file('ElevesSansAdresses.xml'), path: 'copie.xml' }],
    };
    expect(await refused(twice)).toBe(
      fr(
        'copie.xml : deux fichiers du même genre (SIECLE élèves) : ElevesSansAdresses.xml et copie.xml. Donnez-en un seul.',
      ),
    );
  });

  it('a PRONOTE list whose columns do not tell teachers from staff', async () => {
    expect(
      await refused({ ...wholeSchool(), pronote: [], files: [file('pronote-professeurs.csv')] }),
    ).toMatch(
      /^pronote-professeurs\.csv\u00a0: liste exportée de PRONOTE sans colonne qui dise son profil .* --profile professeur/,
    );
  });

  it('an AAF file without the console export whose logins it completes', async () => {
    const input = {
      ...wholeSchool(),
      files: [file('ElevesSansAdresses.xml'), file('ENT_Complet_Eleve_0000.xml')],
    };
    expect(await refused(input)).toMatch(
      /^ENT_Complet_Eleve_0000\.xml\u00a0: l’annuaire AAF ne porte pas les identifiants ENT/,
    );
  });

  it('a truncated file among good ones', async () => {
    const input = wholeSchool();
    const cut = {
      path: 'ResponsablesAvecAdresses.xml',
      bytes: file('ResponsablesAvecAdresses.xml').bytes.subarray(0, 700),
    };
    const files = (input.files ?? []).map((f) => (f.path === cut.path ? cut : f));
    expect(await refused({ ...input, files })).toMatch(
      /^ResponsablesAvecAdresses\.xml\u00a0: Ligne \d+\u00a0: fichier XML tronqué/,
    );
  });
});
