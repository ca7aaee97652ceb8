import { serve } from '@hono/node-server';
import { readConfigOrExit } from './server/config.js';
import { scheduleDailyPurge } from './server/daily-purge.js';
import { startServices } from './server/start.js';

const config = readConfigOrExit();
const { port, host: hostname } = config;
const { app, logger, banner, stores } = await startServices(config);
const purge = scheduleDailyPurge({ retention: stores.retention, policy: config.retention, logger });

const server = serve({ fetch: app.fetch, port, hostname }, (info) => {
  const url = `http://${hostname === '0.0.0.0' ? '127.0.0.1' : hostname}:${info.port}/`;
  logger.info({ url }, 'listening');
  console.log(`${config.branding.name} : ${url}`);
  for (const line of banner) console.log(line);
});

// A proxy's rolling restart sends SIGTERM: answers under way finish and are stored, then the database is
// closed; new connections go to the other instances meanwhile.
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    logger.info({ signal }, 'stopping');
    purge.stop();
    const forced = setTimeout(() => process.exit(1), 10_000);
    forced.unref();
    server.close(() => {
      stores.close().then(
        () => process.exit(0),
        () => process.exit(1),
      );
    });
  });
}
