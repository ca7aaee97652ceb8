import type { FlowId, StepKind } from '../flows/types.js';
import { BOX_H, BOX_W, layoutMap, wrap } from './flow-layout.js';
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
  const { boxes, arrows, viewBox } = layoutMap(view);
  const id = `carte-${view.flow}`;
  const marker = (taken: boolean) => `${id}-${taken ? 'arrow-taken' : 'arrow'}`;
  // With links to its steps the drawing is a group a screen reader can enter, not a flat image.
  const linked = boxes.some((b) => b.href);
  return (
    <svg
      class="flow-svg"
      role={linked ? 'group' : 'img'}
      aria-labelledby={`${id}-titre ${id}-desc`}
      viewBox={viewBox}
      width="100%"
      preserveAspectRatio="xMidYMin meet"
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
        <text class="edge-label" x={a.at[0]} y={a.at[1]} text-anchor="middle">
          {a.label}
        </text>
      ))}
      {boxes.map((b) => {
        const kind = b.kind === 'any' ? '' : b.kind === 'exit' ? 'Vers le parcours' : KIND_LABELS[b.kind];
        const caption = b.visit === 'current' ? `${kind} — étape actuelle` : kind;
        const node = (
          <g
            class={`node kind-${b.kind}${b.visit ? ` ${b.visit}` : ''}`}
            data-step={b.id.includes('.') ? b.id : undefined}
          >
            <title>{caption ? `${caption} : ${b.title}` : b.title}</title>
            <rect x={b.x} y={b.y} width={BOX_W} height={BOX_H} rx={b.kind === 'end' ? 28 : 6} />
            <text class="node-kind" x={b.x + BOX_W / 2} y={b.y + 16} text-anchor="middle">
              {caption}
            </text>
            {wrap(b.title).map((line, i) => (
              <text class="node-title" x={b.x + BOX_W / 2} y={b.y + 34 + i * 15} text-anchor="middle">
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

export interface FlowMapPageProps {
  maps: FlowMapView[];
  /** Every flow, for the navigation between maps. */
  flows: Array<{ id: FlowId; title: string; href: string }>;
  /** The session shown on the maps, when one was asked for and may be opened. */
  session?: { href: string; currentTitle: string };
}

const KINDS = Object.keys(KIND_LABELS) as StepKind[];

/** The flows drawn from the machine, each followed by the same content in words. */
export function FlowMapPage({ maps, flows, session }: FlowMapPageProps) {
  const one = maps.length === 1 ? maps[0] : undefined;
  return (
    <Layout title={one ? `Plan : ${one.title}` : 'Plan des parcours'}>
      <h1>{one ? `Plan du parcours « ${one.title} »` : 'Plan des parcours'}</h1>
      <p>
        Chaque parcours est dessiné à partir de l’assistant lui-même : une case par étape, une flèche par
        réponse possible ou par résultat d’une vérification. Touchez une étape pour lire son texte.
      </p>
      {session && (
        <p class="notice-info" role="status">
          Les étapes déjà parcourues par la session sont mises en évidence ; elle en est à l’étape «{'\u00a0'}
          {session.currentTitle} ». <a href={session.href}>Revenir à la session</a>
        </p>
      )}
      <nav aria-label="Parcours">
        <ul class="flow-nav">
          {flows.map((f) => (
            <li>
              <a href={f.href} aria-current={one?.flow === f.id ? 'page' : undefined}>
                {f.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
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
      {maps.map((map) => (
        <FlowSection map={map} />
      ))}
    </Layout>
  );
}

function FlowSection({ map }: { map: FlowMapView }) {
  const titleOf = new Map(map.steps.map((s) => [s.step, s.title]));
  return (
    <section class="flow-map" aria-labelledby={`parcours-${map.flow}`}>
      <h2 id={`parcours-${map.flow}`}>{map.title}</h2>
      <figure class="flow-figure">
        <FlowDiagram view={map} />
      </figure>
      <h3>Les étapes en toutes lettres</h3>
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
  return (
    <li id={stepAnchor(step.step)} class={step.visit ? `step-entry ${step.visit}` : 'step-entry'}>
      <h4>
        {step.title} <small>({KIND_LABELS[step.kind]})</small>
      </h4>
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
    </li>
  );
}
