/** The functions an expression may call, with how many arguments each takes. */
export interface FunctionSpec {
  name: string;
  /** Allowed argument counts. */
  arity: readonly number[];
  /** One line for help texts. */
  summary: string;
}

export const FUNCTIONS: readonly FunctionSpec[] = [
  { name: 'exp', arity: [1], summary: 'eˣ' },
  { name: 'log', arity: [1], summary: 'natural logarithm' },
  { name: 'sqrt', arity: [1], summary: 'square root' },
  { name: 'abs', arity: [1], summary: 'absolute value' },
  { name: 'tanh', arity: [1], summary: 'hyperbolic tangent' },
  {
    name: 'sigmoid',
    arity: [1],
    summary: 'σ(x) = 1/(1+e⁻ˣ); staged mode draws it as *-1, exp, +1, 1/x',
  },
  { name: 'relu', arity: [1], summary: 'max(0, x)' },
  { name: 'sin', arity: [1], summary: 'sine' },
  { name: 'cos', arity: [1], summary: 'cosine' },
  {
    name: 'max',
    arity: [1, 2],
    summary: 'max(a, b) elementwise (the max gate); max(x) of all elements',
  },
  { name: 'min', arity: [2], summary: 'min(a, b) elementwise' },
  { name: 'sum', arity: [1, 2], summary: 'sum(x) of all elements; sum(x, axis)' },
  { name: 'mean', arity: [1, 2], summary: 'mean(x) of all elements; mean(x, axis)' },
];

export const FUNCTION_NAMES: ReadonlySet<string> = new Set(FUNCTIONS.map((f) => f.name));

export function functionSpec(name: string): FunctionSpec | undefined {
  return FUNCTIONS.find((f) => f.name === name);
}
