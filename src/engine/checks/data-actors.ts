import { fromPromise } from 'xstate';
import type { FlowContext, flowActors } from '../../../flows/setup.js';
import type {
  AccessResult,
  CodeComparison,
  ComparisonResult,
  ComparisonRow,
  FieldVerdict,
  FixResult,
  PublicationResult,
  SearchResult,
} from '../../../flows/types.js';
import type { EntAccount, EntDirectory } from '../../ent/port.js';
import { compareFields } from '../../pronote/field-compare.js';
import { matchIdentity } from '../../pronote/matching.js';
import type { PronoteAccount } from '../../pronote/model.js';
import type { PronotePort, WriteContext } from '../../pronote/port.js';
import { acting } from '../write-context.js';
import { changesOf, refusal, summary } from './summaries.js';

export interface DataPorts {
  pronote: PronotePort;
  ent: EntDirectory;
}

type Actors = typeof flowActors;

const SEARCH_LIMIT = 50;

/**
 * The checks and fixes run against the school's data. Each falls back to the manual answer (`unknown`,
 * `manual`) for an end user, or when the session's school has no data here: the FAQ's question then.
 */
export function dataActors({ pronote, ent }: DataPorts): Actors {
  const schoolOf = async (ctx: FlowContext): Promise<string | null> =>
    ctx.audience === 'agent' && ctx.uai !== null && (await pronote.getSchool(ctx.uai)) !== null
      ? ctx.uai
      : null;

  const writeContext = (step: string): WriteContext => {
    const who = acting.getStore();
    return { actor: who?.actor ?? 'assistant', ...(who ? { sessionId: who.sessionId } : {}), step };
  };

  const label = (a: Pick<PronoteAccount, 'nom' | 'prenom'>) => `${a.nom} ${a.prenom}`;

  const check = <T>(fallback: T, run: (ctx: FlowContext, uai: string) => Promise<T>) =>
    fromPromise<T, FlowContext>(async ({ input }) => {
      const uai = await schoolOf(input);
      return uai === null ? fallback : run(input, uai);
    });

  const fix = (kind: FixResult['kind'], run: (ctx: FlowContext, uai: string) => Promise<FixResult>) =>
    fromPromise<FixResult, FlowContext>(async ({ input }) => {
      const uai = await schoolOf(input);
      if (uai === null) return { outcome: 'manual', kind };
      try {
        return await run(input, uai);
      } catch (err) {
        return refusal(kind, err);
      }
    });

  const compare = async (ctx: FlowContext, uai: string): Promise<ComparisonResult> => {
    const given = ctx.identity ?? {};
    const entAccount = given.login ? await ent.findByLogin(uai, given.login) : null;
    // The postcode typed from « Données connues » stands in for one the ENT list lacks.
    const person: Omit<EntAccount, 'uai' | 'profiles'> | null = entAccount
      ? { ...entAccount, codePostal: entAccount.codePostal ?? given.codePostal ?? null }
      : given.nom && given.prenom
        ? {
            login: given.login ?? '',
            nom: given.nom,
            prenom: given.prenom,
            dateNaissance: given.dateNaissance ?? null,
            codePostal: given.codePostal ?? null,
          }
        : null;
    if (!person)
      return {
        outcome: 'none',
        ...(given.login ? { ent: { login: given.login, nom: '', prenom: '' } } : {}),
      };
    const entView = {
      login: person.login,
      nom: person.nom,
      prenom: person.prenom,
      ...(person.dateNaissance ? { dateNaissance: person.dateNaissance } : {}),
    };
    // Both noms and the postcode, where the ENT gives them: PRONOTE compares with those too.
    const identity = {
      nom: person.nom,
      prenom: person.prenom,
      ...(person.dateNaissance ? { dateNaissance: person.dateNaissance } : {}),
      ...(person.nomNaissance ? { nomNaissance: person.nomNaissance } : {}),
      ...(person.codePostal ? { codePostal: person.codePostal } : {}),
    };
    const chosen = ctx.selectedAccountId ? await pronote.getAccount(uai, ctx.selectedAccountId) : null;
    const holder = person.login ? await pronote.findByCasId(uai, person.login) : null;
    const asIdentity = (a: PronoteAccount) => ({
      id: a.id,
      nom: a.nom,
      prenom: a.prenom,
      ...(a.dateNaissance ? { dateNaissance: a.dateNaissance } : {}),
      ...(a.nomNaissance ? { nomNaissance: a.nomNaissance } : {}),
      ...(a.codePostal ? { codePostal: a.codePostal } : {}),
    });
    let account: PronoteAccount;
    let fields: Record<'nom' | 'prenom' | 'dateNaissance', FieldVerdict>;
    let verdict: 'match' | 'mismatch';
    if (chosen) {
      // The agent picked this account: compare with it even when nothing looks alike (a usage name).
      fields = compareFields(identity, asIdentity(chosen));
      account = chosen;
      verdict = matchIdentity(identity, [asIdentity(chosen)]).verdict === 'match' ? 'match' : 'mismatch';
    } else {
      const pool = await pronote.findCandidates(uai, identity);
      const byId = new Map(pool.map((a) => [a.id, a]));
      const result = matchIdentity(identity, pool.map(asIdentity));
      if (result.verdict === 'ambiguous') {
        return {
          outcome: 'ambiguous',
          ent: entView,
          candidates: result.candidates.flatMap((c) => {
            const a = byId.get(c.id);
            return a ? [summary(a)] : [];
          }),
        };
      }
      const best = result.candidates[0];
      const found = best ? byId.get(best.id) : undefined;
      if (result.verdict === 'none' || !best || !found) return { outcome: 'none', ent: entView };
      account = found;
      fields = best.fields;
      verdict = result.verdict;
    }
    const rows: ComparisonRow[] = (['nom', 'prenom', 'dateNaissance'] as const).map((field) => ({
      field,
      ...(entView[field] ? { ent: entView[field] } : {}),
      ...(account[field] ? { pronote: account[field] ?? '' } : {}),
      verdict: fields[field],
    }));
    const linked = person.login !== '' && account.casId === person.login;
    return {
      outcome: verdict,
      ent: entView,
      account: summary(account),
      rows,
      linked,
      ...(holder && holder.id !== account.id ? { casHolder: summary(holder) } : {}),
    };
  };

  /**
   * The school's mode decides which checks count; in the « Identifiant PRONOTE-ENT » mode, the code the
   * ENT's export gives is set against the account found (or, without one, whoever carries that code).
   */
  const withMode = async (ctx: FlowContext, uai: string): Promise<ComparisonResult> => {
    const [result, settings] = await Promise.all([compare(ctx, uai), pronote.getSchoolSettings(uai)]);
    const mode = settings?.identificationMode ?? 'identity';
    if (mode !== 'pronote-ent-id') return { ...result, mode };
    const login = ctx.identity?.login;
    const sent = (login ? await ent.findByLogin(uai, login) : null)?.pronoteEntId?.trim();
    const own = result.account ? await pronote.getAccount(uai, result.account.id) : null;
    const expected = own?.pronoteEntId ?? undefined;
    return { ...result, mode, code: await codeOf(uai, sent, own, expected) };
  };

  const codeOf = async (
    uai: string,
    sent: string | undefined,
    own: PronoteAccount | null,
    expected: string | undefined,
  ): Promise<CodeComparison> => {
    const known = expected ? { expected } : {};
    if (!sent) return { verdict: 'not-sent', ...known };
    const same = (a: string) => a.trim().toUpperCase() === sent.toUpperCase();
    if (expected && same(expected)) return { verdict: 'same', sent, expected };
    const holder = (await pronote.searchAccounts(uai, { text: sent, limit: 5 })).find(
      (a) => a.pronoteEntId !== null && same(a.pronoteEntId),
    );
    if (holder && (!own || holder.id !== own.id))
      return { verdict: own ? 'other-account' : 'same', sent, ...known, holder: summary(holder) };
    if (own && !expected) return { verdict: 'not-exported', sent };
    return { verdict: 'unknown-code', sent, ...known };
  };

  const searchResult = (accounts: PronoteAccount[]): SearchResult =>
    accounts.length === 0
      ? { outcome: 'none', accounts: [] }
      : { outcome: 'found', accounts: accounts.map(summary) };

  return {
    compareIdentity: check<ComparisonResult>({ outcome: 'unknown' }, withMode),

    fixIdentity: fix('identity', async (ctx, uai) => {
      const c = ctx.comparison;
      if (!c?.account || !c.ent) return { outcome: 'refused', kind: 'identity', reason: 'no-account' };
      const current = await pronote.getAccount(uai, c.account.id);
      if (!current) return { outcome: 'refused', kind: 'identity', reason: 'account-gone' };
      // Only the fields that really differ are rewritten; a difference of case or accents is left as it is.
      const differs = (field: 'nom' | 'prenom' | 'dateNaissance') =>
        c.rows?.some((r) => r.field === field && (r.verdict === 'close' || r.verdict === 'different'));
      const written = await pronote.setIdentity(
        uai,
        current.id,
        c.account.version,
        {
          nom: differs('nom') ? c.ent.nom : current.nom,
          prenom: differs('prenom') ? c.ent.prenom : current.prenom,
          dateNaissance:
            differs('dateNaissance') && c.ent.dateNaissance ? c.ent.dateNaissance : current.dateNaissance,
        },
        writeContext('auth-error.fix-identity'),
      );
      // Identities that differ only by case or accents are left as they are: nothing was written.
      if (written.entries.length === 0)
        return { outcome: 'refused', kind: 'identity', reason: 'already-aligned' };
      return {
        outcome: 'done',
        kind: 'identity',
        changes: changesOf(written.entries, () => label(current)),
        auditId: written.entries[0]?.id ?? written.batchId,
      };
    }),

    linkCasId: fix('cas-id', async (ctx, uai) => {
      const c = ctx.comparison;
      if (!c?.account || !c.ent?.login) return { outcome: 'refused', kind: 'cas-id', reason: 'no-login' };
      const written = await pronote.setCasId(
        uai,
        c.account.id,
        c.account.version,
        c.ent.login,
        writeContext('auth-error.fix-cas-id'),
      );
      const account = c.account;
      return {
        outcome: 'done',
        kind: 'cas-id',
        changes: changesOf(written.entries, () => label(account)),
        auditId: written.entries[0]?.id ?? written.batchId,
      };
    }),

    findAccounts: check<SearchResult>({ outcome: 'unknown' }, async (ctx, uai) =>
      searchResult(await pronote.searchAccounts(uai, { text: ctx.query ?? '', limit: SEARCH_LIMIT })),
    ),

    clearCasIds: fix('clear-cas-ids', async (ctx, uai) => {
      const chosen = new Set(ctx.selectedIds ?? []);
      const selection = (ctx.search?.accounts ?? []).filter((a) => chosen.has(a.id));
      if (selection.length === 0)
        return { outcome: 'refused', kind: 'clear-cas-ids', reason: 'no-selection' };
      const written = await pronote.clearCasIds(
        uai,
        selection.map((a) => ({ id: a.id, expectedVersion: a.version })),
        writeContext('changed-account.clear'),
      );
      const names = new Map(selection.map((a) => [a.id, label(a)]));
      return {
        outcome: 'done',
        kind: 'clear-cas-ids',
        changes: changesOf(written.entries, (id) => names.get(id ?? '') ?? ''),
        auditId: written.entries[0]?.id ?? written.batchId,
      };
    }),

    checkPublication: check<PublicationResult>({ outcome: 'unknown' }, async (ctx, uai) => {
      const p = await pronote.getPublication(uai);
      const espace = ctx.espace;
      if (!p || !espace) return { outcome: 'unknown' };
      const espacePublished = p.espaces[espace];
      const outcome = !p.basePublished
        ? 'base-unpublished'
        : !espacePublished
          ? 'espace-unpublished'
          : 'published';
      return { outcome, espace, basePublished: p.basePublished, espacePublished, version: p.version };
    }),

    publishEspace: fix('publish', async (ctx, uai) => {
      const espace = ctx.espace;
      const p = await pronote.getPublication(uai);
      if (!espace || !p) return { outcome: 'manual', kind: 'publish' };
      const written = await pronote.publishEspace(
        uai,
        espace,
        ctx.publication?.version ?? p.version,
        writeContext('profile-wide.publish'),
      );
      return {
        outcome: 'done',
        kind: 'publish',
        changes: changesOf(written.entries, () => 'Console PRONOTE.net'),
        auditId: written.entries[0]?.id ?? written.batchId,
      };
    }),

    findResponsables: check<SearchResult>({ outcome: 'unknown' }, async (ctx, uai) => {
      const text = ctx.query ?? '';
      const direct = await pronote.searchAccounts(uai, { text, profile: 'responsable', limit: SEARCH_LIMIT });
      // A parent is often known by the child's name: follow the links from the matching pupils too.
      const eleves = await pronote.searchAccounts(uai, { text, profile: 'eleve', limit: SEARCH_LIMIT });
      const throughChildren = (
        await Promise.all(eleves.map((eleve) => pronote.responsablesOf(uai, eleve.id)))
      ).flat();
      const unique = new Map([...direct, ...throughChildren].map((a) => [a.id, a]));
      return searchResult([...unique.values()].slice(0, SEARCH_LIMIT));
    }),

    checkParentAccess: check<AccessResult>({ outcome: 'unknown' }, async (ctx, uai) => {
      const account = ctx.selectedAccountId ? await pronote.getAccount(uai, ctx.selectedAccountId) : null;
      if (account?.profile !== 'responsable') return { outcome: 'unknown' };
      const pupils = await pronote.elevesOf(uai, account.id);
      const others = new Map<string, PronoteAccount>();
      for (const pupil of pupils)
        for (const r of await pronote.responsablesOf(uai, pupil.id))
          if (r.id !== account.id) others.set(r.id, r);
      return {
        outcome: account.espaceParents ? 'granted' : 'denied',
        account: summary(account),
        pupils: pupils.map(summary),
        others: [...others.values()].map(summary),
      };
    }),

    grantParentAccess: fix('espace-parents', async (ctx, uai) => {
      const a = ctx.access?.account;
      if (!a) return { outcome: 'refused', kind: 'espace-parents', reason: 'no-responsable' };
      const written = await pronote.setEspaceParents(
        uai,
        a.id,
        a.version,
        true,
        writeContext('single-parent.grant'),
      );
      return {
        outcome: 'done',
        kind: 'espace-parents',
        changes: changesOf(written.entries, () => label(a)),
        auditId: written.entries[0]?.id ?? written.batchId,
      };
    }),
  };
}
