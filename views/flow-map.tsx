import type { FlowId, StepKind } from '../flows/types.js';
import { layoutMap } from './flow-layout.js';
import type { FlowMapView, MapStep } from './flow-map-view.js';
import { Layout } from './layout.js';

export type { FlowMapView, MapEdge, MapStep } from './flow-map-view.js';

export const KIND_LABELS: Record<StepKind, string> = {
  question: 'Question',
  check: 'Vérification',
  fix: 'Correction',
  info: 'Marche à suivre',
  end: 'Fin',
};

export const stepAnchor = (step: string) => `etape-${step.replace('.', '-')}`;

/** The flow drawn from its machine; the list under it says the same in words. */
export function FlowDiagram({ view }: { view: FlowMapView }) {
  const { boxes, arrows, width, height } = layoutMap(view);
  const id = `carte-${view.flow}`;
  const marker = (taken: boolean) => `${id}-${taken ? 'arrow-taken' : 'arrow'}`;
  // With links to its steps the drawing is a group a screen reader can enter, not a flat image.
  const linked = boxes.some((b) => b.href);
  return (
    <svg
      class="flow-svg"
      role={linked ? 'group' : 'img'}
      aria-labelledby={`${id}-titre ${id}-desc`}
      viewBox={`0 0 ${Math.ceil(width)} ${Math.ceil(height)}`}
      width={Math.ceil(width)}
      height={Math.ceil(height)}
    >
      <title id={`${id}-titre`}>{`Schéma du parcours « ${view.title} »`}</title>
      <desc id={`${id}-desc`}>
        {`${view.steps.length} étapes et leurs transitions ; la liste sous le schéma les détaille.`}
      </desc>
      <defs>
        {[false, true].map((taken) => (
          <marker
            id={marker(taken)}
            class={taken ? 'arrow-taken' : 'arrow'}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0 0L10 5L0 10z" />
          </marker>
        ))}
      </defs>
      {arrows.map((a) => (
        <path class={a.taken ? 'edge taken' : 'edge'} d={a.d} marker-end={`url(#${marker(a.taken)})`} />
      ))}
      {arrows.map((a) => (
        <text class="edge-label" text-anchor="middle">
          {a.lines.map((line, i) => (
            <tspan x={a.labelBox.x + a.labelBox.w / 2} y={a.labelBox.y + 10 + i * 13}>
              {line}
            </tspan>
          ))}
        </text>
      ))}
      {boxes.map((b) => {
        const kind = b.kind === 'exit' ? 'Vers le parcours' : KIND_LABELS[b.kind];
        // The box is narrow: the current step says so instead of its kind, which its title keeps.
        const caption = b.visit === 'current' ? 'Étape actuelle' : kind;
        const end = b.kind === 'end';
        const node = (
          <g class={`node kind-${b.kind}${b.visit ? ` ${b.visit}` : ''}`} data-step={b.step}>
            <title>{`${b.visit === 'current' ? `${kind} — étape actuelle` : kind} : ${b.title}`}</title>
            <rect x={b.x} y={b.y} width={b.w} height={b.h} rx={end ? b.h / 2 : 6} />
            {!end && (
              <text class="node-kind" x={b.x + b.w / 2} y={b.y + 15} text-anchor="middle">
                {caption}
              </text>
            )}
            {b.lines.map((line, i) => (
              <text
                class="node-title"
                x={b.x + b.w / 2}
                y={b.y + (end ? 22 : 34) + i * 15}
                text-anchor="middle"
              >
                {line}
              </text>
            ))}
          </g>
        );
        return b.href ? <a href={b.href}>{node}</a> : node;
      })}
    </svg>
  );
}

/** Every flow, for the navigation between maps. */
export type FlowLinks = Array<{ id: FlowId; title: string; href: string; steps: number; visited: boolean }>;

/** The session shown on the maps, when one was asked for and may be opened. */
export interface MapSession {
  href: string;
  currentTitle: string;
}

const KINDS = Object.keys(KIND_LABELS) as StepKind[];

function SessionNotice({ session }: { session: MapSession }) {
  return (
    <p class="notice-info" role="status">
      Les étapes déjà parcourues par la session sont mises en évidence ; elle en est à l’étape «{'\u00a0'}
      {session.currentTitle} ». <a href={session.href}>Revenir à la session</a>
    </p>
  );
}

