import type { Data } from './types.js';

// Hand-written loops for the elementwise ops that training runs over millions of values. The
// generic kernels (elementwise.ts) call the op's f or df once per element through a call site
// shared by every op, which V8 cannot inline — about 5× slower than a loop with the arithmetic
// written in it. Each loop here computes exactly what the generic kernel computes from the op's
// definition (same operations, same order: df(x, y) × g, not a rearranged form), which
// test/ops/loops.test.ts checks bit for bit on ordinary and special values.

/** Fast loops of a unary op: forward y = f(x), and the VJP out = df(x, y) × g. */
export interface UnaryLoops {
  forward(x: Data, out: Data): void;
  vjp(x: Data, y: Data, g: Data, out: Data): void;
}

/** Fast loops of a binary op: forward y = f(a, b), and each input's VJP ∂y/∂input × g. */
export interface BinaryLoops {
  forward(a: Data, b: Data, out: Data): void;
  vjp: readonly [
    (a: Data, b: Data, y: Data, g: Data, out: Data) => void,
    (a: Data, b: Data, y: Data, g: Data, out: Data) => void,
  ];
}

export const RELU_LOOPS: UnaryLoops = {
  forward: (x, out) => {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v > 0 ? v : 0;
    }
  },
  // +(x > 0) is df's (x > 0 ? 1 : 0) without a branch: on data of both signs a mispredicted
  // branch per element cost several times the arithmetic.
  vjp: (x, _y, g, out) => {
    for (let i = 0; i < x.length; i++) out[i] = +(x[i]! > 0) * g[i]!;
  },
};

export const NEG_LOOPS: UnaryLoops = {
  forward: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = -x[i]!;
  },
  vjp: (x, _y, g, out) => {
    for (let i = 0; i < x.length; i++) out[i] = -1 * g[i]!;
  },
};

export const EXP_LOOPS: UnaryLoops = {
  forward: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]!);
  },
  vjp: (x, y, g, out) => {
    for (let i = 0; i < x.length; i++) out[i] = y[i]! * g[i]!;
  },
};

export const LOG_LOOPS: UnaryLoops = {
  forward: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]!);
  },
  vjp: (x, _y, g, out) => {
    for (let i = 0; i < x.length; i++) out[i] = (1 / x[i]!) * g[i]!;
  },
};

export const TANH_LOOPS: UnaryLoops = {
  forward: (x, out) => {
    for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]!);
  },
  vjp: (x, y, g, out) => {
    for (let i = 0; i < x.length; i++) {
      const v = y[i]!;
      out[i] = (1 - v * v) * g[i]!;
    }
  },
};

export const SIGMOID_LOOPS: UnaryLoops = {
  forward: (x, out) => {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v));
    }
  },
  vjp: (x, y, g, out) => {
    for (let i = 0; i < x.length; i++) {
      const v = y[i]!;
      out[i] = v * (1 - v) * g[i]!;
    }
  },
};

export const ADD_LOOPS: BinaryLoops = {
  forward: (a, b, out) => {
    for (let i = 0; i < a.length; i++) out[i] = a[i]! + b[i]!;
  },
  vjp: [
    (_a, _b, _y, g, out) => {
      for (let i = 0; i < g.length; i++) out[i] = 1 * g[i]!;
    },
    (_a, _b, _y, g, out) => {
      for (let i = 0; i < g.length; i++) out[i] = 1 * g[i]!;
    },
  ],
};

export const SUB_LOOPS: BinaryLoops = {
  forward: (a, b, out) => {
    for (let i = 0; i < a.length; i++) out[i] = a[i]! - b[i]!;
  },
  vjp: [
    (_a, _b, _y, g, out) => {
      for (let i = 0; i < g.length; i++) out[i] = 1 * g[i]!;
    },
    (_a, _b, _y, g, out) => {
      for (let i = 0; i < g.length; i++) out[i] = -1 * g[i]!;
    },
  ],
};

export const MUL_LOOPS: BinaryLoops = {
  forward: (a, b, out) => {
    for (let i = 0; i < a.length; i++) out[i] = a[i]! * b[i]!;
  },
  vjp: [
    (_a, b, _y, g, out) => {
      for (let i = 0; i < g.length; i++) out[i] = b[i]! * g[i]!;
    },
    (a, _b, _y, g, out) => {
      for (let i = 0; i < g.length; i++) out[i] = a[i]! * g[i]!;
    },
  ],
};

export const DIV_LOOPS: BinaryLoops = {
  forward: (a, b, out) => {
    for (let i = 0; i < a.length; i++) out[i] = a[i]! / b[i]!;
  },
  vjp: [
    (_a, b, _y, g, out) => {
      for (let i = 0; i < g.length; i++) out[i] = (1 / b[i]!) * g[i]!;
    },
    (a, b, _y, g, out) => {
      for (let i = 0; i < g.length; i++) {
        const d = b[i]!;
        out[i] = (-a[i]! / (d * d)) * g[i]!;
      }
    },
  ],
};
