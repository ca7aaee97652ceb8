import { readConfig } from './src/server/config.js';
import { startServices } from './src/server/start.js';
process.env.LOG_LEVEL='silent';
const { app, stores } = await startServices(readConfig({ DATA_DIR: '/tmp/i16b/dims', LOG_LEVEL: 'silent', PORT: '46001', PUBLIC_URL: 'http://127.0.0.1:46001/' }));
const { layoutMap } = await import('./views/flow-layout.js');
for (const f of ['triage','auth-error','changed-account','profile-wide','single-parent']) { const t=performance.now(); const r = await app.request('/flows/'+f); console.log(f, (await r.text()).length, performance.now()-t); }
await stores.close();
