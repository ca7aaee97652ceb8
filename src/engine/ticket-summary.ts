import type { ComparisonView } from './results-view.js';
import type { StepView } from './step-view.js';

export interface TicketSummaryInput {
  view: StepView;
  flowTitle: string;
  /** The signed link back to this step, for agents. */
  link: string;
  /** The session's status in words (content/_shared.md). */
  statusLabel: string;
}

/** How a summary marks its own structure; typed values go through `value`, never through the marks. */
interface Marks {
  heading: (level: 2 | 3, text: string) => string;
  strong: (text: string) => string;
  code: (text: string) => string;
  value: (text: string) => string;
}

/** Any line break a value could carry: a summary line stays one line, whatever was typed or imported. */
const LINE_BREAKS = /\r\n|[\n\r\v\f\u0085\u2028\u2029]+/g;
const oneLine = (text: string) => text.replace(LINE_BREAKS, ' ');

/**
 * A typed value as Markdown text: every mark that could start emphasis, a link, an image, HTML, code, a
 * heading or a table is escaped, and bare addresses are broken so that no autolink is made. A name typed
 * as `[Réinitialiser](https://…)` then reaches a GLPI follow-up as those very characters.
 */
export function escapeMarkdown(text: string): string {
  return oneLine(text)
    .replace(/[\\`*_[\]<>#|~!{}()&]/g, '\\$&')
    .replace(/:\/\//g, '\\://')
    .replace(/\bwww\./gi, (m) => `${m.slice(0, 3)}\\.`);
}

const MARKDOWN: Marks = {
  heading: (level, text) => `${'#'.repeat(level)} ${text}`,
  strong: (text) => `**${text}**`,
  code: (text) => `\`${text}\``,
  value: escapeMarkdown,
};

const TEXT: Marks = {
  heading: (_level, text) => text,
  strong: (text) => text,
  code: (text) => text,
  value: oneLine,
};

/**
 * The summary pasted into a ticket: the case, the path taken, each check and its result, each fix with
 * before → after, and what is left to do. It reads on its own, without the assistant at hand.
 */
export function ticketMarkdown(input: TicketSummaryInput): string {
  return summary(input, MARKDOWN);
}

/** The same summary without Markdown marks, for ticket systems that show text as it is. */
export function ticketText(input: TicketSummaryInput): string {
  return summary(input, TEXT);
}

const frenchDate = (iso: string) => iso.replace(/^(\d{4})-(\d{2})-(\d{2})$/, '$3/$2/$1');

/** The ENT and PRONOTE values side by side, with what differs: a table in Markdown, lines in text. */
function comparisonLines(c: ComparisonView, m: Marks): string[] {
  const v = m.value;
  const show = (field: string, value: string) => (field === 'dateNaissance' ? frenchDate(value) : value);
  const lines = [m.heading(3, 'ENT et PRONOTE côte à côte'), ''];
  if (c.login) lines.push(`Identifiant ENT : ${m.code(v(c.login))}`, '');
  if (m === MARKDOWN) {
    lines.push('| Champ | ENT | PRONOTE | Différence |', '| --- | --- | --- | --- |');
    for (const r of c.rows)
      lines.push(
        `| ${v(r.label)} | ${v(show(r.field, r.ent)) || '(vide)'} | ${v(show(r.field, r.pronote)) || '(vide)'} | ${v(r.verdictLabel)} |`,
      );
  } else {
    for (const r of c.rows)
      lines.push(
        `- ${v(r.label)} : ENT « ${v(show(r.field, r.ent))} » / PRONOTE « ${v(show(r.field, r.pronote))} » — ${v(r.verdictLabel)}`,
      );
  }
  if (c.account?.casId) lines.push('', `Identifiant CAS de la fiche PRONOTE : ${m.code(v(c.account.casId))}`);
  return lines;
}

function summary({ view, flowTitle, link, statusLabel }: TicketSummaryInput, m: Marks): string {
  const v = m.value;
  const lines: string[] = [];
  lines.push(m.heading(2, `Connexion ENT–PRONOTE : ${v(flowTitle)}`), '');
  lines.push(`- ${m.strong('Statut')} : ${v(statusLabel)}`);
  if (view.uai) lines.push(`- ${m.strong('Établissement (UAI)')} : ${v(view.uai)}`);
  lines.push(`- ${m.strong('Étape')} : ${v(view.title)} (${m.code(view.step)})`);
  lines.push(`- ${m.strong('Reprendre la session')} : ${link}`, '');
  if (view.comparison) lines.push(...comparisonLines(view.comparison, m), '');
  lines.push(m.heading(3, 'Parcours'), '');
  if (view.transcript.length === 0) lines.push('Aucune réponse pour l’instant.');
  if (view.olderSeq !== null)
    lines.push('Étapes plus anciennes : voir le résumé téléchargé ou la session.', '');
  view.transcript.forEach((item, i) => {
    lines.push(`${i + 1}. ${v(item.title)} — ${m.strong(v(item.answer))}`);
    for (const d of item.details) lines.push(`   - ${v(d)}`);
    for (const r of item.results) {
      const state = r.correction ? ` État de la correction : ${v(r.correction.label)}.` : '';
      lines.push(`   - ${v(r.title)} : ${v(r.text)}${state}`);
      for (const c of r.changes ?? []) {
        const before = c.before ? v(c.before) : '(vide)';
        const after = c.after ? v(c.after) : '(vide)';
        lines.push(`     - ${v(c.label)} — ${v(c.field)} : ${before} → ${after}`);
      }
    }
  });
  lines.push('', m.heading(3, 'Reste à faire'), '');
  if (view.status === 'resolved') lines.push('Rien : l’utilisateur a confirmé que la connexion fonctionne.');
  else if (view.status === 'escalate')
    lines.push(
      `Prendre le relais à partir de l’étape « ${v(view.title)} » ; le parcours ci-dessus dit ce qui a déjà été vérifié et corrigé.`,
    );
  else lines.push(`Répondre à l’étape « ${v(view.title)} ».`);
  return `${lines.join('\n')}\n`;
}
