import type { Data } from './types.js';

/** out[i] = f(x[i]) */
export function map1(x: Data, f: (x: number) => number, out: Data): Data {
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]!);
  return out;
}

/** out[i] = f(a[i], b[i]); a, b and out have the same length (broadcasting happens earlier). */
export function map2(a: Data, b: Data, f: (a: number, b: number) => number, out: Data): Data {
  for (let i = 0; i < a.length; i++) out[i] = f(a[i]!, b[i]!);
  return out;
}

/** out[i] = f(x[i], y[i]) × g[i]: the VJP of a unary elementwise op with local derivative f. */
export function localTimesUpstream(
  x: Data,
  y: Data,
  g: Data,
  f: (x: number, y: number) => number,
  out: Data,
): Data {
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]!, y[i]!) * g[i]!;
  return out;
}

/** out[i] = f(a[i], b[i], y[i]) × g[i]: the VJP of a binary elementwise op. */
export function localTimesUpstream2(
  a: Data,
  b: Data,
  y: Data,
  g: Data,
  f: (a: number, b: number, y: number) => number,
  out: Data,
): Data {
  for (let i = 0; i < a.length; i++) out[i] = f(a[i]!, b[i]!, y[i]!) * g[i]!;
  return out;
}
