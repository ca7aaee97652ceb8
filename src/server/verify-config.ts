import { z } from 'zod';
import type { CasConfig } from './cas.js';
import { absoluteUrl } from './public-url.js';

/**
 * « Vérifier mon compte » settings: which ENT CAS server signs in the people of each school, and who
 * processes their data (RGPD article 13, shown on the check page and the request form).
 */

type CasServer = Omit<CasConfig, 'serviceUrl'>;

export interface VerifyConfig {
  /** The school's CAS server, with the service URL it sends the person back to; undefined if none. */
  casFor(uai: string): CasConfig | undefined;
  /** The schools with a CAS server of their own; `all` when a default server serves every school. */
  schools: readonly string[] | 'all';
  /** The CAS servers' origins (`https://cas.example.fr`), which the person's browser is sent to. */
  origins: string[];
}

export interface PrivacyConfig {
  /** The data controller (« responsable de traitement »). */
  controller: string;
  /** How to reach them, or their data protection officer. */
  contact: string;
  /** Days an end user's request is kept after it was sent (`RETENTION_PUBLIC_DAYS`). */
  requestDays: number;
}

const UAI = /^\d{7}[A-Z]$/;
const casUrl = z.url({ protocol: /^https?$/ });

/**
 * `CAS_SCHOOLS`: `UAI=URL` pairs separated by spaces or commas, for schools whose ENT is another than the
 * one of `CAS_BASE_URL`. Wrong values stop the start-up, naming the pair at fault.
 */
function schoolServers(text: string | undefined): Map<string, string> {
  const servers = new Map<string, string>();
  for (const pair of (text ?? '').split(/[\s,]+/).filter(Boolean)) {
    const [uai = '', url = ''] = pair.split(/=(.*)/s);
    if (!UAI.test(uai) || !casUrl.safeParse(url).success)
      throw new Error(
        `CAS_SCHOOLS : « ${pair} » n’est pas de la forme UAI=https://cas.example.fr/cas (par exemple 0130001A=https://cas.ent.fr/cas).`,
      );
    servers.set(uai, url.replace(/\/+$/, ''));
  }
  return servers;
}

/** Off (undefined) when neither `CAS_BASE_URL` nor `CAS_SCHOOLS` is set: the anonymous flows stay as they are. */
export function verifyConfigFromEnv(
  env: Record<string, string | undefined>,
  publicUrl: string,
  defaultServer: CasServer | CasConfig | undefined,
): VerifyConfig | undefined {
  const perSchool = schoolServers(env.CAS_SCHOOLS);
  if (!defaultServer && perSchool.size === 0) return undefined;
  const version = defaultServer?.version ?? (env.CAS_VERSION?.trim() === '2' ? 2 : 3);
  const origins = [
    ...new Set([...perSchool.values(), ...(defaultServer ? [defaultServer.baseUrl] : [])]),
  ].map((url) => new URL(url).origin);
  return {
    origins,
    schools: defaultServer ? 'all' : [...perSchool.keys()],
    casFor(uai) {
      if (!UAI.test(uai)) return undefined;
      const own = perSchool.get(uai);
      const server: CasServer | undefined = own
        ? { baseUrl: own, version }
        : defaultServer && { baseUrl: defaultServer.baseUrl, version: defaultServer.version };
      if (!server) return undefined;
      // From PUBLIC_URL, never from the request's Host: the CAS sends the person's ticket there.
      return { ...server, serviceUrl: absoluteUrl(publicUrl, `/verifier/${uai}/retour`) };
    },
  };
}

export function privacyConfigFromEnv(
  env: Record<string, string | undefined>,
  requestDays = 90,
): PrivacyConfig {
  return {
    requestDays,
    controller: env.DATA_CONTROLLER_NAME?.trim() || 'le chef de l’établissement scolaire dont vous dépendez',
    contact:
      env.DATA_CONTROLLER_CONTACT?.trim() ||
      'le secrétariat de votre établissement, ou son délégué à la protection des données',
  };
}
