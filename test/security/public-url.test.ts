import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../src/server/config.js';
import { createTestApp, TEST_PUBLIC_URL } from '../helpers/test-app.js';
import { securityFixture } from './fixtures.js';

/** Finding 10: a forged Host header must not choose where printed links point. */
describe('absolute links come from PUBLIC_URL, never from the Host header', () => {
  it('the sign-in link printed for an agent', async () => {
    const api = await createTestApp();
    await api.agents.add({ name: 'admin', admin: true, schools: 'all' });
    await api.agents.add({ name: 'agent.x', admin: false, schools: 'all' });
    const admin = api.browser();
    const link = await api.auth.issueSignInLink('admin');
    await admin.get(link);
    await admin.post(link, {});
    await admin.get('/agents');
    for (const res of [
      await admin.post('http://evil.example/agents/agent.x/lien', {}),
      await admin.post('http://evil.example/agents', { name: 'agent.z', schools: '*' }),
    ]) {
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('evil.example');
      expect(res.text).toContain(`${TEST_PUBLIC_URL}connexion/lien/`);
    }
  });

  it('the ticket link in a summary', async () => {
    const f = await securityFixture();
    const base = `http://evil.example/s/${f.agentSession.id}/${f.agentSession.seq}`;
    for (const path of [base, `${base}/resume.md`, `${base}/resume.txt`]) {
      const res = await f.browsers.agentX.get(path);
      expect(res.status).toBe(200);
      expect(res.text).not.toContain('evil.example');
      expect(res.text).toContain(`${TEST_PUBLIC_URL}ticket/`);
    }
  });
});

describe('PUBLIC_URL', () => {
  it('is required when the server listens beyond this machine', () => {
    expect(() => readConfig({ HOST: '0.0.0.0' })).toThrow(ConfigError);
    expect(() => readConfig({ HOST: '0.0.0.0' })).toThrow(/PUBLIC_URL est obligatoire/);
    expect(() => readConfig({ HOST: '192.0.2.10' })).toThrow(/PUBLIC_URL est obligatoire/);
    expect(readConfig({ HOST: '0.0.0.0', PUBLIC_URL: 'https://aide.example.fr/' }).publicUrl).toBe(
      'https://aide.example.fr/',
    );
    for (const host of ['127.0.0.1', 'localhost', '::1'])
      expect(() => readConfig({ HOST: host })).not.toThrow();
  });

  // Two tsx child processes: tens of seconds on a loaded 2-core machine.
  it('the command line prints links at the configured address and port', { timeout: 120_000 }, async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'i15-cli-'));
    try {
      const run = (args: string[], env: Record<string, string>) =>
        promisify(execFile)('npx', ['tsx', 'src/cli/main.ts', ...args], {
          env: { ...process.env, DATA_DIR: dataDir, DEMO_DATA: '0', ...env },
        });
      const added = await run(['agent', 'add', 'agent.x'], { PORT: '3201' });
      expect(added.stdout).toMatch(/^http:\/\/127\.0\.0\.1:3201\/connexion\/lien\//m);
      const again = await run(['agent', 'link', 'agent.x'], { PUBLIC_URL: 'https://aide.example.fr/' });
      expect(again.stdout).toMatch(/^https:\/\/aide\.example\.fr\/connexion\/lien\//m);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
