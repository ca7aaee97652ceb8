import { type Context, Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { rootMachine } from '../../flows/root.machine.js';
import type { TriageRoute } from '../../flows/triage-rules.js';
import { type Audience, FLOW_IDS, type FlowId } from '../../flows/types.js';
import {
  FlowIndexPage,
  FlowMapPage,
  type FlowMapView,
  type MapEdge,
  stepAnchor,
} from '../../views/flow-map.js';
import type { ContentCatalog } from '../engine/content.js';
import { type FlowEdge, type FlowGraph, flowGraphs } from '../engine/flow-graph.js';
import type { Engine } from '../engine/session-engine.js';
import type { AppDeps, AppEnv } from './app-types.js';
import { flowTitle } from './flow-titles.js';
import { html } from './render.js';
import { openSession } from './session-access.js';
import type { Viewer } from './viewer.js';

/** Short words for the arrows; the list under each diagram gives the content's full sentence. */
const OUTCOMES: Record<string, string> = {
  found: 'trouvé',
  none: 'aucun résultat',
  unknown: 'pas de données',
  ambiguous: 'plusieurs comptes',
  match: 'identiques',
  mismatch: 'différences',
  published: 'publié',
  'espace-unpublished': 'espace non publié',
  'base-unpublished': 'base non publiée',
  granted: 'accès ouvert',
  denied: 'accès fermé',
  done: 'fait',
  manual: 'à faire à la main',
  conflict: 'fiche modifiée',
  refused: 'refusé',
};

const CONDITIONS: Record<string, string> = {
  isIdentityResolved: 'identité reconnue',
  isLinkResolved: 'identifiant ENT enregistré',
  isPublic: 'pour un usager',
  isPublicParent: 'pour un parent usager',
  isParentsEspace: 'Espace Parents',
  isDoubleAuthMode: 'mode double authentification',
  isPronoteEntIdMode: 'mode Identifiant PRONOTE-ENT',
};

const ROUTES: Record<TriageRoute, string> = {
  'auth-error': '« Identification impossible »',
  'changed-account': 'compte ENT changé',
  'profile-wide': 'tout un profil bloqué',
  'single-parent': 'Espace Parents',
  'no-access': '« Vous n’avez pas accès »',
  'site-unavailable': 'site indisponible',
  'wrong-credentials': 'mot de passe incorrect',
  'session-expired': 'page expirée',
};

/** Where one session went: its entry for each step visited, and each move from one step to the next. */
interface Visits {
  id: string;
  current: string;
  seqOf: Map<string, number>;
  moves: Set<string>;
}

async function visitsOf(engine: Engine, viewer: Viewer, id: string): Promise<Visits> {
  const state = await openSession(engine, viewer, id);
  // Checks and fixes are never stored as entries: they appear in the results of the entry that follows.
  const path = (await engine.store.chain(id, state.entry.seq)).flatMap((e) => [
    ...e.results.map((r) => ({ step: r.step, seq: e.seq })),
    { step: e.step, seq: e.seq },
  ]);
  return {
    id,
    current: state.entry.step,
    seqOf: new Map(path.map((p) => [p.step, p.seq])),
    moves: new Set(path.slice(1).map((p, i) => `${path[i]?.step}>${p.step}`)),
  };
}

function edgeWords(content: ContentCatalog, audience: Audience, graph: FlowGraph, e: FlowEdge) {
  const from = e.from ?? graph.initial;
  const text = content.step(from, audience);
  const t = e.trigger;
  const failed =
    graph.nodes.find((n) => n.step === from)?.kind === 'fix'
      ? 'correction impossible'
      : 'vérification impossible';
  switch (t.kind) {
    case 'event': {
      const choice = text.choices[t.event] ?? content.shared.choices[t.event] ?? t.event;
      if (t.event !== 'DESCRIBE_MESSAGE') return { label: choice, detail: choice };
      const label = t.route ? `Message : ${ROUTES[t.route]}` : 'Message non reconnu';
      return { label, detail: `${choice} (${label.toLowerCase()})` };
    }
    case 'outcome':
      return {
        label: t.outcomes.map((o) => OUTCOMES[o] ?? o).join(' ou '),
        detail: t.outcomes.map((o) => text.outcomes[o] ?? OUTCOMES[o] ?? o).join(' '),
      };
    case 'condition': {
      const label = CONDITIONS[t.guard] ?? t.guard;
      return { label, detail: `Résultat : ${label}` };
    }
    case 'otherwise':
      return { label: 'autre résultat', detail: 'Tout autre résultat' };
    case 'error':
      return { label: failed, detail: `En cas d’échec (${failed})` };
  }
}

function mapView(
  graph: FlowGraph,
  content: ContentCatalog,
  audience: Audience,
  query: string,
  visits?: Visits,
): FlowMapView {
  const exits: FlowMapView['exits'] = {};
  const edges = graph.edges.map((e): MapEdge => {
    const toFlow = e.crossFlow ? (e.to.split('.')[0] as FlowId) : undefined;
    if (toFlow)
      exits[toFlow] = { title: flowTitle(content, toFlow, audience), href: `/flows/${toFlow}${query}` };
    const taken = e.from !== null && (visits?.moves.has(`${e.from}>${e.to}`) ?? false);
    return {
      from: e.from,
      to: e.to,
      ...(toFlow ? { toFlow } : {}),
      ...edgeWords(content, audience, graph, e),
      taken,
    };
  });
  const steps = graph.nodes.map((n) => {
    const text = content.step(n.step, audience);
    const seq = visits?.seqOf.get(n.step);
    const visit =
      seq === undefined
        ? undefined
        : visits?.current === n.step
          ? ('current' as const)
          : ('visited' as const);
    const href = visits && seq !== undefined ? `/s/${visits.id}/${seq}` : `#${stepAnchor(n.step)}`;
    return {
      step: n.step,
      kind: n.kind,
      depth: n.depth,
      title: text.title,
      html: text.html,
      href,
      ...(visit ? { visit } : {}),
    };
  });
  return { flow: graph.flow, title: flowTitle(content, graph.flow, audience), steps, edges, exits };
}

const isFlowId = (value: string): value is FlowId => (FLOW_IDS as readonly string[]).includes(value);

/**
 * The flow map: each flow drawn on the server from the machine, readable by anyone (it shows steps, never
 * data); `?session=<id>` highlights where a session the viewer may open has been.
 */
export function flowMapRoutes({ engine, content }: AppDeps) {
  const app = new Hono<AppEnv>();
  const graphs = flowGraphs(rootMachine);

  const render = async (c: Context<AppEnv>, flow?: FlowId) => {
    const viewer = c.get('viewer');
    const audience: Audience = viewer.kind === 'agent' ? 'agent' : 'public';
    const sessionId = c.req.query('session');
    const visits = sessionId ? await visitsOf(engine, viewer, sessionId) : undefined;
    const query = visits ? `?session=${encodeURIComponent(visits.id)}` : '';
    const session = visits && {
      href: `/s/${visits.id}/${visits.seqOf.get(visits.current)}`,
      currentTitle: content.step(visits.current, audience).title,
    };
    const flows = graphs.map((g) => ({
      id: g.flow,
      title: flowTitle(content, g.flow, audience),
      href: `/flows/${g.flow}${query}`,
      steps: g.nodes.length,
      visited: g.nodes.some((n) => visits?.seqOf.has(n.step)),
    }));
    const graph = graphs.find((g) => g.flow === flow);
    if (!graph) return html(c, <FlowIndexPage flows={flows} {...(session ? { session } : {})} />);
    const map = mapView(graph, content, audience, query, visits);
    return html(
      c,
      <FlowMapPage map={map} flows={flows} index={`/flows${query}`} {...(session ? { session } : {})} />,
    );
  };

  app.get('/flows', async (c) => render(c));
  app.get('/flows/:flow', async (c) => {
    const flow = c.req.param('flow');
    if (!isFlowId(flow)) {
      throw new HTTPException(404, {
        message: 'Ce parcours n’existe pas. Choisissez-en un dans le plan des parcours (/flows).',
      });
    }
    return render(c, flow);
  });

  return app;
}
