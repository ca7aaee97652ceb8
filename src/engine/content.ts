import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import matter from 'gray-matter';
import { Marked } from 'marked';
import { z } from 'zod';
import { EVENT_TYPES, type EventType, eventFields } from '../../flows/events.js';
import {
  type Audience,
  ESPACES,
  type Espace,
  type FixResult,
  PROFILES,
  type Profile,
} from '../../flows/types.js';
import { PROJECT_DIR } from './project-dir.js';
import { type SanitizeOptions, sanitizeHtml } from './sanitize.js';

/** The words of one step for one audience, ready to render: the HTML is already sanitised. */
export interface StepText {
  title: string;
  html: string;
  /** Button labels, the shared defaults included. */
  choices: Partial<Record<EventType, string>>;
  fields: Record<string, { label: string; hint?: string }>;
  /** One sentence per outcome of the step's check or fix, for the transcript. */
  outcomes: Record<string, string>;
  /** What a form asks for as a whole, said before its fields (« l’identifiant ENT, ou le nom et le prénom »). */
  rules: Partial<Record<EventType, string>>;
  /** The wording when the step offers a single account to choose (« Une fiche correspond »). */
  single?: { title: string; html: string };
}

/** Labels every step uses: `content/_shared.md`. */
export interface SharedText {
  choices: Partial<Record<EventType, string>>;
  espaces: Record<Espace, string>;
  /** Who uses each espace, as a sentence says it (« les parents »): fills `{personnes}` in a step's text. */
  people: Record<Espace, string>;
  profiles: Record<Profile, string>;
  fields: Record<string, string>;
  fixKinds: Record<FixResult['kind'], string>;
  fixOutcomes: Record<FixResult['outcome'], string>;
  refusals: Record<string, string>;
  status: Record<'active' | 'resolved' | 'escalate', string>;
}

export interface ContentCatalog {
  shared: SharedText;
  /** The step's text for that audience; throws on an unknown step id. */
  step(stepId: string, audience: Audience): StepText;
  stepIds(): string[];
}

/** Thrown when a content file cannot be read or does not follow the format; names the file and the key. */
export class ContentError extends Error {
  readonly file: string;

  constructor(file: string, detail: string) {
    super(`${file}: ${detail}`);
    this.name = 'ContentError';
    this.file = file;
  }
}

/** Every member of a string union, checked complete by the compiler through the record's keys. */
const keysOf = <T extends string>(record: Record<T, true>) => Object.keys(record) as [T, ...T[]];

const FIX_KINDS = keysOf<FixResult['kind']>({
  identity: true,
  'cas-id': true,
  'clear-cas-ids': true,
  publish: true,
  'espace-parents': true,
});
const FIX_OUTCOMES = keysOf<FixResult['outcome']>({
  done: true,
  manual: true,
  conflict: true,
  refused: true,
});
const STATUSES = keysOf<'active' | 'resolved' | 'escalate'>({ active: true, resolved: true, escalate: true });
const FIELD_NAMES = [...new Set(Object.values(eventFields).flatMap((specs) => specs.map((s) => s.name)))] as [
  string,
  ...string[],
];

const label = z.string().trim().min(1, { error: 'must not be empty' });
const choices = z.partialRecord(z.enum(EVENT_TYPES as [EventType, ...EventType[]]), label);
/** `nom: Nom` is short for `nom: { label: Nom }`. */
const field = z.preprocess(
  (v) => (typeof v === 'string' ? { label: v } : v),
  z.strictObject({ label, hint: label.optional() }),
);
const fields = z.partialRecord(z.enum(FIELD_NAMES), field);
const outcomes = z.record(
  z.string().regex(/^[a-z][a-z-]*$/, { error: 'outcome keys are kebab-case' }),
  label,
);

const singular = z.strictObject({ title: label, body: z.string() });

const stepSchema = z.strictObject({
  title: label,
  single: singular.optional(),
  choices: choices.default({}),
  rules: choices.default({}),
  fields: fields.default({}),
  outcomes: outcomes.default({}),
  public: z
    .strictObject({
      title: label.optional(),
      choices: choices.optional(),
      rules: choices.optional(),
      fields: fields.optional(),
      outcomes: outcomes.optional(),
      body: z.string().optional(),
      single: singular.optional(),
    })
    .optional(),
});

