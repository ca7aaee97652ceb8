import type { Database } from 'better-sqlite3';
import { reconcileEach } from '../src/engine/reconcile.js';
import type { EntAccount, EntDirectory, EntLoader } from '../src/ent/port.js';
import { sqliteEntDirectory } from '../src/ent/sqlite/index.js';
import { type Identity, matchIdentity } from '../src/pronote/matching.js';
import type { NewAccount, PronoteAccount } from '../src/pronote/model.js';
import type { PronoteLoader, PronotePort } from '../src/pronote/port.js';
import { sqlitePronote } from '../src/pronote/sqlite/index.js';
import { openPostgres } from '../src/store/pg/pool.js';
import { openDatabase } from '../src/store/sqlite/database.js';
import { entSpelling, type Person, pronoteNom, rng, schoolPeople } from './names.js';
import { type Stats, stats } from './report.js';

export interface LookupOptions {
  dataDir: string;
  /** A PostgreSQL database (emptied first) to run on instead of the SQLite file of `dataDir`. */
  databaseUrl?: string;
  schools: number;
  perSchool: number;
  /** Timed lookups of each kind (after as many again to warm up, a tenth of them). */
  queries: number;
}

export interface LookupResult {
  accounts: number;
  loadMs: number;
  school: Stats;
  region: Stats;
  /** Average candidates the port returned, and the verdicts matchIdentity gave. */
  regionCandidates: number;
  verdicts: Record<string, number>;
  plan: string[];
  /** Whether the plan of the region query reads a table or an index end to end. */
  scans: boolean;
  reconcile: RegionReconcile;
}

/** Every school of the region reconciled, one after the other, as `npm run cli -- reconcile` does. */
export interface RegionReconcile {
  schools: number;
  entAccounts: number;
  entLoadMs: number;
  totalMs: number;
  perSchool: Stats;
  findings: Record<string, number>;
}

const uaiOf = (n: number) => `${String(130_000 + n).padStart(7, '0')}${'ABCDEFGHJKLMNPRSTUVWXYZ'[n % 23]}`;

const asIdentity = (a: PronoteAccount) => ({
  id: a.id,
  nom: a.nom,
  prenom: a.prenom,
  ...(a.dateNaissance ? { dateNaissance: a.dateNaissance } : {}),
});

function toAccounts(r: () => number, school: number, people: Person[]): NewAccount[] {
  return people.map((p, i) => ({
    id: `${p.profile}-${school}-${i}`,
    profile: p.profile,
    nom: pronoteNom(r, p.nom),
    prenom: p.prenom,
    dateNaissance: p.dateNaissance,
    casId: null,
    pronoteEntId: null,
    classe: p.classe,
    espaceParents: p.profile === 'responsable' ? r() < 0.9 : null,
    email: null,
  }));
}

const ascii = (text: string) =>
  text
    .normalize('NFD')
    .replace(/[^A-Za-z]/g, '')
    .toLowerCase();

/**
 * The school's ENT directory: nine people in ten have an account, spelt as an ENT may spell them
 * (`entSpelling`), under a login made of their prénom and nom.
 */
function entAccounts(r: () => number, uai: string, people: Person[]): EntAccount[] {
  const accounts: EntAccount[] = [];
  people.forEach((p, i) => {
    if (r() < 0.1) return;
    const spelt = entSpelling(r, p);
    const [d, m, y] = spelt.dateNaissance?.split('/') ?? [];
    accounts.push({
      login: `${ascii(p.prenom).slice(0, 12)}.${ascii(p.nom).slice(0, 12)}${i}`,
      uai,
      nom: spelt.nom,
      prenom: spelt.prenom,
      dateNaissance: y && m && d ? `${y}-${m}-${d}` : null,
      profiles: [p.profile],
    });
  });
  return accounts;
}

/** Loads `schools × perSchool` generated accounts through the real loader, one school per transaction. */
async function loadRegion(pronote: PronotePort & PronoteLoader, ent: EntLoader, options: LookupOptions) {
  const r = rng(20_240_901);
  const spelling = rng(11);
  const entLoad = { accounts: 0, ms: 0 };
  const sample: Array<{ uai: string; person: Person }> = [];
  const every = Math.max(1, Math.floor((options.schools * options.perSchool) / (options.queries * 4)));
  let n = 0;
  for (let s = 0; s < options.schools; s += 1) {
    const uai = uaiOf(s);
    const people = schoolPeople(r, options.perSchool);
    await pronote.loadSchool(
      { school: { uai, name: `Collège n° ${s + 1}` }, accounts: toAccounts(r, s, people), links: [] },
      { replace: false },
    );
    for (const person of people) if (n++ % every === 0) sample.push({ uai, person });
    const started = performance.now();
    const accounts = entAccounts(spelling, uai, people);
    await ent.replaceSchool(uai, accounts);
    entLoad.ms += performance.now() - started;
    entLoad.accounts += accounts.length;
  }
  return { sample, entLoad };
}

/**
 * Every school of the region reconciled, one after the other, as the CLI does (`reconcileEach`: the next
 * school read while one is graded); a school's time runs from the previous one's report to its own.
 */
async function reconcileRegion(
  pronote: PronotePort,
  ent: EntDirectory,
  options: LookupOptions,
  entLoad: { accounts: number; ms: number },
): Promise<RegionReconcile> {
  const findings: Record<string, number> = {};
  const times: number[] = [];
  const t1 = performance.now();
  let last = t1;
  const uais = Array.from({ length: options.schools }, (_, s) => uaiOf(s));
  for await (const { report } of reconcileEach({ pronote, ent }, uais)) {
    const now = performance.now();
    times.push(now - last);
    last = now;
    for (const row of report?.rows ?? []) findings[row.finding.kind] = (findings[row.finding.kind] ?? 0) + 1;
  }
  return {
    schools: options.schools,
    entAccounts: entLoad.accounts,
    entLoadMs: entLoad.ms,
    totalMs: performance.now() - t1,
    perSchool: stats(times),
    findings,
  };
}

