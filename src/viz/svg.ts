/**
 * The graph as an SVG picture in the CS231n lecture-4 style: left to right, gates as circles with
 * their symbols, the forward value above each wire in green, the gradient below it in red.
 *
 * The SVG is also an interface. Pages decorate and animate it by toggling classes (no re-layout
 * per frame), tests read numbers off it without guessing coordinates. The vocabulary:
 *
 * - `g.node[data-node-id][data-op]`, one per node, with its kind `input` | `constant` | `gate`,
 *   and `output` on the root. Inside: `.shape` (a gate's circle), `.symbol` (its text), `.name`
 *   (an input's or constant's text) and, for a fork (a value used by several gates), `g.total`
 *   (`Σ ◂ 2.06`, the total gradient under the node; it also has the class `grad`).
 * - `g.edge[data-edge-id][data-from][data-to]`, one per wire; the root's output wire is
 *   `g.edge.output[data-edge-id="output"]`. Inside: `path.wire`, `path.arrow` (output only),
 *   `text.value` (forward value, above) and `.grad` (the gradient text and its ◂ `path.mark`,
 *   below).
 * - Hooks styled by the embedded sheet: `hidden` on a `.value`, `.grad` or `.total` part that is
 *   not known yet in the current frame; `highlight` on the `.node` and `.edge` groups the current
 *   step is about; `dim` for pages. `frameClasses(snapshot, frame)` (viz/frame.ts) gives the
 *   selectors of one frame, and `renderSvg(snapshot, { frame })` bakes the same classes in.
 * - `text.caption` (a frame's explanation, with `frame` only), `.heading`, `.legend`.
 */
import { checkArray, checkInteger, checkOptions } from '../core/validate.js';
import { checkView } from '../graph/check-args.js';
import { checkPictureOptions, checkRender } from './check-render.js';
import { frameAt, type FrameState } from '../graph/frames.js';
import { schedule } from '../graph/schedule.js';
import type { GraphSnapshot, Step } from '../graph/types.js';
import { autoView, viewForks, viewTooBig, MAX_VIEW_NODES, type GraphView } from '../graph/view.js';
import { escapeAttr, escapeXml } from './escape.js';
import { frameParts, stepCaption } from './frame.js';
import {
  edgeGroup,
  frameGroup,
  groupBox,
  LEGEND_FONT,
  LEGEND_HEIGHT,
  legend,
  legendWidth,
  nodeGroup,
  outputGroup,
  stubGroup,
  textEl,
  type Decoration,
} from './svg-elements.js';
import { METRICS, textWidth, truncate, type LabelText } from './labels.js';
import { layoutView, type GraphLayout } from './layout.js';

export { OUTPUT_EDGE_ID } from './frame.js';
export type { Decoration } from './svg-elements.js';

export interface SvgOptions {
  /** Decimals of the numbers on the wires (default 2). */
  precision?: number;
  /** Show forward values above the wires (default true). */
  values?: boolean;
  /** Show gradients below the wires (default true); off for a forward-only picture. */
  gradients?: boolean;
  /** A heading drawn above the graph (and used as the SVG's accessible title). */
  title?: string;
  /** Draw the colour legend under the graph (default true). */
  legend?: boolean;
  /**
   * One moment of the animation (`frameAt(snapshot, schedule(snapshot), k)`): what is not known
   * yet gets the class `hidden`, what the step is about gets `highlight`, and a caption under
   * the graph says what happened. Every frame of a snapshot has the same size.
   */
  frame?: FrameState;
  /** With `frame`: draw the caption line (default true). */
  caption?: boolean;
  /**
   * What to draw: every node (`flatView`), or some groups closed (`buildView`). By default
   * `autoView`: the whole graph when it is small, else its groups closed until about 150 nodes
   * are left.
   */
  view?: GraphView;
}

