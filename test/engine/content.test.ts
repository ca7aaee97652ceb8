import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AnyStateNode } from 'xstate';
import { getStateNodes } from 'xstate/graph';
import { type EventType, eventFields, isEventType } from '../../flows/events.js';
import { rootMachine } from '../../flows/root.machine.js';
import type { FlowActorName } from '../../flows/setup.js';
import type { Audience, StepMeta } from '../../flows/types.js';
import { ContentError, loadContent, type StepText } from '../../src/engine/content.js';
import { DEMO_ENT, DEMO_SCHOOLS } from '../../src/pronote/demo-data.js';

const AUDIENCES: readonly Audience[] = ['agent', 'public'];

/** What each check or fix can answer: every outcome needs a sentence for the transcript. */
const OUTCOMES: Record<FlowActorName, readonly string[]> = {
  compareIdentity: ['match', 'mismatch', 'ambiguous', 'none', 'unknown'],
  findAccounts: ['found', 'none', 'unknown'],
  findResponsables: ['found', 'none', 'unknown'],
  checkPublication: ['published', 'espace-unpublished', 'base-unpublished', 'unknown'],
  checkParentAccess: ['granted', 'denied', 'unknown'],
  fixIdentity: ['done', 'manual', 'conflict', 'refused'],
  linkCasId: ['done', 'manual', 'conflict', 'refused'],
  clearCasIds: ['done', 'manual', 'conflict', 'refused'],
  publishEspace: ['done', 'manual', 'conflict', 'refused'],
  grantParentAccess: ['done', 'manual', 'conflict', 'refused'],
};

interface MachineStep {
  meta: StepMeta;
  events: EventType[];
  actor?: FlowActorName;
}

/** The events a node accepts: its own `on` and its ancestors'; running and end steps accept none. */
function eventsOf(node: AnyStateNode, meta: StepMeta): EventType[] {
  if (meta.kind === 'end' || meta.kind === 'check' || meta.kind === 'fix') return [];
  const types = new Set<EventType>();
  for (let n: AnyStateNode | undefined = node; n; n = n.parent) {
    for (const type of Object.keys(n.config.on ?? {})) if (isEventType(type)) types.add(type);
  }
  return [...types];
}

function actorOf(node: AnyStateNode): FlowActorName | undefined {
  const invoke = [node.config.invoke ?? []].flat()[0] as { src?: unknown } | undefined;
  return typeof invoke?.src === 'string' ? (invoke.src as FlowActorName) : undefined;
}

const machineSteps: MachineStep[] = getStateNodes(rootMachine.root).flatMap((node) => {
  const meta = node.meta as StepMeta | undefined;
  if (!meta?.step) return [];
  const actor = actorOf(node);
  return [{ meta, events: eventsOf(node, meta), ...(actor ? { actor } : {}) }];
});

const content = loadContent();
const each = (fn: (step: MachineStep, audience: Audience, text: StepText) => void) => {
  for (const step of machineSteps)
    for (const audience of AUDIENCES) fn(step, audience, content.step(step.meta.step, audience));
};

/** Every text a step shows, in one string per audience. */
const allText = (t: StepText) =>
  [
    t.title,
    t.html,
    ...Object.values(t.choices),
    ...Object.values(t.fields).flatMap((f) => [f.label, f.hint ?? '']),
    ...Object.values(t.outcomes),
  ].join('\n');

