export type * from './types.js';
export {
  toSnapshot,
  snapshotWithIds,
  snapshotValue,
  formatConstant,
  type SnapshotOptions,
} from './snapshot.js';
export { schedule } from './schedule.js';
export { snapshotExpression, checkExpression } from './from-expression.js';
export {
  checkGradients,
  numericalGradient,
  relativeError,
  type CheckStatus,
  type CheckOptions,
  type GradientCheck,
  type InputCheck,
  type NumericalGradient,
} from './gradcheck.js';
export { formatNumber, formatValue, isSummary } from './format.js';
export {
  evalNumericalGradient,
  evalNumericalGradientArray,
  gradCheckSparse,
  relError,
  type SparseCheckRow,
  type StepOptions,
} from './numeric.js';
export { frameAt, type FrameState } from './frames.js';
export {
  explainEdge,
  explainNode,
  gateRule,
  nodeName,
  gradSymbol,
  spanText,
  findNode,
  outgoingEdges,
} from './explain.js';
export type { NumericalOptions } from './gradcheck.js';
export {
  autoView,
  buildView,
  flatView,
  groupAndDescendants,
  groupsAround,
  viewForks,
  viewTooBig,
  wireName,
  wireNumbers,
  AUTO_VIEW_NODES,
  AUX_MIN_USES,
  MAX_VIEW_EDGES,
  MAX_VIEW_NODES,
  type GraphView,
  type ViewEdge,
  type ViewFrame,
  type ViewNode,
  type ViewOptions,
} from './view.js';
export { MAX_GROUP_CHILDREN, MIN_SUM_TERMS } from './groups.js';
export { unroll, snapshotUnrolled, MAX_UNROLL_GATES } from './unroll.js';
export { fillVjpText } from './vjp-text.js';
