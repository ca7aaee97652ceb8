import type { Child } from 'hono/jsx';
import type {
  AccountRef,
  CasIdIssue,
  EntRow,
  EspaceIssue,
  ParentWithoutAccess,
  ReconciliationReport,
} from '../src/engine/reconcile.js';
import { isSafe } from '../src/engine/reconcile.js';
import { accountOfRow } from '../src/engine/reconcile-csv.js';
import {
  CAS_ID_LABELS,
  casIdDetail,
  describeAccount,
  FINDING_LABELS,
  findingDetail,
  frDate,
  PROFILE_LABELS,
} from '../src/engine/reconcile-labels.js';
import {
  casIdTarget,
  espaceTarget,
  type OpenTarget,
  parentTarget,
  rowTarget,
} from '../src/engine/reconcile-open.js';
import { ColumnHeads } from './column-heads.js';
import { CsrfField } from './csrf.js';

const ACTIONS: Record<OpenTarget['target'], string> = {
  compare: 'Comparer',
  clear: 'Supprimer l’identifiant CAS',
  'find-cas-id': 'Choisir le compte',
  grant: 'Donner l’accès',
  publish: 'Vérifier la publication',
};

/** Opens the flow that fixes a finding, at the step where the agent decides. */
export function OpenButton({ uai, target, about }: { uai: string; target: OpenTarget; about: string }) {
  return (
    <form method="post" action={`/reconciliation/${uai}/ouvrir`} class="inline-form">
      <CsrfField />
      <input type="hidden" name="target" value={target.target} />
      <input type="hidden" name="value" value={target.value} />
      <button type="submit" class="secondary outline">
        {ACTIONS[target.target]}
        <span class="visually-hidden"> : {about}</span>
      </button>
    </form>
  );
}

const entIdentity = (row: EntRow) =>
  `${row.ent.nom} ${row.ent.prenom}${row.ent.dateNaissance ? `, ${frDate(row.ent.dateNaissance)}` : ''}`;

function RowsTable({ uai, rows, caption }: { uai: string; rows: EntRow[]; caption: string }) {
  return (
    <ScrollTable caption={caption}>
      <ColumnHeads
        names={['Identifiant ENT', 'Identité ENT', 'Compte PRONOTE', 'Constat', 'Détail', 'Parcours']}
      />
      <tbody>
        {rows.map((row) => {
          const account = accountOfRow(row);
          const target = rowTarget(row);
          return (
            <tr data-finding={row.finding.kind}>
              <td class="long-value">{row.ent.login}</td>
              <td class="long-value">{entIdentity(row)}</td>
              <td class="long-value">{account ? describeAccount(account) : '—'}</td>
              <td>{FINDING_LABELS[row.finding.kind]}</td>
              <td class="long-value">{findingDetail(row)}</td>
              <td>{target && <OpenButton uai={uai} target={target} about={row.ent.login} />}</td>
            </tr>
          );
        })}
      </tbody>
    </ScrollTable>
  );
}

/** A table that scrolls sideways on a phone; focusable, so a keyboard can scroll it too. */
function ScrollTable({ caption, children }: { caption: string; children: Child }) {
  return (
    <section class="table-scroll" aria-label={caption} tabindex={0}>
      <table>
        <caption>{caption}</caption>
        {children}
      </table>
    </section>
  );
}

function Folded({ summary, children }: { summary: string; children: Child }) {
  return (
    <details>
      <summary>{summary}</summary>
      {children}
    </details>
  );
}