describe('the content folder', () => {
  it('has one file per step of the machine, and no other', () => {
    expect(content.stepIds()).toEqual(machineSteps.map((s) => s.meta.step).sort());
  });

  it('gives every step a title in both audiences', () => {
    each((step, audience, text) => expect(text.title, `${step.meta.step} (${audience})`).not.toBe(''));
  });

  it('labels every event a step accepts, in both audiences', () => {
    each((step, audience, text) => {
      for (const type of step.events)
        expect(text.choices[type], `${step.meta.step} ${type} (${audience})`).toBeTruthy();
    });
  });

  it('labels every field of those events, in both audiences', () => {
    each((step, audience, text) => {
      for (const type of step.events) {
        for (const spec of eventFields[type]) {
          expect(
            text.fields[spec.name]?.label,
            `${step.meta.step} ${type}.${spec.name} (${audience})`,
          ).toBeTruthy();
        }
      }
    });
  });

  it('says something for every outcome of a check or fix, and only for those', () => {
    const running = machineSteps.filter((s) => s.meta.kind === 'check' || s.meta.kind === 'fix');
    expect(running.length).toBe(15);
    for (const step of running) {
      expect(step.actor, step.meta.step).toBeDefined();
      const expected = OUTCOMES[step.actor as FlowActorName];
      for (const audience of AUDIENCES) {
        const text = content.step(step.meta.step, audience);
        expect(Object.keys(text.outcomes).sort(), `${step.meta.step} (${audience})`).toEqual(
          [...expected].sort(),
        );
      }
    }
  });

  it('labels no event a step does not accept (a stale label is a sign of a renamed event)', () => {
    for (const step of machineSteps) {
      const own = content.step(step.meta.step, 'agent').choices;
      const shared = content.shared.choices;
      const extra = (Object.keys(own) as EventType[]).filter(
        (t) => !step.events.includes(t) && own[t] !== shared[t],
      );
      expect(extra, step.meta.step).toEqual([]);
    }
  });

  it('words yes, no and done for the question asked, not with the generic defaults', () => {
    const generic: readonly EventType[] = ['ANSWER_YES', 'ANSWER_NO', 'ANSWER_NOT_FOUND', 'DONE'];
    each((step, audience, text) => {
      for (const type of step.events.filter((t) => generic.includes(t))) {
        expect(text.choices[type], `${step.meta.step} ${type} (${audience})`).not.toBe(
          content.shared.choices[type],
        );
      }
    });
  });

  it('renders HTML without scripts, event handlers or styles', () => {
    each((step, audience, text) => {
      const where = `${step.meta.step} (${audience})`;
      expect(text.html, where).not.toMatch(/<script|<style|<iframe|<img/i);
      expect(text.html, where).not.toMatch(/\son[a-z]+\s*=/i);
      expect(text.html, where).not.toMatch(/\sstyle\s*=/i);
    });
  });

  it('gives end users their own text on the steps that tell agents how to work in PRONOTE', () => {
    for (const step of machineSteps.filter((s) => s.meta.kind !== 'check' && s.meta.kind !== 'fix')) {
      const agent = content.step(step.meta.step, 'agent');
      const forPublic = content.step(step.meta.step, 'public');
      if (/client PRONOTE|console/.test(agent.html))
        expect(forPublic.html, step.meta.step).not.toBe(agent.html);
    }
  });

  it('shows end users no personal data, not even as an example', () => {
    const names = DEMO_SCHOOLS.flatMap((s) => s.accounts.map((a) => a.nom)).filter((n) => n.length > 3);
    const logins = [
      ...DEMO_ENT.map((a) => a.login),
      ...DEMO_SCHOOLS.flatMap((s) => s.accounts.map((a) => a.casId ?? '')),
    ];
    const forbidden = [
      /\b\d{1,2}\/\d{1,2}\/\d{4}\b/, // a real-looking date of birth
      /\b\d{4}-\d{2}-\d{2}\b/,
      /[\w.+-]+@[\w-]+\.[\w.]+/, // an e-mail address
      /(?<!\p{L})[a-z]+\.[a-z]+(?!\p{L})/u, // a prenom.nom login
      /\b\d{2} ?\d{2} ?\d{2} ?\d{2} ?\d{2}\b/, // a phone number
    ];
    for (const step of machineSteps) {
      const text = allText(content.step(step.meta.step, 'public'));
      for (const pattern of forbidden) expect(text, `${step.meta.step} ${pattern}`).not.toMatch(pattern);
      for (const nom of new Set(names))
        expect(text, step.meta.step).not.toMatch(new RegExp(`(?<!\\p{L})${nom}(?!\\p{L})`, 'u'));
      for (const login of new Set(logins.filter(Boolean)))
        expect(text.toLowerCase(), step.meta.step).not.toContain(login);
    }
  });

  it('labels every espace, profile, fix and status', () => {
    const s = content.shared;
    for (const group of [s.espaces, s.profiles, s.fixKinds, s.fixOutcomes, s.status]) {
      for (const label of Object.values(group)) expect(label).not.toBe('');
    }
    expect(s.refusals['cas-id-taken']).toMatch(/déjà/);
    expect(s.fields.casId).toBe('Identifiant CAS');
  });

  it('uses the shared choices where a step has no label of its own, per audience', () => {
    expect(content.step('auth-error.identify', 'agent').choices.ESCALATE).toBe(
      content.shared.choices.ESCALATE,
    );
    expect(content.step('auth-error.identify', 'public').choices.ESCALATE).toMatch(/établissement/);
  });

  it('throws on an unknown step id', () => {
    expect(() => content.step('auth-error.nope', 'agent')).toThrow(/auth-error\.nope/);
  });

  it('is read once and cached', () => {
    expect(loadContent()).toBe(content);
  });
});

