import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { CorrectionsIndexPage, CorrectionsPage } from '../../views/corrections.js';
import { pasteText } from '../engine/correction-procedure.js';
import { checklistOf } from '../engine/correction-view.js';
import { correctionsCsv } from '../engine/corrections-csv.js';
import { CORRECTION_STATES, type Correction, type CorrectionState } from '../pronote/corrections.js';
import { PronoteError } from '../pronote/errors.js';
import { PROFILES } from '../pronote/model.js';
import type { PronotePort } from '../pronote/port.js';
import type { AppEnv } from './app-types.js';
import { html } from './render.js';
import { isAllowedOn, type Viewer } from './viewer.js';

type Agent = Extract<Viewer, { kind: 'agent' }>;

const UAI = /^\d{7}[A-Z]$/;
const idSchema = z.string().regex(/^[\w-]{1,64}$/, { error: 'Identifiant de correction invalide.' });
const stateSchema = z.enum(CORRECTION_STATES, {
  error: `État inconnu : attendu ${CORRECTION_STATES.join(', ')}.`,
});
const listSchema = z.enum(PROFILES, {
  error: 'Liste inconnue : attendu eleve, responsable, professeur ou personnel.',
});
/** The pages a « C'est fait » form may send back to: a step, a school's corrections or reconciliation. */
const BACK = /^(\/s\/[\w-]{22}(\/\d+)?|\/corrections\/\d{7}[A-Z](\?etat=\w+)?|\/reconciliation\/\d{7}[A-Z])$/;

function agentOf(c: Context<AppEnv>): Agent {
  const viewer = c.get('viewer');
  if (viewer.kind !== 'agent')
    throw new HTTPException(403, { message: 'Les corrections sont réservées aux agents connectés.' });
  return viewer;
}

/** The corrections the API gives: who, what, where it stands; `person` is the name PRONOTE knows. */
const toJson = (c: Correction) => ({
  id: c.id,
  batchId: c.batchId,
  kind: c.kind,
  state: c.state,
  person: c.person ? { profile: c.person.profile, nom: c.person.nom, prenom: c.person.prenom } : null,
  changes: c.changes,
  at: c.at,
  by: c.by,
  session: c.sessionId,
  step: c.step,
  appliedAt: c.appliedAt,
  appliedBy: c.appliedBy,
  settledAt: c.settledAt,
  seen: c.seen,
});

