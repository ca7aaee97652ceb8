import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { reconcileCli, reconcileCommand } from '../../src/cli/reconcile-cli.js';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { sqliteStores } from '../../src/server/stores.js';
import { openMemoryDatabase } from '../../src/store/sqlite/database.js';

const emptyBase = () => sqliteStores(openMemoryDatabase());

describe('reconcileCommand', () => {
  it('reconciles every school of an empty base as the demo, in French by default', async () => {
    const text = await reconcileCommand(emptyBase(), undefined, undefined);
    expect(text).toContain('Collège Exemple (0130001A)');
    expect(text).toContain('Collège des Oliviers (0130002B)');
    expect(text).toMatch(/tayeb\.bertin — Identité différente — date de naissance proche/);
    expect(text).toMatch(/Identifiant CAS d’une autre personne — «\u00a0michelle\.moreau\u00a0»/);
    expect(text).toContain('Espace parents non publié (2 compte(s) ENT concernés)');
  });

  it('prints one school as JSON, with its safe cases', async () => {
    const report = JSON.parse(await reconcileCommand(emptyBase(), DEMO_CASES.uai, 'json'));
    expect(report.uai).toBe(DEMO_CASES.uai);
    expect(report.safe.count).toBeGreaterThan(0);
    expect(
      report.rows.find((r: { ent: { login: string } }) => r.ent.login === 'tayeb.bertin').finding.kind,
    ).toBe('mismatch');
  });

  it('says what is wrong, in French, for an unknown school or format', async () => {
    const ports = emptyBase();
    expect(await reconcileCli(ports, '0999999Z', undefined)).toEqual({
      error: 'Aucun établissement 0999999Z dans la base.',
    });
    expect(await reconcileCli(ports, undefined, 'xml')).toEqual({
      error: 'Format « xml » inconnu : csv ou json (sans --format : un résumé).',
    });
  });
});

// Each call starts tsx in a child process: tens of seconds on a loaded 2-core machine.
describe('npm run cli -- reconcile', { timeout: 120_000 }, () => {
  const run = promisify(execFile);
  const dir = mkdtempSync(join(tmpdir(), 'reconcile-cli-'));
  const cli = (args: string[]) =>
    run('npx', ['tsx', 'src/cli/main.ts', 'reconcile', ...args], {
      env: { ...process.env, DATA_DIR: join(dir, 'data') },
    });

  it('prints every school of DATA_DIR as CSV, the demo when it was empty', async () => {
    const { stdout } = await cli(['--format', 'csv']);
    const [header, ...lines] = parse(stdout, { delimiter: ';' }) as string[][];
    expect(header?.[0]).toBe('UAI');
    expect(new Set(lines.map((l) => l[0]))).toEqual(new Set(['0130001A', '0130002B']));
    expect(
      lines.some(
        (l) => l[3] === 'michelle.moreau' && l[2] === 'Identifiant ENT détenu par une autre personne',
      ),
    ).toBe(true);
  }, 30_000);

  it('prints one school as JSON, and exits 1 with a French message for an unknown one', async () => {
    const { stdout } = await cli([DEMO_CASES.espaceUnpublished.uai, '--format', 'json']);
    expect(JSON.parse(stdout).espaces).toEqual([
      { kind: 'espace', espace: 'parents', profile: 'responsable', people: 2 },
    ]);
    await expect(cli(['0999999Z'])).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('Aucun établissement 0999999Z'),
    });
  }, 30_000);
});
