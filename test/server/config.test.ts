import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, ENVIRONMENT, readConfig } from '../../src/server/config.js';

/** The variable names of README's « Configuration » table, in its order. */
function readmeVariables(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.split(/^## Configuration$/m)[1]?.split(/^## /m)[0] ?? '';
  return [...section.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1] as string);
}

describe('configuration', () => {
  it('runs with no variable set: SQLite in ./data on 127.0.0.1:3000, demo schools on', () => {
    expect(readConfig({})).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      dataDir: './data',
      databaseUrl: undefined,
      demoData: true,
      logLevel: 'info',
      publicUrl: 'http://127.0.0.1:3000/',
      cas: undefined,
      ticketSystems: undefined,
    });
  });

  it('takes an empty variable for an unset one', () => {
    expect(readConfig({ PORT: '', DATABASE_URL: ' ', LOG_LEVEL: '' })).toMatchObject({
      port: 3000,
      databaseUrl: undefined,
      logLevel: 'info',
    });
  });

  it('builds the public address from HOST and PORT, unless PUBLIC_URL says it', () => {
    expect(readConfig({ HOST: 'localhost', PORT: '8080' }).publicUrl).toBe('http://localhost:8080/');
    expect(readConfig({ PUBLIC_URL: 'https://assistance.example.fr/' }).publicUrl).toBe(
      'https://assistance.example.fr/',
    );
  });

  it.each([
    ['PORT', 'trois-mille'],
    ['PORT', '70000'],
    ['DEMO_DATA', 'oui'],
    ['LOG_LEVEL', 'bavard'],
    ['PUBLIC_URL', 'assistance.example.fr'],
    ['DATABASE_URL', 'mysql://root@localhost/base'],
    ['CAS_BASE_URL', 'cas.example.fr'],
    ['GLPI_URL', 'glpi.example.fr'],
    ['METRICS_TOKEN', 'court'],
    ['METRICS_ALLOW', '10.0.0.0/33'],
    ['METRICS_ALLOW', 'prometheus.example.fr'],
  ])('refuses %s=%s in French, naming the variable', (name, value) => {
    expect(() => readConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => readConfig({ [name]: value })).toThrow(new RegExp(`${name} (doit|vaut|est)`));
  });

  it('reads the metrics allow-list as addresses and networks', () => {
    const { allow } = readConfig({ METRICS_ALLOW: '10.0.0.5, 192.168.1.0/24,::1' }).metrics;
    expect(allow?.check('10.0.0.5', 'ipv4')).toBe(true);
    expect(allow?.check('192.168.1.77', 'ipv4')).toBe(true);
    expect(allow?.check('10.0.0.6', 'ipv4')).toBe(false);
    expect(allow?.check('::1', 'ipv6')).toBe(true);
    expect(readConfig({}).metrics).toEqual({ token: undefined, allow: undefined });
  });

  it('lists every wrong value at once, so one restart is enough to correct them', () => {
    const refused = (() => {
      try {
        readConfig({ PORT: 'x', LOG_LEVEL: 'bavard', ZAMMAD_URL: 'https://z.example.fr' });
      } catch (err) {
        return (err as Error).message;
      }
      return '';
    })();
    expect(refused).toMatch(/PORT/);
    expect(refused).toMatch(/LOG_LEVEL/);
    expect(refused).toMatch(/ZAMMAD_TOKEN/);
  });

  it('is documented: README’s configuration table lists exactly the variables read', () => {
    expect(readmeVariables().sort()).toEqual(Object.keys(ENVIRONMENT.shape).sort());
  });

  it('stops the server at start-up on a bad value, with the French message and no stack trace', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: {
        ...process.env,
        PORT: 'trois-mille',
        ACCENT_COLOR: '#7fb3ff',
        DATA_DIR: '/nonexistent/never-opened',
      },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/PORT doit être un numéro de port/);
    // A pale accent colour: the variable and the contrast measured.
    expect(run.stderr).toMatch(/ACCENT_COLOR \(#7fb3ff\) n’a pas assez de contraste.*2,1\d:1/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
