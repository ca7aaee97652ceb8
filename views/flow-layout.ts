import dagre from '@dagrejs/dagre';
import type { StepKind } from '../flows/types.js';
import type { FlowMapView, MapEdge } from './flow-map-view.js';

/** Widths of a step's box and of an arrow's label, in px: narrow first, wide when the flow has room. */
interface Sizes {
  box: number;
  label: number;
}
const SIZES: Sizes[] = [
  { box: 132, label: 104 },
  { box: 150, label: 118 },
  { box: 190, label: 150 },
];
/** Height of a box's kind caption; each title line adds LINE. */
const HEAD = 22;
const LINE = 15;
const END_H = 34;
/** Widths of the characters of an arrow's label at its font size, rounded up: a label box never hides text. */
/** Font sizes of the titles and of the arrows' labels, as app.css draws them. */
const TITLE_PX = 13;
const LABEL_PX = 11;
const LABEL_H = 13;
const MARGIN = 8;

type Point = [number, number];
type Point2 = { x: number; y: number };

export interface Box {
  /** The node's own id: the step id, `<end step>@<step before>` for an end drawn under its step, `flow:<id>`. */
  id: string;
  /** The step the box stands for (several boxes may stand for one end), or `flow:<id>`. */
  step: string;
  kind: StepKind | 'exit';
  /** Top left corner. */
  x: number;
  y: number;
  w: number;
  h: number;
  title: string;
  lines: string[];
  href?: string;
  visit?: 'current' | 'visited';
}

export interface Arrow {
  from: string;
  to: string;
  label: string;
  taken: boolean;
  d: string;
  /** The label's lines, centred in its box (top left corner and size). */
  lines: string[];
  labelBox: { x: number; y: number; w: number; h: number };
}

export interface MapLayout {
  boxes: Box[];
  arrows: Arrow[];
  width: number;
  height: number;
}

type Link = Pick<Arrow, 'from' | 'to' | 'label' | 'taken'>;

/** The widest drawing that still reads on a 1280 px wide screen. */
const SCREEN = { width: 1180 };

export const shorten = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/**
 * A line's width in em, erring wide: the text is drawn in whatever sans-serif the reader's system has, and
 * a box or a label's place must hold it in the widest of them.
 */