describe('a content folder with mistakes', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  const SHARED = [
    '---',
    'choices: { ESCALATE: Transmettre }',
    'espaces: { eleves: É, parents: P, professeurs: Pr, vie-scolaire: V, direction: D, accompagnants: A }',
    'people: { eleves: é, parents: p, professeurs: pr, vie-scolaire: v, direction: d, accompagnants: a }',
    'profiles: { eleve: É, responsable: R, professeur: P, personnel: Pe }',
    'fields: { nom: Nom }',
    'fixKinds: { identity: a, cas-id: b, clear-cas-ids: c, publish: d, espace-parents: e }',
    'fixOutcomes: { done: a, manual: b, conflict: c, refused: d }',
    'refusals: {}',
    'status: { active: a, resolved: b, escalate: c }',
    '---',
    '',
  ].join('\n');

  const folder = (files: Record<string, string>) => {
    const dir = mkdtempSync(join(tmpdir(), 'content-'));
    dirs.push(dir);
    for (const [path, text] of Object.entries({ '_shared.md': SHARED, ...files })) {
      mkdirSync(join(dir, path, '..'), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    return dir;
  };

  const errorOf = (dir: string): ContentError => {
    try {
      loadContent(dir);
    } catch (err) {
      expect(err).toBeInstanceOf(ContentError);
      return err as ContentError;
    }
    throw new Error('loadContent did not throw');
  };

  it('names the file and the key of a front matter that does not follow the format', () => {
    const dir = folder({
      'demo/ask.md': '---\ntitle: Une question\nchoices:\n  ANSWER_YESS: Oui\n---\nTexte.\n',
    });
    const err = errorOf(dir);
    expect(err.message).toContain(join('demo', 'ask.md'));
    expect(err.message).toContain('choices');
    expect(err.message).toContain('ANSWER_YESS');
  });

  it('names the file of a front matter that is not valid YAML', () => {
    const dir = folder({ 'demo/ask.md': '---\ntitle: [pas fermé\n---\nTexte.\n' });
    expect(errorOf(dir).message).toContain(join('demo', 'ask.md'));
  });

  it('names the file and the key when a title is missing', () => {
    const dir = folder({ 'demo/ask.md': '---\nchoices: { DONE: Fait }\n---\n' });
    const err = errorOf(dir);
    expect(err.file).toContain(join('demo', 'ask.md'));
    expect(err.message).toContain('title');
  });

  it('names the shared file when one of its labels is missing', () => {
    const dir = folder({ '_shared.md': SHARED.replace('escalate: c', 'escalade: c') });
    expect(errorOf(dir).message).toMatch(/_shared\.md.*status/);
  });

  it('refuses front matter written in JavaScript', () => {
    const dir = folder({ 'demo/ask.md': '---js\n{ title: "x" }\n---\n' });
    expect(errorOf(dir).message).toMatch(/ask\.md.*JavaScript/);
  });

  it('keeps headings, lists, links and tables, and drops whatever could run or style', () => {
    const body = [
      '## Étapes',
      '',
      '1. **Ouvrir** le *client* `PRONOTE`',
      '',
      '> note',
      '',
      '| a | b |',
      '|---|---|',
      '| 1 | 2 |',
      '',
      '[aide](https://example.org/aide) [interne](/aide) [piège](javascript:alert(1)) [ailleurs](//evil.example/x)',
      '',
      '<script>alert(1)</script><img src=x onerror="alert(1)"><p style="color:red" onclick="x()">texte</p>',
      '<iframe src="https://evil.example"></iframe>',
    ].join('\n');
    const dir = folder({
      'demo/info.md': `---\ntitle: Info\npublic:\n  body: "<b onmouseover=x>gras</b>"\n---\n${body}\n`,
    });
    const agent = loadContent(dir).step('demo.info', 'agent').html;
    expect(agent).toContain('<h2>Étapes</h2>');
    expect(agent).toContain('<strong>Ouvrir</strong>');
    expect(agent).toContain('<code>PRONOTE</code>');
    expect(agent).toContain('<blockquote>');
    expect(agent).toContain('<td>1</td>');
    expect(agent).toContain('<a href="https://example.org/aide">aide</a>');
    expect(agent).toContain('<a href="/aide">interne</a>');
    expect(agent).not.toMatch(/javascript:|evil\.example|<script|<img|<iframe|onerror|onclick|style=/);
    expect(agent).toContain('<p>texte</p>');
    expect(loadContent(dir).step('demo.info', 'public').html).not.toMatch(/onmouseover|<b/);
  });
});
