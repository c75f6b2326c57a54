export { parse, type ParseOptions } from './parser.js';
export { tokenize, type Token, type TokenKind } from './lexer.js';
export {
  variablesOf,
  labelsOf,
  stepNames,
  GRAPH_MODES,
  type Expr,
  type Step,
  type BinaryOperator,
  type GraphMode,
} from './ast.js';
export { build, type BuildOptions } from './build.js';
export {
  evaluateExpression,
  gradExpression,
  type Bindings,
  type Evaluated,
  type ExpressionGradients,
  type ExpressionOptions,
} from './evaluate.js';
export { parseValue, parseAssignments } from './values.js';
export { FUNCTIONS, SYNTAX, functionOf, expressionUsage, type FunctionSpec } from './functions.js';
export { closestName, editDistance } from './suggest.js';
export { formatWithCaret, ParseError, UnknownNameError } from '../core/errors.js';
export { EXAMPLES, findExample, type Example } from './examples.js';
