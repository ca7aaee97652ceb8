import type { FlowContext } from '../../flows/setup.js';
import type {
  AccountSummary,
  CodeComparison,
  FieldVerdict,
  FixResult,
  ResultBlock,
} from '../../flows/types.js';
import { identityDifferences } from '../pronote/field-difference.js';
import type { Checklist } from './checklist.js';
import type { ContentCatalog } from './content.js';
import { adviseFix, type FixAdvice } from './fix-advice.js';

/** An account as a step shows it: what the flows hold, with its profile in words and no version. */
export interface AccountView extends Omit<AccountSummary, 'version'> {
  profileLabel: string;
}

export interface ComparisonView {
  login?: string;
  account?: AccountView;
  rows: Array<{
    field: string;
    label: string;
    ent: string;
    pronote: string;
    verdict: FieldVerdict;
    /** The difference in words (« jour et mois inversés »), not a bare « proche ». */
    verdictLabel: string;
  }>;
  linked: boolean;
  casHolder?: AccountView;
  /** The fix the comparison points to, and why. */
  advice?: FixAdvice;
  /** In the « Identifiant PRONOTE-ENT » mode: what the code comparison found, in words. */
  code?: { verdict: CodeComparison['verdict']; sentence: string };
}

export interface FixView {
  kind: FixResult['kind'];
  kindLabel: string;
  outcome: FixResult['outcome'];
  outcomeLabel: string;
  reason?: string;
  changes: Array<{ label: string; field: string; before: string; after: string }>;
  current: AccountView[];
  auditId?: string;
  /** What to do in PRONOTE for this fix, and where its correction stands (read when the step is shown). */
  checklist?: Checklist;
}

/** The findings a step shows beside its text; only ever built for an agent. */
export interface ResultsView {
  comparison?: ComparisonView;
  candidates?: AccountView[];
  accounts?: AccountView[];
  selection?: AccountView[];
  publication?: { espace: string; basePublished?: boolean; espacePublished?: boolean };
  access?: { account?: AccountView; granted: boolean | null; pupils: AccountView[]; others: AccountView[] };
  fix?: FixView;
  /**
   * Set while a correction of the account (or console) shown is still to verify: the blocks above show the
   * assistant's copy, as it will be; this is the value each changed field had at the last import, which
   * PRONOTE still has.
   */
  imported?: Array<{ field: string; label: string; value: string; state: string }>;
}

