import { afterEach, describe, expect, it, vi } from 'vitest';
import { scheduleDailyPurge } from '../../src/server/daily-purge.js';
import { createLogger } from '../../src/server/logger.js';
import type { PurgeCounts, Retention } from '../../src/store/retention.js';

const COUNTS: PurgeCounts = {
  publicSessions: 3,
  agentSessions: 0,
  requests: 1,
  journalEntries: 0,
  corrections: 0,
  identityChecks: 2,
};
const POLICY = { publicDays: 90, agentDays: 365, journalNamesDays: 365 };

describe('the purge inside the server', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('purges a minute after the start, then once a day, logs the counts, and stops with the server', async () => {
    vi.useFakeTimers();
    const calls: Array<{ dryRun: boolean }> = [];
    const retention: Retention = {
      purge: async (_policy, options) => {
        calls.push({ dryRun: options.dryRun });
        return calls.length === 2 ? null : COUNTS;
      },
    };
    const lines: string[] = [];
    const logger = createLogger('info', { write: (line: string) => lines.push(line) });
    const purge = scheduleDailyPurge({ retention, policy: POLICY, logger });
    await vi.advanceTimersByTimeAsync(59_000);
    expect(calls).toHaveLength(0);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(calls).toEqual([{ dryRun: false }]);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ msg: 'retention purge', purge: COUNTS });
    // The next day another instance holds the lock: nothing to log.
    await vi.advanceTimersByTimeAsync(86_400_000);
    expect(calls).toHaveLength(2);
    expect(lines).toHaveLength(1);
    purge.stop();
    await vi.advanceTimersByTimeAsync(3 * 86_400_000);
    expect(calls).toHaveLength(2);
  });

  it('logs a failed purge and tries again the next day', async () => {
    vi.useFakeTimers();
    let attempts = 0;
    const retention: Retention = {
      purge: async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('database unreachable');
        return COUNTS;
      },
    };
    const lines: string[] = [];
    const purge = scheduleDailyPurge({
      retention,
      policy: POLICY,
      logger: createLogger('info', { write: (line: string) => lines.push(line) }),
    });
    await vi.advanceTimersByTimeAsync(60_000 + 86_400_000);
    purge.stop();
    expect(attempts).toBe(2);
    expect(lines.map((l) => JSON.parse(l).msg)).toEqual(['retention purge failed', 'retention purge']);
  });
});
