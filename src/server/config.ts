import type { BlockList } from 'node:net';
import { z } from 'zod';
import type { RetentionPolicy } from '../store/retention.js';
import { type Branding, brandingFromEnv, DEFAULT_BRANDING } from './branding.js';
import { type CasConfig, casConfigFromEnv } from './cas.js';
import { addressList, parseNetwork } from './client-address.js';
import { type TicketSystems, ticketSystemsFromEnv } from './ticket-systems/index.js';
import {
  type PrivacyConfig,
  privacyConfigFromEnv,
  type VerifyConfig,
  verifyConfigFromEnv,
} from './verify-config.js';

/** An unset variable and an empty one mean the same: the default. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (typeof value === 'string' && value.trim() === '' ? undefined : value), schema);

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

/** A retention period in days: a whole number, at least one day. */
const days = (name: string, fallback: number) => {
  const error = `${name} est un nombre entier de jours, au moins 1.`;
  return z.coerce.number({ error }).int({ error }).min(1, { error }).max(36_500, { error }).default(fallback);
};

/** A whole number of `unit` no lower than `min`, with one French message for every way it can be wrong. */
const atLeast = (name: string, min: number, unit: string, fallback: number) => {
  const error = `${name} est un nombre entier de ${unit}, au moins ${min}.`;
  return z.coerce.number({ error }).int({ error }).min(min, { error }).default(fallback);
};

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * Every environment variable the product reads, with its default; README's configuration table lists the
 * same names (a test compares them). Each message names its variable, since it is all an operator sees.
 */
export const ENVIRONMENT = z.object({
  PORT: optional(
    z.coerce
      .number({ error: 'PORT doit être un numéro de port (0 à 65535).' })
      .int({ error: 'PORT doit être un numéro de port (0 à 65535).' })
      .min(0, { error: 'PORT doit être un numéro de port (0 à 65535).' })
      .max(65_535, { error: 'PORT doit être un numéro de port (0 à 65535).' })
      .default(3000),
  ),
  HOST: optional(z.string().trim().default('127.0.0.1')),
  DATA_DIR: optional(z.string().default('./data')),
  DEMO_DATA: optional(z.enum(['0', '1'], { error: 'DEMO_DATA vaut 0 ou 1.' }).default('1')),
  DATABASE_URL: optional(
    z
      .string()
      .trim()
      .regex(/^postgres(ql)?:\/\//, {
        error:
          'DATABASE_URL doit être une adresse PostgreSQL (postgres://utilisateur@hôte:5432/base) ; laissez-la vide pour SQLite.',
      })
      .optional(),
  ),
  LOG_LEVEL: optional(
    z.enum(LOG_LEVELS, { error: `LOG_LEVEL vaut l’un de : ${LOG_LEVELS.join(', ')}.` }).default('info'),
  ),
  PUBLIC_URL: optional(
    z
      .url({
        protocol: /^https?$/,
        error: 'PUBLIC_URL doit être une adresse http(s), par exemple https://assistance.example.fr/.',
      })
      .optional(),
  ),
  RETENTION_PUBLIC_DAYS: optional(days('RETENTION_PUBLIC_DAYS', 90)),
  RETENTION_AGENT_DAYS: optional(days('RETENTION_AGENT_DAYS', 365)),
  RETENTION_JOURNAL_NAMES_DAYS: optional(days('RETENTION_JOURNAL_NAMES_DAYS', 365)),
  TRUST_PROXY: optional(
    z
      .string()
      .trim()
      .transform((value, ctx) => {
        const entries = value.split(/[\s,]+/).filter(Boolean);
        const bad = entries.filter((entry) => parseNetwork(entry) === null);
        if (bad.length > 0) {
          ctx.addIssue({
            code: 'custom',
            message: `TRUST_PROXY doit lister les adresses ou réseaux du proxy, par exemple 127.0.0.1 ou 10.0.0.0/8 (refusé : ${bad.join(', ')}) : seul leur X-Forwarded-For est cru.`,
          });
          return z.NEVER;
        }
        return entries;
      })
      .default([]),
  ),
  SESSION_MAX_ANSWERS: optional(atLeast('SESSION_MAX_ANSWERS', 20, 'réponses', 200)),
  PAGE_VIEWS_PER_MINUTE: optional(atLeast('PAGE_VIEWS_PER_MINUTE', 10, 'pages', 600)),
  METRICS_TOKEN: optional(
    z
      .string()
      .trim()
      .min(24, {
        error: 'METRICS_TOKEN doit compter au moins 24 caractères (par exemple : openssl rand -hex 24).',
      })
      .optional(),
  ),
  METRICS_ALLOW: optional(
    z
      .string()
      .transform((list) =>
        list
          .split(',')
          .map((entry) => entry.trim())
          .filter(Boolean),
      )
      .refine((entries) => entries.every(isAddressOrNetwork), {
        error:
          'METRICS_ALLOW est une liste d’adresses IP ou de réseaux séparés par des virgules, par exemple 10.0.0.5,192.168.1.0/24.',
      })
      .optional(),
  ),
  // The integrations' variables are checked together, by the module that uses them (below).
  CAS_BASE_URL: optional(z.string().optional()),
  CAS_VERSION: optional(z.string().optional()),
  CAS_SCHOOLS: optional(z.string().optional()),
  DATA_CONTROLLER_NAME: optional(z.string().trim().max(300).optional()),
  DATA_CONTROLLER_CONTACT: optional(z.string().trim().max(300).optional()),
  GLPI_URL: optional(z.string().optional()),
  GLPI_USER_TOKEN: optional(z.string().optional()),
  GLPI_APP_TOKEN: optional(z.string().optional()),
  ZAMMAD_URL: optional(z.string().optional()),
  ZAMMAD_TOKEN: optional(z.string().optional()),
  // Checked by branding.ts: the accent's contrast, the logo's file or address.
  SERVICE_NAME: optional(
    z.string().trim().max(80, { error: 'SERVICE_NAME compte au plus 80 caractères.' }).optional(),
  ),
  SERVICE_LOGO: optional(z.string().optional()),
  ACCENT_COLOR: optional(z.string().optional()),
});

