import type { Data } from './types.js';

/** Sizes of a 2-D pooling: `planes` = N·C images of H×W, windows HH×WW, output outH×outW. */
export interface PoolGeometry {
  planes: number;
  h: number;
  w: number;
  hh: number;
  ww: number;
  strideH: number;
  strideW: number;
  outH: number;
  outW: number;
}

/**
 * Max over every window; `winner[o]` is the input offset of the first maximum of window o
 * (ties go to the first in row-major order, as the max gate routes; NaN wins so it propagates).
 */
export function maxPoolForward(x: Data, g: PoolGeometry, out: Data, winner: Int32Array): Data {
  const { planes, h, w, hh, ww, strideH, strideW, outH, outW } = g;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = p * h * w;
    for (let oi = 0; oi < outH; oi++) {
      for (let oj = 0; oj < outW; oj++, o++) {
        let best = -1;
        let bestValue = -Infinity;
        for (let ki = 0; ki < hh; ki++) {
          const row = plane + (oi * strideH + ki) * w + oj * strideW;
          for (let kj = 0; kj < ww; kj++) {
            const v = x[row + kj]!;
            // v !== v is NaN (inlined, unlike Number.isNaN): NaN wins so it propagates.
            if (best === -1 || v > bestValue || (v !== v && bestValue === bestValue)) {
              best = row + kj;
              bestValue = v;
            }
          }
        }
        out[o] = bestValue;
        winner[o] = best;
      }
    }
  }
  return out;
}

/** dx[winner[o]] += dout[o]: each window's gradient goes to its maximum (windows may overlap). */
export function maxPoolBackward(dout: Data, winner: Int32Array, dx: Data): Data {
  for (let o = 0; o < winner.length; o++) dx[winner[o]!]! += dout[o]!;
  return dx;
}

/** Mean over every window. */
export function avgPoolForward(x: Data, g: PoolGeometry, out: Data): Data {
  const { planes, h, w, hh, ww, strideH, strideW, outH, outW } = g;
  const count = hh * ww;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = p * h * w;
    for (let oi = 0; oi < outH; oi++) {
      for (let oj = 0; oj < outW; oj++, o++) {
        let s = 0;
        for (let ki = 0; ki < hh; ki++) {
          const row = plane + (oi * strideH + ki) * w + oj * strideW;
          for (let kj = 0; kj < ww; kj++) s += x[row + kj]!;
        }
        out[o] = s / count;
      }
    }
  }
  return out;
}

/** Each window's gradient, divided by the window size, added to every input it averaged. */
export function avgPoolBackward(dout: Data, g: PoolGeometry, dx: Data): Data {
  const { planes, h, w, hh, ww, strideH, strideW, outH, outW } = g;
  const count = hh * ww;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const plane = p * h * w;
    for (let oi = 0; oi < outH; oi++) {
      for (let oj = 0; oj < outW; oj++, o++) {
        const share = dout[o]! / count;
        for (let ki = 0; ki < hh; ki++) {
          const row = plane + (oi * strideH + ki) * w + oj * strideW;
          for (let kj = 0; kj < ww; kj++) dx[row + kj]! += share;
        }
      }
    }
  }
  return dx;
}
