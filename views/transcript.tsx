import type { TranscriptItem } from '../src/engine/step-view.js';
import { CsrfField } from './csrf.js';

export interface TranscriptProps {
  sessionId: string;
  items: TranscriptItem[];
  /** Set when older exchanges exist: the entry whose transcript holds them. */
  olderSeq: number | null;
}

/** The conversation so far: each question, the answer given, and what each check or fix found. */
export function Transcript({ sessionId, items, olderSeq }: TranscriptProps) {
  if (items.length === 0) return null;
  return (
    <section class="transcript" aria-labelledby="transcript-title">
      <h2 id="transcript-title" class="visually-hidden">
        Étapes précédentes
      </h2>
      <ol>
        <Exchanges sessionId={sessionId} items={items} olderSeq={olderSeq} />
      </ol>
    </section>
  );
}

/**
 * The items of the transcript's list, with first, when there are older ones, a link that loads them: a
 * page of its own without JavaScript, the same items swapped in place of the link with htmx.
 */
export function Exchanges({ sessionId, items, olderSeq }: TranscriptProps) {
  const older = olderSeq === null ? null : `/s/${sessionId}/${olderSeq}/historique`;
  return (
    <>
      {older && (
        <li class="older">
          <a href={older} hx-get={older} hx-target="closest li" hx-swap="outerHTML">
            Afficher les étapes plus anciennes
          </a>
        </li>
      )}
      {items.map((item) => (
        <li class="exchange">
          <p class="question">{item.title}</p>
          <p class="answer">
            <span class="visually-hidden">Réponse : </span>
            {item.answer}
          </p>
          {item.details.length > 0 && (
            <ul class="details">
              {item.details.map((d) => (
                <li>{d}</li>
              ))}
            </ul>
          )}
          {item.results.map((r) => (
            <div class={`result result-${r.outcome}`}>
              <p>
                <strong>{r.title}</strong> — {r.text}
              </p>
              {r.changes && r.changes.length > 0 && (
                <ul class="changes">
                  {r.changes.map((c) => (
                    <li>
                      {c.label} — {c.field} : {c.before ?? 'vide'} → {c.after ?? 'vide'}
                    </li>
                  ))}
                </ul>
              )}
              {r.correction && (
                <p class={`correction-state state-${r.correction.state}`}>
                  Correction : {r.correction.label}
                </p>
              )}
              {r.auditId && (r.correction?.undoable ?? true) && (
                <form method="post" action={`/audit/${r.auditId}/annuler`} class="undo-form">
                  <CsrfField />
                  <input type="hidden" name="retour" value={`/s/${sessionId}`} />
                  <button type="submit" class="secondary outline">
                    Annuler cette correction
                  </button>
                </form>
              )}
            </div>
          ))}
          <a
            class="go-back"
            href={`/s/${sessionId}/${item.seq}`}
            hx-get={`/s/${sessionId}/${item.seq}`}
            hx-target="#conversation"
            hx-swap="outerHTML"
            hx-push-url="true"
          >
            Revenir à cette étape
          </a>
        </li>
      ))}
    </>
  );
}

/** Older exchanges on a page of their own, for a browser without JavaScript. */
export function OlderExchanges({ sessionId, items, olderSeq }: TranscriptProps) {
  return (
    <section class="transcript" aria-labelledby="older-title">
      <h1 id="older-title">Étapes plus anciennes</h1>
      <ol>
        <Exchanges sessionId={sessionId} items={items} olderSeq={olderSeq} />
      </ol>
      <p>
        <a href={`/s/${sessionId}`}>Revenir à l’étape en cours</a>
      </p>
    </section>
  );
}
