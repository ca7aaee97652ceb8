import type { Logger } from 'pino';
import type { PurgeCounts, Retention, RetentionPolicy } from '../store/retention.js';

const DAY_MS = 86_400_000;

/** The purge's figures in French, for the command line (counts only: nobody is named). */
export function purgeSummary(counts: PurgeCounts | null, dryRun: boolean): string {
  if (!counts) return 'Une autre instance purge en ce moment : rien n’a été fait ici.';
  const [anonymised, deleted, erased] = dryRun
    ? ['à anonymiser', 'à supprimer', 'à effacer']
    : ['anonymisées', 'supprimées', 'effacés'];
  return [
    dryRun ? 'Essai (--dry-run) : rien n’est modifié.' : 'Purge faite.',
    `  Sessions d’usagers ${anonymised} : ${counts.publicSessions}`,
    `  Sessions d’agents ${anonymised} : ${counts.agentSessions}`,
    `  Demandes aux établissements ${deleted} : ${counts.requests}`,
    `  Vérifications de compte expirées ${deleted} : ${counts.identityChecks}`,
    `  Entrées du journal aux noms ${erased} : ${counts.journalEntries}`,
    `  Corrections aux noms ${erased} : ${counts.corrections}`,
  ].join('\n');
}

/**
 * The purge inside the server: a minute after the start, then once a day. With several instances on
 * PostgreSQL, only the one holding the advisory lock does the work; the others find it taken and skip.
 */
export function scheduleDailyPurge(options: {
  retention: Retention;
  policy: RetentionPolicy;
  logger: Logger;
  firstAfterMs?: number;
}): { stop(): void } {
  const run = async () => {
    try {
      const counts = await options.retention.purge(options.policy, { now: new Date(), dryRun: false });
      if (counts) options.logger.info({ purge: counts }, 'retention purge');
    } catch (err) {
      options.logger.error({ err }, 'retention purge failed');
    }
  };
  let daily: NodeJS.Timeout | undefined;
  const first = setTimeout(() => {
    void run();
    daily = setInterval(() => void run(), DAY_MS);
    daily.unref();
  }, options.firstAfterMs ?? 60_000);
  first.unref();
  return {
    stop() {
      clearTimeout(first);
      clearInterval(daily);
    },
  };
}
