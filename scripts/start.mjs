// `npm start`: the compiled server under plain node, built first when dist/ is missing or older than a
// source (so that `npm ci && npm start` works on a fresh clone). In the same process, so that a service
// manager's signals reach the server itself.
import { build, buildIsStale } from './build.mjs';

try {
  if (buildIsStale()) {
    console.log('Compilation (dist/ manquante ou périmée)…');
    build();
  }
} catch (err) {
  console.error(err.message);
  process.exit(1);
}
await import('../dist/src/main.js');
