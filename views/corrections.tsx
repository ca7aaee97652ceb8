import type { Checklist } from '../src/engine/checklist.js';
import { STATE_SHORT } from '../src/pronote/correction-words.js';
import { CORRECTION_STATES, type CorrectionState } from '../src/pronote/corrections.js';
import { ChecklistPanel } from './correction-checklist.js';
import { Layout } from './layout.js';
import { SchoolLinks } from './school-links.js';

/** The schools whose corrections an agent may follow. */
export function CorrectionsIndexPage({ schools }: { schools: Array<{ uai: string; name: string }> }) {
  return (
    <Layout title="Corrections à faire dans PRONOTE">
      <h1>Corrections à faire dans PRONOTE</h1>
      <SchoolLinks schools={schools} base="/corrections" />
    </Layout>
  );
}

export interface CorrectionsPageProps {
  school: { uai: string; name: string };
  /** One per fix, contradicted ones first. */
  checklists: Checklist[];
  state?: CorrectionState;
  message?: string;
}

/**
 * A school's corrections, one checklist per fix: what the assistant prepared on its copy, what is done in
 * PRONOTE, what the last import verified or contradicted.
 */
export function CorrectionsPage({ school, checklists, state, message }: CorrectionsPageProps) {
  const { uai } = school;
  const contradicted = checklists.filter((l) => l.cards.some((c) => c.state === 'contradicted')).length;
  return (
    <Layout title={`Corrections ${uai}`}>
      <h1>Corrections à faire dans PRONOTE</h1>
      <p>
        <strong>{school.name}</strong> ({uai}). L’assistant corrige sa copie des données de PRONOTE ; chaque
        correction reste à faire dans PRONOTE (client ou console PRONOTE.net), puis le prochain import des
        exports la vérifie.
      </p>
      {message && (
        <p class="notice-info" role="status">
          {message}
        </p>
      )}
      {contradicted > 0 && (
        <p class="notice-warn">
          {contradicted} correction(s) contredite(s) par le dernier import : PRONOTE n’a pas la valeur
          attendue. Elles sont en tête de liste.
        </p>
      )}
      <nav aria-label="Filtrer par état" class="filters">
        <a href={`/corrections/${uai}`} aria-current={state ? undefined : 'page'}>
          Toutes
        </a>
        {CORRECTION_STATES.map((s) => (
          <>
            {' · '}
            <a href={`/corrections/${uai}?etat=${s}`} aria-current={state === s ? 'page' : undefined}>
              {STATE_SHORT[s]}
            </a>
          </>
        ))}
        {' · '}
        <a href={`/corrections/${uai}.csv${state ? `?etat=${state}` : ''}`}>CSV</a> ·{' '}
        <a href={`/api/corrections/${uai}${state ? `?state=${state}` : ''}`}>JSON</a>
      </nav>
      {checklists.length === 0 ? (
        <p>Aucune correction{state ? ` « ${STATE_SHORT[state]} »` : ''} pour cet établissement.</p>
      ) : (
        checklists.map((list, i) => (
          <article class="correction-batch">
            <ChecklistPanel
              list={list}
              n={i + 1}
              back={`/corrections/${uai}${state ? `?etat=${state}` : ''}`}
            />
            {list.cards[0]?.sessionId && (
              <p>
                <a href={`/s/${list.cards[0].sessionId}`}>Ouvrir la session où elle a été préparée</a>
                {' — '}préparée le {list.cards[0].at} par {list.cards[0].by}
              </p>
            )}
          </article>
        ))
      )}
    </Layout>
  );
}
