import { createHash } from 'node:crypto';
import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { ImportPage, type ImportPageProps, ImportResult } from '../../views/import.js';
import type { EntLoader } from '../ent/port.js';
import { previewCorrections } from '../formats/import-corrections.js';
import { previewChanges } from '../formats/import-preview.js';
import {
  commitImport,
  ImportError,
  type ImportInput,
  type ImportPlan,
  planImport,
} from '../formats/school-import.js';
import { SchoolExistsError } from '../pronote/errors.js';
import type { PronoteLoader, PronotePort } from '../pronote/port.js';
import type { AppEnv } from './app-types.js';
import { html } from './render.js';
import { isAllowedOn } from './viewer.js';

/** What one upload may weigh: a collège's SIECLE with addresses, its AAF and its lists, with room. */
export const IMPORT_MAX_BYTES = 32 * 1024 * 1024;

const UAI = /^\d{7}[A-Z]$/;

export interface ImportDeps {
  pronote: PronotePort & PronoteLoader;
  ent: EntLoader;
}

/** What was sent and what the school holds now: « Importer » commits only the very preview the agent saw. */
function fingerprintOf(input: ImportInput, plan: ImportPlan): string {
  const h = createHash('sha256').update(`${plan.uai}|${input.force ? 1 : 0}`);
  for (const f of [...input.pronote, ...(input.files ?? [])]) {
    h.update(`|${'profile' in f ? f.profile : ''}|${f.path}|`).update(f.bytes);
  }
  for (const a of plan.present) h.update(`|${a.id}:${a.version}`);
  return h.digest('base64url').slice(0, 22);
}

async function inputOf(
  c: Context<AppEnv>,
  uai: string,
): Promise<ImportInput & { action: string; fingerprint: string }> {
  const body = await c.req.parseBody({ all: true });
  const files = (value: unknown) =>
    (Array.isArray(value) ? value : [value]).filter((v): v is File => v instanceof File && v.size > 0);
  const read = async (f: File) => ({
    path: f.name || 'fichier',
    bytes: new Uint8Array(await f.arrayBuffer()),
  });
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const pronote = [
    ...(await Promise.all(files(body.professeurs).map(read))).map((f) => ({
      ...f,
      profile: 'professeur' as const,
    })),
    ...(await Promise.all(files(body.personnels).map(read))).map((f) => ({
      ...f,
      profile: 'personnel' as const,
    })),
  ];
  return {
    uai,
    pronote,
    files: await Promise.all(files(body.fichiers).map(read)),
    replace: true,
    force: text(body.forcer) === '1',
    action: text(body.action),
    fingerprint: text(body.empreinte),
  };
}

/**
 * `/import/<UAI>`: the agents of a school upload the files it has; « Aperçu » shows what each file was
 * read as and what would change, « Importer » commits it all in one transaction, or nothing.
 */
export function importRoutes(deps: ImportDeps) {
  const app = new Hono<AppEnv>();
  const { pronote } = deps;

  /** The school an agent may load; a 404 says nothing of whether another school exists. */
  const schoolOf = async (c: Context<AppEnv>, raw: string) => {
    const viewer = c.get('viewer');
    if (viewer.kind !== 'agent')
      throw new HTTPException(403, { message: 'L’import est réservé aux agents connectés.' });
    if (!UAI.test(raw) || !isAllowedOn(viewer, raw))
      throw new HTTPException(404, { message: 'Établissement introuvable.' });
    return { uai: raw, school: (await pronote.getSchool(raw))?.name ?? null };
  };

  /** The answer: the fragment htmx swaps in, or the whole page without JavaScript. */
  const answer = (c: Context<AppEnv>, props: ImportPageProps, status: 200 | 400 | 409 = 200) => {
    const body = c.req.header('HX-Request') ? <ImportResult {...props} /> : <ImportPage {...props} />;
    return html(c, body, status);
  };

  app.get('/import/:uai', async (c) => {
    const { uai, school } = await schoolOf(c, c.req.param('uai'));
    return html(c, <ImportPage uai={uai} school={school} />);
  });

  app.post('/import/:uai', async (c) => {
    const { uai, school } = await schoolOf(c, c.req.param('uai'));
    const input = await inputOf(c, uai);
    const refused = (error: string, status: 400 | 409 = 400) => answer(c, { uai, school, error }, status);
    if ((input.files ?? []).length + input.pronote.length === 0) return refused('Aucun fichier envoyé.');
    try {
      const plan = await planImport(pronote, input);
      const fingerprint = fingerprintOf(input, plan);
      if (input.action === 'importer') {
        if (input.fingerprint !== fingerprint) {
          return refused(
            'Les fichiers ou les données de l’établissement ont changé depuis l’aperçu : relancez l’aperçu avant d’importer.',
            409,
          );
        }
        const done = await commitImport(deps, plan, plan.exists);
        return answer(c, { uai, school: done.name, done });
      }
      const { open, outcomes } = await previewCorrections(pronote, uai, plan.accounts);
      const verified = outcomes.filter((o) => o.state === 'verified').length;
      return answer(c, {
        uai,
        school,
        preview: {
          files: plan.files,
          preview: previewChanges(plan.present, plan.accounts),
          corrections: {
            verified,
            contradicted: outcomes.length - verified,
            open: open.length - outcomes.length,
          },
          entAccounts: plan.ent?.length ?? null,
          fingerprint,
          replace: plan.exists,
          force: input.force ?? false,
        },
      });
    } catch (err) {
      if (err instanceof ImportError) return refused(err.message);
      if (err instanceof SchoolExistsError) return refused(err.message, 409);
      throw err;
    }
  });

  return app;
}