const sharedSchema = z.strictObject({
  choices,
  espaces: z.record(z.enum(ESPACES), label),
  people: z.record(z.enum(ESPACES), label),
  profiles: z.record(z.enum(PROFILES), label),
  fields: z.record(z.string(), label),
  fixKinds: z.record(z.enum(FIX_KINDS), label),
  fixOutcomes: z.record(z.enum(FIX_OUTCOMES), label),
  refusals: z.record(z.string(), label),
  status: z.record(z.enum(STATUSES), label),
  /** End-user wording of the default choices, where it differs. */
  public: z.strictObject({ choices: choices.optional() }).optional(),
});

const markdown = new Marked({ gfm: true, breaks: false });

/** Headings, paragraphs, lists, emphasis, code, quotes, links and tables; nothing that runs or styles. */
const SANITIZE: SanitizeOptions = {
  allowedTags: [
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'ul', 'ol', 'li', 'strong', 'em', 'code', 'blockquote', 'a'],
    ...['table', 'thead', 'tbody', 'tr', 'th', 'td'],
  ],
  allowedAttributes: { a: ['href'] },
  allowedSchemes: ['http', 'https'],
  allowedSchemesAppliedToAttributes: ['href'],
  // `//host/path` leaves the site as surely as `https://host/path` does: only real relative links pass.
  allowProtocolRelative: false,
  allowedStyles: {},
  disallowedTagsMode: 'discard',
};

function render(body: string): string {
  const html = markdown.parse(body, { async: false });
  return sanitizeHtml(html, SANITIZE).trim();
}

type FieldText = StepText['fields'][string];

function singleText(single: z.infer<typeof singular> | undefined): Pick<StepText, 'single'> {
  if (!single) return {};
  const html = rendered(single.body);
  return {
    single: {
      title: single.title,
      get html() {
        return html();
      },
    },
  };
}

/** Drops the holes a partial record may carry, so every listed field has its label. */
const fieldTexts = (
  ...layers: Array<Partial<Record<string, FieldText>> | undefined>
): Record<string, FieldText> => {
  const out: Record<string, FieldText> = {};
  for (const layer of layers)
    for (const [name, text] of Object.entries(layer ?? {})) if (text) out[name] = text;
  return out;
};

/** Deep freeze; a getter (a step's HTML, rendered when first shown) is left to compute its value. */
const frozen = <T>(value: T): T => {
  if (value && typeof value === 'object') {
    for (const d of Object.values(Object.getOwnPropertyDescriptors(value))) if ('value' in d) frozen(d.value);
    Object.freeze(value);
  }
  return value;
};

/** Markdown rendered at its first use: starting the server reads and checks every file, renders none. */
function rendered(body: string): () => string {
  let html: string | undefined;
  return () => {
    html ??= render(body);
    return html;
  };
}

const DEFAULT_DIR = join(PROJECT_DIR, 'content');
const STEP_NAME = /^[a-z][a-z0-9-]*$/;
const cache = new Map<string, ContentCatalog>();

/**
 * Reads `content/_shared.md` and every `content/<flow>/<step>.md` once, validates their front matter and
 * renders their bodies to sanitised HTML. Throws a `ContentError` naming the file at the first bad one, so a
 * broken file stops start-up rather than a page later.
 *
 * @example
 * const content = loadContent();
 * content.step('single-parent.ask-access', 'public').title;
 */
export function loadContent(dir: string = DEFAULT_DIR): ContentCatalog {
  const root = resolve(dir);
  const cached = cache.get(root);
  if (cached) return cached;
  const catalog = readCatalog(root);
  cache.set(root, catalog);
  return catalog;
}