export function resultsView(
  content: ContentCatalog,
  context: FlowContext,
  shows: readonly ResultBlock[],
): ResultsView {
  const view: ResultsView = {};
  const account = (a: AccountSummary): AccountView => ({
    id: a.id,
    profile: a.profile,
    profileLabel: content.shared.profiles[a.profile],
    nom: a.nom,
    prenom: a.prenom,
    ...(a.dateNaissance ? { dateNaissance: a.dateNaissance } : {}),
    ...(a.classe ? { classe: a.classe } : {}),
    ...(a.casId ? { casId: a.casId } : {}),
    ...(a.espaceParents !== undefined ? { espaceParents: a.espaceParents } : {}),
  });
  for (const block of shows) {
    if (block === 'comparison' && context.comparison) {
      const c = context.comparison;
      const values = (side: 'ent' | 'pronote') =>
        Object.fromEntries((c.rows ?? []).map((r) => [r.field, r[side]]));
      const differences = identityDifferences(values('ent'), values('pronote'));
      const advice = adviseFix(c);
      view.comparison = {
        ...(c.ent?.login ? { login: c.ent.login } : {}),
        ...(c.account ? { account: account(c.account) } : {}),
        rows: (c.rows ?? []).map((r) => ({
          field: r.field,
          label: content.shared.fields[r.field] ?? r.field,
          ent: r.ent ?? '',
          pronote: r.pronote ?? '',
          verdict: r.verdict,
          verdictLabel: capitalised(differences[r.field].label),
        })),
        linked: c.linked === true,
        ...(c.casHolder ? { casHolder: account(c.casHolder) } : {}),
        ...(advice ? { advice } : {}),
        ...(c.code ? { code: { verdict: c.code.verdict, sentence: codeSentence(c.code) } } : {}),
      };
    }
    if (block === 'candidates' && context.comparison?.candidates)
      view.candidates = context.comparison.candidates.map(account);
    if (block === 'accounts' && context.search?.accounts)
      view.accounts = context.search.accounts.map(account);
    if (block === 'selection' && context.selectedIds && context.search?.accounts) {
      const ids = new Set(context.selectedIds);
      view.selection = context.search.accounts.filter((a) => ids.has(a.id)).map(account);
    }
    if (block === 'publication' && context.publication && context.espace) {
      const p = context.publication;
      view.publication = {
        espace: content.shared.espaces[context.espace],
        ...(p.basePublished !== undefined ? { basePublished: p.basePublished } : {}),
        ...(p.espacePublished !== undefined ? { espacePublished: p.espacePublished } : {}),
      };
    }
    if (block === 'access' && context.access) {
      const a = context.access;
      view.access = {
        ...(a.account ? { account: account(a.account) } : {}),
        granted: a.outcome === 'unknown' ? null : a.outcome === 'granted',
        pupils: (a.pupils ?? []).map(account),
        others: (a.others ?? []).map(account),
      };
    }
    if (block === 'fix' && context.fix && context.fix.outcome !== 'manual') {
      const f = context.fix;
      view.fix = {
        kind: f.kind,
        kindLabel: content.shared.fixKinds[f.kind],
        outcome: f.outcome,
        outcomeLabel: content.shared.fixOutcomes[f.outcome],
        ...(f.reason ? { reason: content.shared.refusals[f.reason] ?? f.reason } : {}),
        changes: (f.changes ?? []).map((c) => ({
          label: c.label,
          field: fieldLabel(content, c.field),
          before: c.before ?? '',
          after: c.after ?? '',
        })),
        current: (f.current ?? []).map(account),
        ...(f.auditId ? { auditId: f.auditId } : {}),
      };
    }
  }
  return view;
}

/** The French name of a field a fix changed: an account's field, or the publication of the base or an espace. */
export function fieldLabel(content: ContentCatalog, field: string): string {
  const espace = /^espaces\.(.+)$/.exec(field)?.[1];
  if (espace)
    return `${content.shared.espaces[espace as keyof ContentCatalog['shared']['espaces']] ?? espace} publié`;
  return content.shared.fields[field] ?? field;
}

const capitalised = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const quoted = (code: string | undefined) => (code ? `« ${code} »` : '');

/** The code comparison as an agent reads it: what the ENT sends, what the account carries, who has it. */
function codeSentence(c: CodeComparison): string {
  const holder = c.holder ? `${c.holder.nom} ${c.holder.prenom}` : '';
  switch (c.verdict) {
    case 'same':
      return c.holder
        ? `L’ENT transmet l’Identifiant PRONOTE-ENT ${quoted(c.sent)}, qui mène à la fiche de ${holder}.`
        : `L’ENT transmet l’Identifiant PRONOTE-ENT ${quoted(c.sent)}, celui de la fiche : le code est bon.`;
    case 'other-account':
      return `L’ENT transmet l’Identifiant PRONOTE-ENT ${quoted(c.sent)}, qui est celui de ${holder}${c.expected ? ` ; la fiche porte ${quoted(c.expected)}` : ''} : PRONOTE ouvrirait l’autre fiche. Corrigez le code dans l’ENT.`;
    case 'unknown-code':
      return `L’ENT transmet l’Identifiant PRONOTE-ENT ${quoted(c.sent)}, qu’aucune fiche ne porte${c.expected ? ` ; la fiche porte ${quoted(c.expected)}` : ''} : corrigez le code dans l’ENT ou exportez de nouveau les codes depuis PRONOTE.`;
    case 'not-sent':
      return `L’export de l’ENT ne donne pas d’Identifiant PRONOTE-ENT pour ce compte${c.expected ? ` (la fiche porte ${quoted(c.expected)})` : ''} : vérifiez-le dans la console de l’ENT.`;
    case 'not-exported':
      return `L’ENT transmet ${quoted(c.sent)}, mais la liste PRONOTE importée ne donne pas de code pour cette fiche : exportez la colonne « Identifiant PRONOTE-ENT » et comparez.`;
  }
}
