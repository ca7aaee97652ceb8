import type { Database } from 'better-sqlite3';
import { type Identity, matchIdentity } from '../src/pronote/matching.js';
import type { NewAccount, PronoteAccount } from '../src/pronote/port.js';
import { sqlitePronote } from '../src/pronote/sqlite.js';
import { openDatabase } from '../src/store/database.js';
import { entSpelling, type Person, pronoteNom, rng, schoolPeople } from './names.js';
import { type Stats, stats } from './report.js';

export interface LookupOptions {
  dataDir: string;
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

/** Loads `schools × perSchool` generated accounts through the real loader, one school per transaction. */
async function loadRegion(db: Database, options: LookupOptions) {
  const pronote = sqlitePronote(db);
  const r = rng(20_240_901);
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
  }
  return { pronote, sample };
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

export async function lookupBench(options: LookupOptions): Promise<LookupResult> {
  const db = openDatabase(options.dataDir);
  const t0 = performance.now();
  const { pronote, sample } = await loadRegion(db, options);
  const loadMs = performance.now() - t0;

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
  const plan = withDate ? await planOf(db, () => lookup(null, withDate.ent, false)) : [];
  const scans = plan.some((line) => /^SCAN (pronote_accounts|pronote_nom_parts|a|p)\b/.test(line));

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
  db.close();
  return {
    accounts: options.schools * options.perSchool,
    loadMs,
    school,
    region,
    regionCandidates: candidates / queries.length,
    verdicts,
    plan,
    scans,
  };
}
