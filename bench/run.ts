import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ImportResult, importBench } from './import.js';
import { type LookupResult, lookupBench } from './lookup.js';
import { type RegionImportResult, regionImportBench } from './region-import.js';
import {
  machine,
  mb,
  ms,
  rewriteNotes,
  type Section,
  type Stats,
  type Target,
  table,
  targetLine,
  writeReport,
} from './report.js';
import { ROOT } from './server.js';
import { type StartupResult, startupBench } from './startup.js';
import { type ThroughputResult, throughputBench } from './throughput.js';

/**
 * `npm run bench`: step throughput, identity lookup, import, start-up and memory, on 127.0.0.1 in
 * temporary folders; prints one TARGET line per goal and writes docs/BENCHMARKS.md.
 * BENCH_QUICK=1 runs every part small (a smoke run; docs/BENCHMARKS.md is then left alone);
 * BENCH_ONLY=throughput,lookup,import,startup,region-import runs some parts only (same);
 * BENCH_ONLY=notes runs nothing and writes bench/notes.md into docs/BENCHMARKS.md's Notes section.
 * BENCH_DATABASE_URL=postgres://… also times the identity lookup and the region import on that PostgreSQL
 * database (emptied first).
 */

const quick = process.env.BENCH_QUICK === '1';
const PARTS = 'throughput,startup,import,lookup,region-import';
const only = new Set((process.env.BENCH_ONLY ?? PARTS).split(','));
const full = !quick && only.size === PARTS.split(',').length;

const SIZES = quick
  ? {
      durationS: 2,
      sessions: 200,
      schools: 10,
      queries: 300,
      importRows: 10_000,
      starts: 1,
      stored: 1000,
      regionSchools: 10,
    }
  : {
      durationS: 10,
      sessions: 1000,
      schools: 500,
      queries: 2000,
      importRows: 100_000,
      starts: 3,
      stored: 10_000,
      regionSchools: 500,
    };

// Every part is bounded by its sizes and durations; this stops a run that hangs all the same.
const LIMIT_MS = 30 * 60_000;
setTimeout(() => {
  console.error(`bench: stopped after ${LIMIT_MS / 60_000} minutes`);
  process.exit(1);
}, LIMIT_MS).unref();

