import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { type Stats, stats } from './report.js';
import { agentCookie, agentToken, api, inParallel, memoryOf, startServer } from './server.js';

export interface StartupResult {
  /** Spawn to the first answer of `GET /` on an empty data folder (migrations, demo seed, first agent). */
  fresh: Stats;
  /** The same on a data folder already filled. */
  existing: Stats;
  /** The filled folder again, from the sources through tsx (`npm run dev`) rather than the build. */
  viaTsx: Stats;
  sessions: number;
  requestsAfter: number;
  rss: number;
  /** Peak resident memory of the process (VmHWM). */
  hwm: number;
  /** Resident memory of a server restarted on those sessions, after the same requests. */
  rssRestarted: number;
}

export interface StartupOptions {
  workDir: string;
  starts: number;
  sessions: number;
  requestsAfter: number;
}

/** The compiled server `npm start` runs (scripts/build.mjs writes it). */
const MAIN = 'dist/src/main.js';

const FLOWS = [undefined, 'auth-error', 'changed-account', 'profile-wide', 'single-parent'] as const;

/** Some answers and step pages over the stored sessions, so the process has done real work. */
async function exercise(url: string, token: string, dataDir: string, ids: string[], count: number) {
  const cookie = await agentCookie(url, dataDir);
  await inParallel(
    Array.from({ length: count }, (_, i) => i),
    8,
    async (i) => {
      const id = ids[(i * 7919) % ids.length] as string;
      if (i % 2 === 0) {
        const res = await fetch(`${url}/s/${id}/1`, { headers: { Cookie: cookie } });
        await res.arrayBuffer();
      } else await api(url, token, 'GET', `/api/sessions/${id}`);
    },
  );
}

/**
 * Starts the product `starts` times on empty data folders and as many times on a filled one, then
 * stores `sessions` sessions through the JSON API and reads the server's resident memory.
 */
export async function startupBench(options: StartupOptions): Promise<StartupResult> {
  // What `npm start` runs: the build, made first when missing or stale (not counted).
  const built = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { stdio: 'inherit' });
  if (built.status !== 0) throw new Error('npm run build failed');
  // One start first, not counted: tsx compiles the sources into its cache once per change.
  const warm = await startServer('src/main.ts', { DATA_DIR: mkdtempSync(join(options.workDir, 'warm-')) });
  await warm.stop();

  const fresh: number[] = [];
  const existing: number[] = [];
  let dataDir = '';
  for (let i = 0; i < options.starts; i += 1) {
    dataDir = mkdtempSync(join(options.workDir, 'fresh-'));
    const s = await startServer(MAIN, { DATA_DIR: dataDir });
    fresh.push(s.firstAnswerMs);
    await s.stop();
  }
  for (let i = 0; i < options.starts; i += 1) {
    const s = await startServer(MAIN, { DATA_DIR: dataDir });
    existing.push(s.firstAnswerMs);
    await s.stop();
  }
  const viaTsx: number[] = [];
  for (let i = 0; i < options.starts; i += 1) {
    const s = await startServer('src/main.ts', { DATA_DIR: dataDir });
    viaTsx.push(s.firstAnswerMs);
    await s.stop();
  }

  const token = await agentToken(dataDir);
  const server = await startServer(MAIN, { DATA_DIR: dataDir });
  let rss = 0;
  let hwm = 0;
  let ids: string[] = [];
  try {
    ids = await inParallel(
      Array.from({ length: options.sessions }, (_, i) => i),
      16,
      async (i) => {
        const flow = FLOWS[i % FLOWS.length];
        const s = await api<{ id: string }>(server.url, token, 'POST', '/api/sessions', {
          ...(flow ? { flow } : {}),
          ...(i % 2 === 0 ? { uai: '0130001A' } : {}),
        });
        return s.id;
      },
    );
    await exercise(server.url, token, dataDir, ids, options.requestsAfter);
    ({ rss, hwm } = memoryOf(server.child.pid as number));
  } finally {
    await server.stop();
  }

  const again = await startServer(MAIN, { DATA_DIR: dataDir });
  let rssRestarted = 0;
  try {
    await exercise(again.url, token, dataDir, ids, options.requestsAfter);
    rssRestarted = memoryOf(again.child.pid as number).rss;
  } finally {
    await again.stop();
  }
  return {
    fresh: stats(fresh),
    existing: stats(existing),
    viaTsx: stats(viaTsx),
    sessions: ids.length,
    requestsAfter: options.requestsAfter,
    rss,
    hwm,
    rssRestarted,
  };
}
