import type { Data } from './types.js';

/**
 * Softmax (or log-softmax) along one axis of a row-major array viewed as outer × n × inner,
 * with the axis of length n in the middle. The maximum is subtracted first, so no exp overflows:
 * softmax(x) = exp(x − m) / Σ exp(x − m) and log-softmax(x) = x − m − log Σ exp(x − m).
 */
export function softmaxAlongAxis(
  x: Data,
  outer: number,
  n: number,
  inner: number,
  out: Data,
  log: boolean,
): Data {
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let max = -Infinity;
      for (let k = 0; k < n; k++) max = Math.max(max, x[base + k * inner]!);
      let total = 0;
      for (let k = 0; k < n; k++) total += Math.exp(x[base + k * inner]! - max);
      if (log) {
        const logTotal = Math.log(total);
        for (let k = 0; k < n; k++) out[base + k * inner] = x[base + k * inner]! - max - logTotal;
      } else {
        for (let k = 0; k < n; k++)
          out[base + k * inner] = Math.exp(x[base + k * inner]! - max) / total;
      }
    }
  }
  return out;
}
