import type { FindingKind, ProfileSummary } from '../src/engine/reconcile.js';
import { FINDING_KINDS } from '../src/engine/reconcile.js';
import { FINDING_LABELS, PROFILE_LABELS } from '../src/engine/reconcile-labels.js';
import { FigureTable } from './figure-table.js';

const WIDTH = 400;
const LABEL = 20;
const BAR = 18;
const GAP = 14;

const share = (n: number, total: number) => (total === 0 ? 0 : (WIDTH * n) / total);

/**
 * One stacked bar per profile, each segment a kind of finding, drawn on the server; the table beside it
 * holds the same figures for screen readers and for copying. Bars share one scale: the largest profile
 * fills the width.
 */
export function ReconciliationChart({ summary }: { summary: readonly ProfileSummary[] }) {
  const rows = summary.filter((s) => s.ent > 0);
  const max = Math.max(1, ...rows.map((s) => s.ent));
  const rowHeight = LABEL + BAR + GAP;
  const kinds = FINDING_KINDS.filter((k) => rows.some((s) => s.counts[k] > 0));
  return (
    <div class="chart-pair">
      <figure class="chart">
        <svg
          role="img"
          aria-labelledby="reconciliation-titre reconciliation-desc"
          viewBox={`0 0 ${WIDTH + 40} ${Math.max(1, rows.length) * rowHeight}`}
          width="100%"
          class="bar-chart"
        >
          <title id="reconciliation-titre">Constats par profil</title>
          <desc id="reconciliation-desc">
            Une barre par profil, découpée selon les constats. Les mêmes chiffres figurent dans le tableau qui
            accompagne ce graphique.
          </desc>
          {rows.map((s, i) => {
            const y = i * rowHeight;
            let x = 0;
            return (
              <g>
                <text class="chart-label" x="0" y={y + 14}>
                  {`${PROFILE_LABELS[s.profile]} (${s.ent})`}
                </text>
                {kinds.map((k) => {
                  const w = share(s.counts[k], max);
                  const at = x;
                  x += w;
                  return w === 0 ? null : (
                    <rect class={`bar rk-${k}`} x={at} y={y + LABEL} width={w} height={BAR}>
                      <title>{`${FINDING_LABELS[k]} : ${s.counts[k]}`}</title>
                    </rect>
                  );
                })}
              </g>
            );
          })}
        </svg>
        <figcaption>
          <ul class="chart-legend">
            {kinds.map((k) => (
              <li>
                <span class={`swatch rk-${k}`} aria-hidden="true" /> {FINDING_LABELS[k]}
              </li>
            ))}
          </ul>
        </figcaption>
      </figure>
      <SummaryTable summary={summary} kinds={kinds} />
    </div>
  );
}

/** The chart's figures turned a quarter: one row per constat, one column per profile, so it stays narrow. */
function SummaryTable({ summary, kinds }: { summary: readonly ProfileSummary[]; kinds: FindingKind[] }) {
  const rows: Array<{ label: string; values: number[] }> = [
    { label: 'Comptes ENT', values: summary.map((s) => s.ent) },
    ...kinds.map((k) => ({ label: FINDING_LABELS[k], values: summary.map((s) => s.counts[k]) })),
    { label: 'Corrections sûres', values: summary.map((s) => s.safe) },
    { label: 'Comptes PRONOTE', values: summary.map((s) => s.pronote) },
    { label: 'Comptes PRONOTE sans compte ENT', values: summary.map((s) => s.pronoteOnly) },
  ];
  return (
    <section class="table-scroll" aria-labelledby="reconciliation-tableau" tabindex={0}>
      <FigureTable
        caption="Comptes par constat et par profil"
        captionId="reconciliation-tableau"
        head="Constat"
        series={summary.map((s) => PROFILE_LABELS[s.profile])}
        rows={rows}
      />
    </section>
  );
}