const FONT_FAMILY = "'DejaVu Sans', 'Helvetica Neue', Helvetica, Arial, sans-serif";
const GREEN = '#1a7f37';
const RED = '#c62828';
const BLUE = '#1565c0';
const PAD = 16;
const TITLE_HEIGHT = 30;
export const CAPTION_FONT = 13;
const CAPTION_HEIGHT = 26;
/** Pictures with more wires than this leave out the hover titles (see `Resolved.titles`). */
const TITLE_LIMIT = 400;
/** Captions longer than this are cut (a tensor's numbers would make the picture very wide). */
const CAPTION_CHARS = 110;

/**
 * Embedded so the SVG stands alone (no external resources). The `hidden`, `dim` and `highlight`
 * classes are hooks for pages that animate the picture by toggling classes.
 */
const STYLE = [
  `.chainrule-graph{font-family:${FONT_FAMILY}}`,
  `.chainrule-graph text{font-family:${FONT_FAMILY}}`,
  '.background{fill:#ffffff}',
  '.heading{font-size:16px;font-weight:bold;fill:#222222}',
  '.wire{fill:none;stroke:#444444;stroke-width:1.5;stroke-linejoin:round;stroke-linecap:round}',
  '.arrow{fill:#444444}',
  `.value{font-size:${METRICS.labelFont}px;fill:${GREEN};font-style:normal}`,
  `.grad{font-size:${METRICS.labelFont}px;fill:${RED};font-style:italic}`,
  `.mark{fill:${RED}}`,
  '.gate .shape{fill:#ffffff;stroke:#333333;stroke-width:1.5}',
  `.symbol{font-size:${METRICS.symbolFont}px;fill:#111111}`,
  `.name{font-size:${METRICS.nameFont}px;fill:#111111}`,
  '.constant .name{fill:#555555}',
  '.legend-box{fill:#fafafa;stroke:#dddddd}',
  `.legend-text{font-size:${LEGEND_FONT}px;fill:#333333}`,
  `.caption{font-size:${CAPTION_FONT}px;fill:#222222}`,
  `.note{font-size:${CAPTION_FONT}px;fill:#6b4400;font-style:italic}`,
  // Tensors on wires: a grid of numbers (or a heatmap) under a shape caption.
  '.grid-frame{fill:#ffffff;stroke-width:1}',
  '.value>.grid-frame{stroke:#9cc9a6}',
  '.grad>.grid-frame{stroke:#e7a3a3}',
  `.cell{font-size:12px}`,
  '.grid-shape{font-size:11px;fill:#555555;font-style:normal;font-weight:normal}',
  '.heat{stroke:none}',
  // Groups: closed ones as boxes (a click opens them in a page), open ones as frames.
  '.group-box .box{fill:#eef3fb;stroke:#5b7db1;stroke-width:1.5}',
  '.group-box .box-inner{fill:none;stroke:#c5d3ea;stroke-dasharray:3 2}',
  '.group-box.neuron .box{fill:#f5f0fb;stroke:#8e6bbf}',
  '.group-box.sum .box,.group-box.dot .box{fill:#f1f7ea;stroke:#6d9a47}',
  '.group-box.step .box{fill:#fdf6e9;stroke:#c08a2b}',
  '.group-title{font-size:14px;font-weight:bold;fill:#1d3557}',
  '.group-detail{font-size:11px;fill:#44474f}',
  '.toggle{font-size:15px;font-weight:bold;fill:#1d3557}',
  '.frame-box{fill:#f6f8fb;fill-opacity:0.6;stroke:#b9c7dd;stroke-width:1}',
  '.frame.neuron .frame-box{stroke:#c7b5e0}',
  '.frame.sum .frame-box,.frame.dot .frame-box{stroke:#b8d1a0}',
  '.frame-title{font-size:12px;font-weight:bold;fill:#3a4a63}',
  '.frame-head{fill:#e8eef7;fill-opacity:0.7;stroke:none}',
  '.stub-box{fill:#f4f4f4;stroke:#bbbbbb}',
  `.stub .name{font-size:${METRICS.stubFont}px;fill:#333333}`,
  '.hidden{visibility:hidden}',
  '.dim{opacity:0.25}',
  `.highlight .wire,.highlight .shape,.highlight .box,.highlight .stub-box{stroke:${BLUE};stroke-width:3}`,
  `.highlight .arrow{fill:${BLUE}}`,
  `.highlight .name{fill:${BLUE};font-weight:bold}`,
  '.highlight>.grad{font-weight:bold}',
].join('');

