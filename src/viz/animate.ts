/**
 * The forward and backward pass as a self-contained animated SVG: CSS keyframes only (no script,
 * no external resource), so it plays wherever SVG animations run, scripts disabled included —
 * a README, an `<img>` tag, a browser tab. It draws `renderSvg`'s picture and times the very
 * parts that `frameParts` hides and highlights, so it shows exactly the frames of the GIF and
 * the web player.
 *
 * Timeline of one loop: frame 0 (the inputs) for one step, then one step per schedule entry,
 * then the final frame held for `holdSeconds`; then it starts over. Renderers that ignore CSS
 * animations (resvg, some viewers) show the finished picture.
 */
import { checkRender } from './check-render.js';
import { LIMITS } from '../core/limits.js';
import { checkNumber } from '../core/validate.js';
import { frameAt } from '../graph/frames.js';
import { schedule } from '../graph/schedule.js';
import type { GraphSnapshot } from '../graph/types.js';
import { autoView, type GraphView } from '../graph/view.js';
import { frameCaption, frameParts, OUTPUT_EDGE_ID } from './frame.js';
import { textWidth, truncate } from './labels.js';
import type { GraphLayout } from './layout.js';
import { CAPTION_FONT, drawSvg } from './svg.js';
import { n, pathData, textEl, type Decoration } from './svg-elements.js';

export interface AnimatedSvgOptions {
  /** Decimals of the numbers on the wires (default 2). */
  precision?: number;
  /** Seconds per step of the schedule (default 0.7). */
  stepSeconds?: number;
  /** Seconds the finished picture stays before the loop starts over (default 2). */
  holdSeconds?: number;
  /** A heading drawn above the graph. */
  title?: string;
  /** Draw the colour legend (default true). */
  legend?: boolean;
  /** Draw a caption per step saying what happens (default true). */
  caption?: boolean;
  /** What to draw (see `SvgOptions.view`); `autoView` by default. */
  view?: GraphView;
}

const BLUE = '#1565c0';
/** Captions longer than this are cut, as in `renderSvg` frames. */
const CAPTION_CHARS = 110;

/** A number for CSS: at most 3 decimals, no trailing zeros, so the bytes are stable. */
function num(x: number): string {
  const r = Math.round(x * 1000) / 1000;
  return Object.is(r, -0) ? '0' : String(r);
}

/**
 * `@keyframes show-k`: hidden until step k's moment, then a short fade in, then visible to the
 * end of the loop.
 */
function showKeyframes(k: number, at: number, fade: number, total: number): string {
  const pct = (t: number) => `${num(Math.min(100, (100 * t) / total))}%`;
  return `@keyframes show-${k}{0%,${pct(at)}{opacity:0}${pct(at + fade)},100%{opacity:1}}`;
}

/**
 * `@keyframes win-k`: visible only while frame k is on screen (with short fades), for the
 * highlight halo and the caption of that frame.
 */
function windowKeyframes(k: number, from: number, to: number, fade: number, total: number): string {
  const pct = (t: number) => `${num(Math.max(0, Math.min(100, (100 * t) / total)))}%`;
  const rise =
    from <= 0 ? '0%{opacity:1}' : `0%,${pct(from)}{opacity:0}${pct(from + fade)}{opacity:1}`;
  const fall =
    to >= total ? '100%{opacity:1}' : `${pct(to - fade)}{opacity:1}${pct(to)},100%{opacity:0}`;
  return `@keyframes win-${k}{${rise}${fall}}`;
}

/** The halo drawn under what frame k highlights: wide translucent strokes and node backdrops. */
function halo(layout: GraphLayout, edges: Set<string>, nodes: Set<string>): string {
  const out: string[] = [];
  for (const id of edges) {
    const route = id === OUTPUT_EDGE_ID ? layout.output.edge : layout.edges[id];
    if (route) out.push(`<path class="halo-wire" d="${pathData(route.points)}"/>`);
  }
  for (const id of nodes) {
    const box = layout.nodes[id];
    if (box === undefined) continue;
    if (box.shape === 'circle') {
      out.push(
        `<circle class="halo-node" cx="${n(box.x)}" cy="${n(box.y)}" r="${n(box.width / 2 + 6)}"/>`,
      );
    } else {
      const x = box.x - box.width / 2 - 3;
      const y = box.y - box.height / 2 - 3;
      out.push(
        `<rect class="halo-node" x="${n(x)}" y="${n(y)}" width="${n(box.width + 6)}"` +
          ` height="${n(box.height + 6)}" rx="6"/>`,
      );
    }
  }
  return out.join('');
}

