import { describe, expect, it } from 'vitest';
import { type Audience, ESPACES } from '../../flows/types.js';
import { loadContent } from '../../src/engine/content.js';
import { typographyFaults as faults } from '../helpers/french.js';

/**
 * French typography of every word the content gives a person, as rendered: one apostrophe (’), and a
 * non-breaking space before ? ! ; : » and after «, so that no sign starts a line alone.
 */
const content = loadContent();

/** The text a page shows from some HTML: tags dropped, the few entities marked uses decoded. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]*>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

describe('French typography of the content', () => {
  for (const audience of ['agent', 'public'] as Audience[]) {
    it(`every step, as ${audience === 'agent' ? 'an agent' : 'an end user'} reads it`, () => {
      const all: string[] = [];
      for (const id of content.stepIds()) {
        const t = content.step(id, audience);
        const texts = [
          t.title,
          textOf(t.html),
          ...Object.values(t.choices),
          ...Object.values(t.rules),
          ...Object.values(t.outcomes),
          ...Object.values(t.fields).flatMap((f) => [f.label, f.hint ?? '']),
          ...(t.single ? [t.single.title, textOf(t.single.html)] : []),
        ];
        for (const text of texts) all.push(...faults(text ?? '').map((f) => `${id}: ${f}`));
      }
      expect(all).toEqual([]);
    });
  }

  it('the shared labels', () => {
    const s = content.shared;
    const texts = [
      ...Object.values(s.choices),
      ...ESPACES.map((e) => s.espaces[e]),
      ...ESPACES.map((e) => s.people[e]),
      ...Object.values(s.fields),
      ...Object.values(s.fixKinds),
      ...Object.values(s.fixOutcomes),
      ...Object.values(s.refusals),
    ];
    expect(texts.flatMap((t) => faults(t ?? ''))).toEqual([]);
  });

  it('finds a fault where there is one', () => {
    expect(faults("Qu'est-ce ? « Oui »")).toHaveLength(4);
    expect(faults('Qu’est-ce\u202f? «\u00a0Oui\u00a0»')).toEqual([]);
  });
});
