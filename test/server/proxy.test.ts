import { type ChildProcess, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { freePorts, runCli, type StoreEnv, startInstance, stopInstance } from '../helpers/instances.js';
import { createTestDatabase, describePg } from '../helpers/pg.js';

const NGINX = '/usr/sbin/nginx';
const SITE = readFileSync('deploy/nginx.conf', 'utf8');
const METRICS_TOKEN = 'jeton-des-metriques-du-proxy-0123';

/**
 * deploy/nginx.conf as it is, its instances' and its own ports replaced, inside the few lines a private
 * nginx needs: its own prefix for pid, logs and temporary files, in the foreground.
 */
function nginxConf(prefix: string, listen: number, upstreams: number[]): string {
  let upstream = 0;
  const site = SITE.replace(
    /server 127\.0\.0\.1:\d+ /g,
    () => `server 127.0.0.1:${upstreams[upstream++]} `,
  ).replace(/listen 127\.0\.0\.1:\d+;/, `listen 127.0.0.1:${listen};`);
  if (upstream !== upstreams.length) throw new Error('deploy/nginx.conf no longer lists two instances');
  const temp = (name: string) => `${name}_temp_path ${join(prefix, name)};`;
  return `user ${userInfo().username};
worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
events { worker_connections 256; }
http {
  access_log ${join(prefix, 'access.log')};
  ${['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map(temp).join('\n  ')}
${site}
}
`;
}

async function startNginx(prefix: string, conf: string, port: number): Promise<ChildProcess> {
  const file = join(prefix, 'nginx.conf');
  writeFileSync(file, conf);
  const child = spawn(
    NGINX,
    ['-p', prefix, '-e', join(prefix, 'error.log'), '-c', file, '-g', 'daemon off;'],
    {
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  let errors = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    errors += chunk.toString();
  });
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`nginx stopped: ${errors}`);
    try {
      await fetch(`http://127.0.0.1:${port}/healthz`);
      return child;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  throw new Error(`nginx did not listen: ${errors}`);
}

const nginxMissing = !existsSync(NGINX);
if (nginxMissing) {
  console.warn(
    `${NGINX} manque : le test derrière nginx est sauté (apt-get install nginx, comme le fait .ci/run).`,
  );
}

/**
 * Two instances on one database behind a real nginx on loopback, driven only through the proxy: a
 * session goes on whichever instance answers, two conflicting fixes leave one winner, the proxy's request
 * id reaches the instances, the metrics stay private, and an instance stopped by a rolling restart is
 * not noticed.
 */
function behindNginx(
  describeOn: (name: string, body: () => void) => void,
  name: string,
  database: () => Promise<string | undefined>,
) {
  describeOn(`behind nginx: ${name}`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'proxy-'));
    const prefix = join(dir, 'nginx');
    const instances: ChildProcess[] = [];
    let nginx: ChildProcess | undefined;
    let site = '';
    let direct: string[] = [];
    let token = '';

    beforeAll(async () => {
      mkdirSync(prefix);
      // nginx's workers (another user when the tests run as root) write their temporary files here.
      chmodSync(dir, 0o755);
      chmodSync(prefix, 0o777);
      const url = await database();
      const [a, b, proxy] = (await freePorts(3)) as [number, number, number];
      const env: StoreEnv & Record<string, string> = {
        DATA_DIR: join(dir, 'data'),
        ...(url ? { DATABASE_URL: url } : {}),
        TRUST_PROXY: '127.0.0.1',
        PUBLIC_URL: `http://127.0.0.1:${proxy}/`,
        METRICS_TOKEN,
      };
      instances.push(await startInstance(env, a));
      instances.push(await startInstance(env, b));
      direct = [a, b].map((port) => `http://127.0.0.1:${port}`);
      nginx = await startNginx(prefix, nginxConf(prefix, proxy, [a, b]), proxy);
      site = `http://127.0.0.1:${proxy}`;
      token = (await runCli(['token', 'create', 'admin'], env)).stdout.trim();
    }, 120_000);

    afterAll(async () => {
      nginx?.kill('SIGQUIT');
      await Promise.all(instances.map(stopInstance));
      rmSync(dir, { recursive: true, force: true });
    });

    const call = async (path: string, body?: unknown) => {
      const res = await fetch(`${site}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return {
        status: res.status,
        requestId: res.headers.get('X-Request-Id'),
        // biome-ignore lint/suspicious/noExplicitAny: the tests read deep into the answers they asked for
        body: (await res.json()) as any,
      };
    };
    const requestsServed = async (instance: string) => {
      const text = await (
        await fetch(`${instance}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })
      ).text();
      return [...text.matchAll(/^assistant_http_requests_total\{[^}]*\} (\d+)$/gm)].reduce(
        (sum, m) => sum + Number(m[1]),
        0,
      );
    };

    it('carries a session across both instances, with the proxy’s request id', async () => {
      const started = await call('/api/sessions', { flow: 'auth-error', uai: DEMO_CASES.uai });
      expect(started.status).toBe(201);
      expect(started.requestId).toMatch(/^[0-9a-f]{32}$/);
      const next = await call(`/api/sessions/${started.body.id}/events`, {
        type: 'SUBMIT_IDENTITY',
        login: DEMO_CASES.dateSwapped.login,
      });
      expect(next.body.step).toBe('auth-error.choose-fix');
      for (let i = 0; i < 4; i++)
        expect((await call(`/api/sessions/${started.body.id}`)).body.step).toBe('auth-error.choose-fix');
      // Round robin: both instances answered part of it.
      for (const instance of direct) expect(await requestsServed(instance)).toBeGreaterThan(0);
    });

    it('two conflicting fixes through the proxy: one wins, the other is told, one journal entry', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const s = await call('/api/sessions', { flow: 'auth-error', uai: DEMO_CASES.uai });
        await call(`/api/sessions/${s.body.id}/events`, {
          type: 'SUBMIT_IDENTITY',
          login: DEMO_CASES.dateSwapped.login,
        });
        ids.push(s.body.id);
      }
      const [first, second] = await Promise.all([
        call(`/api/sessions/${ids[0]}/events`, { type: 'FIX_IDENTITY' }),
        call(`/api/sessions/${ids[1]}/events`, { type: 'FIX_CAS_ID' }),
      ]);
      // The winner goes on to confirm its fix (fix 2 has its own confirmation), the loser stays.
      const steps = [first.body.step, second.body.step].sort();
      expect(steps[0]).toBe('auth-error.choose-fix');
      expect(steps[1]).toMatch(/^auth-error\.confirm(-link)?$/);
      const loser = first.body.step === 'auth-error.choose-fix' ? first : second;
      expect(loser.body.view.results.fix?.outcome).toBe('conflict');
      const audit = await call('/api/audit');
      const onAccount = (audit.body.entries as Array<{ accountId: string }>).filter(
        (e) => e.accountId === DEMO_CASES.dateSwapped.accountId,
      );
      expect(onAccount).toHaveLength(1);
    });

    it('keeps /metrics off the public site, even with the token; the instances answer it directly', async () => {
      expect(
        (await fetch(`${site}/metrics`, { headers: { Authorization: `Bearer ${METRICS_TOKEN}` } })).status,
      ).toBe(404);
      expect(await requestsServed(direct[0] as string)).toBeGreaterThan(0);
    });

    it('an instance stopped for a rolling restart goes unnoticed through the proxy', async () => {
      await stopInstance(instances[1] as ChildProcess);
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await fetch(`${site}/readyz`)).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 200]);
    });
  });
}

if (!nginxMissing) {
  behindNginx(describe, 'SQLite', async () => undefined);
  behindNginx(describePg, 'PostgreSQL', createTestDatabase);
} else {
  describe.skip('behind nginx: skipped, /usr/sbin/nginx is missing (apt-get install nginx, as .ci/run does)', () => {
    it.skip('two instances behind nginx');
  });
}

describe('README', () => {
  it('shows deploy/nginx.conf as it is, the file the proxy test runs', () => {
    expect(readFileSync('README.md', 'utf8')).toContain(`\`\`\`nginx\n${SITE}\`\`\``);
  });
});
