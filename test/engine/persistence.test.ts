import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/sqlite/database.js';
import { createTestApp } from '../helpers/test-app.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'assistant-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('sessions on disk', () => {
  it('survive a restart: same step, same transcript', async () => {
    const dir = tempDir();
    const first = await createTestApp({ db: openDatabase(dir) });
    const { body } = await first.json('/api/sessions', { flow: 'single-parent' });
    const id = body.id as string;
    await first.json(`/api/sessions/${id}/events`, { type: 'ANSWER_NO' });
    first.db.close();

    const second = await createTestApp({ db: openDatabase(dir) });
    const after = await second.json(`/api/sessions/${id}`);
    expect(after.body.step).toBe('single-parent.grant-manual');
    expect(after.body.view.transcript).toHaveLength(1);
    const next = await second.json(`/api/sessions/${id}/events`, { type: 'DONE' });
    expect(next.body.step).toBe('single-parent.confirm');
  });

  it('a snapshot written by an unknown machine version gets a clear message, not a crash', async () => {
    const api = await createTestApp();
    const { body } = await api.json('/api/sessions', {});
    api.db.prepare('UPDATE session_entries SET machine_version = 999').run();
    // Read by a process started after the change, as after an upgrade (a running one keeps what it stored).
    const restarted = await createTestApp({ db: api.db });
    const res = await restarted.app.request(`/s/${body.id}`);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain('version précédente');
  });

  it('a snapshot whose state no longer exists gets the same clear message', async () => {
    const api = await createTestApp();
    const { body } = await api.json('/api/sessions', {});
    const row = api.db.prepare('SELECT snapshot FROM session_entries').get() as { snapshot: string };
    const snapshot = JSON.parse(row.snapshot);
    snapshot.value = { triage: 'renamedState' };
    api.db.prepare('UPDATE session_entries SET snapshot = ?').run(JSON.stringify(snapshot));
    const restarted = await createTestApp({ db: api.db });
    const res = await restarted.json(`/api/sessions/${body.id}`);
    expect(res.status).toBe(410);
  });

  it('going back to an earlier step and answering again branches, keeping the old answers', async () => {
    const api = await createTestApp();
    const { body } = await api.json('/api/sessions', {});
    const id = body.id as string;
    await api.json(`/api/sessions/${id}/events`, { type: 'CHOOSE_PROFILE_WIDE' });
    const back = await api.json(`/api/sessions/${id}/events`, { type: 'CHOOSE_SINGLE_PARENT', at: 1 });
    expect(back.status).toBe(200);
    // An end user is asked no name they would type for nothing: straight to the question on access.
    expect(back.body.step).toBe('single-parent.ask-access');
    expect(back.body.view.transcript).toHaveLength(1);
    const count = api.db
      .prepare('SELECT COUNT(*) AS n FROM session_entries WHERE session_id = ?')
      .get(id) as { n: number };
    expect(count.n).toBe(3);
  });

  it('two answers sent at once from the same step: one is taken, the other is told', async () => {
    const api = await createTestApp();
    const { body } = await api.json('/api/sessions', {});
    const id = body.id as string;
    const [a, b] = await Promise.all([
      api.json(`/api/sessions/${id}/events`, { type: 'CHOOSE_PROFILE_WIDE' }),
      api.json(`/api/sessions/${id}/events`, { type: 'CHOOSE_SINGLE_PARENT' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
  });
});