/** One profile: what needs an agent first, then the safe matches and the accounts already linked. */
export function ProfileFindings({
  report,
  profile,
}: {
  report: ReconciliationReport;
  profile: EntRow['profile'];
}) {
  const rows = report.rows.filter((r) => r.profile === profile);
  if (rows.length === 0) return null;
  const linked = rows.filter((r) => r.finding.kind === 'linked');
  const safe = rows.filter((r) => isSafe(r.finding));
  const problems = rows.filter((r) => r.finding.kind !== 'linked' && !isSafe(r.finding));
  const label = PROFILE_LABELS[profile];
  return (
    <section aria-labelledby={`profil-${profile}`}>
      <h2 id={`profil-${profile}`}>
        {label} : {rows.length} compte(s) ENT
      </h2>
      {problems.length === 0 ? (
        <p>Aucun compte à examiner.</p>
      ) : (
        <RowsTable
          uai={report.uai}
          rows={problems}
          caption={`${label} : comptes à examiner (${problems.length})`}
        />
      )}
      {safe.length > 0 && (
        <Folded summary={`Correspondances sûres (${safe.length})`}>
          <RowsTable uai={report.uai} rows={safe} caption={`${label} : correspondances sûres`} />
        </Folded>
      )}
      {linked.length > 0 && (
        <Folded summary={`Déjà reliés par l’identifiant CAS (${linked.length})`}>
          <RowsTable uai={report.uai} rows={linked} caption={`${label} : déjà reliés`} />
        </Folded>
      )}
    </section>
  );
}

export function EspaceFindings({ uai, espaces }: { uai: string; espaces: EspaceIssue[] }) {
  return (
    <ul>
      {espaces.map((e) => (
        <li>
          {e.kind === 'base'
            ? `La base n’est pas publiée : aucun des ${e.people} comptes ENT ne peut se connecter.`
            : `L’Espace ${e.espace} n’est pas publié : les ${e.people} comptes ENT « ${PROFILE_LABELS[e.profile]} » seront refusés.`}{' '}
          <OpenButton uai={uai} target={espaceTarget(e)} about={e.kind === 'base' ? 'base' : e.espace} />
        </li>
      ))}
    </ul>
  );
}

export function CasIdFindings({ uai, issues }: { uai: string; issues: CasIdIssue[] }) {
  const accountsOf = (i: CasIdIssue) => (i.kind === 'duplicate' ? i.accounts : [i.account]);
  return (
    <ScrollTable caption={`Identifiants CAS enregistrés dans PRONOTE à revoir (${issues.length})`}>
      <ColumnHeads names={['Compte(s) PRONOTE', 'Constat', 'Détail', 'Parcours']} />
      <tbody>
        {issues.map((i) => (
          <tr>
            <td class="long-value">{accountsOf(i).map(describeAccount).join(' ; ')}</td>
            <td>{CAS_ID_LABELS[i.kind]}</td>
            <td class="long-value">{casIdDetail(i)}</td>
            <td>
              <OpenButton
                uai={uai}
                target={casIdTarget(i)}
                about={accountsOf(i).map(describeAccount).join(', ')}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

export function ParentFindings({ uai, parents }: { uai: string; parents: ParentWithoutAccess[] }) {
  return (
    <ScrollTable caption={`Responsables sans « Accès à l’Espace Parents » (${parents.length})`}>
      <ColumnHeads names={['Responsable', 'Élève(s)', 'Parcours']} />
      <tbody>
        {parents.map((p) => (
          <tr>
            <td class="long-value">{describeAccount(p.account)}</td>
            <td class="long-value">{p.eleves.join(' ; ') || '—'}</td>
            <td>
              <OpenButton uai={uai} target={parentTarget(p)} about={describeAccount(p.account)} />
            </td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}

export function PronoteOnlyFindings({ accounts }: { accounts: AccountRef[] }) {
  return (
    <ScrollTable caption={`Comptes PRONOTE sans compte ENT (${accounts.length})`}>
      <ColumnHeads names={['Profil', 'Compte PRONOTE']} />
      <tbody>
        {accounts.map((a) => (
          <tr>
            <td>{PROFILE_LABELS[a.profile]}</td>
            <td class="long-value">{describeAccount(a)}</td>
          </tr>
        ))}
      </tbody>
    </ScrollTable>
  );
}