/** The caption of a step's frame, cut to a readable length (the full text goes into its title). */
function captionLabel(snapshot: GraphSnapshot, step: Step | null, precision: number): LabelText {
  return truncate(stepCaption(snapshot, step, precision), CAPTION_CHARS);
}

/**
 * Decorations of frames: `hidden` and `highlight` from `frameParts` (the rule the web page
 * applies through `frameClasses`), and the frame's caption. The caption band is as wide as the
 * widest caption of the whole schedule, so that every frame of a snapshot has the same size (a
 * GIF needs that).
 */
function frameDecorator(
  view: GraphView,
  precision: number,
  caption: boolean,
): (frame: FrameState) => Decoration {
  const snapshot = view.snapshot;
  let width = 0;
  if (caption) {
    for (const step of [null, ...schedule(snapshot)]) {
      width = Math.max(
        width,
        textWidth(captionLabel(snapshot, step, precision).text, CAPTION_FONT),
      );
    }
  }
  return (frame) => {
    const p = frameParts(view, frame);
    const hidden = { value: p.hiddenValues, grad: p.hiddenGrads, total: p.hiddenTotals };
    const deco: Decoration = {
      part: (kind, id) => (hidden[kind].has(id) ? 'hidden' : undefined),
      group: (kind, id) =>
        (kind === 'node' ? p.highlightNodes : p.highlightEdges).has(id) ? 'highlight' : undefined,
    };
    if (caption) {
      const label = captionLabel(snapshot, frame.step, precision);
      deco.caption = { width, draw: (x, y) => textEl('caption', x, y, label, 'start') };
    }
    return deco;
  };
}

/** The layout options of a picture (its boxes are sized for what it shows). */
function layoutOptions(options: SvgOptions) {
  return {
    precision: options.precision ?? 2,
    values: options.values ?? true,
    gradients: options.gradients ?? true,
  };
}

/**
 * Renders a snapshot as a standalone SVG document (no external resources; byte-identical for
 * the same input). All user text is escaped. With `frame`, draws one moment of the
 * forward/backward animation (what is not known yet is hidden, the current step highlighted).
 *
 * @example
 * const svg = renderSvg(snapshot, { precision: 2, title: 'σ neuron' });
 * svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"') // true
 * // w0's wire: <g class="edge" data-edge-id="e0" …>…<text class="grad" …>-0.20</text></g>
 * const steps = schedule(snapshot);
 * renderSvg(snapshot, { frame: frameAt(snapshot, steps, 3) });
 * // …<text class="value hidden" …>… on the wires whose source is not computed yet
 */
export function renderSvg(snapshot: GraphSnapshot, options: SvgOptions = {}): string {
  checkRender('renderSvg', snapshot, options);
  const view = options.view ?? autoView(snapshot);
  if (options.frame === undefined) return drawSvg(view, options, {});
  const decorate = frameDecorator(view, options.precision ?? 2, options.caption ?? true);
  return drawSvg(view, options, decorate(options.frame));
}

/**
 * Frames of the animation as SVG documents: `renderSvg(snapshot, { frame })` for frames 0 …
 * `schedule(snapshot).length` (or only those in `indices`), laid out once and captioned once,
 * so much faster than one `renderSvg` call per frame on a large graph. All frames have the same
 * size.
 *
 * @example
 * const svgs = renderFrameSvgs(snapshot, { precision: 2 });
 * svgs.length === schedule(snapshot).length + 1 // true
 * svgs[3] === renderSvg(snapshot, { precision: 2, frame: frameAt(snapshot, schedule(snapshot), 3) }) // true
 * renderFrameSvgs(snapshot, {}, [0, 10, 20]).length // 3
 */
