import pg from 'pg';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { healthRoutes } from '../../src/server/health-routes.js';
import { pgStores, type Stores, sqliteStores } from '../../src/server/stores.js';
import { openMemoryDatabase } from '../../src/store/sqlite/database.js';
import { fr } from '../helpers/french.js';
import { createTestDatabase, describePg } from '../helpers/pg.js';
import { content, createTestApp } from '../helpers/test-app.js';

const silent = pino({ level: 'silent' });

/** Opens a store, and runs one SQL statement straight on its database (as an operator's mistake would). */
type Opened = { stores: Stores; sql: (statement: string) => Promise<void> };

function probes(
  describeOn: (name: string, body: () => void) => void,
  name: string,
  open: () => Promise<Opened>,
) {
  describeOn(`health probes: ${name}`, () => {
    const opened: Stores[] = [];
    const start = async () => {
      const { stores, sql } = await open();
      opened.push(stores);
      return { ...(await createTestApp({ stores })), sql };
    };
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close().catch(() => {})));
    });

    it('/healthz answers ok, sets no cookie and stores nothing', async () => {
      const { app } = await start();
      const res = await app.request('/healthz');
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('ok');
      expect(res.headers.get('Set-Cookie')).toBeNull();
      expect(res.headers.get('Cache-Control')).toBe('no-store');
    });

    it('/readyz answers ready when the database is migrated and the content loaded', async () => {
      const { app } = await start();
      const res = await app.request('/readyz');
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ ready: true });
      expect(res.headers.get('Set-Cookie')).toBeNull();
    });

    it('/readyz answers 503 naming the scope when the database lacks a schema step this build knows', async () => {
      const { app, sql } = await start();
      await sql(
        "DELETE FROM schema_migrations WHERE scope = 'sessions' AND version = (SELECT MAX(version) FROM schema_migrations WHERE scope = 'sessions')",
      );
      const res = await app.request('/readyz');
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        ready: false,
        reason: fr('schéma de la base en retard : sessions'),
      });
    });

    it('/readyz answers 503 when the database is gone, without telling its address', async () => {
      const { app, stores } = await start();
      await stores.close();
      const res = await app.request('/readyz');
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ ready: false, reason: 'base de données injoignable' });
    });

    it('probes are not rate-limited: a load balancer polling hard always gets its answer', async () => {
      const { app } = await start();
      const statuses = new Set<number>();
      for (let i = 0; i < 200; i++) statuses.add((await app.request('/readyz')).status);
      expect([...statuses]).toEqual([200]);
    });
  });
}

probes(describe, 'SQLite', async () => {
  const db = openMemoryDatabase();
  return {
    stores: sqliteStores(db),
    sql: async (statement) => {
      db.exec(statement);
    },
  };
});

// One database for the file, a new schema in it per test: much quicker than a database per test.
let database: Promise<string> | undefined;
let schemas = 0;
probes(describePg, 'PostgreSQL', async () => {
  database ??= createTestDatabase();
  const url = new URL(await database);
  schemas += 1;
  await sqlOn(url.toString(), `CREATE SCHEMA probe_${schemas}`);
  url.searchParams.set('options', `-c search_path=probe_${schemas}`);
  return {
    stores: await pgStores(url.toString()),
    sql: (statement) => sqlOn(url.toString(), statement),
  };
});

async function sqlOn(url: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

describe('/readyz without content', () => {
  it('answers 503 when no step text was loaded', async () => {
    const empty = { ...content, stepIds: () => [] };
    const res = await healthRoutes({ content: empty, logger: silent }).request('/readyz');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ ready: false, reason: 'contenu des étapes non chargé' });
  });
});
