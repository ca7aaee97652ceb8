import { MACHINE_VERSION } from '../../flows/root.machine.js';
import { SessionOutdated } from './errors.js';

/**
 * Upgrades a stored snapshot written by an older machine, one version at a time. A snapshot from a
 * version with no migration, or from a newer one, is refused with a clear message rather than restored
 * into states that no longer mean the same thing.
 */
const MIGRATIONS: Record<number, (snapshot: unknown) => unknown> = {};

export function migrateSnapshot(snapshot: unknown, version: number): unknown {
  let current = snapshot;
  for (let v = version; v < MACHINE_VERSION; v++) {
    const step = MIGRATIONS[v];
    if (!step) throw new SessionOutdated();
    current = step(current);
  }
  if (version > MACHINE_VERSION) throw new SessionOutdated();
  return current;
}
