import type { Checklist, CorrectionCard } from '../src/engine/checklist.js';
import { pasteText } from '../src/engine/correction-procedure.js';
import { ColumnHeads } from './column-heads.js';
import { CsrfField } from './csrf.js';
import { TableScroll } from './table-scroll.js';

/** Where each correction stands, in the same words everywhere. */
export function StateBadge({ card }: { card: Pick<CorrectionCard, 'state' | 'stateLabel'> }) {
  return <span class={`correction-state state-${card.state}`}>{card.stateLabel}</span>;
}

/** The people and values of a fix: PRONOTE as imported, then as it will be. */
export function CorrectionsTable({ cards, caption }: { cards: CorrectionCard[]; caption: string }) {
  return (
    <TableScroll label={caption}>
      <table class="corrections">
        <caption>{caption}</caption>
        <ColumnHeads
          names={[
            'Personne',
            'Champ dans PRONOTE',
            'PRONOTE au dernier import',
            'À mettre dans PRONOTE',
            'État',
          ]}
        />
        <tbody>
          {cards.flatMap((card) =>
            card.changes.map((ch, i) => (
              <tr class={`state-${card.state}`}>
                <td>{i === 0 ? card.person : ''}</td>
                <td>{ch.field}</td>
                <td>{ch.before}</td>
                <td>{ch.after}</td>
                <td>
                  {i === 0 && <StateBadge card={card} />}
                  {i === 0 && card.history.map((h) => <div class="correction-history">{h}</div>)}
                </td>
              </tr>
            )),
          )}
        </tbody>
      </table>
    </TableScroll>
  );
}

/**
 * One fix as a checklist: where it stands, the steps to do in PRONOTE, the rows to paste, and the button
 * that tells the assistant it is done there. `back` is the page to come back to.
 */
export function ChecklistPanel({ list, back, n }: { list: Checklist; back: string; n?: number }) {
  const p = list.procedure;
  const toDo = list.cards.filter((c) => c.canMarkApplied).length;
  return (
    <section class="checklist" aria-labelledby={`checklist-${list.batchId}`}>
      <h2 id={`checklist-${list.batchId}`}>
        {list.reverse ? 'À défaire dans PRONOTE' : 'À faire dans PRONOTE'}
        {n ? ` (n° ${n})` : ''}
      </h2>
      <p class="notice-info">
        {list.reverse
          ? 'La correction a été annulée dans la copie de l’assistant, mais elle avait été faite dans PRONOTE : remettez-y l’ancienne valeur.'
          : 'L’assistant a préparé cette correction sur sa copie des données de PRONOTE. PRONOTE, lui, ne change que si quelqu’un la fait dans le client ou la console PRONOTE.net ; le prochain import des exports le vérifiera.'}
      </p>
      <CorrectionsTable
        cards={list.cards}
        caption={`${n ? `Correction n° ${n}` : 'Correction'} : ${list.cards[0]?.kindLabel ?? ''}, préparée le ${list.cards[0]?.at ?? ''}`}
      />
      {p && (list.pending || list.reverse || list.cards.some((c) => c.state === 'applied')) && (
        <>
          <p>
            <strong>Où :</strong> {p.where}
          </p>
          <ol class="procedure">
            {p.steps.map((s) => (
              <li>{s}</li>
            ))}
          </ol>
          {p.noPaste && <p class="notice-warn">{p.noPaste}</p>}
          {p.pastes.map((block) => (
            <div class="paste-block">
              <label>
                Lignes à coller dans {block.list}
                <textarea readonly wrap="off" rows={Math.min(8, block.rows.length + 2)} class="paste-rows">
                  {pasteText(block)}
                </textarea>
              </label>
              <a href={`/corrections/lot/${list.batchId}/lignes.tsv?liste=${block.profile}`}>
                Télécharger ces lignes (TSV)
              </a>
            </div>
          ))}
        </>
      )}
      {toDo > 0 && !list.reverse && (
        <form method="post" action={`/corrections/lot/${list.batchId}/faite`} class="mark-applied">
          <CsrfField />
          <input type="hidden" name="retour" value={back} />
          <button type="submit">C’est fait dans PRONOTE</button>
          <small>
            {' '}
            À cliquer une fois la correction faite dans PRONOTE : l’assistant demandera alors de réessayer la
            connexion.
          </small>
        </form>
      )}
    </section>
  );
}