/**
 * Renders the whole forward and backward pass of a snapshot as one looping animated SVG.
 * Deterministic (the same input gives the same bytes) and well-formed XML; all user text is
 * escaped. There is one `show-k` keyframe per step (the parts that step reveals) and one `win-k`
 * keyframe per frame (its highlight halo and caption).
 *
 * @example
 * const svg = renderAnimatedSvg(snapshot, { stepSeconds: 0.5 });
 * svg.includes('<script') // false
 * svg.match(/@keyframes show-/g).length === schedule(snapshot).length // true
 */
export function renderAnimatedSvg(
  snapshot: GraphSnapshot,
  options: AnimatedSvgOptions = {},
): string {
  checkRender('renderAnimatedSvg', snapshot, options);
  const precision = options.precision ?? 2;
  // Bounded, so that the CSS never reads `Infinitys`; steps under 0.05 s are drawn at 0.05 s.
  const step = Math.max(
    0.05,
    checkNumber('renderAnimatedSvg', 'options.stepSeconds', options.stepSeconds ?? 0.7, {
      min: 0,
      minOpen: true,
      max: LIMITS.maxStepSeconds,
    }),
  );
  const hold = checkNumber('renderAnimatedSvg', 'options.holdSeconds', options.holdSeconds ?? 2, {
    min: 0,
    max: LIMITS.maxHoldSeconds,
  });
  const steps = schedule(snapshot);
  const total = steps.length * step + hold || step;
  const fade = Math.min(0.25, step * 0.4);
  const frames = Array.from({ length: steps.length + 1 }, (_, k) => frameAt(snapshot, steps, k));
  const view = options.view ?? autoView(snapshot);
  const parts = frames.map((f) => frameParts(view, f));

  // The first frame in which each part is visible; parts visible from frame 0 are not animated.
  const appears = { value: new Map<string, number>(), grad: new Map<string, number>() };
  const totals = new Map<string, number>();
  parts.forEach((p, k) => {
    for (const id of parts[0]?.hiddenValues ?? [])
      if (!p.hiddenValues.has(id) && !appears.value.has(id)) appears.value.set(id, k);
    for (const id of parts[0]?.hiddenGrads ?? [])
      if (!p.hiddenGrads.has(id) && !appears.grad.has(id)) appears.grad.set(id, k);
    for (const id of parts[0]?.hiddenTotals ?? [])
      if (!p.hiddenTotals.has(id) && !totals.has(id)) totals.set(id, k);
  });
  const at = (k: number | undefined) => (k === undefined ? undefined : `show show-${k}`);

  const dur = `${num(total)}s`;
  const css: string[] = [
    `.show,.win{animation-duration:${dur};animation-iteration-count:infinite;` +
      'animation-timing-function:linear;animation-fill-mode:both}',
    '.win{opacity:0}',
    `.halo-wire{fill:none;stroke:${BLUE};stroke-opacity:0.4;stroke-width:10;` +
      'stroke-linecap:round;stroke-linejoin:round}',
    `.halo-node{fill:${BLUE};fill-opacity:0.28;stroke:none}`,
  ];
  for (let k = 1; k <= steps.length; k++) {
    css.push(showKeyframes(k, k * step, fade, total), `.show-${k}{animation-name:show-${k}}`);
  }
  for (let k = 0; k <= steps.length; k++) {
    const to = k === steps.length ? total : (k + 1) * step;
    css.push(windowKeyframes(k, k * step, to, fade, total), `.win-${k}{animation-name:win-${k}}`);
  }
  // Without motion, show the finished picture: every part, no halo, no caption.
  css.push('@media (prefers-reduced-motion:reduce){.show,.win{animation:none}}');

  const deco: Decoration = {
    style: css.join(''),
    part: (kind, id) => at(kind === 'total' ? totals.get(id) : appears[kind].get(id)),
    underlay: (layout) => {
      const layers = parts.map((p, k) => {
        const body = halo(layout, p.highlightEdges, p.highlightNodes);
        return body === '' ? '' : `<g class="win win-${k}">${body}</g>`;
      });
      return `<g class="halos">${layers.join('')}</g>`;
    },
  };
  if (options.caption ?? true) {
    const labels = frames.map((f) => truncate(frameCaption(snapshot, f, precision), CAPTION_CHARS));
    deco.caption = {
      width: Math.max(0, ...labels.map((l) => textWidth(l.text, CAPTION_FONT))),
      draw: (x, y) =>
        `<g class="captions">` +
        labels.map((l, k) => textEl(`caption win win-${k}`, x, y, l, 'start')).join('') +
        '</g>',
    };
  }
  return drawSvg(
    view,
    {
      precision,
      legend: options.legend ?? true,
      ...(options.title === undefined ? {} : { title: options.title }),
    },
    deco,
  );
}
