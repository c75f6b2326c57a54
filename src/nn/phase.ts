import { checkChoice } from '../core/validate.js';

/**
 * Which phase a network runs in: 'train' (dropout drops units, batch norm uses and updates the
 * batch statistics) or 'eval' (dropout is the identity, batch norm uses its running averages).
 * The one name for this across chainrule: modules, layers, optimizers and the Solver.
 */
export type Phase = 'train' | 'eval';

const PHASES: readonly Phase[] = ['train', 'eval'];

/**
 * `phase` if it is 'train' or 'eval', else a clear error naming `fn` and the argument (CS231n's
 * dictionaries call it `mode`).
 *
 * @example
 * checkPhase('dropout', 'eval') // 'eval'
 */
export function checkPhase(fn: string, phase: unknown, name = 'mode'): Phase {
  return checkChoice(fn, name, phase, PHASES);
}
