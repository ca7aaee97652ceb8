import type { FlowId, StepKind } from '../flows/types.js';
import { frenchDate } from '../src/engine/step-view.js';
import { FigureTable } from './figure-table.js';
import { Layout } from './layout.js';
import { TableScroll } from './table-scroll.js';

export interface StatsView {
  /** AAAA-MM-JJ, both days included. */
  period: { du: string; au: string };
  schools: readonly string[] | 'all';
  sessions: number;
  flows: Array<{
    flow: FlowId;
    title: string;
    reached: number;
    resolved: number;
    escalated: number;
    /** Sessions whose last step is in this flow and not an end: abandoned or still going. */
    stopped: number;
    steps: Array<{
      step: string;
      title: string;
      kind: StepKind;
      reached: number;
      stopped: number;
      ended: number;
    }>;
  }>;
  fixes: Array<{ action: string; applied: number; undone: number }>;
}

export interface StatsPageProps {
  /** The period as typed, shown back in the form. */
  values: { du: string; au: string };
  /** Absent when the period was refused: the form then shows why. */
  stats?: StatsView;
  errors?: Record<string, string>;
}

const ACTIONS: Record<string, string> = {
  'set-identity': 'Identité alignée sur l’ENT',
  'set-cas-id': 'Identifiant CAS écrit',
  'clear-cas-ids': 'Identifiant CAS supprimé',
  'set-espace-parents': 'Accès à l’Espace Parents',
  'unpublish-base': 'Base dépubliée',
  'publish-espace': 'Espace publié',
  'publish-base': 'Base publiée',
};

const WIDTH = 400;
const AREA = 320;
const BAR = 12;
const LABEL = 20;
const GAP = 12;

interface ChartProps {
  id: string;
  title: string;
  series: string[];
  rows: Array<{ label: string; values: number[] }>;
}

/** Horizontal bars drawn on the server; each row's label sits above its bars so phones keep it legible. */
function BarChart({ id, title, series, rows }: ChartProps) {
  const max = Math.max(1, ...rows.flatMap((r) => r.values));
  const rowHeight = LABEL + series.length * (BAR + 2) + GAP;
  return (
    <figure class="chart">
      <svg
        role="img"
        aria-labelledby={`${id}-titre ${id}-desc`}
        viewBox={`0 0 ${WIDTH} ${rows.length * rowHeight}`}
        width="100%"
        class="bar-chart"
      >
        <title id={`${id}-titre`}>{title}</title>
        <desc id={`${id}-desc`}>
          Les mêmes chiffres figurent dans le tableau qui accompagne ce graphique.
        </desc>
        {rows.map((r, i) => {
          const y = i * rowHeight;
          return (
            <g>
              <text class="chart-label" x="0" y={y + 14}>
                {r.label.length > 58 ? `${r.label.slice(0, 57)}…` : r.label}
              </text>
              {r.values.map((v, k) => {
                const w = v === 0 ? 0 : Math.max(2, (AREA * v) / max);
                const by = y + LABEL + k * (BAR + 2);
                return (
                  <g>
                    <rect class={`bar s${k}`} x="0" y={by} width={w} height={BAR} />
                    <text class="chart-value" x={w + 4} y={by + BAR - 2}>
                      {String(v)}
                    </text>
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
      <figcaption>
        <ul class="chart-legend">
          {series.map((s, k) => (
            <li>
              <span class={`swatch s${k}`} aria-hidden="true" /> {s}
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

/** A chart and the table with its figures, side by side on a wide screen, one under the other on a phone. */
function ChartWithTable({ id, title, series, rows, head }: ChartProps & { head: string }) {
  return (
    <div class="chart-pair">
      <BarChart id={id} title={title} series={series} rows={rows} />
      <TableScroll label={title}>
        <FigureTable caption={title} head={head} series={series} rows={rows} />
      </TableScroll>
    </div>
  );
}

function PeriodForm({
  values,
  errors = {},
}: {
  values: { du: string; au: string };
  errors?: Record<string, string>;
}) {
  const field = (name: 'du' | 'au', label: string) => (
    <label>
      {label}
      <input
        type="date"
        name={name}
        value={values[name]}
        aria-invalid={errors[name] ? 'true' : undefined}
        aria-describedby={errors[name] ? `erreur-${name}` : undefined}
      />
      {errors[name] && (
        <small id={`erreur-${name}`} class="field-error">
          {errors[name]}
        </small>
      )}
    </label>
  );
  return (
    <form method="get" action="/stats" class="period-form">
      <fieldset class="grid">
        <legend>Période (dates incluses)</legend>
        {field('du', 'Du')}
        {field('au', 'Au')}
      </fieldset>
      <button type="submit">Afficher</button>
    </form>
  );
}

/** How far sessions get in each flow and which fixes were applied, over a period. */
export function StatsPage({ stats, values, errors }: StatsPageProps) {
  return (
    <Layout title="Statistiques">
      <h1>Statistiques des parcours</h1>
      <PeriodForm values={values} {...(errors ? { errors } : {})} />
      {errors && (
        <p class="field-error" role="alert">
          Corrigez la période pour afficher les chiffres.
        </p>
      )}
      {stats && <Figures stats={stats} />}
    </Layout>
  );
}

function Figures({ stats }: { stats: StatsView }) {
  const { du, au } = stats.period;
  const flows = stats.flows.filter((f) => f.reached > 0);
  return (
    <>
      <p role="status">
        <strong>{stats.sessions}</strong> session(s) commencée(s) du {frenchDate(du)} au {frenchDate(au)},
        pour{' '}
        {stats.schools === 'all'
          ? 'tous les établissements'
          : `les établissements ${stats.schools.join(', ') || '(aucun)'}`}
        . <a href={`/api/stats?du=${du}&au=${au}`}>Les mêmes chiffres en JSON</a>
      </p>
      <h2>Issue des sessions par parcours</h2>
      <ChartWithTable
        id="stats-parcours"
        title="Sessions par parcours et leur issue"
        head="Parcours"
        series={['Sessions', 'Résolues', 'Transmises', 'Arrêtées en cours de route']}
        rows={stats.flows.map((f) => ({
          label: f.title,
          values: [f.reached, f.resolved, f.escalated, f.stopped],
        }))}
      />
      {flows.map((f) => (
        <section aria-labelledby={`etapes-${f.flow}`}>
          <h2 id={`etapes-${f.flow}`}>Étapes : {f.title}</h2>
          <ChartWithTable
            id={`stats-${f.flow}`}
            title={`Sessions à chaque étape du parcours « ${f.title} »`}
            head="Étape"
            series={['Arrivées à l’étape', 'Arrêtées à l’étape', 'Terminées à l’étape']}
            rows={f.steps.map((s) => ({ label: s.title, values: [s.reached, s.stopped, s.ended] }))}
          />
        </section>
      ))}
      <h2>Corrections appliquées</h2>
      {stats.fixes.length === 0 ? (
        <p>Aucune correction préparée sur la période.</p>
      ) : (
        <ChartWithTable
          id="stats-corrections"
          title="Corrections par type"
          head="Correction"
          series={['En place', 'Annulées depuis']}
          rows={stats.fixes.map((x) => ({
            label: ACTIONS[x.action] ?? x.action,
            values: [x.applied, x.undone],
          }))}
        />
      )}
    </>
  );
}
