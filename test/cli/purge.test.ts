import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/instances.js';

describe('npm run cli -- purge', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'purge-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('says what a dry run would erase, then purges, in French and with counts only', async () => {
    const dry = await runCli(['purge', '--dry-run'], { DATA_DIR: dataDir });
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(
      /^Essai \(--dry-run\)\u00a0: rien n’est modifié\.\n {2}Sessions d’usagers à anonymiser\u00a0: 0/,
    );
    const done = await runCli(['purge'], { DATA_DIR: dataDir, RETENTION_PUBLIC_DAYS: '30' });
    expect(done.stdout).toMatch(/^Purge faite\.\n {2}Sessions d’usagers anonymisées\u00a0: 0/);
    const refused = await runCli(['purge'], { DATA_DIR: dataDir, RETENTION_PUBLIC_DAYS: '0' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/RETENTION_PUBLIC_DAYS est un nombre entier de jours/);
  }, 60_000);
});
