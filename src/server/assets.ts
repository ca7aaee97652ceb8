import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Hono } from 'hono';
import { PROJECT_DIR } from '../engine/project-dir.js';

const require = createRequire(import.meta.url);
const publicDir = join(PROJECT_DIR, 'public');

/** Static files, all served from our own origin: installed packages and `public/`. Read once at start-up. */
const FILES: Record<string, { path: string; type: string }> = {
  'htmx.min.js': {
    path: require.resolve('htmx.org/dist/htmx.min.js'),
    type: 'text/javascript; charset=utf-8',
  },
  'pico.min.css': {
    path: require.resolve('@picocss/pico/css/pico.min.css'),
    type: 'text/css; charset=utf-8',
  },
  'app.css': { path: join(publicDir, 'app.css'), type: 'text/css; charset=utf-8' },
  'app.js': { path: join(publicDir, 'app.js'), type: 'text/javascript; charset=utf-8' },
};

export function assetRoutes(): Hono {
  const loaded = new Map(
    Object.entries(FILES).map(([name, f]) => [name, { body: readFileSync(f.path), type: f.type }]),
  );
  const app = new Hono();
  app.get('/:name', (c) => {
    const file = loaded.get(c.req.param('name'));
    if (!file) return c.notFound();
    return c.body(file.body, 200, { 'Content-Type': file.type, 'Cache-Control': 'public, max-age=3600' });
  });
  return app;
}
