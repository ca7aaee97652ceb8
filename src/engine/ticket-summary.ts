import type { StepView } from './step-view.js';

export interface TicketSummaryInput {
  view: StepView;
  flowTitle: string;
  /** The signed link back to this step, for agents. */
  link: string;
  /** The session's status in words (content/_shared.md). */
  statusLabel: string;
}

/**
 * The summary pasted into a ticket: the case, the path taken, each check and its result, each fix with
 * before → after, and what is left to do. It reads on its own, without the assistant at hand.
 */
export function ticketMarkdown({ view, flowTitle, link, statusLabel }: TicketSummaryInput): string {
  const lines: string[] = [];
  lines.push(`## Connexion ENT–PRONOTE : ${flowTitle}`, '');
  lines.push(`- **Statut** : ${statusLabel}`);
  if (view.uai) lines.push(`- **Établissement (UAI)** : ${view.uai}`);
  lines.push(`- **Étape** : ${view.title} (\`${view.step}\`)`);
  lines.push(`- **Reprendre la session** : ${link}`, '');
  lines.push('### Parcours', '');
  if (view.transcript.length === 0) lines.push('Aucune réponse pour l’instant.');
  if (view.olderSeq !== null)
    lines.push('Étapes plus anciennes : voir le résumé téléchargé ou la session.', '');
  view.transcript.forEach((item, i) => {
    lines.push(`${i + 1}. ${item.title} — **${item.answer}**`);
    for (const d of item.details) lines.push(`   - ${d}`);
    for (const r of item.results) {
      lines.push(`   - ${r.title} : ${r.text}`);
      for (const c of r.changes ?? []) {
        lines.push(`     - ${c.label} — ${c.field} : ${c.before ?? '(vide)'} → ${c.after ?? '(vide)'}`);
      }
    }
  });
  lines.push('', '### Reste à faire', '');
  if (view.status === 'resolved') lines.push('Rien : l’utilisateur a confirmé que la connexion fonctionne.');
  else if (view.status === 'escalate')
    lines.push(
      `Prendre le relais à partir de l’étape « ${view.title} » ; le parcours ci-dessus dit ce qui a déjà été vérifié et corrigé.`,
    );
  else lines.push(`Répondre à l’étape « ${view.title} ».`);
  return `${lines.join('\n')}\n`;
}

/** The same summary without Markdown marks, for ticket systems that show text as it is. */
export function ticketText(input: TicketSummaryInput): string {
  return ticketMarkdown(input)
    .replace(/^#+\s*/gm, '')
    .replace(/\*\*(.+?)\*\*/g, '$1')
    .replace(/`([^`]+)`/g, '$1');
}
