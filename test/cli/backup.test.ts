import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { backupCli } from '../../src/cli/backup-cli.js';
import { DEMO_CASES } from '../../src/pronote/demo-data.js';
import { freePorts, runCli, startInstance, stopInstance } from '../helpers/instances.js';

/** Sessions in a database file, and whether each one's head entry is there (a torn copy would lose some). */
function sessionsIn(file: string): { sessions: number; headless: number } {
  const db = new BetterSqlite3(file, { readonly: true });
  try {
    const sessions = (db.prepare('SELECT COUNT(*) AS n FROM sessions').get() as { n: number }).n;
    const headless = (
      db
        .prepare(
          'SELECT COUNT(*) AS n FROM sessions s WHERE NOT EXISTS (SELECT 1 FROM session_entries e WHERE e.session_id = s.id AND e.seq = s.head_seq)',
        )
        .get() as { n: number }
    ).n;
    return { sessions, headless };
  } finally {
    db.close();
  }
}

describe('backup and restore of the SQLite database', () => {
  const dir = mkdtempSync(join(tmpdir(), 'backup-'));
  const dataDir = join(dir, 'data');
  const env = { DATA_DIR: dataDir, DEMO_DATA: '1' };
  const children: ChildProcess[] = [];
  afterAll(async () => {
    await Promise.all(children.map(stopInstance));
    rmSync(dir, { recursive: true, force: true });
  });

  it('backs up while a server writes, refuses to restore under it, then restores once it is stopped', async () => {
    const [port] = await freePorts(1);
    const server = await startInstance(env, port as number);
    children.push(server);
    const token = (await runCli(['token', 'create', 'admin'], env)).stdout.trim();
    const url = `http://127.0.0.1:${port}`;
    const post = async (path: string, body: unknown) => {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      return (await res.json()) as { id: string };
    };

    // Writers going on for the whole backup: each session is created, then answered once.
    let writing = true;
    let written = 0;
    const writer = async () => {
      while (writing) {
        const { id } = await post('/api/sessions', { flow: 'auth-error', uai: DEMO_CASES.uai });
        await post(`/api/sessions/${id}/events`, {
          type: 'SUBMIT_IDENTITY',
          login: DEMO_CASES.dateSwapped.login,
        });
        written += 1;
      }
    };
    const writers = Array.from({ length: 4 }, writer);
    while (written < 20) await new Promise((resolve) => setTimeout(resolve, 20));
    const file = join(dir, 'sauvegarde.db');
    const backup = await runCli(['backup', file], env);
    const afterBackup = written;
    await new Promise((resolve) => setTimeout(resolve, 300));
    writing = false;
    await Promise.all(writers);

    expect(backup.stderr).toBe('');
    expect(backup.code).toBe(0);
    expect(backup.stdout).toMatch(
      /^Sauvegarde écrite : .*sauvegarde\.db \(.* Mo ; \d+ sessions, 2 établissements\)\./,
    );
    const saved = sessionsIn(file);
    expect(saved.sessions).toBeGreaterThanOrEqual(20);
    expect(saved.sessions).toBeLessThanOrEqual(afterBackup + 4);
    expect(saved.headless).toBe(0);
    expect(readdirSync(dir).filter((name) => name.includes('partiel'))).toEqual([]);

    const refused = await runCli(['restore', file], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/arrêtez chaque instance/);

    await stopInstance(server);
    const live = sessionsIn(join(dataDir, 'assistant.db'));
    expect(live.sessions).toBeGreaterThan(saved.sessions);
    const restored = await runCli(['restore', file], env);
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/^Base restaurée depuis /);
    expect(sessionsIn(join(dataDir, 'assistant.db'))).toEqual(saved);
    // The database it replaced is kept, whole: the restore can be undone.
    const kept = readdirSync(dataDir).find((name) => name.startsWith('assistant.db.avant-restauration-'));
    expect(kept).toBeDefined();
    expect(sessionsIn(join(dataDir, kept as string)).sessions).toBe(live.sessions);

    const [again] = await freePorts(1);
    children.push(await startInstance(env, again as number));
    expect((await fetch(`http://127.0.0.1:${again}/readyz`)).status).toBe(200);
  }, 120_000);

  it('refuses to restore a file that is not a backup, and leaves the database as it was', async () => {
    const stranger = join(dir, 'autre.db');
    const db = new BetterSqlite3(stranger);
    db.exec('CREATE TABLE notes (texte TEXT)');
    db.close();
    const other = join(dir, 'vide');
    const refused = await runCli(['restore', stranger], { DATA_DIR: other });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/n’est pas une sauvegarde de l’assistant/);
    expect(existsSync(join(other, 'assistant.db'))).toBe(false);
    const missing = await runCli(['restore', join(dir, 'absent.db')], { DATA_DIR: other });
    expect(missing.stderr).toMatch(/Fichier introuvable/);
  });

  it('sends PostgreSQL users to pg_dump and pg_restore', async () => {
    const answer = await backupCli('backup', 'x.db', {
      dataDir: dir,
      databaseUrl: 'postgres://x@localhost/y',
    });
    expect(answer).toEqual({ error: expect.stringMatching(/pg_dump .*pg_restore/) });
  });
});
