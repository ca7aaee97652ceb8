import type { Checklist } from '../src/engine/checklist.js';
import type { AccountView, ComparisonView, FixView, ResultsView } from '../src/engine/results-view.js';
import { ColumnHeads } from './column-heads.js';
import { ChecklistPanel } from './correction-checklist.js';
import { TableScroll } from './table-scroll.js';

function frenchDate(iso?: string): string {
  const m = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  return m ? `${m[3]}/${m[2]}/${m[1]}` : (iso ?? '');
}

function AccountName({ a }: { a: AccountView }) {
  return (
    <>
      <strong>{a.nom}</strong> {a.prenom}
    </>
  );
}

export function AccountsTable({ accounts, caption }: { accounts: AccountView[]; caption: string }) {
  return (
    <TableScroll label={caption}>
      <table>
        <caption>{caption}</caption>
        <ColumnHeads names={['Nom et prénom', 'Profil', 'Classe', 'Né(e) le', 'Identifiant CAS']} />
        <tbody>
          {accounts.map((a) => (
            <tr>
              <td>
                <AccountName a={a} />
              </td>
              <td>{a.profileLabel}</td>
              <td>{a.classe ?? ''}</td>
              <td>{frenchDate(a.dateNaissance)}</td>
              <td>{a.casId ? <code>{a.casId}</code> : <em>vide</em>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function Advice({ a }: { a: NonNullable<ComparisonView['advice']> }) {
  return (
    <div class="advice" role="note">
      <p>
        <strong>Recommandé : {ADVICE_LABELS[a.fix]}.</strong> {a.why}
      </p>
      {a.differences.length > 0 && (
        <ul>
          {a.differences.map((d) => (
            <li>{d}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

const ADVICE_LABELS: Record<NonNullable<ComparisonView['advice']>['fix'], string> = {
  identity: 'aligner l’identité PRONOTE sur l’ENT (solution 1)',
  'cas-id': 'écrire l’identifiant ENT dans « Identifiant CAS » (solution 2)',
  'clear-cas-id': 'supprimer l’identifiant CAS enregistré',
  none: 'rien à corriger, faire réessayer',
};

function Comparison({ c }: { c: ComparisonView }) {
  return (
    <div class="comparison">
      {c.advice && <Advice a={c.advice} />}
      {c.rows.length > 0 && (
        <TableScroll label="Comparaison champ par champ">
          <table>
            <caption>
              Comparaison champ par champ{' '}
              {c.login ? (
                <>
                  (login ENT <code>{c.login}</code>)
                </>
              ) : null}
            </caption>
            <ColumnHeads names={['Champ', 'ENT', 'PRONOTE', 'Différence']} />
            <tbody>
              {c.rows.map((r) => (
                <tr class={`verdict-${r.verdict}`}>
                  <th scope="row">{r.label}</th>
                  <td data-label="ENT">{r.field === 'dateNaissance' ? frenchDate(r.ent) : r.ent}</td>
                  <td data-label="PRONOTE">
                    {r.field === 'dateNaissance' ? frenchDate(r.pronote) : r.pronote}
                  </td>
                  <td data-label="Différence">{r.verdictLabel}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {c.account && (
        <p>
          Compte PRONOTE : <AccountName a={c.account} /> ({c.account.profileLabel}
          {c.account.classe ? `, ${c.account.classe}` : ''}) — Identifiant CAS :{' '}
          {c.account.casId ? <code>{c.account.casId}</code> : <em>vide</em>}
        </p>
      )}
      {c.code && <p class={c.code.verdict === 'same' ? 'notice-ok' : 'notice-warn'}>{c.code.sentence}</p>}
      {c.linked && (
        <p class="notice-ok">Ce compte porte déjà ce login dans « Identifiant CAS » : le lien est fait.</p>
      )}
      {c.casHolder && (
        <p class="notice-warn">
          Le login ENT est déjà enregistré dans « Identifiant CAS » d’un autre compte :{' '}
          <AccountName a={c.casHolder} /> ({c.casHolder.profileLabel}). Il faut d’abord le retirer de ce
          compte.
        </p>
      )}
    </div>
  );
}

function Fix({ f, back }: { f: FixView; back: string }) {
  const list = f.checklist;
  return (
    <div class={`fix fix-${f.outcome}`}>
      <p>
        <strong>{f.kindLabel}</strong> — {list ? checklistState(list) : f.outcomeLabel}
      </p>
      {f.reason && <p class="notice-warn">{f.reason}</p>}
      {list && <ChecklistPanel list={list} back={back} />}
      {!list && f.changes.length > 0 && (
        <TableScroll label="Modifications">
          <table>
            <caption>Modifications</caption>
            <ColumnHeads names={['Compte', 'Champ', 'Avant', 'Après']} />
            <tbody>
              {f.changes.map((c) => (
                <tr>
                  <td>{c.label}</td>
                  <td>{c.field}</td>
                  <td>{c.before || <em>vide</em>}</td>
                  <td>{c.after || <em>vide</em>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {f.current.length > 0 && (
        <AccountsTable accounts={f.current} caption="Valeurs actuelles dans la copie de PRONOTE" />
      )}
    </div>
  );
}

/** The fix's state in one sentence: one state for all, or how many are in each. */
function checklistState(list: Checklist): string {
  const states = [...new Set(list.cards.map((c) => c.stateLabel))];
  if (states.length === 1) return `${states[0]}.`;
  return [...new Set(list.cards.map((c) => c.stateShort))]
    .map((s) => `${list.cards.filter((c) => c.stateShort === s).length} ${s}`)
    .join(', ')
    .concat('.');
}

const accessWord = (granted: boolean | null | undefined) =>
  granted === null || granted === undefined
    ? 'inconnu'
    : granted
      ? 'oui (case cochée)'
      : 'non (case décochée)';

/**
 * What the agent checks before opening a parent's access: the pupils it concerns, and the other
 * responsables of those pupils with their own access (a « compte par foyer » gives it to one of them).
 */
function Access({ access }: { access: NonNullable<ResultsView['access']> }) {
  const a = access.account as AccountView;
  const foyer = access.others.some((o) => o.espaceParents === true) && access.granted === false;
  return (
    <div class="access">
      <p>
        <AccountName a={a} /> — Accès à l’Espace Parents : {accessWord(access.granted)}
      </p>
      {access.pupils.length > 0 && (
        <p>
          Responsable de :{' '}
          {access.pupils.map((p, i) => (
            <>
              {i > 0 && ', '}
              <AccountName a={p} />
              {p.classe ? ` (${p.classe})` : ''}
            </>
          ))}
        </p>
      )}
      {access.others.length > 0 && (
        <TableScroll label="Autres responsables de ces élèves">
          <table>
            <caption>Autres responsables de ces élèves</caption>
            <thead>
              <tr>
                <th scope="col">Nom et prénom</th>
                <th scope="col">Accès à l’Espace Parents</th>
              </tr>
            </thead>
            <tbody>
              {access.others.map((o) => (
                <tr>
                  <td>
                    <AccountName a={o} />
                  </td>
                  <td>{accessWord(o.espaceParents)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {foyer && (
        <p class="notice-info">
          Un autre responsable de ces élèves a l’accès : si l’établissement a choisi « un compte PRONOTE par
          foyer », ce parent se connecte avec le compte du foyer, et c’est voulu.
        </p>
      )}
    </div>
  );
}

/** The findings of the checks and fixes a step shows; built only for agents. `back`: this step's page. */
export function Results({ r, back }: { r: ResultsView; back: string }) {
  return (
    <div class="results" aria-live="polite">
      {r.comparison && <Comparison c={r.comparison} />}
      {r.candidates && (
        <AccountsTable accounts={r.candidates} caption="Comptes PRONOTE possibles (homonymes)" />
      )}
      {r.accounts && <AccountsTable accounts={r.accounts} caption="Comptes trouvés" />}
      {r.selection && <AccountsTable accounts={r.selection} caption="Comptes sélectionnés" />}
      {r.publication && (
        <ul class="publication">
          <li>
            Base publiée :{' '}
            {r.publication.basePublished === undefined
              ? 'inconnu'
              : r.publication.basePublished
                ? 'oui'
                : 'non'}
          </li>
          <li>
            {r.publication.espace} publié :{' '}
            {r.publication.espacePublished === undefined
              ? 'inconnu'
              : r.publication.espacePublished
                ? 'oui'
                : 'non'}
          </li>
        </ul>
      )}
      {r.access?.account && <Access access={r.access} />}
      {r.imported && (
        <div class="notice-warn imported">
          <p>
            Ces valeurs sont celles de la copie de l’assistant, telle qu’elle sera une fois la correction
            faite. PRONOTE a encore, au dernier import :
          </p>
          <ul>
            {r.imported.map((i) => (
              <li>
                {i.label} : « {i.value} » (correction {i.state})
              </li>
            ))}
          </ul>
        </div>
      )}
      {r.fix && <Fix f={r.fix} back={back} />}
    </div>
  );
}
