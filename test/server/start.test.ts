import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_SCHOOLS } from '../../src/pronote/demo-data.js';
import { readConfig } from '../../src/server/config.js';
import { startServices } from '../../src/server/start.js';

describe('start-up on an empty database', () => {
  const dirs: string[] = [];
  const start = async (env: Record<string, string>) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'start-'));
    dirs.push(dataDir);
    return startServices(readConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env }));
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('loads the demo schools and prints the first administrator’s sign-in link', async () => {
    const { stores, banner } = await start({});
    expect((await stores.pronote.listSchools()).map((s) => s.uai)).toEqual(
      DEMO_SCHOOLS.map((s) => s.school.uai),
    );
    expect(banner.join('\n')).toMatch(/\/connexion\/lien\/\S+/);
    await stores.close();
  });

  it('loads no demo with DEMO_DATA=0, for a real deployment, and still creates the first administrator', async () => {
    const { stores, banner } = await start({ DEMO_DATA: '0' });
    expect(await stores.pronote.listSchools()).toEqual([]);
    expect(await stores.agents.get('admin')).toMatchObject({ admin: true, schools: 'all' });
    expect(banner.join('\n')).toMatch(/\/connexion\/lien\/\S+/);
    await stores.close();
  });

  it('refuses a DATABASE_URL that is not PostgreSQL, in French', async () => {
    await expect(start({ DATABASE_URL: 'mysql://root@localhost/base' })).rejects.toThrow(
      /adresse PostgreSQL/,
    );
  });
});
