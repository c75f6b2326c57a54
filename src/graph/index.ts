export type * from './types.js';
export {
  toSnapshot,
  snapshotWithIds,
  snapshotValue,
  formatConstant,
  type SnapshotOptions,
} from './snapshot.js';
export { schedule } from './schedule.js';
export { snapshotExpression, checkExpression, type ExpressionCheck } from './from-expression.js';
export {
  checkGraph,
  verdictClass,
  verdictClasses,
  type GraphCheck,
  type GraphCheckOptions,
  type PartCheck,
} from './check-graph.js';
export {
  defineGate,
  defineGates,
  parseGateDefinitions,
  type CustomGate,
  type GateCheck,
  type GateDefinition,
  type GatePoint,
} from './custom-gate.js';
export { showProduct, showSum, roundingRadius, type ShownEquation } from './equation.js';
export { checkQuizAnswer, shownProduct, type QuizVerdict } from './quiz.js';
export {
  checkGradients,
  numericalGradient,
  relErrorOverMax,
  judge,
  describeRelError,
  VERDICT_TEXT,
  type CheckStatus,
  type CheckOptions,
  type GradientCheck,
  type InputCheck,
  type Judgement,
  type NumericalGradient,
} from './gradcheck.js';
export { formatNumber, formatValue, isSummary } from './format.js';
export {
  evalNumericalGradient,
  evalNumericalGradientArray,
  gradCheckSparse,
  relErrorOverSum,
  type SparseCheckRow,
  type StepOptions,
} from './numeric.js';
export { frameAt, type FrameState } from './frames.js';
export {
  explainEdge,
  explainNode,
  forkSum,
  forkNote,
  asFactor,
  asTerm,
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
