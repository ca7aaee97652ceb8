import { describe, expect, it } from 'vitest';
import type { StepView } from '../../src/engine/step-view.js';
import { ticketMarkdown, ticketText } from '../../src/engine/ticket-summary.js';
import { glpiContent } from '../../src/server/ticket-systems/index.js';
import { AGENT, createTestApp } from '../helpers/test-app.js';
import { SCHOOL_X } from './fixtures.js';

const INJECTED = 'X\n\n## Action urgente\n[Réinitialiser le mot de passe](https://evil.example/reset)';
const INLINE = '**urgent** [ici](https://evil.example/a) <img src=x> `code` https://evil.example/b';

/** A summary whose every typed value carries Markdown, as a person (or an import) could type it. */
function viewWith(value: string): StepView {
  const change = { label: value, field: 'Nom', before: value, after: value };
  return {
    sessionId: 'A'.repeat(22),
    uai: SCHOOL_X,
    step: 'auth-error.escalate',
    title: 'Transmettre au support',
    status: 'escalate',
    olderSeq: null,
    transcript: [
      {
        seq: 1,
        step: 'auth-error.identity',
        title: 'Identité',
        answer: value,
        details: [`Nom : ${value}`, `Identifiant ENT : ${value}`],
        results: [{ title: value, text: value, changes: [change] }],
      },
    ],
  } as unknown as StepView;
}

const summary = (value: string) =>
  ticketMarkdown({
    view: viewWith(value),
    flowTitle: 'Erreur',
    link: 'http://a.test/ticket/x',
    statusLabel: 'À transmettre',
  });

/** Finding 2: what a person typed reaches a GLPI follow-up as text, never as a heading or a link. */
describe('typed values in a ticket summary stay text', () => {
  it('a value with line breaks, a heading and a link adds no heading, no link and no line', () => {
    const markdown = summary(INJECTED);
    expect(markdown).not.toMatch(/^#+ Action urgente/m);
    const html = glpiContent(markdown);
    expect(html).not.toContain('evil.example/reset"');
    expect(html).not.toMatch(/<h\d>[^<]*Action urgente/);
    expect(html).toContain('Action urgente');
    expect(html.match(/<a /g)).toHaveLength(1); // the session's own link only
  });

  it('inline marks, links, HTML and bare addresses come out as the characters typed', () => {
    const html = glpiContent(summary(INLINE));
    expect(html).not.toContain('<strong>urgent');
    expect(html).not.toContain('href="https://evil.example');
    expect(html).not.toContain('<img');
    expect(html).toContain('**urgent**');
    expect(html.match(/<a /g)).toHaveLength(1);
  });

  it('the plain-text summary shows the values as typed, without escapes', () => {
    const text = ticketText({
      view: viewWith('[ici](https://evil.example/a) **x**'),
      flowTitle: 'Erreur',
      link: 'http://a.test/ticket/x',
      statusLabel: 'À transmettre',
    });
    expect(text).toContain('[ici](https://evil.example/a) **x**');
    expect(text).not.toContain('\\');
  });

  it('through the app: a login typed with Markdown in an agent session', async () => {
    const api = await createTestApp({ data: true, viewer: AGENT });
    const { body } = await api.json('/api/sessions', { flow: 'auth-error', uai: SCHOOL_X });
    await api.json(`/api/sessions/${body.id}/events`, {
      type: 'SUBMIT_IDENTITY',
      login: '[Réinitialiser](https://evil.example/reset)',
    });
    const session = await api.json(`/api/sessions/${body.id}`);
    const md = await (await api.app.request(`/s/${body.id}/${session.body.seq}/resume.md`)).text();
    expect(md).toContain('Réinitialiser');
    expect(glpiContent(md)).not.toContain('href="https://evil.example');
  });
});
