import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import {
  agentCookie,
  agentToken,
  api,
  cpuMsOf,
  inParallel,
  type Running,
  type StartOptions,
  startServer,
} from './server.js';

/**
 * `npm run bench:profile`: where the server's CPU goes for one kind of request. Two servers on one data
 * folder: one plain, whose CPU per request (from /proc) under autocannon is the figure, one under
 * `node --cpu-prof`, whose samples taken during the same load are attributed to the layer that spent them;
 * each layer gets its share of the plain server's CPU per request (the profiler's own sampling costs the
 * server several times what it measures, so its absolute times are not used).
 *
 * PROFILE_RUN=answer (default, the (c) answer of the throughput bench) | page (b) | session (GET of the JSON
 * view); PROFILE_SECONDS (10); PROFILE_LOG_LEVEL (warn, as the throughput bench; `info` writes the request
 * lines, to /dev/null); PROFILE_DETAIL=1 names functions rather than libraries within each layer;
 * PROFILE_KEEP=1 keeps the .cpuprofile. PROFILE_AGAINST=<another checkout> instead compares the plain
 * server's CPU per request with that checkout's, in PROFILE_ROUNDS (5) alternate runs of PROFILE_AMOUNT
 * (1000) requests at a fixed PROFILE_RATE (150/s): on a shared machine the CPU per request moves with the
 * throughput a server gets (a busy server reads several requests per wake-up), so both are held to the
 * same one, and the other processes' load moves the figure between runs more than most changes do.
 */

const kind = process.env.PROFILE_RUN ?? 'answer';
const seconds = Number(process.env.PROFILE_SECONDS ?? 10);
const sessions = 500;
/** PROFILE_DETAIL=1: the leaves are functions (name, file, line) rather than libraries. */
const byFunction = process.env.PROFILE_DETAIL === '1';
const against = process.env.PROFILE_AGAINST;
const rounds = Number(process.env.PROFILE_ROUNDS ?? 5);

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * Layers, by the file of a frame; the innermost frame of the product's own middleware or route on a
 * sample's stack names the layer, libraries below it count for it (its SHA-256, its SQL, its JSON).
 */
