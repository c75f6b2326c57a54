import type { Data } from '../kernels/types.js';

// The arithmetic of the update rules, written once. Each function updates the weights `w` and
// the rule's state arrays in place from the gradient `dw`: the pure rules of rules.ts run them
// on fresh copies, the optimizers on the parameters' own storage and their kept state, so both
// paths give the same bits. Plain arrays only: no Tensor, no checks (callers check first).

/**
 * Gradient clipping folded into the read of each gradient element, so that no clipped copy of
 * the gradients is made. `limit` is clipValue (∞ when only the norm is clipped), `scale` the
 * factor clipGradNorm would apply (1 when only values are clipped).
 */
export interface GradClip {
  limit: number;
  scale: number;
}

/** g clamped into [−limit, limit]: clipGradValue's rule. */
export function clamp(g: number, limit: number): number {
  return Math.min(limit, Math.max(-limit, g));
}

/** The factor clipGradNorm scales by, from the sum of the squares: 1 when within maxNorm. */
export function normScale(squares: number, maxNorm: number): number {
  const norm = Math.sqrt(squares);
  return norm > maxNorm ? maxNorm / norm : 1;
}

/**
 * A gradient element as clipGradValue then clipGradNorm would leave it: clamped and stored in
 * the gradient's dtype, then scaled and stored again. With limit ∞ or scale 1 that stage is
 * exact, so this one expression covers clipValue alone, clipNorm alone and both.
 */
function clipped(g: number, clip: GradClip, float32: boolean): number {
  const clamped = clamp(g, clip.limit);
  const stored = float32 ? Math.fround(clamped) : clamped;
  return float32 ? Math.fround(stored * clip.scale) : stored * clip.scale;
}

/**
 * `squares` plus the squares of dw's elements clamped into [−limit, limit] (∞: none), summed in
 * the order and the precision of clipGradNorm, which reads clipGradValue's stored result.
 */
export function addSquares(squares: number, dw: Data, limit: number): number {
  if (limit === Infinity) {
    // No value clipping: the gradient as it is (a loop without the branches below runs ~5× faster).
    for (let i = 0; i < dw.length; i++) squares += dw[i]! * dw[i]!;
    return squares;
  }
  const float32 = dw instanceof Float32Array;
  for (let i = 0; i < dw.length; i++) {
    const clamped = clamp(dw[i]!, limit);
    const v = float32 ? Math.fround(clamped) : clamped;
    squares += v * v;
  }
  return squares;
}

/** SGD: w ← w − lr·dw. */
export function sgdUpdate(w: Data, dw: Data, lr: number, clip: GradClip | null = null): void {
  const float32 = dw instanceof Float32Array;
  for (let i = 0; i < w.length; i++) {
    const g = clip === null ? dw[i]! : clipped(dw[i]!, clip, float32);
    w[i] = w[i]! - lr * g;
  }
}

/** SGD with momentum: v ← μ·v − lr·dw; w ← w + v. */
export function momentumUpdate(
  w: Data,
  dw: Data,
  velocity: Float64Array,
  lr: number,
  momentum: number,
  clip: GradClip | null = null,
): void {
  const float32 = dw instanceof Float32Array;
  for (let i = 0; i < w.length; i++) {
    const g = clip === null ? dw[i]! : clipped(dw[i]!, clip, float32);
    velocity[i] = momentum * velocity[i]! - lr * g;
    w[i] = w[i]! + velocity[i]!;
  }
}

/** RMSProp: cache ← ρ·cache + (1 − ρ)·dw²; w ← w − lr·dw / (√cache + ε). */
export function rmspropUpdate(
  w: Data,
  dw: Data,
  cache: Float64Array,
  lr: number,
  decayRate: number,
  epsilon: number,
  clip: GradClip | null = null,
): void {
  const float32 = dw instanceof Float32Array;
  for (let i = 0; i < w.length; i++) {
    const g = clip === null ? dw[i]! : clipped(dw[i]!, clip, float32);
    cache[i] = decayRate * cache[i]! + (1 - decayRate) * g * g;
    w[i] = w[i]! - (lr * g) / (Math.sqrt(cache[i]!) + epsilon);
  }
}

/**
 * Adam (AdamW with `decay` > 0): m ← β₁m + (1 − β₁)dw; v ← β₂v + (1 − β₂)dw²;
 * w ← w − lr·decay·w − lr·m̂ / (√v̂ + ε) with m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ). `t` is the
 * number of this step, counted from 1 (CS231n increments it before the bias correction).
 */
export function adamUpdate(
  w: Data,
  dw: Data,
  m: Float64Array,
  v: Float64Array,
  t: number,
  lr: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  decay: number,
  clip: GradClip | null = null,
): void {
  const float32 = dw instanceof Float32Array;
  // The same doubles the per-element expressions gave, computed once.
  const correction1 = 1 - beta1 ** t;
  const correction2 = 1 - beta2 ** t;
  for (let i = 0; i < w.length; i++) {
    const g = clip === null ? dw[i]! : clipped(dw[i]!, clip, float32);
    m[i] = beta1 * m[i]! + (1 - beta1) * g;
    v[i] = beta2 * v[i]! + (1 - beta2) * g * g;
    const mHat = m[i]! / correction1;
    const vHat = v[i]! / correction2;
    w[i] = w[i]! - lr * decay * w[i]! - (lr * mHat) / (Math.sqrt(vHat) + epsilon);
  }
}
