import { CsrfField } from './csrf.js';
import { postsToConversation } from './event-forms.js';

/** The form that posts the summary to a ticket system (GLPI, Zammad), with what came of the last try. */
export interface TicketPostProps {
  action: string;
  systems: Array<{ id: string; label: string }>;
  values?: { system?: string; ticket?: string };
  errors?: Record<string, string>;
  result?: { ok: boolean; message: string };
}

export interface TicketPanelProps {
  link: string;
  markdown: string;
  downloads: { markdown: string; text: string };
  post?: TicketPostProps;
}

/** For agents: the link to paste in a ticket, and the summary that goes with it. */
export function TicketPanel({ link, markdown, downloads, post }: TicketPanelProps) {
  const tried = post !== undefined && (post.result !== undefined || post.errors !== undefined);
  return (
    <details class="ticket-panel" open={tried}>
      <summary>Lien et résumé pour le ticket</summary>
      {post?.result && (
        <p class={post.result.ok ? 'notice-ok' : 'notice-warn'} role={post.result.ok ? 'status' : 'alert'}>
          {post.result.message}
        </p>
      )}
      <label for="ticket-link">
        Lien vers cette étape (signé, sans donnée personnelle ; ne s’ouvre que pour un agent autorisé sur
        l’établissement)
        <input id="ticket-link" readonly value={link} />
      </label>
      <label for="ticket-summary">
        Résumé (Markdown)
        <textarea id="ticket-summary" readonly rows={12}>
          {markdown}
        </textarea>
      </label>
      {/* Shown by app.js, which alone can write to the clipboard; without it, select the text. */}
      <p class="copy-row">
        <button type="button" class="secondary outline" data-copy="#ticket-summary" hidden>
          Copier le résumé
        </button>
        <button type="button" class="secondary outline" data-copy="#ticket-link" hidden>
          Copier le lien
        </button>
        <span class="copy-status" role="status" />
      </p>
      <p>
        Télécharger : <a href={downloads.markdown}>résumé en Markdown</a> ·{' '}
        <a href={downloads.text}>résumé en texte</a>
      </p>
      {post && <TicketPostForm {...post} />}
    </details>
  );
}

function TicketPostForm({ action, systems, values = {}, errors = {} }: TicketPostProps) {
  const only = systems.length === 1 ? systems[0] : undefined;
  const chosen = values.system ?? only?.id ?? '';
  const error = (name: string) =>
    errors[name] ? (
      <small id={`ticket-post-${name}-error`} class="field-error">
        {errors[name]}
      </small>
    ) : null;
  const invalid = (name: string) =>
    errors[name] ? { 'aria-invalid': 'true' as const, 'aria-describedby': `ticket-post-${name}-error` } : {};
  return (
    <form {...postsToConversation(action)} hx-disable="find button" class="ticket-post">
      <CsrfField />
      <fieldset>
        <legend>Ajouter ce résumé au ticket (note interne, invisible de l’usager)</legend>
        <label for="ticket-post-system">
          Système de tickets
          <select id="ticket-post-system" name="system" required {...invalid('system')}>
            {!only && <option value="">Choisissez…</option>}
            {systems.map((s) => (
              <option value={s.id} selected={s.id === chosen}>
                {s.label}
              </option>
            ))}
          </select>
          {error('system')}
        </label>
        <label for="ticket-post-ticket">
          Numéro du ticket
          {systems.some((s) => s.id === 'zammad') &&
            ' (pour Zammad : le nombre à la fin de l’adresse du ticket, …/ticket/zoom/123)'}
          <input
            id="ticket-post-ticket"
            name="ticket"
            inputmode="numeric"
            pattern="[0-9]{1,10}"
            required
            value={values.ticket ?? ''}
            {...invalid('ticket')}
          />
          {error('ticket')}
        </label>
      </fieldset>
      <button type="submit">Ajouter au ticket</button>
    </form>
  );
}
