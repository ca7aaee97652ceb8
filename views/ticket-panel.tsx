export interface TicketPanelProps {
  link: string;
  markdown: string;
  downloads: { markdown: string; text: string };
}

/** For agents: the link to paste in a ticket, and the summary that goes with it. */
export function TicketPanel({ link, markdown, downloads }: TicketPanelProps) {
  return (
    <details class="ticket-panel">
      <summary>Lien et résumé pour le ticket</summary>
      <label for="ticket-link">
        Lien vers cette étape (signé, sans donnée personnelle ; ne s’ouvre que pour un agent autorisé sur
        l’établissement)
        <input id="ticket-link" readonly value={link} />
      </label>
      <label for="ticket-summary">
        Résumé (Markdown)
        <textarea id="ticket-summary" readonly rows={12}>
          {markdown}
        </textarea>
      </label>
      <p>
        Télécharger : <a href={downloads.markdown}>résumé en Markdown</a> ·{' '}
        <a href={downloads.text}>résumé en texte</a>
      </p>
    </details>
  );
}