export function textWidth(text: string): number {
  let em = 0;
  for (const ch of text) {
    if (/[ijlt.,:;’'!|()«»\s-]/.test(ch)) em += 0.36;
    else if (/[mwMW]/.test(ch)) em += 0.92;
    else if (/[A-ZÀ-ÝŒ]/.test(ch)) em += 0.74;
    else em += 0.62;
  }
  return em;
}

/** Text in at most `lines` lines of `width` em, the last one cut short with « … » if need be. */
export function wrap(text: string, width: number, lines: number): string[] {
  const out: string[] = [];
  // Plain spaces only: a non-breaking one (before « ? », inside « ») keeps its words together.
  for (const word of text.split(/[ \t\n]+/)) {
    const last = out.at(-1);
    if (last !== undefined && textWidth(`${last} ${word}`) <= width) out[out.length - 1] = `${last} ${word}`;
    else out.push(word);
  }
  if (out.length <= lines) return out;
  let tail = out.slice(lines - 1).join(' ');
  while (textWidth(`${tail}…`) > width && tail.length > 1) tail = tail.slice(0, -1);
  return [...out.slice(0, lines - 1), `${tail.trimEnd()}…`];
}

/** What a box stands for: a step, or another flow an arrow leads to. */
interface Target {
  step: string;
  kind: Box['kind'];
  title: string;
  href?: string;
  visit?: 'current' | 'visited';
}

/** A box sized for its title: ends and other flows are smaller, being only where an arrow stops. */
function boxFor(id: string, t: Target, size: Sizes): Box {
  const small = t.kind === 'end' || t.kind === 'exit';
  const w = small ? size.box - 8 : size.box;
  const lines = wrap(t.title, (w - 12) / TITLE_PX, small ? 3 : 4);
  const h = t.kind === 'end' ? END_H + (lines.length - 1) * LINE : HEAD + lines.length * LINE + 6;
  return {
    id,
    step: t.step,
    kind: t.kind,
    x: 0,
    y: 0,
    w,
    h,
    title: t.title,
    lines,
    ...(t.href ? { href: t.href } : {}),
    ...(t.visit ? { visit: t.visit } : {}),
  };
}

/**
 * The boxes and links of a flow's diagram. An end or another flow reached from many steps would pull long
 * arrows across the whole drawing: each step that leads there gets its own small copy of that end right
 * under it instead. Transitions taken from any step are left to the list under the diagram.
 */
function boxesOf(view: FlowMapView, size: Sizes): { boxes: Box[]; links: Link[] } {
  const steps = new Map(view.steps.map((s) => [s.step, s]));
  const boxes = new Map<string, Box>();
  const links = new Map<string, Link>();
  for (const s of view.steps) if (s.kind !== 'end') boxes.set(s.step, boxFor(s.step, s, size));
  const targetOf = (e: MapEdge & { from: string }): Box | undefined => {
    const exit = e.toFlow ? view.exits[e.toFlow] : undefined;
    const target: Target | undefined = exit
      ? { step: `flow:${e.toFlow}`, kind: 'exit', ...exit }
      : steps.get(e.to);
    if (!target || (target.kind !== 'exit' && target.kind !== 'end')) return boxes.get(e.to);
    const id = `${target.step}@${e.from}`;
    const box = boxes.get(id) ?? boxFor(id, target, size);
    boxes.set(id, box);
    return box;
  };
  for (const e of view.edges) {
    if (e.from === null) continue;
    const to = targetOf({ ...e, from: e.from });
    if (!to) continue;
    const key = `${e.from}>${to.id}`;
    const known = links.get(key);
    if (!known) links.set(key, { from: e.from, to: to.id, label: e.label, taken: e.taken });
    else {
      if (!known.label.split(' / ').includes(e.label)) known.label += ` / ${e.label}`;
      known.taken ||= e.taken;
    }
  }
  // A step reached only from any step (the flow's « transmettre ») still gets a box of its own.
  const drawn = new Set([...boxes.values()].map((b) => b.step));
  for (const s of view.steps) if (!drawn.has(s.step)) boxes.set(s.step, boxFor(s.step, s, size));
  return { boxes: [...boxes.values()], links: [...links.values()] };
}

/** A smooth path through the points dagre gives an arrow: straight ends, rounded bends. */
function pathThrough(points: Point[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  const at = (p: Point) => `${p[0].toFixed(1)} ${p[1].toFixed(1)}`;
  let d = `M${at(first)}`;
  rest.forEach((p, i) => {
    const next = rest[i + 1];
    d += next ? `Q${at(p)} ${at([(p[0] + next[0]) / 2, (p[1] + next[1]) / 2])}` : `L${at(p)}`;
  });
  return d;
}

interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

const overlaps = (a: Rect, b: Rect, gap = 2) =>
  a.x < b.x + b.w + gap && b.x < a.x + a.w + gap && a.y < b.y + b.h + gap && b.y < a.y + a.h + gap;

/** The point at a fraction of a polyline's length. */
function along(points: Point[], k: number): Point {
  const segments = points.slice(1).map((b, i): [Point, Point, number] => {
    const a = points[i] ?? b;
    return [a, b, Math.hypot(b[0] - a[0], b[1] - a[1])];
  });
  let left = segments.reduce((s, [, , l]) => s + l, 0) * k;
  for (const [a, b, l] of segments) {
    if (left <= l && l > 0) return [a[0] + ((b[0] - a[0]) * left) / l, a[1] + ((b[1] - a[1]) * left) / l];
    left -= l;
  }
  return points.at(-1) ?? [0, 0];
}

/** Fractions of an arrow's length where its label may go, best first: the middle, then outwards. */
const SPOTS = Array.from({ length: 19 }, (_, i) => 0.5 + (i % 2 ? 1 : -1) * Math.ceil(i / 2) * 0.05);

interface Placed {
  boxes: Map<string, Rect>;
  arrows: Array<{ points: Point[]; lines: string[]; labelBox: Rect }>;
  width: number;
  height: number;
  /** Every label found a free place. */
  clear: boolean;
}

/**
 * One layout: dagre places the boxes and routes the arrows, leaving `gap` between layers; then each label
 * takes the first free place along its arrow, beside it or on it, where it covers no box and no other label.
 */
function attempt(rankdir: 'TB' | 'LR', gap: number, boxes: Box[], links: Link[], label: number): Placed {
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir, nodesep: 14, edgesep: 8, ranksep: gap, marginx: MARGIN, marginy: MARGIN });
  g.setDefaultEdgeLabel(() => ({}));
  for (const b of boxes) g.setNode(b.id, { width: b.w, height: b.h });
  for (const l of links) g.setEdge(l.from, l.to);
  dagre.layout(g);
  const rects = new Map(
    boxes.map((b): [string, Rect] => {
      const n = g.node(b.id);
      return [b.id, { x: (n.x ?? 0) - b.w / 2, y: (n.y ?? 0) - b.h / 2, w: b.w, h: b.h }];
    }),
  );
  const taken = [...rects.values()];
  let clear = true;
  const arrows = links.map((l) => {
    const points: Point[] = (g.edge(l.from, l.to).points ?? []).map((p: Point2) => [p.x, p.y]);
    const lines = wrap(l.label, label / LABEL_PX, 3);
    const w = Math.max(...lines.map(textWidth)) * LABEL_PX + 6;
    const h = lines.length * LABEL_H + 2;
    // On the arrow, then beside it, then a little further off each side.
    const near = (x: number, y: number, far: number): Rect[] => [
      { x: x + 5 + far, y: y - h / 2, w, h },
      { x: x - w - 5 - far, y: y - h / 2, w, h },
      { x: x - w / 2, y: y + 4 + far, w, h },
      { x: x - w / 2, y: y - h - 4 - far, w, h },
    ];
    const candidates = [0, 16, 32].flatMap((far) =>
      SPOTS.flatMap((k): Rect[] => {
        const [x, y] = along(points, k);
        return far === 0 ? [{ x: x - w / 2, y: y - h / 2, w, h }, ...near(x, y, 0)] : near(x, y, far);
      }),
    );
    const free = candidates.find((c) => !taken.some((t) => overlaps(t, c)));
    if (!free) clear = false;
    const labelBox = free ?? candidates[0] ?? { x: 0, y: 0, w, h };
    taken.push(labelBox);
    return { points, lines, labelBox };
  });
  // Labels may stick out of dagre's picture: the drawing grows to hold them.
  const minX = Math.min(0, ...taken.map((r) => r.x - MARGIN));
  const minY = Math.min(0, ...taken.map((r) => r.y - MARGIN));
  const shift = (r: Rect): Rect => ({ ...r, x: r.x - minX, y: r.y - minY });
  return {
    boxes: new Map([...rects].map(([id, r]) => [id, shift(r)])),
    arrows: arrows.map((a) => ({
      ...a,
      points: a.points.map(([x, y]): Point => [x - minX, y - minY]),
      labelBox: shift(a.labelBox),
    })),
    width: Math.max(...taken.map((r) => r.x + r.w + MARGIN)) - minX,
    height: Math.max(...taken.map((r) => r.y + r.h + MARGIN)) - minY,
    clear,
  };
}

/** How much a layout must shrink to fit the screen's width (1: not at all); a tall one scrolls. */
const scaleToFit = (p: Placed) => Math.min(SCREEN.width / p.width, 1);

/** The tightest gap between layers, from a first layout, that leaves every label a free place. */
function widening(first: Placed, rankdir: 'TB' | 'LR', boxes: Box[], links: Link[], label: number): Placed {
  let placed = first;
  for (let gap = 62; !placed.clear && gap <= 242; gap += 18)
    placed = attempt(rankdir, gap, boxes, links, label);
  return placed;
}

/** Layouts already computed, by what they depend on: a handful per flow (two audiences' wordings). */
const computed = new Map<string, Placed>();

/** Downwards reads best; a flow too wide for the screen that way (a question with many answers) goes across. */
function bestOf(boxes: Box[], links: Link[], label: number): Placed {
  const key = JSON.stringify([
    label,
    boxes.map((b) => [b.id, b.w, b.h]),
    links.map((l) => [l.from, l.to, l.label]),
  ]);
  const known = computed.get(key);
  if (known) return known;
  // Wider gaps never make a drawing narrower: one far too wide downwards is not worth widening.
  const first = attempt('TB', 44, boxes, links, label);
  const down = first.width > SCREEN.width * 1.6 ? first : widening(first, 'TB', boxes, links, label);
  const across =
    down.width > SCREEN.width
      ? widening(attempt('LR', 44, boxes, links, label), 'LR', boxes, links, label)
      : undefined;
  const best = across?.clear && (!down.clear || scaleToFit(across) > scaleToFit(down)) ? across : down;
  computed.set(key, best);
  return best;
}

/**
 * Positions every box, arrow and label of a flow's diagram: a layered layout (dagre), and labels where they
 * cover nothing. Of the sizes tried, the shortest drawing within the screen's width. Deterministic, so a page never changes by itself.
 */
export function layoutMap(view: FlowMapView): MapLayout {
  // Wide boxes and labels take fewer lines, so a shorter drawing, if the flow fits the width that way; a
  // flow too wide even with narrow ones is not tried wide.
  const tries: Array<{ boxes: Box[]; links: Link[]; placed: Placed }> = [];
  for (const size of SIZES) {
    const { boxes, links } = boxesOf(view, size);
    const placed = bestOf(boxes, links, size.label);
    tries.push({ boxes, links, placed });
    if (placed.width > SCREEN.width) break;
  }
  // A layout where some label found no free place is taken only when there is no other.
  const clear = tries.some((t) => t.placed.clear) ? tries.filter((t) => t.placed.clear) : tries;
  const fitting = clear.filter((t) => t.placed.width <= SCREEN.width);
  const {
    boxes,
    links,
    placed: best,
  } = fitting.length
    ? fitting.reduce((a, b) => (b.placed.height < a.placed.height ? b : a))
    : clear.reduce((a, b) => (scaleToFit(b.placed) > scaleToFit(a.placed) ? b : a));
  for (const b of boxes)
    Object.assign(b, { x: best.boxes.get(b.id)?.x ?? 0, y: best.boxes.get(b.id)?.y ?? 0 });
  const arrows = links.map((l, i): Arrow => {
    const a = best.arrows[i] ?? { points: [], lines: [], labelBox: { x: 0, y: 0, w: 0, h: 0 } };
    return { ...l, lines: a.lines, d: pathThrough(a.points), labelBox: a.labelBox };
  });
  return { boxes, arrows, width: best.width, height: best.height };
}