export function renderFrameSvgs(
  snapshot: GraphSnapshot,
  options: Omit<SvgOptions, 'frame'> = {},
  indices?: readonly number[],
): string[] {
  checkRender('renderFrameSvgs', snapshot, options);
  const steps = schedule(snapshot);
  if (indices !== undefined) {
    checkArray('renderFrameSvgs', 'indices', indices).forEach((k, i) =>
      checkInteger('renderFrameSvgs', `indices[${i}]`, k, 0, steps.length),
    );
  }
  const view = options.view ?? autoView(snapshot);
  const layout = viewTooBig(view) ? undefined : layoutView(view, layoutOptions(options));
  const decorate = frameDecorator(view, options.precision ?? 2, options.caption ?? true);
  const which = indices ?? Array.from({ length: steps.length + 1 }, (_, k) => k);
  return which.map((k) => drawSvg(view, options, decorate(frameAt(snapshot, steps, k)), layout));
}

/**
 * The SVG drawing behind `renderSvg`, `renderFrameSvgs` and `renderAnimatedSvg`: the picture and
 * its style, with a decoration's classes, underlay and caption woven in. `layout` must come from
 * `layoutView` on the same view with the same precision, values and gradients. A view too big to
 * draw (more than MAX_VIEW_NODES nodes) gives a picture that says so instead.
 */
export function drawSvg(
  view: GraphView,
  options: SvgOptions,
  deco: Decoration,
  layout?: GraphLayout,
): string {
  checkView('drawSvg', view);
  checkPictureOptions('drawSvg', options);
  checkOptions('drawSvg', 'deco', deco);
  if (viewTooBig(view)) return tooBigSvg(view, options);
  const laid = layout ?? layoutView(view, layoutOptions(options));
  return drawLaidOut(view, options, deco, laid);
}

function drawLaidOut(
  view: GraphView,
  options: SvgOptions,
  deco: Decoration,
  layout: GraphLayout,
): string {
  const snapshot = view.snapshot;
  const opts = {
    ...layoutOptions(options),
    legend: options.legend ?? true,
    titles: view.edges.length <= TITLE_LIMIT,
  };
  const showLegend = opts.legend && (opts.values || opts.gradients);
  const note = collapsedNote(view);
  const top = PAD + (options.title !== undefined ? TITLE_HEIGHT : 0);
  const titleW = options.title !== undefined ? textWidth(options.title, 16) : 0;
  const width = Math.ceil(
    Math.max(
      layout.width,
      showLegend ? legendWidth(opts) : 0,
      titleW,
      deco.caption ? deco.caption.width + 8 : 0,
      note ? textWidth(note, CAPTION_FONT) : 0,
    ) +
      2 * PAD,
  );
  const captionY = top + layout.height + 4 + (note ? CAPTION_HEIGHT : 0);
  const legendY = captionY + (deco.caption ? CAPTION_HEIGHT : 0) + 4;
  const height = Math.ceil(legendY + (showLegend ? LEGEND_HEIGHT + PAD : PAD - 8));
  const out = svgHead(snapshot, options, width, height, deco.style);
  if (options.title !== undefined) {
    out.push(`<text class="heading" x="${PAD}" y="${PAD + 16}">${escapeXml(options.title)}</text>`);
  }
  out.push(`<g class="graph" transform="translate(${PAD} ${top})">`);
  const groups = new Map((snapshot.groups ?? []).map((g) => [g.id, g]));
  if (view.frames.length > 0) {
    out.push('<g class="frames">');
    for (const f of view.frames) {
      const box = layout.frames[f.group];
      const group = groups.get(f.group);
      if (box && group) out.push(frameGroup(group, box));
    }
    out.push('</g>');
  }
  if (deco.underlay) out.push(deco.underlay(layout));
  out.push('<g class="edges">');
  for (const edge of view.edges) {
    const route = layout.edges[edge.id];
    if (route) out.push(edgeGroup(view, edge, route, opts, deco));
  }
  const root = snapshot.nodes.find((node) => node.id === snapshot.root);
  if (root) out.push(outputGroup(root, view.output, layout, opts, deco));
  out.push('</g>', '<g class="nodes">');
  const forks = viewForks(view);
  const nodes = new Map(snapshot.nodes.map((n) => [n.id, n]));
  for (const v of view.nodes) {
    const box = layout.nodes[v.id];
    if (!box) continue;
    if (v.kind === 'group') {
      const group = groups.get(v.group!);
      if (group) out.push(groupBox(snapshot, group, box, deco));
    } else if (v.kind === 'stub') {
      out.push(stubGroup(snapshot, v, box, deco));
    } else {
      const node = nodes.get(v.node!);
      if (node) out.push(nodeGroup(snapshot, node, box, opts, forks.has(v.id), deco, v.aux));
    }
  }
  out.push('</g>', '</g>');
  if (note) {
    const y = top + layout.height + CAPTION_FONT + 8;
    out.push(`<text class="note" x="${PAD}" y="${y}">${escapeXml(note)}</text>`);
  }
  if (deco.caption) out.push(deco.caption.draw(PAD, captionY + CAPTION_FONT + 4));
  if (showLegend) out.push(legend(PAD, legendY, opts));
  out.push('</svg>');
  return out.join('\n') + '\n';
}