function readCatalog(root: string): ContentCatalog {
  const sharedFile = readFile(join(root, '_shared.md'));
  const shared = parse(sharedFile, sharedSchema);
  const { public: sharedPublic, ...sharedText } = shared.data;
  const publicChoices = { ...sharedText.choices, ...sharedPublic?.choices };

  const texts = new Map<string, Record<Audience, StepText>>();
  for (const file of stepFiles(root)) {
    const { data, body } = parse(readFile(file.path), stepSchema);
    const agentHtml = rendered(body);
    const agent: StepText = {
      title: data.title,
      get html() {
        return agentHtml();
      },
      choices: { ...sharedText.choices, ...data.choices },
      rules: data.rules,
      fields: fieldTexts(data.fields),
      outcomes: data.outcomes,
      ...singleText(data.single),
    };
    const p = data.public;
    const publicHtml = p?.body !== undefined ? rendered(p.body) : agentHtml;
    const forPublic: StepText = {
      title: p?.title ?? data.title,
      get html() {
        return publicHtml();
      },
      choices: { ...publicChoices, ...data.choices, ...p?.choices },
      rules: { ...data.rules, ...p?.rules },
      fields: fieldTexts(data.fields, p?.fields),
      outcomes: { ...data.outcomes, ...p?.outcomes },
      ...singleText(p?.single),
    };
    texts.set(file.stepId, frozen({ agent, public: forPublic }));
  }

  const ids = [...texts.keys()].sort();
  return frozen({
    shared: sharedText,
    step(stepId: string, audience: Audience): StepText {
      const text = texts.get(stepId);
      if (!text) throw new Error(`No content for step "${stepId}"`);
      return text[audience];
    },
    stepIds: () => [...ids],
  });
}

interface RawFile {
  /** The path as error messages show it. */
  name: string;
  source: string;
}

/** As the developer would type it: relative to the working directory when inside it. */
function displayName(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel === '' || rel.startsWith('..') ? path : rel;
}

function readFile(path: string): RawFile {
  const name = displayName(path);
  try {
    return { name, source: readFileSync(path, 'utf8') };
  } catch (err) {
    throw new ContentError(name, `cannot be read (${(err as Error).message})`);
  }
}

/** `<flow>/<step>.md` under the content folder; anything else in a flow folder is a mistake worth stopping on. */
function stepFiles(root: string): Array<{ path: string; stepId: string }> {
  const files: Array<{ path: string; stepId: string }> = [];
  for (const flow of readdirSync(root).sort()) {
    const flowPath = join(root, flow);
    if (!statSync(flowPath).isDirectory()) continue;
    if (!STEP_NAME.test(flow))
      throw new ContentError(displayName(flowPath), 'flow folder names are kebab-case');
    for (const name of readdirSync(flowPath).sort()) {
      const step = name.replace(/\.md$/, '');
      if (step === name || !STEP_NAME.test(step)) {
        throw new ContentError(displayName(join(flowPath, name)), 'expected a kebab-case `<step>.md` file');
      }
      files.push({ path: join(flowPath, name), stepId: `${flow}.${step}` });
    }
  }
  return files;
}

function parse<S extends z.ZodType>(file: RawFile, schema: S): { data: z.output<S>; body: string } {
  let parsed: matter.GrayMatterFile<string>;
  try {
    // Options disable gray-matter's cache; `---js` front matter would be evaluated, so it is refused.
    parsed = matter(file.source, {
      engines: {
        js: () => {
          throw new Error('JavaScript front matter is not allowed');
        },
        javascript: () => {
          throw new Error('JavaScript front matter is not allowed');
        },
      },
    });
  } catch (err) {
    throw new ContentError(file.name, `front matter cannot be parsed: ${(err as Error).message}`);
  }
  if (Object.keys(parsed.data).length === 0) throw new ContentError(file.name, 'no front matter');
  const result = schema.safeParse(parsed.data);
  if (!result.success) {
    const issues = result.error.issues.flatMap((i) => {
      const at = i.path.map(String);
      // An unknown key is reported on its parent: name the key itself, it is usually a typo.
      const keys = i.code === 'unrecognized_keys' ? i.keys.map((k) => [...at, k]) : [at];
      return keys.map((path) => `key "${path.join('.') || '(front matter)'}": ${i.message}`);
    });
    throw new ContentError(file.name, issues.join('; '));
  }
  return { data: result.data, body: parsed.content };
}
