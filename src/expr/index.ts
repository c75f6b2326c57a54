export { parse } from './parser.js';
export { tokenize, type Token, type TokenKind } from './lexer.js';
export { variablesOf, type Expr, type BinaryOperator } from './ast.js';
export { build, type Mode, type BuildOptions } from './build.js';
export {
  evaluateExpression,
  gradExpression,
  type Bindings,
  type Evaluated,
  type ExpressionGradients,
} from './evaluate.js';
export { parseValue, parseAssignments } from './values.js';
export { FUNCTIONS, type FunctionSpec } from './functions.js';
export { closestName, editDistance } from './suggest.js';
export { formatWithCaret, ParseError, UnknownNameError } from '../core/errors.js';
export { EXAMPLES, findExample, type Example } from './examples.js';