function svgHead(
  snapshot: GraphSnapshot,
  options: SvgOptions,
  width: number,
  height: number,
  style = '',
): string[] {
  const accessible = options.title ?? snapshot.expression ?? 'computational graph';
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chainrule-graph" width="${width}"` +
      ` height="${height}" viewBox="0 0 ${width} ${height}" role="img"` +
      ` font-family="${escapeAttr(FONT_FAMILY)}">`,
    `<title>${escapeXml(accessible)}</title>`,
    `<style>${STYLE}${style}</style>`,
    `<rect class="background" x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
}

/**
 * The line under a picture with closed groups: how big the graph is and that boxes stand for
 * parts of it, so a 10,000-node graph drawn as 20 boxes says what it is.
 *
 * @example
 * collapsedNote(flatView(snapshot)) // undefined: nothing is closed
 */
export function collapsedNote(view: GraphView): string | undefined {
  checkView('collapsedNote', view);
  const closed = view.nodes.filter((n) => n.kind === 'group').length;
  if (closed === 0) return undefined;
  const count = (k: number) => String(k).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const nodes = view.snapshot.nodes.length;
  return (
    `${count(nodes)} nodes, drawn collapsed: ${count(closed)} ${closed === 1 ? 'box stands' : 'boxes stand'}` +
    ' for groups of gates (open them in the web page).'
  );
}

/** What is drawn instead of a view too big to lay out: a clear message, never a frozen tab. */
function tooBigSvg(view: GraphView, options: SvgOptions): string {
  const lines = tooBigMessage(view);
  const width = Math.ceil(Math.max(...lines.map((l) => textWidth(l, CAPTION_FONT))) + 2 * PAD);
  const height = PAD * 2 + lines.length * 20;
  const out = svgHead(view.snapshot, options, width, height);
  lines.forEach((line, i) => {
    out.push(
      `<text class="caption too-big" x="${PAD}" y="${PAD + 14 + i * 20}">${escapeXml(line)}</text>`,
    );
  });
  out.push('</svg>');
  return out.join('\n') + '\n';
}

/**
 * Why a view is not drawn, in words for a learner.
 *
 * @example
 * tooBigMessage(view) // ['This picture would have 20,000 nodes: more than 4,000 can be drawn.', …]
 */
export function tooBigMessage(view: GraphView): string[] {
  checkView('tooBigMessage', view);
  const count = (k: number) => String(k).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const groups = view.snapshot.groups?.length ?? 0;
  return [
    `This picture would have ${count(view.nodes.length)} nodes and ${count(view.edges.length)} wires:` +
      ` more than ${count(MAX_VIEW_NODES)} nodes cannot be drawn.`,
    groups > 0
      ? 'Close some groups to see it (each group can be opened on its own).'
      : 'It has no groups to close: try a smaller expression, or the text output.',
  ];
}
