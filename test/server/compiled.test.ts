import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/** `npm start` as an operator runs it: scripts/start.mjs under plain node, no tsx loaded. */
function npmStart(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; out: string }> {
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    env: { ...process.env, PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start did not answer\n${out}`)), 150_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /Assistant de connexion ENT–PRONOTE : (http:\S+)/.exec(out)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url, out });
      }
    });
    child.on('exit', (code) => reject(new Error(`npm start exited with ${code}\n${out}`)));
  });
}

describe('the compiled build', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'compiled-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const child of children) child.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('npm start compiles a stale build, then serves the probes and the pages from dist/ under plain node', async () => {
    // A source newer than the build, as after a pull: the start must compile again rather than run old code.
    const now = new Date();
    utimesSync('src/main.ts', now, now);
    const started = await npmStart({ DATA_DIR: dataDir });
    children.push(started.child);
    expect(started.out).toContain('Compilation');
    const health = await fetch(new URL('/healthz', started.url));
    expect(await health.text()).toBe('ok');
    expect((await fetch(new URL('/readyz', started.url))).status).toBe(200);
    const page = await fetch(new URL('/', started.url));
    expect(page.status).toBe(200);
    expect((await fetch(new URL('/assets/app.css', started.url))).status).toBe(200);
  }, 180_000);
});