/** The list of flows, each opening its own map: one diagram a page, each fitting a screen. */
export function FlowIndexPage({ flows, session }: { flows: FlowLinks; session?: MapSession }) {
  return (
    <Layout title="Plan des parcours">
      <h1>Plan des parcours</h1>
      <p>
        Chaque parcours est dessiné à partir de l’assistant lui-même : une case par étape, une flèche par
        réponse possible ou par résultat d’une vérification. Choisissez un parcours pour voir son plan et le
        texte de chaque étape.
      </p>
      {session && <SessionNotice session={session} />}
      <ul class="flow-index">
        {flows.map((f) => (
          <li>
            <a href={f.href}>{f.title}</a> <small>({f.steps} étapes)</small>
            {f.visited && <strong class="flow-visited"> — parcouru par la session</strong>}
          </li>
        ))}
      </ul>
    </Layout>
  );
}

export interface FlowMapPageProps {
  map: FlowMapView;
  flows: FlowLinks;
  /** The list of flows (with the session, when one is shown). */
  index: string;
  session?: MapSession;
}

/** One flow drawn from the machine, then the same content in words. */
export function FlowMapPage({ map, flows, index, session }: FlowMapPageProps) {
  return (
    <Layout title={`Plan : ${map.title}`}>
      <nav aria-label="Parcours" class="flow-nav-wrap">
        <ul class="flow-nav">
          <li>
            <a href={index}>Tous les parcours</a>
          </li>
          {flows.map((f) => (
            <li>
              <a href={f.href} aria-current={map.flow === f.id ? 'page' : undefined}>
                {f.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <h1 id={`parcours-${map.flow}`}>{`Plan du parcours « ${map.title} »`}</h1>
      {session && <SessionNotice session={session} />}
      <ul class="map-legend" aria-label="Légende">
        {KINDS.map((k) => (
          <li>
            <span class={`swatch kind-${k}`} aria-hidden="true" /> {KIND_LABELS[k]}
          </li>
        ))}
        {session && (
          <li>
            <span class="swatch visited" aria-hidden="true" /> Étape parcourue
          </li>
        )}
      </ul>
      <figure class="flow-figure">
        <FlowDiagram view={map} />
        <figcaption>
          Touchez une étape pour lire son texte ci-dessous. Les fins de parcours sont répétées sous chaque
          étape qui y mène.
        </figcaption>
      </figure>
      <FlowSteps map={map} />
    </Layout>
  );
}

function FlowSteps({ map }: { map: FlowMapView }) {
  const titleOf = new Map(map.steps.map((s) => [s.step, s.title]));
  return (
    <section class="flow-map" aria-labelledby={`etapes-${map.flow}`}>
      <h2 id={`etapes-${map.flow}`}>Les étapes en toutes lettres</h2>
      <ol class="step-list">
        {map.steps.map((s) => (
          <StepItem step={s} map={map} titleOf={titleOf} />
        ))}
      </ol>
      {map.edges.some((e) => e.from === null) && (
        <p>
          À toute étape :{' '}
          {map.edges
            .filter((e) => e.from === null)
            .map((e) => `« ${e.detail} » mène à « ${titleOf.get(e.to) ?? e.to} »`)
            .join(' ; ')}
          .
        </p>
      )}
    </section>
  );
}

function StepItem({ step, map, titleOf }: { step: MapStep; map: FlowMapView; titleOf: Map<string, string> }) {
  const out = map.edges.filter((e) => e.from === step.step);
  // Folded to its title, so the list reads as an index under the diagram; a link to the step's text (from a
  // box or another step) unfolds it, as browsers open a closed details element around a link's target. The
  // steps a session went through stay open.
  return (
    <li class={step.visit ? `step-entry ${step.visit}` : 'step-entry'}>
      <details open={step.visit !== undefined}>
        <summary>
          <h3>
            {step.title} <small>({KIND_LABELS[step.kind]})</small>
          </h3>
        </summary>
        <div id={stepAnchor(step.step)} class="step-body">
          {step.visit && (
            <p>
              <a href={step.href}>
                {step.visit === 'current'
                  ? 'Étape actuelle de la session : l’ouvrir'
                  : 'Étape parcourue : la rouvrir'}
              </a>
            </p>
          )}
          <div class="step-text" dangerouslySetInnerHTML={{ __html: step.html }} />
          {out.length > 0 && (
            <ul>
              {out.map((e) => {
                const exit = e.toFlow ? map.exits[e.toFlow] : undefined;
                return (
                  <li class={e.taken ? 'taken' : undefined}>
                    {e.detail} →{' '}
                    {exit ? (
                      <a href={exit.href}>parcours « {exit.title} »</a>
                    ) : (
                      <a href={`#${stepAnchor(e.to)}`}>{titleOf.get(e.to) ?? e.to}</a>
                    )}
                    {e.taken && <span class="visually-hidden"> (chemin suivi par la session)</span>}
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      </details>
    </li>
  );
}
