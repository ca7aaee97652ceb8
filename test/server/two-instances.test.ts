import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { freePorts, type StoreEnv, startInstance } from '../helpers/instances.js';
import { createTestDatabase, describePg } from '../helpers/pg.js';

/**
 * Two server processes on one database, as behind a reverse proxy: a session goes on from one to the
 * other, and two conflicting fixes sent through both leave one winner and one agent told. Run on one
 * SQLite folder (one host) and on one PostgreSQL database (instances on several hosts).
 */
function twoInstances(
  describeOn: (name: string, body: () => void) => void,
  name: string,
  database: () => Promise<string | undefined>,
) {
  describeOn(`two instances on one database: ${name}`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'two-instances-'));
    const children: ChildProcess[] = [];
    const urls: string[] = [];
    let token = '';

    beforeAll(async () => {
      const url = await database();
      const store: StoreEnv = { DATA_DIR: dataDir, ...(url ? { DATABASE_URL: url } : {}) };
      const ports = await freePorts(2);
      children.push(...(await Promise.all(ports.map((p) => startInstance(store, p)))));
      urls.push(...ports.map((p) => `http://127.0.0.1:${p}`));
      token = execFileSync(
        process.execPath,
        ['--import', 'tsx', 'src/cli/main.ts', 'token', 'create', 'admin'],
        { env: { ...process.env, ...store } },
      )
        .toString()
        .trim();
    }, 120_000);

    afterAll(() => {
      for (const c of children) c.kill();
      rmSync(dataDir, { recursive: true, force: true });
    });

    const call = async (instance: number, path: string, body?: unknown) => {
      const res = await fetch(`${urls[instance]}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return {
        status: res.status,
        body: (await res.json()) as {
          id: string;
          step: string;
          view: { results: { fix?: { outcome: string } } };
        },
      };
    };

    it('both started on the same fresh folder: the demo was loaded once', async () => {
      const schools = await call(1, '/api/sessions', { flow: 'profile-wide', uai: DEMO_CASES.uai });
      expect(schools.status).toBe(201);
    });

    it('a session begun on one instance is continued on the other', async () => {
      const started = await call(0, '/api/sessions', { flow: 'auth-error', uai: DEMO_CASES.uai });
      const next = await call(1, `/api/sessions/${started.body.id}/events`, {
        type: 'SUBMIT_IDENTITY',
        login: DEMO_CASES.dateSwapped.login,
      });
      expect(next.status).toBe(200);
      expect(next.body.step).toBe('auth-error.choose-fix');
      expect((await call(0, `/api/sessions/${started.body.id}`)).body.step).toBe('auth-error.choose-fix');
    });

    it('two conflicting fixes through the two instances: one wins, the other is told, nothing is lost', async () => {
      const a = await call(0, '/api/sessions', { flow: 'auth-error', uai: DEMO_CASES.uai });
      const b = await call(1, '/api/sessions', { flow: 'auth-error', uai: DEMO_CASES.uai });
      await call(0, `/api/sessions/${a.body.id}/events`, {
        type: 'SUBMIT_IDENTITY',
        login: DEMO_CASES.dateSwapped.login,
      });
      await call(1, `/api/sessions/${b.body.id}/events`, {
        type: 'SUBMIT_IDENTITY',
        login: DEMO_CASES.dateSwapped.login,
      });
      // Two different fixes of the same account, each read at the same version.
      const [first, second] = await Promise.all([
        call(0, `/api/sessions/${a.body.id}/events`, { type: 'FIX_IDENTITY' }),
        call(1, `/api/sessions/${b.body.id}/events`, { type: 'FIX_CAS_ID' }),
      ]);
      const steps = [first.body.step, second.body.step].sort();
      // The winner goes on to confirm its fix (fix 2 has its own confirmation), the loser stays.
      expect(steps[0]).toBe('auth-error.choose-fix');
      expect(steps[1]).toMatch(/^auth-error\.confirm(-link)?$/);
      const loser = first.body.step === 'auth-error.choose-fix' ? first : second;
      expect(loser.body.view.results.fix?.outcome).toBe('conflict');
      const audit = await call(0, '/api/audit');
      const entries = (audit.body as unknown as { entries: Array<{ action: string; accountId: string }> })
        .entries;
      const onAccount = entries.filter((e) => e.accountId === DEMO_CASES.dateSwapped.accountId);
      expect(onAccount).toHaveLength(1);
      // Both sessions are kept, each with its answers, and read the same from either instance.
      for (const id of [a.body.id, b.body.id]) {
        const [on0, on1] = [await call(0, `/api/sessions/${id}`), await call(1, `/api/sessions/${id}`)];
        expect(on0.status).toBe(200);
        expect(on1.body.step).toBe(on0.body.step);
      }
    });

    it('one instance stopped by its proxy (SIGTERM) exits cleanly; the other goes on with the sessions', async () => {
      const started = await call(1, '/api/sessions', { flow: 'auth-error', uai: DEMO_CASES.uai });
      const stopping = children[1] as ChildProcess;
      const exited = new Promise<number | null>((resolve) => stopping.once('exit', (code) => resolve(code)));
      stopping.kill('SIGTERM');
      expect(await exited).toBe(0);
      const next = await call(0, `/api/sessions/${started.body.id}/events`, {
        type: 'SUBMIT_IDENTITY',
        login: DEMO_CASES.dateSwapped.login,
      });
      expect(next.body.step).toBe('auth-error.choose-fix');
    });
  });
}

twoInstances(describe, 'SQLite', async () => undefined);
twoInstances(describePg, 'PostgreSQL', createTestDatabase);
