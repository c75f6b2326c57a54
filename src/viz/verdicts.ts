/**
 * The gradient check drawn on the graph: every checked wire and gate coloured by its verdict
 * (`checkGraph` in chainrule/graph), with a caption that says what the colours mean. Built on the
 * SVG renderer's decoration seam, so the picture is the usual one plus classes and a style.
 */
import { checkGraphCheck, verdictClasses, type GraphCheck } from '../graph/check-graph.js';
import { checkPictureOptions } from './check-render.js';
import type { CheckStatus } from '../graph/gradcheck.js';
import { autoView, type GraphView } from '../graph/view.js';
import { checkView } from '../graph/check-args.js';
import { CAPTION_FONT, drawSvg, type SvgOptions } from './svg.js';
import { textEl, type Decoration } from './svg-elements.js';
import { textWidth, truncate } from './labels.js';

/** The colour of each verdict: never the green and red of values and gradients. */
export const VERDICT_COLOURS: Readonly<Record<CheckStatus, string>> = {
  happy: '#00838f',
  ok: '#5e7f9e',
  uncomfortable: '#ef6c00',
  wrong: '#ad1457',
  kink: '#9e9e9e',
};

const STYLE = (Object.entries(VERDICT_COLOURS) as [CheckStatus, string][])
  .map(([status, colour]) => {
    const c = `.verdict-${status}`;
    const width = status === 'wrong' || status === 'uncomfortable' ? 4 : 2.5;
    const dash = status === 'kink' ? ';stroke-dasharray:5 4' : '';
    return (
      // A closed group's box: as specific as the group kinds' own colours, and after them.
      `${c} .wire,${c} .shape,.group-box${c} .box{stroke:${colour};stroke-width:${width}${dash}}` +
      `${c} .name{fill:${colour};font-weight:bold}`
    );
  })
  .join('');

const CAPTION =
  'gradient check: blue-green agrees · orange or magenta, thick: disagrees · grey dashed: on a kink, not compared';

/**
 * Classes and a style that colour a picture by the verdicts of `check`, and a caption. With the
 * `view` the picture draws, closed groups and bundled wires show the worst verdict inside them.
 *
 * @example
 * const view = autoView(check.snapshot);
 * drawSvg(view, {}, verdictDecoration(check, view)); // the picture, coloured
 */
export function verdictDecoration(check: GraphCheck, view?: GraphView): Decoration {
  checkGraphCheck('verdictDecoration', check);
  if (view !== undefined) checkView('verdictDecoration', view);
  const classes = verdictClasses(check, view);
  const label = truncate(CAPTION, 200);
  return {
    group: (kind, id) => (kind === 'node' ? classes.nodes[id] : classes.edges[id]),
    style: STYLE,
    caption: {
      width: textWidth(label.text, CAPTION_FONT),
      draw: (x, y) => textEl('caption', x, y, label, 'start'),
    },
  };
}

/**
 * The checked graph as an SVG document, wires and gates coloured by their verdicts.
 *
 * @example
 * renderCheckSvg(checkExpression('x * y', { x: 4, y: -3 }).graph).includes('verdict-happy') // true
 */
export function renderCheckSvg(check: GraphCheck, options: Omit<SvgOptions, 'frame'> = {}): string {
  checkGraphCheck('renderCheckSvg', check);
  checkPictureOptions('renderCheckSvg', options);
  const view = options.view ?? autoView(check.snapshot);
  return drawSvg(view, options, verdictDecoration(check, view));
}