const PRODUCT_LAYERS: Array<[RegExp, string]> = [
  [/src\/server\/request-log\.ts/, 'request log (id, route pattern, pino)'],
  [/src\/server\/metrics\.ts/, 'metrics (prom-client)'],
  [/src\/server\/client-address\.ts/, 'client address'],
  [/src\/server\/csrf\.ts/, 'CSRF'],
  [/src\/server\/auth\.ts|src\/store\/\w+\/agents\.ts|src\/server\/secrets\.ts/, 'bearer token check'],
  [/src\/server\/rate-limit\.ts|src\/store\/rate-counter\.ts/, 'rate limits'],
  [/src\/server\/session-access\.ts/, 'session access check'],
  [/src\/engine\/step-view\.ts|src\/engine\/content\.ts|src\/engine\/event-view/, 'step view model'],
  [/src\/engine\/|src\/store\/|flows\//, 'engine and store (answer, append)'],
  [/views\/|src\/server\/render\.tsx/, 'JSX render'],
  [/src\/server\/api-routes\.ts/, 'API route (read JSON, c.json)'],
  [/src\/server\/page-routes\.tsx/, 'page route'],
  [/src\/server\/app\.tsx/, 'app middleware (body bound, viewer, limits)'],
];
/** Where no product frame is on the stack: what serves every request, hello world's too. */
const LIBRARY_LAYERS: Array<[RegExp, string]> = [
  [/hono\/dist\/middleware\/secure-headers/, 'secure headers'],
  [/hono\/dist\/middleware\/body-limit/, 'app middleware (body bound, viewer, limits)'],
  [/@hono\/node-server/, 'Node adapter (@hono/node-server)'],
  [/hono\/dist/, 'Hono (router, compose, context)'],
  [/^node:|^internal\//, 'Node (HTTP parse, sockets, timers)'],
];
/** Inside a layer: what the time went to. */
const LEAVES: Array<[RegExp, string]> = [
  [/pino|sonic-boom|fast-redact/, 'pino'],
  [/prom-client/, 'prom-client'],
  [/xstate/, 'xstate'],
  [/better-sqlite3/, 'SQLite'],
  [/hono\/dist\/jsx/, 'hono/jsx'],
  [/hono\/dist/, 'hono'],
  [/@hono\/node-server/, 'node-server'],
  [/zod/, 'zod'],
  [/^node:|^internal\//, 'node'],
];

/**
 * Node's async context tracking (async_hooks' promise hooks), on once an AsyncLocalStorage has run: it
 * costs every promise of the process, whatever layer made it.
 */
const isAsyncContext = (frame: CallFrame | undefined) =>
  frame !== undefined &&
  (/async_hooks/.test(frame.url) ||
    ['executionAsyncResource', 'promiseInitHook'].includes(frame.functionName));

function attribute(profile: CpuProfile, fromUs: number, toUs: number) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
  const layerOf = new Map<number, { layer: string; leaf: string }>();
  const classify = (id: number) => {
    const known = layerOf.get(id);
    if (known) return known;
    const leafNode = byId.get(id) as ProfileNode;
    const name = leafNode.callFrame.functionName;
    let leaf = leafNode.callFrame.url === '' ? `(native) ${name}` : 'own code';
    for (const [re, label] of LEAVES) if (re.test(leafNode.callFrame.url)) leaf = label;
    if (byFunction)
      leaf = `${name || '(anonymous)'} ${leafNode.callFrame.url.replace(/^.*\//, '')}:${leafNode.callFrame.lineNumber}`;
    let layer: string | null = null;
    if (name === '(garbage collector)') layer = 'garbage collection';
    else if (name === '(program)') layer = '(program: native, unattributed)';
    else if (name === '(idle)') layer = '(idle)';
    let library: string | null = null;
    for (let at: number | undefined = id; layer === null && at !== undefined; at = parent.get(at)) {
      const url = byId.get(at)?.callFrame.url ?? '';
      for (const [re, label] of PRODUCT_LAYERS)
        if (re.test(url)) {
          layer = label;
          break;
        }
      if (library === null)
        for (const [re, label] of LIBRARY_LAYERS)
          if (re.test(url)) {
            library = label;
            break;
          }
    }
    const result = { layer: layer ?? library ?? 'other', leaf };
    layerOf.set(id, result);
    return result;
  };
  const counts = new Map<string, { n: number; leaves: Map<string, number> }>();
  let t = profile.startTime;
  let total = 0;
  let asyncContext = 0;
  profile.samples.forEach((id, i) => {
    t += profile.timeDeltas[i] ?? 0;
    if (t < fromUs || t > toUs) return;
    const { layer, leaf } = classify(id);
    if (layer === '(idle)') return;
    total++;
    const entry = counts.get(layer) ?? { n: 0, leaves: new Map() };
    entry.n++;
    entry.leaves.set(leaf, (entry.leaves.get(leaf) ?? 0) + 1);
    counts.set(layer, entry);
    if (isAsyncContext(byId.get(id)?.callFrame)) asyncContext++;
  });
  return { counts, total, asyncContext };
}

type StepJson = { id: string; seq: number };
type Load = Array<{
  method: string;
  headers: Record<string, string>;
  body?: string;
  setupRequest: (r: object) => object;
}>;

/** A server on its own data folder, its sessions and the autocannon requests of PROFILE_RUN for it. */
async function prepare(dataDir: string, options: StartOptions): Promise<{ server: Running; requests: Load }> {
  mkdirSync(dataDir, { recursive: true });
  const token = await agentToken(dataDir);
  const server = await startServer(
    'src/main.ts',
    { DATA_DIR: dataDir, LOG_LEVEL: process.env.PROFILE_LOG_LEVEL ?? 'warn' },
    options,
  );
  const call = <T>(method: 'GET' | 'POST', path: string, body?: unknown) =>
    api<T>(server.url, token, method, path, body);
  const starts = await inParallel(Array.from({ length: sessions }), 8, async () => {
    const s = await call<StepJson>('POST', '/api/sessions', { uai: '0130001A' });
    if (kind !== 'page') return s;
    await call('POST', `/api/sessions/${s.id}/events`, { type: 'DESCRIBE_MESSAGE', message: 'rien' });
    return call<StepJson>('POST', `/api/sessions/${s.id}/events`, {
      type: 'DESCRIBE_MESSAGE',
      message: 'Identification impossible',
    });
  });
  const auth = { Authorization: `Bearer ${token}` };
  const request: { method: string; headers: Record<string, string>; body?: string; paths: string[] } =
    kind === 'page'
      ? {
          method: 'GET',
          headers: { Cookie: await agentCookie(server.url, dataDir) },
          paths: starts.map((s) => `/s/${s.id}/${s.seq}`),
        }
      : kind === 'session'
        ? { method: 'GET', headers: auth, paths: starts.map((s) => `/api/sessions/${s.id}`) }
        : {
            method: 'POST',
            headers: { ...auth, 'Content-Type': 'application/json' },
            body: JSON.stringify({ type: 'DESCRIBE_MESSAGE', message: 'rien', at: 1 }),
            paths: starts.map((s) => `/api/sessions/${s.id}/events`),
          };
  let next = 0;
  const requests = [
    {
      method: request.method,
      headers: request.headers,
      ...(request.body ? { body: request.body } : {}),
      setupRequest: (req: object) => ({ ...req, path: request.paths[next++ % request.paths.length] ?? '/' }),
    },
  ];
  // Not counted: the JIT warms up.
  await autocannon({ url: server.url, connections: 50, amount: 3000, requests });
  return { server, requests };
}

interface Measured {
  count: number;
  non2xx: number;
  cpuUsPerRequest: number;
  /** CLOCK_MONOTONIC in µs, as V8's profile timestamps: the load's window within a profile. */
  from: number;
  to: number;
  seconds: number;
  load: string;
}

async function measure(
  { server, requests }: { server: Running; requests: Load },
  pace?: { amount: number; rate: number },
): Promise<Measured> {
  const before = loadavg()[0] ?? 0;
  const pid = server.child.pid as number;
  const cpuBefore = cpuMsOf(pid);
  const from = Number(process.hrtime.bigint() / 1000n);
  const result = await autocannon({
    url: server.url,
    requests,
    ...(pace
      ? { connections: 10, amount: pace.amount, overallRate: pace.rate }
      : { connections: 50, duration: seconds }),
  });
  const to = Number(process.hrtime.bigint() / 1000n);
  const cpuMs = cpuMsOf(pid) - cpuBefore;
  const count = Object.values(result.statusCodeStats).reduce((n, s) => n + s.count, 0);
  return {
    count,
    non2xx: result.non2xx,
    cpuUsPerRequest: (cpuMs * 1000) / Math.max(1, count),
    seconds: result.duration,
    from,
    to,
    load: `load average ${before.toFixed(2)} → ${(loadavg()[0] ?? 0).toFixed(2)}`,
  };
}

const line = (name: string, m: Measured) =>
  `${name}: ${m.count} requests in ${m.seconds.toFixed(1)} s (${Math.round(m.count / m.seconds)}/s, non-2xx ${m.non2xx}), ` +
  `server CPU ${m.cpuUsPerRequest.toFixed(0)} µs per request; ${m.load}`;
const median = (values: number[]) => [...values].sort((x, y) => x - y)[Math.floor(values.length / 2)] ?? 0;

const work = mkdtempSync(join(tmpdir(), 'bench-profile-'));
const profDir = join(work, 'prof');
const servers: Running[] = [];
try {
  if (against) {
    const here = await prepare(join(work, 'here'), {});
    const there = await prepare(join(work, 'there'), { root: against });
    servers.push(here.server, there.server);
    const cpu: { here: number[]; there: number[] } = { here: [], there: [] };
    const pace = {
      amount: Number(process.env.PROFILE_AMOUNT ?? 1000),
      rate: Number(process.env.PROFILE_RATE ?? 150),
    };
    for (let round = 0; round < rounds; round++) {
      const a = await measure(there, pace);
      console.log(line(`${kind} ${against}`, a));
      const b = await measure(here, pace);
      console.log(line(`${kind} this checkout`, b));
      cpu.there.push(a.cpuUsPerRequest);
      cpu.here.push(b.cpuUsPerRequest);
    }
    const [h, t] = [median(cpu.here), median(cpu.there)];
    // Each run against the other's run just before it: the load moves less within a pair than across rounds.
    const paired = median(cpu.here.map((x, i) => x / (cpu.there[i] ?? x)));
    console.log(
      `median server CPU per request: ${t.toFixed(0)} µs (${against}) → ${h.toFixed(0)} µs (this checkout); ` +
        `median of paired ratios ${paired.toFixed(2)}`,
    );
  } else {
    const plain = await prepare(join(work, 'plain'), {});
    servers.push(plain.server);
    const cpu = await measure(plain);
    console.log(line(kind, cpu));
    await plain.server.stop();
    const profiled = await prepare(join(work, 'profiled'), {
      nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${profDir}`, '--cpu-prof-interval=100'],
    });
    servers.push(profiled.server);
    const sampled = await measure(profiled);
    console.log(line(`${kind} (profiler on)`, sampled));
    await profiled.server.stop();
    const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
    if (!file) throw new Error('no .cpuprofile written');
    const profile = JSON.parse(readFileSync(join(profDir, file), 'utf8')) as CpuProfile;
    const { counts, total, asyncContext } = attribute(profile, sampled.from, sampled.to);
    console.log(`${total} samples on the main thread during the load; µs from the plain server's figure`);
    console.log('');
    console.log('| layer | µs per request | share | of which |');
    console.log('| --- | --- | --- | --- |');
    for (const [layer, { n, leaves }] of [...counts].sort((a, b) => b[1].n - a[1].n)) {
      const share = n / total;
      const detail = [...leaves]
        .sort((a, b) => b[1] - a[1])
        .slice(0, byFunction ? 12 : 4)
        .map(([leaf, m]) => `${leaf} ${Math.round((100 * m) / n)} %`)
        .join(', ');
      console.log(
        `| ${layer} | ${(share * cpu.cpuUsPerRequest).toFixed(0)} | ${(100 * share).toFixed(1)} % | ${detail} |`,
      );
    }
    console.log(
      `\nAcross layers: async context tracking (promise hooks) ${((100 * asyncContext) / total).toFixed(1)} % ` +
        `(${((asyncContext / total) * cpu.cpuUsPerRequest).toFixed(0)} µs per request).`,
    );
    if (process.env.PROFILE_KEEP === '1') {
      const kept = join(tmpdir(), `${kind}-${Date.now()}.cpuprofile`);
      renameSync(join(profDir, file), kept);
      console.log(`\nprofile kept: ${kept}`);
    }
  }
} finally {
  for (const s of servers) await s.stop();
  rmSync(work, { recursive: true, force: true });
}