/** The SQL the port runs, caught once at `prepare`, and SQLite's plan for it. */
async function planOf(db: Database, run: () => Promise<void>): Promise<string[]> {
  const prepare = db.prepare.bind(db);
  const seen: string[] = [];
  const spy = ((sql: string) => {
    seen.push(sql);
    return prepare(sql);
  }) as Database['prepare'];
  db.prepare = spy;
  try {
    await run();
  } finally {
    db.prepare = prepare;
  }
  const sql = seen.find((s) => s.includes('pronote_accounts'));
  if (!sql) return ['(no statement prepared during the call: already cached)'];
  const params = Object.fromEntries(
    [...new Set(sql.match(/@\w+/g) ?? [])].map((p) => [p.slice(1), p === '@limit' ? 50 : 'X']),
  );
  return db
    .prepare(`EXPLAIN QUERY PLAN ${sql}`)
    .all(params)
    .map((row) => String((row as { detail: string }).detail));
}

/** PostgreSQL's plan for the statement the port sends about accounts during `run`, caught at the pool. */
async function pgPlanOf(pool: ReturnType<typeof openPostgres>, run: () => Promise<void>): Promise<string[]> {
  const query = pool.query.bind(pool);
  const seen: Array<{ sql: string; values: unknown[] }> = [];
  const spy = ((sql: string, values: unknown[]) => {
    seen.push({ sql, values });
    return query(sql, values);
  }) as typeof pool.query;
  pool.query = spy;
  try {
    await run();
  } finally {
    pool.query = query;
  }
  const found = seen.find((s) => s.sql.includes('pronote_accounts'));
  if (!found) return ['(no statement about accounts)'];
  const { rows } = await query<{ 'QUERY PLAN': string }>(`EXPLAIN ${found.sql}`, found.values);
  return rows.map((row) => row['QUERY PLAN']);
}

/** The port under test on SQLite (the `dataDir` file) or PostgreSQL, and how to read its query plan. */
async function openRegion(options: LookupOptions) {
  if (!options.databaseUrl) {
    const db = openDatabase(options.dataDir);
    return {
      pronote: sqlitePronote(db),
      ent: sqliteEntDirectory(db),
      plan: (run: () => Promise<void>) => planOf(db, run),
      scans: (plan: string[]) =>
        plan.some((line) => /^SCAN (pronote_accounts|pronote_nom_parts|a|p)\b/.test(line)),
      analyze: async () => {},
      close: async () => db.close(),
    };
  }
  const pool = openPostgres(options.databaseUrl);
  await pool.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
  const { pgPronote } = await import('../src/pronote/pg/index.js');
  const { pgEntDirectory } = await import('../src/ent/pg/index.js');
  return {
    pronote: await pgPronote(pool),
    ent: await pgEntDirectory(pool),
    plan: (run: () => Promise<void>) => pgPlanOf(pool, run),
    scans: (plan: string[]) => plan.some((line) => /Seq Scan on pronote_(accounts|nom_parts)\b/.test(line)),
    // Statistics for the planner after a bulk load, as autovacuum would gather them shortly after.
    analyze: async () => {
      await pool.query('ANALYZE');
    },
    close: () => pool.end(),
  };
}

export async function lookupBench(options: LookupOptions): Promise<LookupResult> {
  const store = await openRegion(options);
  const { pronote } = store;
  const t0 = performance.now();
  const { sample, entLoad } = await loadRegion(pronote, store.ent, options);
  const loadMs = performance.now() - t0 - entLoad.ms;
  await store.analyze();

  const r = rng(7);
  const queries = Array.from({ length: options.queries }, () => {
    const { uai, person } = sample[Math.floor(r() * sample.length)] as (typeof sample)[number];
    return { uai, ent: entSpelling(r, person) as Identity };
  });
  const verdicts: Record<string, number> = {};
  let candidates = 0;
  const lookup = async (uai: string | null, ent: Identity, count: boolean) => {
    const pool = await pronote.findCandidates(uai, ent);
    const result = matchIdentity(ent, pool.map(asIdentity));
    if (count) {
      verdicts[result.verdict] = (verdicts[result.verdict] ?? 0) + 1;
      candidates += pool.length;
    }
  };

  const withDate = queries.find((q) => q.ent.dateNaissance !== undefined) ?? queries[0];
  const plan = withDate ? await store.plan(() => lookup(null, withDate.ent, false)) : [];
  const scans = store.scans(plan);

  const timed = async (uaiOf: (q: (typeof queries)[number]) => string | null, count: boolean) => {
    for (const q of queries.slice(0, Math.ceil(queries.length / 10))) await lookup(uaiOf(q), q.ent, false);
    const times: number[] = [];
    for (const q of queries) {
      const start = process.hrtime.bigint();
      await lookup(uaiOf(q), q.ent, count);
      times.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
    return stats(times);
  };
  const school = await timed((q) => q.uai, false);
  const region = await timed(() => null, true);
  const reconciled = await reconcileRegion(pronote, store.ent, options, entLoad);
  await store.close();
  return {
    accounts: options.schools * options.perSchool,
    loadMs,
    school,
    region,
    regionCandidates: candidates / queries.length,
    verdicts,
    plan,
    scans,
    reconcile: reconciled,
  };
}