const work = mkdtempSync(join(tmpdir(), 'bench-assistant-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const began = performance.now();
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
const loads: Record<string, string> = {};

async function phase<T>(name: string, run: () => Promise<T> | T): Promise<T | null> {
  if (!only.has(name)) return null;
  const start = performance.now();
  const before = load();
  console.log(`… ${name} (load average ${before})`);
  const result = await run();
  loads[name] = `${before} → ${load()}`;
  console.log(`  ${name} done in ${((performance.now() - start) / 1000).toFixed(1)} s`);
  return result;
}

const dir = (name: string) => {
  const path = join(work, name);
  mkdirSync(path, { recursive: true });
  return path;
};

let throughput: ThroughputResult | null = null;
let startup: StartupResult | null = null;
let imported: ImportResult | null = null;
let lookup: LookupResult | null = null;
let lookupPg: LookupResult | null = null;
let region: RegionImportResult | null = null;
const pgUrl = process.env.BENCH_DATABASE_URL;
try {
  throughput = await phase('throughput', () =>
    throughputBench({
      dataDir: dir('throughput'),
      connections: 50,
      durationS: SIZES.durationS,
      sessions: SIZES.sessions,
    }),
  );
  startup = await phase('startup', () =>
    startupBench({
      workDir: dir('startup'),
      starts: SIZES.starts,
      sessions: SIZES.stored,
      requestsAfter: 1000,
    }),
  );
  imported = await phase('import', () =>
    importBench({ workDir: dir('import-files'), dataDir: dir('import-data'), rows: SIZES.importRows }),
  );
  lookup = await phase('lookup', () =>
    lookupBench({ dataDir: dir('lookup'), schools: SIZES.schools, perSchool: 2000, queries: SIZES.queries }),
  );
  region = await phase('region-import', () =>
    regionImportBench({
      workDir: dir('region-files'),
      dataDir: dir('region-data'),
      ...(pgUrl ? { databaseUrl: pgUrl } : {}),
      schools: SIZES.regionSchools,
      perSchool: 2000,
    }),
  );
  if (pgUrl && only.has('lookup')) {
    lookupPg = await lookupBench({
      dataDir: dir('lookup-pg'),
      databaseUrl: pgUrl,
      schools: SIZES.schools,
      perSchool: 2000,
      queries: SIZES.queries,
    });
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const targets: Target[] = [];
const sections: Section[] = [];
const statsRow = (name: string, s: Stats) => [name, String(s.count), ms(s.p50), ms(s.p99), ms(s.max)];

if (throughput) {
  const { hello, page, answer, ratio, shallow, deep } = throughput;
  const deepCpuRatio = deep.cpuMsPerRequest / shallow.cpuMsPerRequest;
  targets.push(
    {
      name: 'answer-throughput',
      measured: `(c)/(a) = ${ratio.toFixed(3)} (${Math.round(answer.requestsPerSecond)} / ${Math.round(hello.requestsPerSecond)} req/s)`,
      goal: '≥ 0.40',
      pass: ratio >= 0.4,
    },
    { name: 'answer-p99', measured: ms(answer.p99), goal: '≤ 25 ms', pass: answer.p99 <= 25 },
    {
      name: 'answer-cpu',
      measured: `${answer.cpuMsPerRequest.toFixed(3)} ms of server CPU per answer (c)`,
      goal: '≤ 0.15 ms',
      pass: answer.cpuMsPerRequest <= 0.15,
    },
    {
      name: 'deep-session',
      measured: `(e)/(d) = ${deepCpuRatio.toFixed(2)} in server CPU per answer (${deep.cpuMsPerRequest.toFixed(3)} / ${shallow.cpuMsPerRequest.toFixed(3)} ms; ${Math.round(deep.requestsPerSecond)} / ${Math.round(shallow.requestsPerSecond)} req/s)`,
      goal: '≤ 1.5',
      pass: deepCpuRatio <= 1.5 && deep.non2xx === 0,
    },
  );
  sections.push({
    title: 'Step throughput',
    body: [
      `autocannon, 50 connections, ${SIZES.durationS} s each; (b) and (c) over ${throughput.sessions} sessions each, every request on the next one`,
      `(a token of an admin agent, so the end users' rate limit does not apply). (b) is the page of \`${throughput.pageStep}\``,
      'with its transcript; (c) is `POST /api/sessions/<id>/events` with',
      '`{"type":"DESCRIBE_MESSAGE","message":"rien","at":1}` on a session at `triage.start`: it restores entry 1,',
      'transitions, settles, appends a new head and answers the step view as JSON. (d) and (e) are the same answer',
      `at entry 2 of sessions 2 entries deep and at entry ${throughput.deepDepth} of sessions ${throughput.deepDepth} deep (copies of one`,
      'session written into the database before the run, so the first answer to each one reads it).',
      '',
      table(
        ['run', 'requests/s', 'p50', 'p99', 'requests', 'non-2xx', 'errors', 'server CPU per request'],
        [hello, page, answer, shallow, deep].map((r) => [
          r.name,
          String(Math.round(r.requestsPerSecond)),
          `${r.p50} ms`,
          `${r.p99} ms`,
          String(r.requests),
          String(r.non2xx),
          String(r.errors),
          ms(r.cpuMsPerRequest),
        ]),
      ),
      '',
      `(c)/(a) = ${ratio.toFixed(3)}; (b)/(a) = ${(page.requestsPerSecond / hello.requestsPerSecond).toFixed(3)}.`,
    ].join('\n'),
  });
}

if (lookup) {
  targets.push({
    name: 'region-lookup-p99',
    measured: ms(lookup.region.p99),
    goal: '≤ 5 ms',
    pass: lookup.region.p99 <= 5 && !lookup.scans,
  });
  sections.push({
    title: 'Identity lookup',
    body: [
      `${lookup.accounts.toLocaleString('en')} generated accounts (${SIZES.schools} schools of 2,000: families sharing a nom,`,
      'twins, responsables without a birth date, teachers; common surnames weighted like the real ones, a long',
      'tail of rarer ones, accents, apostrophes, particles, compound noms and prénoms), loaded through',
      `\`sqlitePronote(db).loadSchool\` in ${ms(lookup.loadMs)}. Each lookup is \`findCandidates(uai | null, identity)\``,
      'then `matchIdentity`, for an ENT spelling of a known person (as is, no accents, part of a compound',
      'prénom, a typo, day/month swapped, nom and prénom swapped, or a usage name).',
      '',
      table(
        ['lookup', 'count', 'p50', 'p99', 'max'],
        [statsRow('one school (uai given)', lookup.school), statsRow('region (uai null)', lookup.region)],
      ),
      '',
      `Region: ${lookup.regionCandidates.toFixed(1)} candidates on average; verdicts ${Object.entries(
        lookup.verdicts,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(', ')}.`,
      '',
      `Plan of the region query (EXPLAIN QUERY PLAN), ${lookup.scans ? '**a table or index is scanned**' : 'no table or index scanned'}:`,
      '',
      '```',
      ...lookup.plan,
      '```',
    ].join('\n'),
  });
}

if (lookup) {
  const sqliteS = lookup.reconcile.totalMs / 1000;
  const pgS = lookupPg ? lookupPg.reconcile.totalMs / 1000 : null;
  targets.push({
    name: 'region-reconcile',
    measured: `${lookup.accounts.toLocaleString('en')} accounts, ${lookup.reconcile.schools} schools: SQLite ${sqliteS.toFixed(1)} s; PostgreSQL ${pgS === null ? 'not run (BENCH_DATABASE_URL unset)' : `${pgS.toFixed(1)} s`}`,
    goal: '≤ 60 s on each',
    pass: sqliteS <= 60 && (pgS === null || pgS <= 60),
  });
  const row = (store: string, r: LookupResult['reconcile']) => [
    store,
    String(r.schools),
    r.entAccounts.toLocaleString('en'),
    ms(r.entLoadMs),
    `${(r.totalMs / 1000).toFixed(1)} s`,
    ms(r.perSchool.p50),
    ms(r.perSchool.p99),
    ms(r.perSchool.max),
  ];
  sections.push({
    title: 'Region reconciliation',
    body: [
      'The same region, with its ENT directory: nine people in ten have an ENT account, spelt as an ENT may',
      'spell them (as in the lookups), loaded through the ENT loader. Then `reconcile` (what',
      '`npm run cli -- reconcile` and `/reconciliation/<UAI>` run) for every school, one after the other.',
      '',
      table(
        [
          'store',
          'schools',
          'ENT accounts',
          'ENT load',
          'all schools',
          'school p50',
          'school p99',
          'school max',
        ],
        [row('SQLite', lookup.reconcile), ...(lookupPg ? [row('PostgreSQL', lookupPg.reconcile)] : [])],
      ),
      '',
      `Findings (SQLite): ${Object.entries(lookup.reconcile.findings)
        .map(([k, v]) => `${k} ${v.toLocaleString('en')}`)
        .join(', ')}.`,
    ].join('\n'),
  });
}

if (lookupPg) {
  console.log(
    `lookup on PostgreSQL: load ${ms(lookupPg.loadMs)}, school p50 ${ms(lookupPg.school.p50)} p99 ${ms(lookupPg.school.p99)}, region p50 ${ms(lookupPg.region.p50)} p99 ${ms(lookupPg.region.p99)}, ${lookupPg.scans ? 'a table is scanned' : 'no table scanned'}`,
  );
  sections.push({
    title: 'Identity lookup on PostgreSQL',
    body: [
      `The same ${lookupPg.accounts.toLocaleString('en')} accounts and lookups through \`pgPronote(pool)\` (BENCH_DATABASE_URL),`,
      `loaded in ${ms(lookupPg.loadMs)}; each lookup is one statement over the network to the local server.`,
      '',
      table(
        ['lookup', 'count', 'p50', 'p99', 'max'],
        [statsRow('one school (uai given)', lookupPg.school), statsRow('region (uai null)', lookupPg.region)],
      ),
      '',
      `Plan of the region query (EXPLAIN), ${lookupPg.scans ? '**a table is read whole**' : 'no table read whole'}:`,
      '',
      '```',
      ...lookupPg.plan,
      '```',
    ].join('\n'),
  });
}

if (imported) {
  targets.push({
    name: 'import-100k',
    measured: `${imported.rows.toLocaleString('en')} rows in ${ms(imported.totalMs)}`,
    goal: '≤ 5 s',
    pass: imported.totalMs <= 5000,
  });
  sections.push({
    title: 'Import',
    body: [
      `${imported.rows.toLocaleString('en')} rows in three PRONOTE list exports (« Copier la liste (format CSV) » saved by Excel:`,
      `\`;\`, Windows-1252, CRLF; ${(imported.bytes / 2 ** 20).toFixed(1)} MB): ${imported.files.map((f) => `${f.rows} ${f.profile}`).join(', ')},`,
      'imported into one school through `importSchool` (the path of `npm run import`): read, decode, parse,',
      'check every row, link children to pupils, load in one transaction, in a process of its own. Total',
      `${ms(imported.totalMs)}.`,
      '',
      '```',
      ...imported.summary.split('\n').slice(0, 6),
      '```',
    ].join('\n'),
  });
}

if (region) {
  const { sqlite, postgres } = region;
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const load = (store: string, l: RegionImportResult['sqlite']) =>
    `${store} ${seconds(l.totalMs)} (CPU ${seconds(l.cpuMs)}, peak RSS ${mb(l.maxRssBytes)})`;
  targets.push({
    name: 'region-import',
    measured: `${region.people.toLocaleString('en')} people, ${region.files.length} AAF files (${(region.bytes / 2 ** 30).toFixed(2)} GB): ${load('SQLite', sqlite)}; ${postgres ? load('PostgreSQL', postgres) : 'PostgreSQL not run (BENCH_DATABASE_URL unset)'}`,
    goal: '≤ 60 s on each',
    pass: sqlite.totalMs <= 60_000 && (postgres === null || postgres.totalMs <= 60_000),
  });
  const row = (store: string, l: RegionImportResult['sqlite']) => [
    store,
    l.stored.toLocaleString('en'),
    String(l.schools),
    seconds(l.totalMs),
    seconds(l.cpuMs),
    mb(l.maxRssBytes),
  ];
  sections.push({
    title: 'Region import (AAF)',
    body: [
      `An académie's AAF delivery for ${region.people.toLocaleString('en')} people in ${SIZES.regionSchools} schools: pupils, their`,
      'responsables (birth date empty, as the AAF leaves it), teachers and staff (one in ten in two schools),',
      `in ${region.files.length} files of at most 100,000 records per category (${region.files.map((f) => f.name.replace('ENT_Complet_20250901_', '')).join(', ')};`,
      `${(region.bytes / 2 ** 20).toFixed(0)} MB, about ${Math.round(region.bytes / region.people)} bytes a person). Loaded through \`importAafRegion\` (the path of`,
      '`npm run import -- --region`): files parsed on worker threads, streamed from the disk, while the main',
      'thread stores every person in each school named, all in one transaction; in a process of its own per',
      "store, timed from the first byte read to the commit. CPU is the process's, every thread.",
      '',
      table(
        ['store', 'identities', 'schools', 'wall', 'CPU', 'peak RSS'],
        [row('SQLite', sqlite), ...(postgres ? [row('PostgreSQL', postgres)] : [])],
      ),
      '',
      `The files read alone (one thread, nothing stored): ${seconds(region.readMs)}, CPU ${seconds(region.readCpuMs)}.`,
    ].join('\n'),
  });
}

if (startup) {
  const worst = Math.max(startup.fresh.p50, startup.existing.p50);
  targets.push(
    {
      name: 'start-to-first-answer',
      measured: `${ms(startup.fresh.p50)} empty data, ${ms(startup.existing.p50)} filled (median of ${startup.fresh.count})`,
      goal: '≤ 1.5 s',
      pass: worst <= 1500,
    },
    {
      name: 'memory-10k-sessions',
      measured: `${mb(startup.rss)} resident with ${startup.sessions.toLocaleString('en')} sessions`,
      goal: '≤ 200 MB',
      pass: startup.rss <= 200 * 2 ** 20,
    },
  );
  sections.push({
    title: 'Start-up and memory',
    body: [
      '`node dist/src/main.js` (the build `npm start` runs) with its own DATA_DIR and PORT, timed from the',
      'spawn to the first answer of `GET /`, polled every 5 ms; for comparison, the sources through tsx',
      "(`npm run dev`), after one start not counted that fills tsx's cache.",
      '',
      table(
        ['start', 'count', 'p50', 'p99', 'max'],
        [
          statsRow('empty data folder (migrations, demo seed)', startup.fresh),
          statsRow('filled data folder', startup.existing),
          statsRow('filled data folder, sources through tsx', startup.viaTsx),
        ],
      ),
      '',
      `Then ${startup.sessions.toLocaleString('en')} sessions created through \`POST /api/sessions\` (every flow, half of them on a school),`,
      `and ${startup.requestsAfter} requests (step pages and JSON) over them: VmRSS ${mb(startup.rss)} (peak VmHWM ${mb(startup.hwm)}).`,
      `A server restarted on those sessions, after the same requests: ${mb(startup.rssRestarted)}.`,
    ].join('\n'),
  });
}

const seconds = (performance.now() - began) / 1000;
sections.push({
  title: 'Machine load',
  body: [
    'Load average (1, 5, 15 min) before → after each part: other processes on the machine share its cores,',
    'so requests/s and wall times move with them; the server CPU per request moves less.',
    '',
    table(
      ['part', 'load average'],
      Object.entries(loads).map(([k, v]) => [k, v]),
    ),
    '',
    `Whole run: ${seconds.toFixed(0)} s.`,
  ].join('\n'),
});

if (throughput) {
  for (const r of [
    throughput.hello,
    throughput.page,
    throughput.answer,
    throughput.shallow,
    throughput.deep,
  ]) {
    console.log(
      `  ${r.name}: ${Math.round(r.requestsPerSecond)} req/s, p50 ${r.p50} ms, p99 ${r.p99} ms, non-2xx ${r.non2xx}, server CPU ${ms(r.cpuMsPerRequest)}/request`,
    );
  }
}
if (lookup)
  console.log(
    `  school lookup p50 ${ms(lookup.school.p50)}, p99 ${ms(lookup.school.p99)}; region p50 ${ms(lookup.region.p50)}`,
  );
if (region)
  console.log(
    `  region import: ${(region.bytes / 2 ** 20).toFixed(0)} MB read alone (one thread, nothing stored) in ${(region.readMs / 1000).toFixed(1)} s, CPU ${(region.readCpuMs / 1000).toFixed(1)} s`,
  );
console.log('');
for (const t of targets) console.log(targetLine(t));
const notesPath = join(ROOT, 'bench', 'notes.md');
const notes = existsSync(notesPath) ? readFileSync(notesPath, 'utf8') : '';
if (full) {
  writeReport(join(ROOT, 'docs', 'BENCHMARKS.md'), machine(), targets, sections, notes);
  console.log(`\ndocs/BENCHMARKS.md written (${seconds.toFixed(0)} s).`);
} else if (only.has('notes')) {
  rewriteNotes(join(ROOT, 'docs', 'BENCHMARKS.md'), notes);
  console.log('docs/BENCHMARKS.md: Notes written from bench/notes.md.');
}
