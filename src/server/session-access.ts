import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { FLOW_IDS } from '../../flows/types.js';
import { SessionNotFound } from '../engine/errors.js';
import type { Engine, SessionState } from '../engine/session-engine.js';
import { canOpen, isAllowedOn, type Viewer } from './viewer.js';

export const startSchema = z.object({
  flow: z.enum(FLOW_IDS, { error: 'Parcours inconnu.' }).optional(),
  uai: z
    .string()
    .trim()
    .regex(/^\d{7}[A-Z]$/, {
      error: 'Code UAI invalide : 7 chiffres suivis d’une lettre, par exemple 0130001A.',
    })
    .optional()
    .or(z.literal('').transform(() => undefined)),
});

export const seqSchema = z.coerce
  .number({ error: 'Étape invalide.' })
  .int({ error: 'Étape invalide.' })
  .min(1, { error: 'Étape invalide.' })
  .max(1_000_000, { error: 'Étape invalide.' });

/** Session ids are 22 base64url characters; anything else cannot be one, so it is not looked up. */
const SESSION_ID = /^[\w-]{22}$/;

/** Loads a session for a viewer; a session the viewer may not open is "not found", never "forbidden". */
export async function openSession(
  engine: Engine,
  viewer: Viewer,
  id: string,
  seq?: number,
): Promise<SessionState> {
  if (!SESSION_ID.test(id)) throw new SessionNotFound();
  const state = await engine.load(id, seq);
  if (!canOpen(viewer, state.session)) throw new SessionNotFound();
  return state;
}

/**
 * The state an answer starts from: as this process last knew it when it did (the store confirms its head
 * when the answer is appended), read otherwise; the same access check either way.
 */
export async function openForAnswer(
  engine: Engine,
  viewer: Viewer,
  id: string,
  seq?: number,
): Promise<SessionState> {
  const known = SESSION_ID.test(id) ? engine.recall(id, seq) : null;
  if (!known) return openSession(engine, viewer, id, seq);
  if (!canOpen(viewer, known.session)) throw new SessionNotFound();
  return known;
}

/**
 * Starts a session as the viewer: agents get the agent wording and the school they asked for; a school
 * they are not allowed on is refused rather than dropped, so they do not work on a case without its data.
 */
export async function startSession(engine: Engine, viewer: Viewer, input: z.infer<typeof startSchema>) {
  const agent = viewer.kind === 'agent';
  if (agent && input.uai && !isAllowedOn(viewer, input.uai)) {
    throw new HTTPException(403, {
      message: `Vous n’êtes pas autorisé sur l’établissement ${input.uai}. Demandez-le à un administrateur, ou choisissez un de vos établissements.`,
    });
  }
  const uai = agent && input.uai ? input.uai : null;
  return engine.start({
    audience: agent ? 'agent' : 'public',
    uai,
    ...(input.flow ? { flow: input.flow } : {}),
    owner: agent ? viewer.name : null,
  });
}
