import { describe, expect, it } from 'vitest';
import { getStateNodes } from 'xstate/graph';
import { rootMachine } from '../../flows/root.machine.js';
import type { StepMeta } from '../../flows/types.js';

/**
 * Step ids appear in ticket links already written and in integrations' code: renaming one breaks them.
 * Changing this list must be a decision, never an accident.
 */
const PINNED = [
  'triage.start',
  'triage.not-understood',
  'triage.no-access',
  'triage.site-unavailable',
  'triage.wrong-credentials',
  'triage.session-expired',
  'triage.one-person',
  'triage.resolved',
  'triage.escalate',
  'auth-error.identify',
  'auth-error.compare',
  'auth-error.ask-compare',
  'auth-error.choose-manual-fix',
  'auth-error.fix-identity-manual',
  'auth-error.fix-cas-id-manual',
  'auth-error.choose-account',
  'auth-error.not-found',
  'auth-error.search-account',
  'auth-error.choose-fix',
  'auth-error.fix-identity',
  'auth-error.fix-cas-id',
  'auth-error.verify',
  'auth-error.confirm',
  'auth-error.confirm-link',
  'auth-error.double-auth',
  'auth-error.check-code',
  'auth-error.resolved',
  'auth-error.escalate',
  'changed-account.find',
  'changed-account.search',
  'changed-account.not-found',
  'changed-account.select',
  'changed-account.confirm-clear',
  'changed-account.clear',
  'changed-account.verify',
  'changed-account.clear-manual',
  'changed-account.confirm',
  'changed-account.resolved',
  'changed-account.escalate',
  'profile-wide.choose-profile',
  'profile-wide.check-publication',
  'profile-wide.ask-publication',
  'profile-wide.publish-manual',
  'profile-wide.offer-publish',
  'profile-wide.publish',
  'profile-wide.verify',
  'profile-wide.published',
  'profile-wide.confirm',
  'profile-wide.resolved',
  'profile-wide.escalate',
  'single-parent.find',
  'single-parent.search',
  'single-parent.not-found',
  'single-parent.select',
  'single-parent.check-access',
  'single-parent.ask-access',
  'single-parent.grant-manual',
  'single-parent.offer-grant',
  'single-parent.grant',
  'single-parent.verify',
  'single-parent.access-ok',
  'single-parent.confirm',
  'single-parent.resolved',
  'single-parent.escalate',
];

const nodes = getStateNodes(rootMachine.root).filter((n) => (n.meta as StepMeta | undefined)?.step);
const metas = nodes.map((n) => n.meta as StepMeta);

describe('step ids', () => {
  it('are exactly the pinned list', () => {
    expect(metas.map((m) => m.step).sort()).toEqual([...PINNED].sort());
  });

  it('name their flow first and point at their content file', () => {
    for (const m of metas) {
      expect(m.step).toMatch(/^(triage|auth-error|changed-account|profile-wide|single-parent)\.[a-z-]+$/);
      expect(m.content).toBe(m.step.replace('.', '/'));
    }
  });

  it('are carried by every leaf state', () => {
    const leaves = getStateNodes(rootMachine.root).filter((n) => n.type === 'atomic');
    expect(leaves.every((n) => (n.meta as StepMeta | undefined)?.step)).toBe(true);
  });

  it('end every flow in resolved or escalate', () => {
    for (const flow of ['triage', 'auth-error', 'changed-account', 'profile-wide', 'single-parent']) {
      expect(PINNED).toContain(`${flow}.resolved`);
      expect(PINNED).toContain(`${flow}.escalate`);
    }
    const ends = metas.filter((m) => m.kind === 'end').map((m) => m.step.split('.')[1]);
    expect(new Set(ends)).toEqual(new Set(['resolved', 'escalate']));
  });
});
