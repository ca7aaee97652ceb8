import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { AuditPage } from '../../views/audit.js';
import type { ContentCatalog } from '../engine/content.js';
import { journalLines } from '../engine/journal-view.js';
import type { AuditEntry } from '../pronote/audit.js';
import { CorrectionStateError } from '../pronote/corrections.js';
import { ConflictError, PronoteError } from '../pronote/errors.js';
import type { PronotePort } from '../pronote/port.js';
import type { AppEnv } from './app-types.js';
import { html } from './render.js';
import { isAllowedOn, type Viewer } from './viewer.js';

const PAGE = 100;
const auditId = z.string().regex(/^[\w-]{1,64}$/, { error: 'Identifiant de correction invalide.' });

function agentOf(c: Context<AppEnv>): Extract<Viewer, { kind: 'agent' }> {
  const viewer = c.get('viewer');
  if (viewer.kind !== 'agent')
    throw new HTTPException(403, { message: 'Le journal est réservé aux agents connectés.' });
  return viewer;
}

/** The entries an agent may read: those of the schools they are allowed on, newest first. */
async function entriesFor(
  pronote: PronotePort,
  agent: Extract<Viewer, { kind: 'agent' }>,
  before?: string,
): Promise<AuditEntry[]> {
  const query = { limit: PAGE, ...(before ? { before } : {}) };
  if (agent.schools === 'all') return pronote.listAudit(query);
  const perSchool = await Promise.all(agent.schools.map((uai) => pronote.listAudit({ ...query, uai })));
  return perSchool
    .flat()
    .sort((a, b) => b.at.localeCompare(a.at))
    .slice(0, PAGE);
}

/** The journal of fixes, as a page and as JSON, and the undo of one fix (a whole batch). */
export function auditRoutes({ pronote, content }: { pronote: PronotePort; content: ContentCatalog }) {
  const app = new Hono<AppEnv>();

  const page = async (c: Context<AppEnv>, message?: string) => {
    const before = c.req.query('avant');
    const entries = await entriesFor(pronote, agentOf(c), before ? auditId.parse(before) : undefined);
    const lines = await journalLines(pronote, content, entries);
    const last = entries.at(-1);
    return html(
      c,
      <AuditPage
        lines={lines}
        {...(message ? { message } : {})}
        {...(entries.length === PAGE && last ? { nextBefore: last.id } : {})}
      />,
    );
  };

  app.get('/audit', async (c) => page(c));
  app.get('/api/audit', async (c) => {
    const before = c.req.query('before');
    return c.json({
      entries: await entriesFor(pronote, agentOf(c), before ? auditId.parse(before) : undefined),
    });
  });

  /** Undoes the whole batch the entry belongs to: a fix on several accounts is undone as a whole. */
  app.post('/audit/:entryId/annuler', async (c) => {
    const agent = agentOf(c);
    const entry = await pronote.getAuditEntry(auditId.parse(c.req.param('entryId')));
    if (!entry || !isAllowedOn(agent, entry.uai))
      throw new HTTPException(404, { message: 'Correction introuvable.' });
    const batchId = entry.batchId;
    const back = (await c.req.parseBody()).retour;
    try {
      await pronote.undo(batchId, {
        actor: agent.name,
        ...(entry.sessionId ? { sessionId: entry.sessionId } : {}),
        step: 'undo',
      });
    } catch (err) {
      if (err instanceof ConflictError) {
        throw new HTTPException(409, {
          message:
            'Impossible d’annuler : la fiche a été modifiée depuis cette correction. Rien n’a été changé ; vérifiez son état actuel dans PRONOTE.',
        });
      }
      if (err instanceof CorrectionStateError) throw new HTTPException(409, { message: err.message });
      if (err instanceof PronoteError) throw new HTTPException(422, { message: err.message });
      throw err;
    }
    // Back to the page the undo was asked from: a session step, a school's reconciliation or settings.
    const pages = /^(\/s\/[\w-]{22}(\/\d+)?|\/(reconciliation|reglages)\/\d{7}[A-Z]\?annule=1)$/;
    if (typeof back === 'string' && pages.test(back)) return c.redirect(back, 303);
    return c.redirect('/audit', 303);
  });

  return app;
}
