/**
 * `chainrule/viz`: DOM-free renderers from a graph snapshot to SVG, DOT and plain text. The PNG
 * renderer lives on its own subpath (`viz/png`) because it loads a native module, which a web
 * page must never pull in.
 */
export {
  renderSvg,
  drawSvg,
  collapsedNote,
  tooBigMessage,
  OUTPUT_EDGE_ID,
  type SvgOptions,
} from './svg.js';
export { renderDot, type DotOptions } from './dot.js';
export { renderText, alignColumns, type TextOptions } from './text.js';
export {
  escapeAttr,
  escapeDot,
  escapeTerminal,
  escapeXml,
  quoteDot,
  stripInvalidXml,
} from './escape.js';
export {
  layoutSnapshot,
  layoutView,
  type EdgeRoute,
  type FrameBox,
  type GraphLayout,
  type LabelText,
  type LayoutOptions,
  type NodeBox,
  type Point,
} from './layout.js';
export { renderAnimatedSvg, type AnimatedSvgOptions } from './animate.js';
export {
  frameCaption,
  frameClasses,
  frameParts,
  stepCaption,
  type FrameClasses,
  type FrameParts,
} from './frame.js';
export { encodeGif, type GifFrame, type GifOptions } from './gif.js';
export { renderFrameSvgs } from './svg.js';
export { renderCheckSvg, verdictDecoration, VERDICT_COLOURS } from './verdicts.js';
export {
  renderTrainingPlot,
  renderDecisionBoundary,
  CLASS_COLORS,
  type TrainingHistory,
  type DecisionBoundaryInput,
} from './plot.js';
export { gridOf, heatColour, MAX_NUMBER_GRID, type Grid } from './tensor-grid.js';
export { groupContents, groupText, type GroupContents } from './labels.js';
