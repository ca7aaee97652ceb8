import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { sqliteEntDirectory } from '../../src/ent/sqlite/index.js';
import { openDatabase } from '../../src/store/sqlite/database.js';
import { fr } from '../helpers/french.js';

const run = promisify(execFile);
const fixture = (name: string) => join(import.meta.dirname, '../fixtures/school', name);

describe('npm run import -- --region', () => {
  const dir = mkdtempSync(join(tmpdir(), 'import-region-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cli = (args: string[]) =>
    run('npx', ['tsx', 'src/cli/import-cli.ts', ...args], {
      env: { ...process.env, DATA_DIR: join(dir, 'data'), DATABASE_URL: '' },
    });

  // Three processes started through tsx on a shared machine.
  it('loads the delivery, then a school imported with its console export alone is completed from it', {
    timeout: 120_000,
  }, async () => {
    const { stdout } = await cli([
      '--region',
      fixture('ENT_Complet_Eleve_0000.xml'),
      fixture('ENT_Complet_PersRelEleve_PersEducNat_0000.xml'),
    ]);
    expect(stdout).toContain(fr('Annuaire AAF de la région importé : 1 établissement, 8 identités'));
    await cli(['--uai', '0130001A', fixture('pronote-eleves.csv'), fixture('export-console-ent.csv')]);
    const db = openDatabase(join(dir, 'data'));
    const ent = await sqliteEntDirectory(db).listSchool('0130001A');
    db.close();
    expect(ent.find((a) => a.login === 'nadia.dupont')).toMatchObject({
      nomNaissance: 'BENALI',
      codePostal: '13001',
    });
  });

  it('refuses a truncated file in French, with the file and the line', { timeout: 60_000 }, async () => {
    const text = readFileSync(fixture('ENT_Complet_Eleve_0000.xml'), 'utf8');
    const cut = join(dir, 'cut.xml');
    writeFileSync(cut, text.slice(0, text.indexOf('<attr name="givenName">')));
    const err = (await cli(['--region', cut]).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(err.code).toBe(1);
    expect(err.stderr.trim()).toBe(
      fr(
        `${cut} : Ligne 10 : fichier XML tronqué, il s'arrête avant la fermeture de <ficAlimMENESR>, <addRequest>, <attributes>. Exportez-le à nouveau.`,
      ),
    );
  });
});
