import { createRequire } from 'node:module';
import type { XMLParser } from 'fast-xml-parser';
import { z } from 'zod';

/** Where the ENT's CAS server is, and the address it sends agents back to. */
export interface CasConfig {
  /** e.g. `https://cas.example.fr/cas`, without a trailing slash. */
  baseUrl: string;
  /** CAS 3 validates at `/p3/serviceValidate`, CAS 2 at `/serviceValidate`. */
  version: 2 | 3;
  /** `PUBLIC_URL` + `/connexion/cas`; CAS requires the very same value at login and at validation. */
  serviceUrl: string;
  /** How long to wait for the CAS server (default 5 s). */
  timeoutMs?: number;
}

/** A ticket the CAS vouched for: its user, and the attributes it released to this service (text values). */
export type CasValidation =
  | { ok: true; user: string; attributes: Record<string, string> }
  | { ok: false; code: string };

/** The CAS server could not be reached, or answered something that is not a CAS answer. */
export class CasUnavailable extends Error {
  constructor(
    readonly reason: 'unreachable' | 'bad-answer',
    options?: ErrorOptions,
  ) {
    super(`CAS server ${reason}`, options);
  }
}

const DEFAULT_TIMEOUT_MS = 5_000;

const casEnv = z.object({
  CAS_BASE_URL: z.url({
    protocol: /^https?$/,
    error: 'CAS_BASE_URL doit être une adresse http(s), par exemple https://cas.example.fr/cas.',
  }),
  CAS_VERSION: z.enum(['2', '3'], { error: 'CAS_VERSION vaut 2 ou 3.' }).default('3'),
});

/**
 * CAS sign-in is on when `CAS_BASE_URL` is set. A wrong value stops the start-up with a clear message
 * rather than leaving agents with a sign-in button that cannot work.
 */
export function casConfigFromEnv(
  env: Record<string, string | undefined>,
  publicUrl: string,
): CasConfig | undefined {
  if (!env.CAS_BASE_URL?.trim()) return undefined;
  const parsed = casEnv.safeParse({
    CAS_BASE_URL: env.CAS_BASE_URL.trim(),
    CAS_VERSION: env.CAS_VERSION?.trim() || undefined,
  });
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join(' '));
  const base = publicUrl.endsWith('/') ? publicUrl : `${publicUrl}/`;
  return {
    baseUrl: parsed.data.CAS_BASE_URL.replace(/\/+$/, ''),
    version: parsed.data.CAS_VERSION === '2' ? 2 : 3,
    serviceUrl: new URL('connexion/cas', base).toString(),
  };
}

/** The CAS login page, which sends the agent back to the service URL with a ticket. */
export function casLoginUrl(cas: CasConfig): string {
  return `${cas.baseUrl}/login?service=${encodeURIComponent(cas.serviceUrl)}`;
}

/**
 * Asks the CAS server whether a ticket is good (CAS protocol 2/3 `serviceValidate`), and for whom. A CAS 3
 * server that has no `/p3/serviceValidate` (an older CAS answering 404) is asked at `/serviceValidate`:
 * the ticket is still unused, since a 404 never consumed it.
 */
export async function validateCasTicket(cas: CasConfig, ticket: string): Promise<CasValidation> {
  const query = new URLSearchParams({ service: cas.serviceUrl, ticket });
  const ask = async (path: string): Promise<Response> => {
    try {
      return await fetch(`${cas.baseUrl}${path}?${query}`, {
        headers: { Accept: 'application/xml, text/xml' },
        signal: AbortSignal.timeout(cas.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      });
    } catch (err) {
      throw new CasUnavailable('unreachable', { cause: err });
    }
  };
  let res = await ask(cas.version === 3 ? '/p3/serviceValidate' : '/serviceValidate');
  if (cas.version === 3 && res.status === 404) {
    await res.body?.cancel();
    res = await ask('/serviceValidate');
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new CasUnavailable('bad-answer');
  }
  let body: string;
  try {
    body = await res.text();
  } catch (err) {
    throw new CasUnavailable('unreachable', { cause: err });
  }
  return parseCasAnswer(body);
}

// The XML parser is made at the first CAS answer, from the package's one-file CommonJS build: its ES
// modules are dozens of files that every start would read, most servers never signing in through CAS.
const requireCjs = createRequire(import.meta.url);
let parser: XMLParser | undefined;
const xmlParser = (): XMLParser => {
  if (!parser) {
    const { XMLParser: Parser } = requireCjs('fast-xml-parser') as typeof import('fast-xml-parser');
    // Namespace prefixes are dropped: the `cas:` prefix is a convention, the namespace is what counts.
    parser = new Parser({
      removeNSPrefix: true,
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      parseTagValue: false,
      processEntities: true,
      // Numeric character references (`&#233;`, `&#x2019;`) come from CAS servers that escape accents.
      htmlEntities: true,
    });
  }
  return parser;
};

const answerSchema = z.object({
  serviceResponse: z.object({
    authenticationSuccess: z
      .object({ user: z.string().trim().min(1), attributes: z.unknown().optional() })
      .optional(),
    authenticationFailure: z.union([z.string(), z.object({ '@code': z.string().optional() })]).optional(),
  }),
});

/** Reads a `serviceValidate` answer: `cas:authenticationSuccess/cas:user`, or the failure's code. */
export function parseCasAnswer(xml: string): CasValidation {
  let tree: unknown;
  try {
    tree = xmlParser().parse(xml);
  } catch (err) {
    throw new CasUnavailable('bad-answer', { cause: err });
  }
  const parsed = answerSchema.safeParse(tree);
  if (!parsed.success) throw new CasUnavailable('bad-answer');
  const { authenticationSuccess, authenticationFailure } = parsed.data.serviceResponse;
  if (authenticationSuccess)
    return {
      ok: true,
      user: authenticationSuccess.user,
      attributes: attributesOf(authenticationSuccess.attributes),
    };
  if (authenticationFailure !== undefined) {
    const code = typeof authenticationFailure === 'string' ? '' : (authenticationFailure['@code'] ?? '');
    return { ok: false, code: /^[A-Z_]{1,64}$/.test(code) ? code : 'UNKNOWN' };
  }
  throw new CasUnavailable('bad-answer');
}

/** An attribute's text: an element with XML attributes of its own comes as `{ '#text': … }`. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && '#text' in value) {
    const text = (value as { '#text': unknown })['#text'];
    return typeof text === 'string' ? text : undefined;
  }
  return undefined;
}

/**
 * The released attributes as name → text. Open ENT NG puts them directly in `cas:attributes` or inside
 * `cas:attributes/cas:userAttributes`; both are read, the direct ones first. An attribute given several
 * times keeps its first value; anything that is not text (a nested element) is left out.
 */
function attributesOf(raw: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  const read = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    for (const [name, value] of Object.entries(node)) {
      if (name === 'userAttributes' || name.startsWith('@') || name in out) continue;
      const text = textOf(Array.isArray(value) ? value[0] : value);
      if (text !== undefined) out[name] = text;
    }
  };
  read(raw);
  if (raw && typeof raw === 'object' && 'userAttributes' in raw) {
    const nested = (raw as { userAttributes: unknown }).userAttributes;
    read(Array.isArray(nested) ? nested[0] : nested);
  }
  return out;
}
