import type { StepKind } from '../flows/types.js';
import type { FlowMapView, MapEdge } from './flow-map-view.js';

export const BOX_W = 200;
export const BOX_H = 72;
const GAP_X = 28;
const GAP_Y = 84;
const COLS = 3;
const TOP = 48;
const LANE = 10;
const INNER = COLS * BOX_W + (COLS - 1) * GAP_X;

type Point = [number, number];

export interface Box {
  /** The step id; `*` for "any step", `flow:<id>` for a flow led to. */
  id: string;
  kind: StepKind | 'any' | 'exit';
  x: number;
  y: number;
  row: number;
  title: string;
  href?: string;
  visit?: 'current' | 'visited';
}

export interface Arrow {
  from: string;
  to: string;
  label: string;
  taken: boolean;
  d: string;
  /** Where the label is drawn. */
  at: Point;
}

export interface MapLayout {
  boxes: Box[];
  arrows: Arrow[];
  viewBox: string;
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

type Link = Omit<Arrow, 'd' | 'at'>;

/** Boxes and links of the diagram: one box per step, plus "any step" and one box per flow led to. */
function boxesOf(view: FlowMapView): { boxes: Box[]; links: Link[] } {
  const idOf = (e: MapEdge) => (e.toFlow ? `flow:${e.toFlow}` : e.to);
  const links = new Map<string, Link>();
  for (const e of view.edges) {
    const from = e.from ?? '*';
    const known = links.get(`${from}>${idOf(e)}`);
    if (!known) links.set(`${from}>${idOf(e)}`, { from, to: idOf(e), label: e.label, taken: e.taken });
    else {
      if (!known.label.split(' / ').includes(e.label)) known.label += ` / ${e.label}`;
      known.taken ||= e.taken;
    }
  }
  const at = { x: 0, y: 0, row: 0 };
  const boxes: Box[] = view.steps.map((s) => ({
    id: s.step,
    kind: s.kind,
    ...at,
    title: s.title,
    href: s.href,
    ...(s.visit ? { visit: s.visit } : {}),
  }));
  if (view.edges.some((e) => e.from === null))
    boxes.push({ id: '*', kind: 'any', ...at, title: 'À toute étape' });
  for (const [flow, exit] of Object.entries(view.exits))
    boxes.push({ id: `flow:${flow}`, kind: 'exit', ...at, ...exit });
  return { boxes, links: [...links.values()] };
}

/**
 * Layered layout: a layer per distance from the first step, ends and exits in a last layer, at most three
 * boxes a row so the diagram stays legible once scaled down to a phone. Within a layer, boxes sit under
 * the average position of what leads to them, to limit crossings; ties keep the machine's order.
 */
function place(view: FlowMapView, boxes: Box[], links: Link[]): number {
  const depth = new Map(
    view.steps.map((s) => [s.step, s.kind === 'end' ? Number.POSITIVE_INFINITY : s.depth]),
  );
  // "Any step" gets a row of its own just above the ends, so its arrow to them stays short.
  depth.set('*', Math.max(0, ...view.steps.filter((s) => s.kind !== 'end').map((s) => s.depth)) + 0.5);
  const layerOf = (b: Box) => depth.get(b.id) ?? Number.POSITIVE_INFINITY;
  const placed = new Map<string, Box>();
  let row = 0;
  for (const layer of [...new Set(boxes.map(layerOf))].sort((a, b) => a - b)) {
    const bary = (b: Box) => {
      const xs = links.flatMap((l) =>
        l.to === b.id && placed.has(l.from) ? [placed.get(l.from)?.x ?? 0] : [],
      );
      return xs.length ? xs.reduce((s, x) => s + x, 0) / xs.length : Number.POSITIVE_INFINITY;
    };
    const order = boxes
      .filter((b) => layerOf(b) === layer)
      .map((b, i) => ({ b, i, k: bary(b) }))
      .sort((p, q) => p.k - q.k || p.i - q.i);
    for (let start = 0; start < order.length; start += COLS, row++) {
      const chunk = order.slice(start, start + COLS);
      const x0 = (INNER - (chunk.length * BOX_W + (chunk.length - 1) * GAP_X)) / 2;
      chunk.forEach(({ b }, i) => {
        Object.assign(b, { x: x0 + i * (BOX_W + GAP_X), y: TOP + row * (BOX_H + GAP_Y), row });
        placed.set(b.id, b);
      });
    }
  }
  return row;
}

interface Routed {
  link: Link;
  d: string;
  /** Where the label may go, best first. */
  spots: Point[];
}

/** Adjacent rows get a curve; anything else goes round the side, each such arrow in its own lane. */
function route(boxes: Map<string, Box>, links: Link[]): { routed: Routed[]; left: number; right: number } {
  const port = (key: 'from' | 'to', id: string, l: Link) => {
    const other = (x: Link) => boxes.get(key === 'from' ? x.to : x.from)?.x ?? 0;
    const mine = links.filter((x) => x[key] === id && x.from !== x.to).sort((p, q) => other(p) - other(q));
    return (boxes.get(id)?.x ?? 0) + (BOX_W * (mine.indexOf(l) + 1)) / (mine.length + 1);
  };
  const lanes = { left: 0, right: 0 };
  const routed: Routed[] = [];
  for (const link of links) {
    const s = boxes.get(link.from);
    const t = boxes.get(link.to);
    if (!s || !t) continue;
    if (s === t) {
      const [x, y] = [s.x + BOX_W - 40, s.y];
      routed.push({
        link,
        d: `M${x} ${y}C${x} ${y - 34} ${x + 60} ${y - 34} ${x + 30} ${y}`,
        spots: [[x + 30, y - 30]],
      });
    } else if (s.row === t.row && Math.abs(s.x - t.x) === BOX_W + GAP_X) {
      const [x1, x2, y] =
        s.x < t.x ? [s.x + BOX_W, t.x, s.y + BOX_H / 2] : [s.x, t.x + BOX_W, s.y + BOX_H / 2];
      const mid = (x1 + x2) / 2;
      routed.push({
        link,
        d: `M${x1} ${y}H${x2}`,
        spots: [
          [mid, y - 10],
          [mid, s.y - 8],
          [mid, s.y + BOX_H + 16],
        ],
      });
    } else if (t.row === s.row + 1) {
      const [sx, sy, tx, ty] = [port('from', link.from, link), s.y + BOX_H, port('to', link.to, link), t.y];
      const m = (ty - sy) / 2;
      const at = (k: number): Point => {
        const u = 1 - k;
        const y = u * u * u * sy + 3 * u * u * k * (sy + m) + 3 * u * k * k * (ty - m) + k * k * k * ty;
        return [(u * u * u + 3 * u * u * k) * sx + (3 * u * k * k + k * k * k) * tx, y];
      };
      routed.push({
        link,
        d: `M${sx} ${sy}C${sx} ${sy + m} ${tx} ${ty - m} ${tx} ${ty}`,
        spots: [0.5, 0.3, 0.7, 0.2, 0.8].map(at),
      });
    } else {
      const [sx, sy, tx, ty] = [port('from', link.from, link), s.y + BOX_H, port('to', link.to, link), t.y];
      const side = (sx + tx) / 2 < INNER / 2 ? 'left' : 'right';
      const lane = lanes[side]++;
      const mx = side === 'left' ? -12 - lane * LANE : INNER + 12 + lane * LANE;
      const [yOut, yIn] = [sy + 12 + (lane % 5) * 6, ty - 12 - (lane % 5) * 6];
      const spots = [0.5, 0.25, 0.75].flatMap((k): Point[] => [
        [sx + (mx - sx) * k, yOut],
        [tx + (mx - tx) * k, yIn],
      ]);
      routed.push({ link, d: `M${sx} ${sy}V${yOut}H${mx}V${yIn}H${tx}V${ty}`, spots });
    }
  }
  return { routed, left: lanes.left, right: lanes.right };
}

const overlaps = (a: Rect, b: Rect) =>
  a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

export const shorten = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/** A title in at most three lines of a box's width; a non-breaking space keeps its sign with its word. */
export function wrap(text: string, width = 26, lines = 3): string[] {
  const out: string[] = [];
  for (const word of text.split(/[ \t\n]+/)) {
    const last = out.at(-1);
    if (last !== undefined && last.length + word.length < width) out[out.length - 1] = `${last} ${word}`;
    else out.push(word);
  }
  return out.length > lines
    ? [...out.slice(0, lines - 1), shorten(out.slice(lines - 1).join(' '), width)]
    : out;
}

/** Positions every box and arrow of a flow's diagram; deterministic, so a page never changes by itself. */
export function layoutMap(view: FlowMapView): MapLayout {
  const { boxes, links } = boxesOf(view);
  const rows = place(view, boxes, links);
  const { routed, left, right } = route(new Map(boxes.map((b) => [b.id, b])), links);
  const [minX, maxX] = [-20 - left * LANE, INNER + 20 + right * LANE];
  const taken: Rect[] = boxes.map((b) => ({ x: b.x, y: b.y, w: BOX_W, h: BOX_H }));
  const arrows = routed.map(({ link, d, spots }) => {
    const label = shorten(link.label, 34);
    const w = label.length * 5.8 + 8;
    // Each label goes to the first free spot along its arrow, kept inside the picture.
    const inside = spots.map(
      ([x, y]): Point => [Math.min(Math.max(x, minX + w / 2 + 2), maxX - w / 2 - 2), y],
    );
    const rect = (p: Point): Rect => ({ x: p[0] - w / 2, y: p[1] - 9, w, h: 13 });
    const at = inside.find((p) => !taken.some((t) => overlaps(t, rect(p)))) ?? inside[0] ?? [0, 0];
    taken.push(rect(at));
    return { ...link, label, d, at };
  });
  const height = TOP + rows * (BOX_H + GAP_Y) - GAP_Y + 24;
  return { boxes, arrows, viewBox: `${minX} 0 ${maxX - minX} ${height}` };
}
