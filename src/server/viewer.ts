import type { SessionRecord } from '../store/session-port.js';

/** Who is asking. Agents sign in and are allowed on a list of schools (UAI) or on all of them. */
export type Viewer =
  | { kind: 'public' }
  | { kind: 'agent'; name: string; admin: boolean; schools: readonly string[] | 'all' };

export const PUBLIC_VIEWER: Viewer = { kind: 'public' };

export function isAllowedOn(viewer: Viewer, uai: string | null): boolean {
  if (viewer.kind !== 'agent') return false;
  if (viewer.schools === 'all') return true;
  return uai !== null && viewer.schools.includes(uai);
}

/**
 * A public session is reachable by its unguessable link alone; an agent's session holds school data and
 * opens only for an agent allowed on that school (or on every school when it has none yet).
 */
export function canOpen(viewer: Viewer, session: SessionRecord): boolean {
  if (session.audience === 'public') return true;
  if (viewer.kind !== 'agent') return false;
  return session.uai === null || isAllowedOn(viewer, session.uai);
}
