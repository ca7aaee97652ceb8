import type { StepView } from '../src/engine/step-view.js';
import { EventForms } from './event-forms.js';
import { RequestForm, type RequestFormProps } from './help-requests.js';
import { Layout } from './layout.js';
import { Results } from './results.js';
import { TicketPanel, type TicketPanelProps } from './ticket-panel.js';
import { Transcript } from './transcript.js';

export interface ConversationProps {
  view: StepView;
  flowTitle: string;
  values?: Record<string, unknown>;
  fieldErrors?: Record<string, string>;
  failedType?: string;
  message?: string;
  ticket?: TicketPanelProps;
  request?: RequestFormProps;
}

/**
 * The panel htmx swaps: the transcript so far, then the current step. The full page includes the very
 * same panel, so both answers share their markup.
 */
export function Conversation({
  view,
  flowTitle,
  values,
  fieldErrors,
  failedType,
  message,
  ticket,
  request,
}: ConversationProps) {
  return (
    <div id="conversation" data-step={view.step} data-seq={String(view.seq)}>
      <p class="flow-title">
        {flowTitle}
        {view.status !== 'active' && (
          <span class={`status status-${view.status}`}> — {statusLabel(view, request)}</span>
        )}
      </p>
      <Transcript sessionId={view.sessionId} items={view.transcript} olderSeq={view.olderSeq} />
      {!view.isHead && (
        <p class="notice-info">
          Vous êtes revenu à une étape précédente. Répondre ici reprend le parcours à partir de cette étape ;
          rien de ce qui a été fait n’est effacé.{' '}
          <a href={`/s/${view.sessionId}`}>Aller à la dernière étape</a>
        </p>
      )}
      <article class={`step step-${view.kind}`} aria-labelledby="step-title">
        <h1 id="step-title" tabindex={-1}>
          {view.title}
        </h1>
        <div aria-live="polite" class="outcomes">
          {view.outcomes.map((o) => (
            <p class={`result result-${o.outcome}`}>
              <strong>{o.title}</strong> — {o.text}
            </p>
          ))}
        </div>
        {message && (
          <p class="field-error" role="alert">
            {message}
          </p>
        )}
        <Results r={view.results} back={`/s/${view.sessionId}/${view.seq}`} />
        {view.awaitingPronote === 'pending' && (
          <p class="notice-info awaiting-pronote">
            La question de la reconnexion viendra une fois la correction faite dans PRONOTE : cliquez alors
            sur « C’est fait dans PRONOTE ».
          </p>
        )}
        {view.awaitingPronote === 'undone' && (
          <p class="notice-warn awaiting-pronote">
            Cette correction a été annulée : il n’y a rien à faire réessayer.{' '}
            {view.events.some((e) => e.type === 'RECHECK')
              ? '« Refaire la vérification » relit la copie telle qu’elle est maintenant.'
              : 'Pour comparer de nouveau, revenez à l’étape de l’identité ci-dessus (« Revenir à cette étape »).'}
          </p>
        )}
        <div class="step-text" dangerouslySetInnerHTML={{ __html: view.html }} />
        <EventForms
          sessionId={view.sessionId}
          seq={view.seq}
          events={view.events}
          {...(values ? { values } : {})}
          {...(fieldErrors ? { fieldErrors } : {})}
          {...(failedType ? { failedType } : {})}
        />
        <p id="running" class="running-indicator" aria-hidden="true" aria-busy="true">
          Vérification en cours…
        </p>
        {view.status !== 'active' && view.isHead && <EndActions />}
      </article>
      {request && <RequestForm {...request} />}
      {ticket && <TicketPanel {...ticket} />}
    </div>
  );
}

/** At the end of a flow: how to come back to this page, and how to start on another problem. */
function EndActions() {
  return (
    <div class="end-actions">
      <p>
        Pour retrouver cette page plus tard, gardez son lien : ajoutez-la à vos favoris ou copiez son adresse.
      </p>
      <a href="/" class="new-problem">
        Nouveau problème
      </a>
    </div>
  );
}

/** An end user's flow is « transmis » only once their request has reached the school. */
function statusLabel(view: StepView, request: RequestFormProps | undefined): string {
  if (view.status === 'resolved') return 'résolu';
  if (view.status !== 'escalate') return 'en cours';
  return view.audience === 'public' && !request?.sent ? 'à transmettre' : 'transmis';
}

export function ConversationPage(props: ConversationProps) {
  return (
    <Layout title={props.view.title}>
      <Conversation {...props} />
    </Layout>
  );
}
