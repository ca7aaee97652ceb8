import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataDirProblems, openDatabase } from '../../src/store/sqlite/database.js';

const mode = (path: string) => statSync(path).mode & 0o777;

/** Finding 6: the database holds personal data and the cookie and CSRF secrets. */
describe('the data folder and the database files', () => {
  const made: string[] = [];
  const tmp = () => {
    const dir = mkdtempSync(join(tmpdir(), 'i15-perm-'));
    made.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('are created readable by the service user only, whatever the umask', () => {
    const previous = process.umask(0o022);
    try {
      const dataDir = join(tmp(), 'data');
      const db = openDatabase(dataDir);
      db.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1);');
      expect(mode(dataDir)).toBe(0o700);
      for (const file of ['assistant.db', 'assistant.db-wal', 'assistant.db-shm'])
        expect(mode(join(dataDir, file)), file).toBe(0o600);
      db.close();
      expect(dataDirProblems(dataDir)).toEqual([]);
    } finally {
      process.umask(previous);
    }
  });

  it('looser rights left from before are reported at start-up, in French', () => {
    const dataDir = tmp();
    openDatabase(dataDir).close();
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'assistant.db'), 0o644);
    const problems = dataDirProblems(dataDir);
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toMatch(/755.*chmod 700/);
    expect(problems.join('\n')).toMatch(/assistant\.db.*644.*chmod 600/);
  });
});
