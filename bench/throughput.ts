import { randomBytes } from 'node:crypto';
import autocannon from 'autocannon';
import { openDatabase } from '../src/store/sqlite/database.js';
import { agentCookie, agentToken, api, cpuMsOf, inParallel, type Running, startServer } from './server.js';

export interface RunResult {
  name: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
  statuses: Record<string, number>;
  /** The server's CPU time per request: a figure that moves less than requests/s on a busy machine. */
  cpuMsPerRequest: number;
}

export interface ThroughputResult {
  hello: RunResult;
  page: RunResult;
  answer: RunResult;
  /** (c)/(a): answers per second over the bare Hono ceiling, same run. */
  ratio: number;
  /** (d) answers at history depth 2, (e) at depth DEEP, the same way. */
  shallow: RunResult;
  deep: RunResult;
  deepDepth: number;
  sessions: number;
  pageStep: string;
}

export interface ThroughputOptions {
  dataDir: string;
  connections: number;
  durationS: number;
  /** Sessions per run; each request takes the next one, so no two requests in flight share one. */
  sessions: number;
}

interface StepJson {
  id: string;
  seq: number;
  step: string;
}

async function run(
  name: string,
  server: Running,
  options: ThroughputOptions,
  request: { method: 'GET' | 'POST'; headers?: Record<string, string>; body?: string; paths: string[] },
): Promise<RunResult> {
  let next = 0;
  const cannonRequests = [
    {
      method: request.method,
      ...(request.headers ? { headers: request.headers } : {}),
      ...(request.body ? { body: request.body } : {}),
      setupRequest: (req: object) => ({ ...req, path: request.paths[next++ % request.paths.length] ?? '/' }),
    },
  ];
  // One second first, not counted: the JIT warms up the same way for every run.
  await autocannon({
    url: server.url,
    connections: options.connections,
    duration: 1,
    requests: cannonRequests,
  });
  const pid = server.child.pid as number;
  const cpuBefore = cpuMsOf(pid);
  const result = await autocannon({
    url: server.url,
    connections: options.connections,
    duration: options.durationS,
    timeout: 10,
    requests: cannonRequests,
  });
  const statuses = Object.fromEntries(Object.entries(result.statusCodeStats).map(([k, v]) => [k, v.count]));
  const requests = Object.values(statuses).reduce((n, c) => n + c, 0);
  const cpuMsPerRequest = (cpuMsOf(pid) - cpuBefore) / Math.max(1, requests);
  return {
    name,
    requestsPerSecond: requests / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests,
    non2xx: result.non2xx,
    errors: result.errors,
    statuses,
    cpuMsPerRequest,
  };
}

/** How deep the sessions of (e) are: entries on the path from the first one to the entry answered. */
export const DEEP = 500;

/**
 * `count` copies of a session, written straight into the server's SQLite file (the server has never seen
 * them, as after a restart): building each one answer by answer would take minutes.
 */
function cloneSession(dataDir: string, id: string, count: number): string[] {
  const db = openDatabase(dataDir);
  try {
    const copySession = db.prepare(
      `INSERT INTO sessions (id, created_at, updated_at, audience, uai, owner, head_seq)
       SELECT ?, created_at, updated_at, audience, uai, owner, head_seq FROM sessions WHERE id = ?`,
    );
    const copyEntries = db.prepare(
      `INSERT INTO session_entries (session_id, seq, parent_seq, at, step, machine_version, snapshot, event, results, actor)
       SELECT ?, seq, parent_seq, at, step, machine_version, snapshot, event, results, actor
       FROM session_entries WHERE session_id = ?`,
    );
    const ids = Array.from({ length: count }, () => randomBytes(16).toString('base64url'));
    db.transaction(() => {
      for (const copy of ids) {
        copySession.run(copy, id);
        copyEntries.run(copy, id);
      }
    })();
    return ids;
  } finally {
    db.close();
  }
}

/**
 * (a) a bare Hono hello world, (b) GET of a step page, (c) POST of an answer through the JSON API, each
 * for `durationS` at `connections` connections, on two servers started side by side.
 */
export async function throughputBench(options: ThroughputOptions): Promise<ThroughputResult> {
  const token = await agentToken(options.dataDir);
  const servers: Running[] = [];
  try {
    const hello = await startServer('bench/hello-server.ts', {});
    servers.push(hello);
    // (e) answers at DEEP, past the default depth a session may reach (SESSION_MAX_ANSWERS).
    const product = await startServer('src/main.ts', {
      DATA_DIR: options.dataDir,
      SESSION_MAX_ANSWERS: String(DEEP * 2),
    });
    servers.push(product);
    const call = <T>(method: 'GET' | 'POST', path: string, body?: unknown) =>
      api<T>(product.url, token, method, path, body);

    // (b) a step page one flow in, with its transcript: triage, then « Identification impossible ».
    const pages = await inParallel(Array.from({ length: options.sessions }), 8, async () => {
      const s = await call<StepJson>('POST', '/api/sessions', { uai: '0130001A' });
      await call('POST', `/api/sessions/${s.id}/events`, { type: 'DESCRIBE_MESSAGE', message: 'rien' });
      return call<StepJson>('POST', `/api/sessions/${s.id}/events`, {
        type: 'DESCRIBE_MESSAGE',
        message: 'Identification impossible',
      });
    });
    // (c) sessions at triage.start: answering at entry 1 again branches from the same step each time.
    const starts = await inParallel(Array.from({ length: options.sessions }), 8, () =>
      call<StepJson>('POST', '/api/sessions', { uai: '0130001A' }),
    );

    const auth = { Authorization: `Bearer ${token}` };
    const a = await run('(a) Hono hello world', hello, options, { method: 'GET', paths: ['/'] });
    const b = await run('(b) GET step page', product, options, {
      method: 'GET',
      headers: { Cookie: await agentCookie(product.url, options.dataDir) },
      paths: pages.map((p) => `/s/${p.id}/${p.seq}`),
    });
    const c = await run('(c) POST answer (JSON API)', product, options, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ type: 'DESCRIBE_MESSAGE', message: 'rien', at: 1 }),
      paths: starts.map((s) => `/api/sessions/${s.id}/events`),
    });

    // (d) and (e): the same answer, at entry 2 of sessions 2 deep and at entry DEEP of sessions DEEP deep
    // (a message not understood, again and again); answering there branches, so the depth stays the same.
    const rien = { type: 'DESCRIBE_MESSAGE', message: 'rien' };
    const deepRun = async (name: string, depth: number) => {
      const { id } = await call<StepJson>('POST', '/api/sessions', { uai: '0130001A' });
      for (let seq = 1; seq < depth; seq++) await call('POST', `/api/sessions/${id}/events`, rien);
      const copies = cloneSession(options.dataDir, id, options.sessions);
      return run(name, product, options, {
        method: 'POST',
        headers: { ...auth, 'Content-Type': 'application/json' },
        body: JSON.stringify({ ...rien, at: depth }),
        paths: copies.map((copy) => `/api/sessions/${copy}/events`),
      });
    };
    const shallow = await deepRun('(d) POST answer at depth 2', 2);
    const deep = await deepRun(`(e) POST answer at depth ${DEEP}`, DEEP);
    return {
      hello: a,
      page: b,
      answer: c,
      shallow,
      deep,
      deepDepth: DEEP,
      ratio: c.requestsPerSecond / a.requestsPerSecond,
      sessions: options.sessions,
      pageStep: pages[0]?.step ?? '',
    };
  } finally {
    for (const s of servers.reverse()) await s.stop();
  }
}
