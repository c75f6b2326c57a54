import { badArgument, formatShape } from '../core/errors.js';
import { shapesEqual } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { checkOptions, describe, quote } from '../core/validate.js';
import type { OptimConfig } from './rules.js';

// An optimizer's state as named tensors, for saving (checkpoints, safetensors) and restoring:
// `learningRate`, `steps` and `<param>.<slot>` for each parameter's rule state.

/** The numeric fields of a rule's state (the step count t) saved as 0-d tensors. */
const COUNTERS = new Set(['t']);

/** Keys of the optimizer's own numbers in a state dict (parameter slots always have a dot). */
const OWN_KEYS = ['learningRate', 'steps'] as const;

/** A copy of a state tensor, for a snapshot that later steps leave alone. */
export const copyTensor = (t: Tensor): Tensor => new Tensor(t.data.slice(), t.shape);

/** A config with its tensors copied (a snapshot: the optimizer updates its own in place). */
export const copyConfig = (config: OptimConfig | undefined): OptimConfig =>
  Object.fromEntries(
    Object.entries(config ?? {}).map(([k, v]) => [k, v instanceof Tensor ? copyTensor(v) : v]),
  );

/** The state as tensors, copied (the optimizer goes on updating its own in place). */
export function saveState(
  learningRate: number,
  steps: number,
  state: Readonly<Record<string, OptimConfig>>,
): Record<string, Tensor> {
  const scalar = (v: number) => new Tensor(Float64Array.of(v), []);
  const out: Record<string, Tensor> = {
    learningRate: scalar(learningRate),
    steps: scalar(steps),
  };
  for (const [name, config] of Object.entries(state)) {
    for (const [slot, value] of Object.entries(config)) {
      if (value instanceof Tensor) out[`${name}.${slot}`] = copyTensor(value);
      else if (COUNTERS.has(slot) && typeof value === 'number')
        out[`${name}.${slot}`] = scalar(value);
    }
  }
  return out;
}

/**
 * A saved state checked against `params` (errors name `fn`): the learning rate, the step count
 * and each parameter's state, its tensors copied into float64.
 */
export function readState(
  fn: string,
  dict: Readonly<Record<string, Tensor>>,
  params: Readonly<Record<string, Tensor>>,
): { learningRate: number; steps: number; state: Record<string, OptimConfig> } {
  checkOptions(fn, 'state', dict);
  // Keys and numbers come from a file: checked, and quoted when shown.
  const scalarOf = (key: string, integer: boolean): number => {
    const t = dict[key];
    const v = t instanceof Tensor && t.size === 1 ? t.data[0]! : Number.NaN;
    if (!(v >= 0 && (integer ? Number.isSafeInteger(v) : Number.isFinite(v)))) {
      const kind = integer ? 'an integer' : 'a finite number';
      const got = t instanceof Tensor && t.size === 1 ? describe(v) : describe(t);
      throw badArgument(fn, `the state's ${quote(key)} must be ${kind} ≥ 0, got ${got}`);
    }
    return v;
  };
  const learningRate = scalarOf('learningRate', false);
  const steps = scalarOf('steps', true);
  const state: Record<string, OptimConfig> = {};
  for (const [key, t] of Object.entries(dict)) {
    if ((OWN_KEYS as readonly string[]).includes(key)) continue;
    const dot = key.lastIndexOf('.');
    const [name, slot] = [key.slice(0, dot), key.slice(dot + 1)];
    const p = dot > 0 ? params[name] : undefined;
    if (!p) {
      throw badArgument(
        fn,
        `the state has ${quote(key)}, but there is no parameter ${quote(name)}`,
      );
    }
    const config = (state[name] ??= {});
    if (COUNTERS.has(slot)) {
      config[slot] = scalarOf(key, true);
    } else if (!(t instanceof Tensor)) {
      throw badArgument(fn, `the state's ${quote(key)} must be a tensor, got ${describe(t)}`);
    } else if (!shapesEqual(t.shape, p.shape)) {
      throw badArgument(
        fn,
        `${quote(key)} has shape ${formatShape(t.shape)} but the parameter ${quote(name)} has ${formatShape(p.shape)}`,
      );
    } else {
      config[slot] = new Tensor(Float64Array.from(t.data), p.shape);
    }
  }
  return { learningRate, steps, state };
}
