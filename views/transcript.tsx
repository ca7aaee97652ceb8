import type { TranscriptItem } from '../src/engine/step-view.js';
import { CsrfField } from './csrf.js';

export interface TranscriptProps {
  sessionId: string;
  items: TranscriptItem[];
}

/** The conversation so far: each question, the answer given, and what each check or fix found. */
export function Transcript({ sessionId, items }: TranscriptProps) {
  if (items.length === 0) return null;
  return (
    <section class="transcript" aria-labelledby="transcript-title">
      <h2 id="transcript-title" class="visually-hidden">
        Étapes précédentes
      </h2>
      <ol>
        {items.map((item) => (
          <li class="exchange">
            <p class="question">{item.title}</p>
            <p class="answer">
              <span class="visually-hidden">Réponse : </span>
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
                        {c.label} — {c.field} : {c.before ?? 'vide'} → {c.after ?? 'vide'}
                      </li>
                    ))}
                  </ul>
                )}
                {r.auditId && (
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
      </ol>
    </section>
  );
}
