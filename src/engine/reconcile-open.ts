import { z } from 'zod';
import { ESPACES, type FlowId } from '../../flows/types.js';
import type { PronotePort } from '../pronote/port.js';
import { EngineError, EventRejected } from './errors.js';
import type { CasIdIssue, EntRow, EspaceIssue, ParentWithoutAccess } from './reconcile.js';
import type { Engine } from './session-engine.js';

/**
 * Opening a reconciliation finding as a flow: an agent session on the school, in the flow that fixes it,
 * taken to the step where the agent decides (the comparison, the selection to clear, the responsable's
 * access, the console), with what the reconciliation found filled in.
 */

const text = z.string().trim().min(1).max(128);

/** What a finding's « Ouvrir » button posts: a kind of target and one value, nothing else to trust. */
export const openTargetSchema = z.discriminatedUnion('target', [
  /** auth-error: the ENT login, compared with PRONOTE. */
  z.object({ target: z.literal('compare'), value: text }),
  /** changed-account: this account's « Identifiant CAS », found and selected for clearing. */
  z.object({ target: z.literal('clear'), value: text }),
  /** changed-account: the accounts sharing this « Identifiant CAS », to choose from. */
  z.object({ target: z.literal('find-cas-id'), value: text }),
  /** single-parent: this responsable, its « Accès à l'Espace Parents » checked. */
  z.object({ target: z.literal('grant'), value: text }),
  /** profile-wide: this espace's publication checked. */
  z.object({ target: z.literal('publish'), value: z.enum(ESPACES) }),
]);
export type OpenTarget = z.infer<typeof openTargetSchema>;

export function rowTarget(row: EntRow): OpenTarget | null {
  const f = row.finding;
  if (f.kind === 'linked') return null;
  if (f.kind === 'other-cas-id') return { target: 'clear', value: f.account.id };
  return { target: 'compare', value: row.ent.login };
}

export const casIdTarget = (issue: CasIdIssue): OpenTarget =>
  issue.kind === 'duplicate'
    ? { target: 'find-cas-id', value: issue.casId }
    : { target: 'clear', value: issue.account.id };

export const parentTarget = (p: ParentWithoutAccess): OpenTarget => ({
  target: 'grant',
  value: p.account.id,
});

/** A base not published fails every espace: checking any one of them finds it. */
export const espaceTarget = (e: EspaceIssue): OpenTarget => ({
  target: 'publish',
  value: e.kind === 'base' ? 'eleves' : e.espace,
});

interface Plan {
  flow: FlowId;
  events: Array<{ type: string; [field: string]: unknown }>;
}

async function planOf(pronote: PronotePort, uai: string, t: OpenTarget): Promise<Plan> {
  const account = async (id: string) => {
    const a = await pronote.getAccount(uai, id);
    if (!a) throw new EngineError(404, 'Ce compte n’existe plus dans la base PRONOTE de l’établissement.');
    return a;
  };
  switch (t.target) {
    case 'compare':
      return { flow: 'auth-error', events: [{ type: 'SUBMIT_IDENTITY', login: t.value }] };
    case 'clear': {
      const a = await account(t.value);
      if (!a.casId) throw new EngineError(409, 'Ce compte n’a plus d’identifiant CAS : rien à supprimer.');
      return {
        flow: 'changed-account',
        events: [
          { type: 'SEARCH', query: a.casId },
          { type: 'SELECT_ACCOUNTS', accountIds: [a.id] },
        ],
      };
    }
    case 'find-cas-id':
      return { flow: 'changed-account', events: [{ type: 'SEARCH', query: t.value }] };
    case 'grant': {
      const a = await account(t.value);
      return {
        flow: 'single-parent',
        events: [
          { type: 'SEARCH', query: `${a.nom} ${a.prenom}` },
          { type: 'SELECT_ACCOUNT', accountId: a.id },
        ],
      };
    }
    case 'publish':
      return { flow: 'profile-wide', events: [{ type: 'CHOOSE_PROFILE', profile: t.value }] };
  }
}

/**
 * Starts the agent session and sends the events that reach the finding's step; returns the session id.
 * If the data moved since the page was shown and an event no longer applies, the session stays at the
 * step it reached: the agent carries on from there.
 */
export async function openFinding(
  deps: { engine: Engine; pronote: PronotePort },
  uai: string,
  target: OpenTarget,
  agent: string,
): Promise<string> {
  const plan = await planOf(deps.pronote, uai, target);
  const { id } = await deps.engine.start({ audience: 'agent', uai, flow: plan.flow, owner: agent });
  for (const event of plan.events) {
    try {
      await deps.engine.send(id, event, { actor: agent });
    } catch (err) {
      if (err instanceof EventRejected) break;
      throw err;
    }
  }
  return id;
}
