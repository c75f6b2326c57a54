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
import { frameAt, type FrameState } from '../graph/frames.js';
import { schedule } from '../graph/schedule.js';
import type { GraphSnapshot, Step } from '../graph/types.js';
import { escapeAttr, escapeXml } from './escape.js';
import { frameParts, stepCaption } from './frame.js';
import {
  edgeGroup,
  LEGEND_FONT,
  LEGEND_HEIGHT,
  legend,
  legendWidth,
  nodeGroup,
  outputGroup,
  textEl,
  type Decoration,
} from './svg-elements.js';
import { forkNodes, METRICS, textWidth, truncate, type LabelText } from './labels.js';
import { layoutSnapshot, type GraphLayout } from './layout.js';

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
}

const FONT_FAMILY = "'DejaVu Sans', 'Helvetica Neue', Helvetica, Arial, sans-serif";
const GREEN = '#1a7f37';
const RED = '#c62828';
const BLUE = '#1565c0';
const PAD = 16;
const TITLE_HEIGHT = 30;
export const CAPTION_FONT = 13;
const CAPTION_HEIGHT = 26;
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
  '.hidden{visibility:hidden}',
  '.dim{opacity:0.25}',
  `.highlight .wire,.highlight .shape{stroke:${BLUE};stroke-width:3}`,
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
  snapshot: GraphSnapshot,
  precision: number,
  caption: boolean,
): (frame: FrameState) => Decoration {
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
    const p = frameParts(snapshot, frame);
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
  if (options.frame === undefined) return drawSvg(snapshot, options, {});
  const decorate = frameDecorator(snapshot, options.precision ?? 2, options.caption ?? true);
  return drawSvg(snapshot, options, decorate(options.frame));
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
  const steps = schedule(snapshot);
  const layout = layoutSnapshot(snapshot, layoutOptions(options));
  const decorate = frameDecorator(snapshot, options.precision ?? 2, options.caption ?? true);
  const which = indices ?? Array.from({ length: steps.length + 1 }, (_, k) => k);
  return which.map((k) =>
    drawSvg(snapshot, options, decorate(frameAt(snapshot, steps, k)), layout),
  );
}

/**
 * The SVG drawing behind `renderSvg`, `renderFrameSvgs` and `renderAnimatedSvg`: the picture and
 * its style, with a decoration's classes, underlay and caption woven in. `layout` must come from
 * `layoutSnapshot` with the same precision, values and gradients.
 */
export function drawSvg(
  snapshot: GraphSnapshot,
  options: SvgOptions,
  deco: Decoration,
  layout: GraphLayout = layoutSnapshot(snapshot, layoutOptions(options)),
): string {
  const opts = { ...layoutOptions(options), legend: options.legend ?? true };
  const showLegend = opts.legend && (opts.values || opts.gradients);
  const top = PAD + (options.title !== undefined ? TITLE_HEIGHT : 0);
  const titleW = options.title !== undefined ? textWidth(options.title, 16) : 0;
  const width = Math.ceil(
    Math.max(
      layout.width,
      showLegend ? legendWidth(opts) : 0,
      titleW,
      deco.caption ? deco.caption.width + 8 : 0,
    ) +
      2 * PAD,
  );
  const captionY = top + layout.height + 4;
  const legendY = captionY + (deco.caption ? CAPTION_HEIGHT : 0) + 4;
  const height = Math.ceil(legendY + (showLegend ? LEGEND_HEIGHT + PAD : PAD - 8));
  const accessible = options.title ?? snapshot.expression ?? 'computational graph';

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" class="chainrule-graph" width="${width}"` +
      ` height="${height}" viewBox="0 0 ${width} ${height}" role="img"` +
      ` font-family="${escapeAttr(FONT_FAMILY)}">`,
    `<title>${escapeXml(accessible)}</title>`,
    `<style>${STYLE}${deco.style ?? ''}</style>`,
    `<rect class="background" x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
  ];
  if (options.title !== undefined) {
    out.push(`<text class="heading" x="${PAD}" y="${PAD + 16}">${escapeXml(options.title)}</text>`);
  }
  out.push(`<g class="graph" transform="translate(${PAD} ${top})">`);
  if (deco.underlay) out.push(deco.underlay(layout));
  out.push('<g class="edges">');
  for (const edge of snapshot.edges) {
    const route = layout.edges[edge.id];
    if (route) out.push(edgeGroup(snapshot, edge, route, opts, deco));
  }
  const root = snapshot.nodes.find((node) => node.id === snapshot.root);
  if (root) out.push(outputGroup(root, layout, opts, deco));
  out.push('</g>', '<g class="nodes">');
  const forks = forkNodes(snapshot);
  for (const node of snapshot.nodes) {
    const box = layout.nodes[node.id];
    if (box) out.push(nodeGroup(snapshot, node, box, opts, forks.has(node.id), deco));
  }
  out.push('</g>', '</g>');
  if (deco.caption) out.push(deco.caption.draw(PAD, captionY + CAPTION_FONT + 4));
  if (showLegend) out.push(legend(PAD, legendY, opts));
  out.push('</svg>');
  return out.join('\n') + '\n';
}
