import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { ReconciliationIndexPage, ReconciliationPage } from '../../views/reconciliation.js';
import { checklistOf } from '../engine/correction-view.js';
import { type ReconciliationReport, reconcile } from '../engine/reconcile.js';
import { reconciliationCsv } from '../engine/reconcile-csv.js';
import {
  applySafeCases,
  fingerprintOf,
  NoSafeCase,
  RECONCILIATION_STEP,
  safeCasePasteRows,
  safeCases,
} from '../engine/reconcile-fix.js';
import { openFinding, openTargetSchema } from '../engine/reconcile-open.js';
import type { Engine } from '../engine/session-engine.js';
import type { EntDirectory } from '../ent/port.js';
import type { PronotePort } from '../pronote/port.js';
import type { AppEnv } from './app-types.js';
import { html } from './render.js';
import { isAllowedOn, type Viewer } from './viewer.js';

export interface ReconcileDeps {
  engine: Engine;
  pronote: PronotePort;
  ent: EntDirectory;
}

type Agent = Extract<Viewer, { kind: 'agent' }>;

const UAI = /^\d{7}[A-Z]$/;
const entryId = z.string().regex(/^[\w-]{1,64}$/);
const fingerprintSchema = z.string({ error: 'Empreinte manquante.' }).regex(/^[\w-]{22}$/, {
  error: 'Empreinte invalide : rechargez la page de la réconciliation.',
});

function agentOf(c: Context<AppEnv>): Agent {
  const viewer = c.get('viewer');
  if (viewer.kind !== 'agent')
    throw new HTTPException(403, { message: 'La réconciliation est réservée aux agents connectés.' });
  return viewer;
}

/**
 * A school's reconciliation, as a page, CSV and JSON, for the agents of that school only; the opening of
 * each finding as a flow; the batch fix of the safe cases.
 */
export function reconcileRoutes(deps: ReconcileDeps) {
  const app = new Hono<AppEnv>();
  const { pronote } = deps;

  /** The agent and the school, or a 404 that says nothing of whether the school exists. */
  const schoolOf = async (c: Context<AppEnv>, uai: string) => {
    const agent = agentOf(c);
    if (!UAI.test(uai) || !isAllowedOn(agent, uai) || !(await pronote.getSchool(uai)))
      throw new HTTPException(404, { message: 'Établissement introuvable.' });
    return { agent, uai };
  };
  const reportOf = async (uai: string): Promise<ReconciliationReport> => {
    const report = await reconcile(deps, uai);
    if (!report) throw new HTTPException(404, { message: 'Établissement introuvable.' });
    return report;
  };
  const safeOf = (report: ReconciliationReport) => {
    const cases = safeCases(report);
    return { count: cases.length, fingerprint: fingerprintOf(cases) };
  };

  app.get('/reconciliation', async (c) => {
    const agent = agentOf(c);
    const schools = (await pronote.listSchools()).filter((s) => isAllowedOn(agent, s.uai));
    return html(c, <ReconciliationIndexPage schools={schools} />);
  });

  app.get('/reconciliation/:file', async (c) => {
    const [, raw = '', csv] = /^(.*?)(\.csv)?$/.exec(c.req.param('file')) ?? [];
    const { uai } = await schoolOf(c, raw);
    const report = await reportOf(uai);
    if (csv) {
      // The BOM tells a spreadsheet the file is UTF-8, so accents survive a double click.
      return c.body(`\uFEFF${reconciliationCsv([report])}`, 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="reconciliation-${uai}.csv"`,
      });
    }
    const lot = c.req.query('lot');
    const entry = lot && entryId.safeParse(lot).success ? await pronote.getAuditEntry(lot) : null;
    const checklist =
      entry && entry.uai === uai && entry.step === RECONCILIATION_STEP
        ? await checklistOf(pronote, await pronote.listCorrections({ uai, batchId: entry.batchId }))
        : null;
    const batch =
      entry && checklist
        ? {
            entryId: entry.id,
            count: Math.max(1, Number.parseInt(c.req.query('n') ?? '1', 10) || 1),
            checklist,
          }
        : undefined;
    const contradicted = (await pronote.listCorrections({ uai, states: ['contradicted'] })).length;
    return html(
      c,
      <ReconciliationPage
        report={report}
        safe={safeOf(report)}
        contradicted={contradicted}
        {...(batch ? { batch } : {})}
        undone={c.req.query('annule') === '1'}
      />,
    );
  });

  app.get('/reconciliation/:uai/identifiants-cas.tsv', async (c) => {
    const { uai } = await schoolOf(c, c.req.param('uai'));
    const cases = safeCases(await reportOf(uai));
    if (cases.length === 0) throw new NoSafeCase();
    return c.body(safeCasePasteRows(uai, cases), 200, {
      'Content-Type': 'text/tab-separated-values; charset=utf-8',
      'Content-Disposition': `attachment; filename="identifiants-cas-${uai}.tsv"`,
    });
  });

  app.get('/api/reconciliation/:uai', async (c) => {
    const { uai } = await schoolOf(c, c.req.param('uai'));
    const report = await reportOf(uai);
    return c.json({ ...report, safe: safeOf(report) });
  });

  app.post('/reconciliation/:uai/ouvrir', async (c) => {
    const { agent, uai } = await schoolOf(c, c.req.param('uai'));
    const target = openTargetSchema.parse(await c.req.parseBody());
    const id = await openFinding(deps, uai, target, agent.name);
    return c.redirect(`/s/${id}`, 303);
  });

  app.post('/reconciliation/:uai/corrections', async (c) => {
    const { agent, uai } = await schoolOf(c, c.req.param('uai'));
    const fingerprint = fingerprintSchema.parse((await c.req.parseBody()).empreinte);
    const written = await applySafeCases(deps, uai, fingerprint, agent.name);
    const first = written.entries[0];
    if (!first) return c.redirect(`/reconciliation/${uai}`, 303);
    return c.redirect(`/reconciliation/${uai}?lot=${first.id}&n=${written.count}`, 303);
  });

  app.post('/api/reconciliation/:uai/corrections', async (c) => {
    const { agent, uai } = await schoolOf(c, c.req.param('uai'));
    const body = z.object({ fingerprint: fingerprintSchema }).parse(await c.req.json().catch(() => ({})));
    const written = await applySafeCases(deps, uai, body.fingerprint, agent.name);
    return c.json(
      { batchId: written.batchId, count: written.count, undo: `/audit/${written.entries[0]?.id}/annuler` },
      201,
    );
  });

  return app;
}