export type Environment = z.infer<typeof ENVIRONMENT>;

const isAddressOrNetwork = (entry: string): boolean => parseNetwork(entry) !== null;

/** What the server and the command lines run with, read once at start-up. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL instead of the SQLite file of `dataDir`. */
  databaseUrl: string | undefined;
  /** Load the demo schools into an empty database. */
  demoData: boolean;
  logLevel: (typeof LOG_LEVELS)[number];
  /** The address people reach the site at (behind a proxy: its https address). */
  publicUrl: string;
  /** The proxies (addresses, CIDR networks) whose X-Forwarded-For is believed; empty: none. */
  trustProxy: string[];
  cas: CasConfig | undefined;
  /** « Vérifier mon compte »: the CAS server of each school; off without any. */
  verify: VerifyConfig | undefined;
  /** Who processes the data, for the privacy notices. */
  privacy: PrivacyConfig;
  ticketSystems: TicketSystems | undefined;
  /** How long personal data is kept (the daily purge and `npm run cli -- purge`). */
  retention: RetentionPolicy;
  /** How many answers deep a session may go. */
  sessionMaxAnswers: number;
  /** Pages an end user may load per minute and per address; agents are not counted. */
  pageViewsPerMinute: number;
  /** Who may read `/metrics`: a bearer token, and/or peers' addresses; nobody when neither is set. */
  metrics: { token: string | undefined; allow: BlockList | undefined };
  /** The service's name, logo and accent colour, as the deployer runs it. */
  branding: Branding;
}

/** A bad setting: its message, in French, names each variable to correct. */
export class ConfigError extends Error {}

/** Reads and checks the environment; throws a ConfigError listing every wrong value at once. */
export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const problems: string[] = [];
  const parsed = ENVIRONMENT.safeParse(env);
  if (!parsed.success) problems.push(...parsed.error.issues.map((issue) => issue.message));
  const vars = parsed.data ?? ENVIRONMENT.parse({});
  // Listening beyond this machine, the address people use cannot be guessed, and must not be taken from
  // the requests' Host header: links printed for agents and pasted into tickets are built from it.
  if (!vars.PUBLIC_URL && !LOOPBACK.has(vars.HOST)) {
    problems.push(
      `PUBLIC_URL est obligatoire quand HOST (${vars.HOST}) n’est pas l’adresse locale : c’est l’adresse où l’on joint l’assistant, par exemple https://assistance.example.fr/.`,
    );
  }
  const localHost = LOOPBACK.has(vars.HOST) ? vars.HOST : '127.0.0.1';
  const publicUrl =
    vars.PUBLIC_URL ?? `http://${localHost.includes(':') ? `[${localHost}]` : localHost}:${vars.PORT}/`;
  const integration = <T>(read: () => T): T | undefined => {
    try {
      return read();
    } catch (err) {
      problems.push((err as Error).message);
      return undefined;
    }
  };
  const cas = integration(() => casConfigFromEnv(env, publicUrl));
  const ticketSystems = integration(() => ticketSystemsFromEnv(env));
  const verify = integration(() => verifyConfigFromEnv(env, publicUrl, cas));
  const branding = integration(() => brandingFromEnv(env));
  if (problems.length > 0) {
    throw new ConfigError(
      ['Configuration refusée :', ...problems.map((problem) => `  - ${problem}`)].join('\n'),
    );
  }
  return {
    port: vars.PORT,
    host: vars.HOST,
    dataDir: vars.DATA_DIR,
    databaseUrl: vars.DATABASE_URL,
    demoData: vars.DEMO_DATA === '1',
    logLevel: vars.LOG_LEVEL,
    publicUrl,
    trustProxy: vars.TRUST_PROXY,
    cas,
    verify,
    privacy: privacyConfigFromEnv(env, vars.RETENTION_PUBLIC_DAYS),
    ticketSystems,
    retention: {
      publicDays: vars.RETENTION_PUBLIC_DAYS,
      agentDays: vars.RETENTION_AGENT_DAYS,
      journalNamesDays: vars.RETENTION_JOURNAL_NAMES_DAYS,
    },
    sessionMaxAnswers: vars.SESSION_MAX_ANSWERS,
    pageViewsPerMinute: vars.PAGE_VIEWS_PER_MINUTE,
    metrics: {
      token: vars.METRICS_TOKEN,
      allow: vars.METRICS_ALLOW?.length ? addressList(vars.METRICS_ALLOW) : undefined,
    },
    branding: branding ?? DEFAULT_BRANDING,
  };
}

/** For the entry points: a wrong setting is told in French, naming the variable, without a stack trace. */
export function readConfigOrExit(env: Record<string, string | undefined> = process.env): Config {
  try {
    return readConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    console.error(err.message);
    process.exit(1);
  }
}
