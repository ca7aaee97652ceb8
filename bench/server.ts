import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createAuth } from '../src/server/auth.js';
import { sqliteAgentStore } from '../src/store/sqlite/agents.js';
import { openDatabase } from '../src/store/sqlite/database.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

// Servers still running when the bench stops (an error, the time limit) are stopped with it.
const running = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of running) child.kill('SIGTERM');
});

/** A free port on 127.0.0.1, chosen by the system. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject()));
    });
  });
}

export interface Running {
  child: ChildProcess;
  port: number;
  url: string;
  /** Milliseconds from the spawn to the first answer of `GET /`. */
  firstAnswerMs: number;
  stop(): Promise<void>;
}

export interface StartOptions {
  timeoutMs?: number;
  /** Given to node before the script (`--cpu-prof`). */
  nodeArgs?: string[];
  /** The checkout the server runs from (another worktree, to compare with). */
  root?: string;
}

/**
 * Starts `node --import tsx <script>` the way `npm start` runs the product, with its own DATA_DIR and
 * PORT on 127.0.0.1, and polls `GET /` until it answers.
 */
export async function startServer(
  script: string,
  env: Record<string, string>,
  { timeoutMs = 30_000, nodeArgs = [], root = ROOT }: StartOptions = {},
): Promise<Running> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  // The compiled build runs under plain node, as `npm start` runs it; sources through tsx.
  const args = [...nodeArgs, ...(script.endsWith('.ts') ? ['--import', 'tsx', script] : [script])];
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'warn', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (d) => {
    stderr = (stderr + String(d)).slice(-4000);
  });
  running.add(child);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running.delete(child);
      resolve();
    }),
  );
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  };
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${script} stopped (${child.exitCode}): ${stderr}`);
    try {
      const res = await fetch(`${url}/`, { signal: AbortSignal.timeout(2000) });
      await res.arrayBuffer();
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    if (performance.now() - started > timeoutMs) {
      await stop();
      throw new Error(`${script} did not answer within ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  return { child, port, url, firstAnswerMs: performance.now() - started, stop };
}

/** The resident and peak memory of a process, from /proc (Linux). */
export function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

/** CPU time a process has used so far, in milliseconds (user + system, from /proc/<pid>/stat). */
export function cpuMsOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may hold spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return ticks * 10; // USER_HZ is 100 on Linux.
}

/** An admin agent and its API token in a data folder, before the server starts on it. */
export async function agentToken(dataDir: string): Promise<string> {
  const db = openDatabase(dataDir);
  try {
    const agents = sqliteAgentStore(db);
    if (!(await agents.get('banc-essai')))
      await agents.add({ name: 'banc-essai', admin: true, schools: 'all' });
    return await (await createAuth({ agents, secureCookies: false })).issueApiToken('banc-essai');
  } finally {
    db.close();
  }
}

/** A one-time sign-in link of the bench's admin agent, issued in the data folder (server running or not). */
export async function agentSignInLink(dataDir: string): Promise<string> {
  const db = openDatabase(dataDir);
  try {
    const agents = sqliteAgentStore(db);
    if (!(await agents.get('banc-essai')))
      await agents.add({ name: 'banc-essai', admin: true, schools: 'all' });
    return await (await createAuth({ agents, secureCookies: false })).issueSignInLink('banc-essai');
  } finally {
    db.close();
  }
}

/**
 * The Cookie header of a web session, as a browser gets it through a sign-in link: pages take no API
 * token, only the JSON API does.
 */
export async function agentCookie(base: string, dataDir: string): Promise<string> {
  const link = await agentSignInLink(dataDir);
  const cookies = new Map<string, string>();
  const keep = (res: Response) => {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const at = pair.indexOf('=');
      cookies.set(pair.slice(0, at), pair.slice(at + 1));
    }
  };
  const header = () => [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const page = await fetch(`${base}${link}`);
  keep(page);
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const signedIn = await fetch(`${base}${link}`, {
    method: 'POST',
    redirect: 'manual',
    headers: { Cookie: header(), 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf }),
  });
  if (signedIn.status !== 303) throw new Error(`sign-in link: ${signedIn.status}`);
  keep(signedIn);
  return header();
}

/** A JSON API call with the token; throws on a status other than the one expected. */
export async function api<T>(
  base: string,
  token: string,
  method: 'GET' | 'POST',
  path: string,
  body?: unknown,
): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Runs `task` on every item, `width` at a time. */
export async function inParallel<T, R>(
  items: T[],
  width: number,
  task: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i] as T);
      }
    }),
  );
  return results;
}
