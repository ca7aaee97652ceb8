// The compiled build: `dist/` from src/, flows/ and views/ (tsc), what `npm start` runs with plain node.
// Plain JavaScript, since it runs before anything is compiled.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const OUT = join(ROOT, 'dist');
const STAMP = join(OUT, '.built');
const SOURCES = ['src', 'flows', 'views', 'tsconfig.json', 'tsconfig.build.json'];

/** The newest change under the sources; folders count too, so that a deleted file makes the build stale. */
function newestChange(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, name)));
  return newest;
}

/** Whether dist/ is missing or older than a source. */
export function buildIsStale() {
  if (!existsSync(STAMP)) return true;
  const built = statSync(STAMP).mtimeMs;
  return SOURCES.some((source) => newestChange(join(ROOT, source)) > built);
}

/** Compiles into a fresh dist/ (no file of a source since removed stays behind); throws on a type error. */
export function build() {
  let tsc;
  try {
    tsc = join(dirname(createRequire(import.meta.url).resolve('typescript/package.json')), 'bin', 'tsc');
  } catch {
    throw new Error(
      'La version compilée (dist/) manque ou est périmée, et TypeScript n’est pas installé pour la refaire : lancez « npm ci » puis « npm run build ».',
    );
  }
  rmSync(OUT, { recursive: true, force: true });
  const run = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (run.status !== 0) {
    rmSync(OUT, { recursive: true, force: true });
    throw new Error('La compilation a échoué (voir les erreurs ci-dessus).');
  }
  writeFileSync(STAMP, `${new Date().toISOString()}\n`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  try {
    if (!process.argv.includes('--if-stale') || buildIsStale()) build();
  } catch (err) {
    console.error(err.message);
    process.exit(1);
  }
}
