import type { NestedArray } from '../core/nested.js';
import type { GraphMode } from './ast.js';

/** A worked example: an expression, its variable values, and where it comes from. */
export interface Example {
  /** Short id for `--example NAME` and URLs. */
  name: string;
  title: string;
  /** One or two sentences on what it shows. */
  description: string;
  expression: string;
  values: Readonly<Record<string, NestedArray>>;
  /** The granularity it is meant to be drawn in. */
  mode: GraphMode;
  /** Where the numbers come from. */
  source: string;
}

/** The built-in worked examples, the CS231n ones first, in the order of the lecture. */
export const EXAMPLES: readonly Example[] = [
  {
    name: 'sigmoid',
    title: 'Sigmoid neuron',
    description:
      'f(w, x) = 1/(1 + e^−(w0·x0 + w1·x1 + w2)), drawn gate by gate: ×, +, *-1, exp, +1, 1/x. ' +
      'The output is 0.73; the gradients on w0, x0, w1, x1, w2 are −0.20, 0.39, −0.39, −0.59, 0.20.',
    expression: '1/(1+exp(-(w0*x0+w1*x1+w2)))',
    values: { w0: 2, x0: -1, w1: -3, x1: -2, w2: -3 },
    mode: 'staged',
    source: 'CS231n lecture 4 / optimization-2 notes, "Modularity: Sigmoid example"',
  },
  {
    name: 'sigmoid-steps',
    title: 'Sigmoid neuron, in named steps',
    description:
      'The same neuron written as the notes stage it: dot = w·x + w2, then f = σ(dot). Each ' +
      'step is a group of gates, and its name labels its wire.',
    expression: 'dot = w0*x0 + w1*x1 + w2; f = 1/(1+exp(-dot))',
    values: { w0: 2, x0: -1, w1: -3, x1: -2, w2: -3 },
    mode: 'staged',
    source: 'CS231n optimization-2 notes, "Modularity: Sigmoid example" (the staged code)',
  },
  {
    name: 'chain',
    title: '(x + y) · z',
    description:
      'The first circuit of the notes: the add gate passes the upstream −4 to both x and y; z gets q = 3.',
    expression: '(x+y)*z',
    values: { x: -2, y: 5, z: -4 },
    mode: 'staged',
    source: 'CS231n optimization-2 notes, "Compound expressions with chain rule"',
  },
  {
    name: 'staged',
    title: 'Staged computation',
    description:
      'f(x, y) = (x + σ(y)) / (σ(x) + (x + y)²) at x = 3, y = −4: x and y each feed several gates, ' +
      'so their gradients add up (dx = 2.06, dy = 1.59).',
    expression: '(x + sigmoid(y)) / (sigmoid(x) + (x+y)^2)',
    values: { x: 3, y: -4 },
    mode: 'staged',
    source: 'CS231n optimization-2 notes, "Backprop in practice: Staged computation"',
  },
  {
    name: 'patterns',
    title: 'Patterns in backward flow',
    description:
      'add distributes, max routes, mul swaps: f = 2·(x·y + max(z, w)) = −20 at x = 3, y = −4, z = 2, w = −1.',
    expression: '2*(x*y + maximum(z, w))',
    values: { x: 3, y: -4, z: 2, w: -1 },
    mode: 'staged',
    source: 'CS231n optimization-2 notes, "Patterns in backward flow"',
  },
  {
    name: 'vectorized',
    title: 'Vectorized: ‖W·x‖²',
    description:
      'f = Σ (W·x)²: dW = 2·(W·x)·xᵀ and dx = 2·Wᵀ·(W·x) — dimension analysis leaves one way to write them.',
    expression: 'sum((W@x)^2)',
    values: {
      W: [
        [0.1, 0.5],
        [-0.3, 0.8],
      ],
      x: [0.2, 0.4],
    },
    mode: 'staged',
    source: 'CS231n lecture 4, "A vectorized example"',
  },
  {
    name: 'svm',
    title: 'SVM loss of one example',
    description:
      'Multiclass hinge loss with scores s = [13, −7, 11], true class 0 and margin Δ = 10: ' +
      'max(0, −7 − 13 + 10) + max(0, 11 − 13 + 10) = 0 + 8 = 8.',
    expression: 'maximum(0, s1 - s0 + 10) + maximum(0, s2 - s0 + 10)',
    values: { s0: 13, s1: -7, s2: 11 },
    mode: 'staged',
    source: 'CS231n linear-classify notes, "Multiclass Support Vector Machine loss"',
  },
  {
    name: 'softmax',
    title: 'Softmax classifier, 3 classes',
    description:
      'Scores s = W·x + b of a linear classifier, then the cross-entropy loss of the correct ' +
      'class y: L = −log(softmax(s)[y]) = 1.04 for scores [−2.85, 0.86, 0.28] and y = 2.',
    expression: 's = W@x + b; L = -log(softmax(s)[y])',
    values: {
      W: [
        [0.01, -0.05, 0.1, 0.05],
        [0.7, 0.2, 0.05, 0.16],
        [0.0, -0.45, -0.2, 0.03],
      ],
      x: [-15, 22, -44, 56],
      b: [0.0, 0.2, -0.3],
      y: 2,
    },
    mode: 'staged',
    source: 'CS231n linear-classify notes, "Softmax classifier" (the SVM vs. Softmax figure)',
  },
  {
    name: 'svm-vectorized',
    title: 'Multiclass SVM, vectorized',
    description:
      'The same scores with the hinge loss of every class at once: Σ max(0, s − s[y] + 1) counts ' +
      'the correct class as 1, so subtract it: L = 1.58.',
    expression: 's = W@x + b; L = sum(maximum(0, s - s[y] + 1)) - 1',
    values: {
      W: [
        [0.01, -0.05, 0.1, 0.05],
        [0.7, 0.2, 0.05, 0.16],
        [0.0, -0.45, -0.2, 0.03],
      ],
      x: [-15, 22, -44, 56],
      b: [0.0, 0.2, -0.3],
      y: 2,
    },
    mode: 'staged',
    source: 'CS231n linear-classify notes, "Multiclass SVM loss" (the SVM vs. Softmax figure)',
  },
  {
    name: 'tanh',
    title: 'tanh neuron',
    description:
      'o = tanh(x1·w1 + x2·w2 + b), the neuron of the micrograd lecture: o = 0.71, do/dx1 = −1.50.',
    expression: 'tanh(x1*w1 + x2*w2 + b)',
    values: { x1: 2, w1: -3, x2: 0, w2: 1, b: 6.881373587019543 },
    mode: 'staged',
    source: 'micrograd lecture ("The spelled-out intro to neural networks and backpropagation")',
  },
  {
    name: 'mlp',
    title: 'A 2-2-1 network, written out',
    description:
      'Two tanh hidden units and a sigmoid output on one input (x1, x2): every weight is a leaf, ' +
      'so you can watch the gradient reach each of them.',
    expression: 'sigmoid(v1*tanh(w11*x1 + w12*x2 + b1) + v2*tanh(w21*x1 + w22*x2 + b2) + c)',
    values: {
      v1: 1.2,
      w11: 0.5,
      x1: 1,
      w12: -0.8,
      x2: 0.5,
      b1: 0.1,
      v2: -0.7,
      w21: 0.3,
      w22: 0.9,
      b2: -0.2,
      c: 0.05,
    },
    mode: 'fused',
    source: 'chainrule',
  },
];

/** The example with this name, or undefined. */
export function findExample(name: string): Example | undefined {
  return EXAMPLES.find((e) => e.name === name);
}
