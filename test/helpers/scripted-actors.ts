import { fromPromise } from 'xstate';
import type { FlowContext, flowActors } from '../../flows/setup.js';
import type {
  AccessResult,
  AccountSummary,
  ComparisonResult,
  FixResult,
  PublicationResult,
  SearchResult,
} from '../../flows/types.js';

/**
 * Checks and fixes whose answers a test scripts in advance: each invocation takes the next output from
 * the queue. The path tests queue, before each event, the outputs the walked path expects.
 */
export function scriptedActors() {
  const queue: unknown[] = [];
  const next = <T>() =>
    fromPromise<T, FlowContext>(async () => {
      if (queue.length === 0) throw new Error('No scripted output left');
      return queue.shift() as T;
    });
  const actors: typeof flowActors = {
    compareIdentity: next<ComparisonResult>(),
    fixIdentity: next<FixResult>(),
    linkCasId: next<FixResult>(),
    findAccounts: next<SearchResult>(),
    clearCasIds: next<FixResult>(),
    checkPublication: next<PublicationResult>(),
    publishEspace: next<FixResult>(),
    findResponsables: next<SearchResult>(),
    checkParentAccess: next<AccessResult>(),
    grantParentAccess: next<FixResult>(),
  };
  return { actors, queue };
}

const account = (id: string, extra: Partial<AccountSummary> = {}): AccountSummary => ({
  id,
  profile: 'eleve',
  nom: 'MARTIN',
  prenom: 'Léa',
  dateNaissance: '2011-04-03',
  classe: '5A',
  version: 1,
  ...extra,
});

const ent = { login: 'lea.martin', nom: 'Martin', prenom: 'Lea', dateNaissance: '2011-03-04' };
const rows: ComparisonResult['rows'] = [
  { field: 'nom', ent: 'Martin', pronote: 'MARTIN', verdict: 'normalised' },
  { field: 'prenom', ent: 'Lea', pronote: 'Léa', verdict: 'normalised' },
  { field: 'dateNaissance', ent: '2011-03-04', pronote: '2011-04-03', verdict: 'close' },
];
const fix = (kind: FixResult['kind'], outcome: FixResult['outcome']): FixResult => ({
  outcome,
  kind,
  ...(outcome === 'done'
    ? {
        changes: [
          {
            accountId: 'acc-1',
            label: 'MARTIN Léa',
            field: 'Né(e) le',
            before: '03/04/2011',
            after: '04/03/2011',
          },
        ],
        auditId: 'a1',
      }
    : {}),
  ...(outcome === 'conflict' ? { reason: 'changed', current: [account('acc-1', { version: 2 })] } : {}),
  ...(outcome === 'refused' ? { reason: 'cas-id-taken' } : {}),
});
const fixOutcomes = (kind: FixResult['kind']) =>
  Object.fromEntries((['done', 'manual', 'conflict', 'refused'] as const).map((o) => [o, fix(kind, o)]));

/** One realistic output per outcome of every check and fix, keyed by invoke id. */
export const SAMPLE_OUTPUTS: Record<string, Record<string, unknown>> = {
  compareIdentity: {
    // The identities agree: nothing for fix 1 to do, « rien à corriger » offered.
    match: {
      outcome: 'match',
      ent,
      account: account('acc-1', { dateNaissance: '2011-03-04' }),
      rows: rows.map((r) => ({ ...r, verdict: r.verdict === 'close' ? 'exact' : r.verdict })),
      linked: false,
    } satisfies ComparisonResult,
    // The birth date differs and the account keeps an old login: fix 1, fix 2 and « supprimer » offered.
    mismatch: {
      outcome: 'mismatch',
      ent,
      account: account('acc-1', { casId: 'lea.martin.old' }),
      rows,
    } satisfies ComparisonResult,
    ambiguous: {
      outcome: 'ambiguous',
      ent,
      candidates: [account('acc-1'), account('acc-2', { classe: '4B' })],
    } satisfies ComparisonResult,
    none: { outcome: 'none', ent } satisfies ComparisonResult,
    unknown: { outcome: 'unknown' } satisfies ComparisonResult,
    linked: {
      outcome: 'mismatch',
      ent,
      account: account('acc-1', { casId: 'lea.martin' }),
      rows,
      linked: true,
    } satisfies ComparisonResult,
    // The school's PRONOTE.net asks the PRONOTE login once: the identity does not decide.
    'double-auth': {
      outcome: 'mismatch',
      ent,
      account: account('acc-1'),
      rows,
      mode: 'double-auth',
    } satisfies ComparisonResult,
    // The school's PRONOTE.net goes by the code the ENT sends, here another person's.
    'pronote-ent-id': {
      outcome: 'mismatch',
      ent,
      account: account('acc-1'),
      rows,
      mode: 'pronote-ent-id',
      code: { verdict: 'other-account', sent: 'PE-2', expected: 'PE-1', holder: account('acc-2') },
    } satisfies ComparisonResult,
  },
  fixIdentity: fixOutcomes('identity'),
  linkCasId: fixOutcomes('cas-id'),
  clearCasIds: fixOutcomes('clear-cas-ids'),
  publishEspace: fixOutcomes('publish'),
  grantParentAccess: fixOutcomes('espace-parents'),
  findAccounts: {
    found: {
      outcome: 'found',
      accounts: [account('acc-1', { casId: 'lea.martin2' }), account('acc-2')],
    } satisfies SearchResult,
    none: { outcome: 'none', accounts: [] } satisfies SearchResult,
    unknown: { outcome: 'unknown' } satisfies SearchResult,
  },
  findResponsables: {
    found: {
      outcome: 'found',
      accounts: [account('acc-1', { profile: 'responsable', espaceParents: false })],
    } satisfies SearchResult,
    none: { outcome: 'none', accounts: [] } satisfies SearchResult,
    unknown: { outcome: 'unknown' } satisfies SearchResult,
  },
  checkPublication: {
    published: {
      outcome: 'published',
      espace: 'parents',
      basePublished: true,
      espacePublished: true,
      version: 1,
    } satisfies PublicationResult,
    'espace-unpublished': {
      outcome: 'espace-unpublished',
      espace: 'parents',
      basePublished: true,
      espacePublished: false,
      version: 1,
    } satisfies PublicationResult,
    'base-unpublished': {
      outcome: 'base-unpublished',
      espace: 'parents',
      basePublished: false,
      espacePublished: true,
      version: 1,
    } satisfies PublicationResult,
    unknown: { outcome: 'unknown' } satisfies PublicationResult,
  },
  checkParentAccess: {
    granted: {
      outcome: 'granted',
      account: account('acc-1', { profile: 'responsable', espaceParents: true }),
    } satisfies AccessResult,
    denied: {
      outcome: 'denied',
      account: account('acc-1', { profile: 'responsable', espaceParents: false }),
    } satisfies AccessResult,
    unknown: { outcome: 'unknown' } satisfies AccessResult,
  },
};