/** A school's corrections (page, CSV, JSON), their rows to paste, and « C'est fait dans PRONOTE ». */
export function correctionRoutes({ pronote }: { pronote: PronotePort }) {
  const app = new Hono<AppEnv>();

  /** The school, or a 404 that says nothing of whether it exists. */
  const schoolOf = async (c: Context<AppEnv>, uai: string) => {
    const agent = agentOf(c);
    const school = UAI.test(uai) && isAllowedOn(agent, uai) ? await pronote.getSchool(uai) : null;
    if (!school) throw new HTTPException(404, { message: 'Établissement introuvable.' });
    return { agent, school };
  };
  const correctionOf = async (c: Context<AppEnv>, id: string) => {
    const agent = agentOf(c);
    const found = await pronote.getCorrection(idSchema.parse(id));
    if (!found || !isAllowedOn(agent, found.uai))
      throw new HTTPException(404, { message: 'Correction introuvable.' });
    return { agent, correction: found };
  };
  const batchOf = async (c: Context<AppEnv>, batchId: string) => {
    const agent = agentOf(c);
    const entry = (await pronote.getAuditBatch(idSchema.parse(batchId)))[0];
    const uai = entry?.uai ?? null;
    const list =
      uai && isAllowedOn(agent, uai)
        ? await pronote.listCorrections({ uai, batchId: entry?.batchId ?? '' })
        : [];
    if (!uai || list.length === 0) throw new HTTPException(404, { message: 'Correction introuvable.' });
    return { agent, uai, list };
  };
  const statesOf = (raw: string | undefined): CorrectionState[] | undefined =>
    raw ? [stateSchema.parse(raw)] : undefined;
  /** Marking done twice, or an undone or verified one: a 409 whose message says where it stands. */
  const refused = (err: unknown): never => {
    if (err instanceof PronoteError) throw new HTTPException(409, { message: err.message });
    throw err;
  };

  app.get('/corrections', async (c) => {
    const agent = agentOf(c);
    const schools = (await pronote.listSchools()).filter((s) => isAllowedOn(agent, s.uai));
    return html(c, <CorrectionsIndexPage schools={schools} />);
  });

  app.get('/corrections/:file{\\d{7}[A-Z](\\.csv)?}', async (c) => {
    const [, raw = '', csv] = /^(.*?)(\.csv)?$/.exec(c.req.param('file')) ?? [];
    const { school } = await schoolOf(c, raw);
    const state = c.req.query('etat');
    const states = statesOf(state);
    const list = await pronote.listCorrections({ uai: school.uai, ...(states ? { states } : {}) });
    if (csv) {
      return c.body(`\uFEFF${correctionsCsv(list)}`, 200, {
        'Content-Type': 'text/csv; charset=utf-8',
        'Content-Disposition': `attachment; filename="corrections-${school.uai}.csv"`,
      });
    }
    const batches = new Map<string, Correction[]>();
    for (const one of list) batches.set(one.batchId, [...(batches.get(one.batchId) ?? []), one]);
    const checklists = (
      await Promise.all([...batches.values()].map((batch) => checklistOf(pronote, batch)))
    ).flatMap((l) => (l ? [l] : []));
    return html(
      c,
      <CorrectionsPage
        school={school}
        checklists={checklists}
        {...(states?.[0] ? { state: states[0] } : {})}
        {...(c.req.query('faite')
          ? { message: 'Correction marquée faite dans PRONOTE : le prochain import la vérifiera.' }
          : {})}
      />,
    );
  });

  app.get('/api/corrections/:uai', async (c) => {
    const { school } = await schoolOf(c, c.req.param('uai'));
    const states = statesOf(c.req.query('state'));
    const list = await pronote.listCorrections({ uai: school.uai, ...(states ? { states } : {}) });
    return c.json({ uai: school.uai, corrections: list.map(toJson) });
  });

  app.post('/api/corrections/:id/applied', async (c) => {
    const { agent, correction } = await correctionOf(c, c.req.param('id'));
    const done = await pronote.markApplied(correction.id, { actor: agent.name }).catch(refused);
    return c.json({ correction: toJson(done) });
  });

  const backTo = async (c: Context<AppEnv>, fallback: string) => {
    const back = (await c.req.parseBody()).retour;
    return c.redirect(typeof back === 'string' && BACK.test(back) ? back : fallback, 303);
  };

  app.post('/corrections/:id/faite', async (c) => {
    const { agent, correction } = await correctionOf(c, c.req.param('id'));
    await pronote.markApplied(correction.id, { actor: agent.name }).catch(refused);
    return backTo(c, `/corrections/${correction.uai}?faite=1`);
  });

  /** The whole fix at once: every correction of the batch still to do is marked done. */
  app.post('/corrections/lot/:batchId/faite', async (c) => {
    const { agent, uai, list } = await batchOf(c, c.req.param('batchId'));
    const toDo = list.filter((one) => one.state === 'pending');
    if (toDo.length === 0) refused(new PronoteError(alreadyDone(list)));
    for (const one of toDo) await pronote.markApplied(one.id, { actor: agent.name }).catch(refused);
    return backTo(c, `/corrections/${uai}?faite=1`);
  });

  app.get('/corrections/lot/:batchId/lignes.tsv', async (c) => {
    const { uai, list } = await batchOf(c, c.req.param('batchId'));
    const profile = listSchema.parse(c.req.query('liste'));
    const checklist = await checklistOf(pronote, list);
    const block = checklist?.procedure?.pastes.find((b) => b.profile === profile);
    if (!block)
      throw new HTTPException(404, {
        message: 'Pas de lignes à coller pour cette correction : suivez la marche à suivre indiquée.',
      });
    return c.body(pasteText(block), 200, {
      'Content-Type': 'text/tab-separated-values; charset=utf-8',
      'Content-Disposition': `attachment; filename="pronote-${uai}-${profile}.tsv"`,
    });
  });

  return app;
}

function alreadyDone(list: Correction[]): string {
  const states = new Set(list.map((c) => c.state));
  if (states.has('applied')) return 'Cette correction est déjà marquée faite dans PRONOTE : rien n’a changé.';
  if (states.has('undone'))
    return 'Cette correction a été annulée : il n’y a plus rien à faire dans PRONOTE.';
  return 'Cette correction a déjà été vérifiée ou contredite par un import : rien à marquer.';
}
