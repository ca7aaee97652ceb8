import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { SchoolSettingsIndexPage, SchoolSettingsPage } from '../../views/school-settings.js';
import { SETTINGS_STEP } from '../engine/journal-view.js';
import { ConflictError } from '../pronote/errors.js';
import type { PronotePort } from '../pronote/port.js';
import { identificationModeSchema, type SchoolSettings } from '../pronote/school-settings.js';
import type { AppEnv } from './app-types.js';
import { html } from './render.js';
import { isAllowedOn, type Viewer } from './viewer.js';

const UAI = /^\d{7}[A-Z]$/;

/** What the form and the JSON API send: the mode, and the version of the settings it was chosen on. */
const changeSchema = z.object({
  identificationMode: identificationModeSchema,
  version: z.coerce
    .number({ error: 'Version : rechargez la page.' })
    .int({ error: 'Version : rechargez la page.' })
    .positive({ error: 'Version : rechargez la page.' }),
});

const CHANGED =
  'Le mode de cet établissement a été modifié entre-temps par une autre personne : rien n’a été enregistré. Voici le mode actuel ; choisissez de nouveau si besoin.';

type Agent = Extract<Viewer, { kind: 'agent' }>;

function agentOf(c: Context<AppEnv>): Agent {
  const viewer = c.get('viewer');
  if (viewer.kind !== 'agent')
    throw new HTTPException(403, { message: 'Les réglages sont réservés aux agents connectés.' });
  return viewer;
}

const toJson = (s: SchoolSettings) => ({
  uai: s.uai,
  identificationMode: s.identificationMode,
  version: s.version,
});

/**
 * `/reglages/<UAI>`: an admin or an agent of the school describes how its PRONOTE.net recognises ENT
 * users; `/api/schools/<UAI>/settings` reads and writes the same. The change is the assistant's only.
 */
export function schoolSettingsRoutes({ pronote }: { pronote: PronotePort }) {
  const app = new Hono<AppEnv>();

  /** The agent, the school and its settings, or a 404 that says nothing of whether the school exists. */
  const schoolOf = async (c: Context<AppEnv>) => {
    const agent = agentOf(c);
    const uai = c.req.param('uai') ?? '';
    const school = UAI.test(uai) && isAllowedOn(agent, uai) ? await pronote.getSchool(uai) : null;
    const settings = school ? await pronote.getSchoolSettings(uai) : null;
    if (!school || !settings) throw new HTTPException(404, { message: 'Établissement introuvable.' });
    return { agent, school, settings };
  };

  const change = (agent: Agent, uai: string, body: unknown) => {
    const { identificationMode, version } = changeSchema.parse(body);
    return pronote.setIdentificationMode(uai, identificationMode, version, {
      actor: agent.name,
      step: SETTINGS_STEP,
    });
  };

  app.get('/reglages', async (c) => {
    const agent = agentOf(c);
    const schools = (await pronote.listSchools()).filter((s) => isAllowedOn(agent, s.uai));
    return html(c, <SchoolSettingsIndexPage schools={schools} />);
  });

  app.get('/reglages/:uai', async (c) => {
    const { school, settings } = await schoolOf(c);
    const entry = c.req.query('enregistre');
    const saved = entry && /^[\w-]{1,64}$/.test(entry) ? { entryId: entry } : undefined;
    return html(
      c,
      <SchoolSettingsPage
        school={school}
        settings={settings}
        {...(saved ? { saved } : {})}
        {...(c.req.query('annule') ? { undone: true } : {})}
      />,
    );
  });

  app.post('/reglages/:uai', async (c) => {
    const { agent, school } = await schoolOf(c);
    try {
      const written = await change(agent, school.uai, await c.req.parseBody());
      const entry = written.entries[0];
      return c.redirect(`/reglages/${school.uai}${entry ? `?enregistre=${entry.id}` : ''}`, 303);
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const current = await pronote.getSchoolSettings(school.uai);
      if (!current) throw err;
      return html(c, <SchoolSettingsPage school={school} settings={current} error={CHANGED} />, 409);
    }
  });

  app.get('/api/schools/:uai/settings', async (c) => {
    const { settings } = await schoolOf(c);
    return c.json(toJson(settings));
  });

  app.put('/api/schools/:uai/settings', async (c) => {
    const { agent, school } = await schoolOf(c);
    try {
      const written = await change(agent, school.uai, await c.req.json());
      const now = written.records[0];
      return c.json({ ...(now ? toJson(now) : {}), auditId: written.entries[0]?.id ?? null });
    } catch (err) {
      if (!(err instanceof ConflictError)) throw err;
      const current = await pronote.getSchoolSettings(school.uai);
      return c.json({ error: CHANGED, current: current ? toJson(current) : null }, 409);
    }
  });

  return app;
}
