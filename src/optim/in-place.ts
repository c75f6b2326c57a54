import { Tensor } from '../core/tensor.js';
import type { Data } from '../kernels/types.js';
import {
  UPDATE_RULES,
  adamSettings,
  adamwSettings,
  checkLearningRate,
  checkRuleTensors,
  checkStepCount,
  momentumSettings,
  rmspropSettings,
  sgdSettings,
  type OptimConfig,
  type RuleName,
  type UpdateRule,
} from './rules.js';
import {
  adamUpdate,
  momentumUpdate,
  rmspropUpdate,
  sgdUpdate,
  addSquares,
  normScale,
  type GradClip,
} from './updates.js';

// The named rules as the optimizers run them: on the parameters' own storage and on state
// arrays made once per parameter, so that a training loop allocates nothing per step. Each step
// gives the bits of the pure rule (and of clipGradValue → clipGradNorm) that it replaces; the
// per-parameter config keeps the shape the pure rule returns, with the same Tensor objects from
// step to step. A user's own rule keeps the pure path (optimizers.ts).

/** A rule's checked hyperparameters, learningRate included. */
type Settings = { learningRate: number } & Record<string, number>;

/** What running a named rule in place takes. */
interface InPlaceRule {
  readonly name: RuleName;
  /** The keys the pure rule writes into its returned config, in its order. */
  readonly written: readonly string[];
  /** Those that hold state tensors (float64, the parameter's shape). */
  readonly slots: readonly string[];
  /** Checks the hyperparameters as the pure rule does (its messages, its defaults). */
  settings(config: OptimConfig): Settings;
  /** One step on w and the config's state, in place. */
  update(w: Data, dw: Data, config: OptimConfig, s: Settings, clip: GradClip | null): void;
}

/** The array of a state slot (adopt() made it float64 and of the right size). */
const slot = (config: OptimConfig, name: string) => (config[name] as Tensor).data as Float64Array;

const adamInPlace =
  (rule: RuleName): InPlaceRule['update'] =>
  (w, dw, config, s, clip) => {
    const t = checkStepCount(rule, config.t) + 1;
    const m = slot(config, 'm');
    const v = slot(config, 'v');
    adamUpdate(
      w,
      dw,
      m,
      v,
      t,
      s.learningRate,
      s.beta1!,
      s.beta2!,
      s.epsilon!,
      s.weightDecay!,
      clip,
    );
    config.t = t;
  };

const ADAM_WRITES = ['learningRate', 'beta1', 'beta2', 'epsilon', 'm', 'v', 't'];

const RULES: InPlaceRule[] = [
  {
    name: 'sgd',
    written: ['learningRate'],
    slots: [],
    settings: sgdSettings,
    update: (w, dw, _config, s, clip) => sgdUpdate(w, dw, s.learningRate, clip),
  },
  {
    name: 'sgdMomentum',
    written: ['learningRate', 'momentum', 'velocity'],
    slots: ['velocity'],
    settings: momentumSettings,
    update: (w, dw, config, s, clip) =>
      momentumUpdate(w, dw, slot(config, 'velocity'), s.learningRate, s.momentum!, clip),
  },
  {
    name: 'rmsprop',
    written: ['learningRate', 'decayRate', 'epsilon', 'cache'],
    slots: ['cache'],
    settings: rmspropSettings,
    update: (w, dw, config, s, clip) =>
      rmspropUpdate(w, dw, slot(config, 'cache'), s.learningRate, s.decayRate!, s.epsilon!, clip),
  },
  {
    name: 'adam',
    written: ADAM_WRITES,
    slots: ['m', 'v'],
    settings: (config) => adamSettings(config),
    update: adamInPlace('adam'),
  },
  {
    name: 'adamw',
    written: [...ADAM_WRITES, 'weightDecay'],
    slots: ['m', 'v'],
    settings: adamwSettings,
    update: adamInPlace('adamw'),
  },
];

const BY_FUNCTION = new Map<UpdateRule, InPlaceRule>(RULES.map((r) => [UPDATE_RULES[r.name], r]));

/**
 * The in-place stepping of one optimizer whose rule is a named one (also when a RuleOptimizer or
 * the Solver is given it), or null for any other rule.
 */
export function inPlaceStepper(
  rule: UpdateRule,
  clipValue: number | undefined,
  clipNorm: number | undefined,
): InPlaceStepper | null {
  const found = BY_FUNCTION.get(rule);
  return found ? new InPlaceStepper(found, clipValue, clipNorm) : null;
}

/**
 * Steps one optimizer's parameters in place with a named rule: its checked settings, the state
 * tensors it owns, and the clipping it folds into the update.
 */
export class InPlaceStepper {
  /**
   * Checked at the first step: the optimizer's hyperparameters are fixed at its construction.
   * They are written into each parameter's config, as the pure rule writes them, but not read
   * back from it; only the learning rate is read again, at every step.
   */
  private settings: Settings | undefined;
  /** State tensors this optimizer made, by the parameter each belongs to: safe to update. */
  private readonly owner = new WeakMap<Tensor, Tensor>();
  /** Configs built by adopt(), which carry every key the pure rule would write. */
  private readonly live = new WeakSet<OptimConfig>();
  private readonly clip: GradClip | null;

  constructor(
    private readonly rule: InPlaceRule,
    clipValue: number | undefined,
    private readonly clipNorm: number | undefined,
  ) {
    const clipping = clipValue !== undefined || clipNorm !== undefined;
    this.clip = clipping ? { limit: clipValue ?? Infinity, scale: 1 } : null;
  }

  /** Whether begin() needs the sum of the squares of the gradients (clipNorm is set). */
  get needsSquares(): boolean {
    return this.clipNorm !== undefined;
  }

  /**
   * `squares` plus those of g (value-clipped first when clipValue is set): clipGradNorm's
   * running sum, when called for each gradient in the parameters' order.
   */
  sumSquares(squares: number, g: Tensor): number {
    return addSquares(squares, g.data, this.clip!.limit);
  }

  /**
   * Starts a step: checks the hyperparameters (on the first step) and the learning rate (a
   * schedule may change it at every step), and sets the clipping factor from the summed squares.
   */
  begin(hyper: OptimConfig, learningRate: number, squares: number): void {
    this.settings ??= this.rule.settings({ ...hyper, learningRate });
    this.settings.learningRate = checkLearningRate(this.rule.name, learningRate);
    // clipGradNorm's factor, from the same sum.
    if (this.clipNorm !== undefined) this.clip!.scale = normScale(squares, this.clipNorm);
  }

  /** Updates p in place from g; returns p's config (the same object from step to step). */
  update(p: Tensor, g: Tensor, current: OptimConfig | undefined, hyper: OptimConfig): OptimConfig {
    const settings = this.settings!;
    const config = this.isLive(current, p) ? current : this.adopt(p, g, current, hyper);
    this.rule.update(p.data, g.data, config, settings, this.clip);
    config.learningRate = settings.learningRate;
    return config;
  }

  /** Marks a state tensor made for p (by loadStateDict) as this optimizer's to update. */
  own(t: Tensor, p: Tensor): void {
    this.owner.set(t, p);
  }

  private isLive(config: OptimConfig | undefined, p: Tensor): config is OptimConfig {
    if (config === undefined || !this.live.has(config)) return false;
    for (const name of this.rule.slots) {
      if (this.owner.get(config[name] as Tensor) !== p) return false;
    }
    return true;
  }

  /**
   * p's config as the pure rule would return it, with state tensors this optimizer owns: those
   * it made are kept, others (a user's, or none yet) are checked as the rule checks them and
   * copied into float64 (zeros when missing). Runs on p's first step and after a change of state.
   */
  private adopt(
    p: Tensor,
    g: Tensor,
    current: OptimConfig | undefined,
    hyper: OptimConfig,
  ): OptimConfig {
    const { name: rule, written, slots } = this.rule;
    const settings = this.settings!;
    const config: OptimConfig = { ...hyper, ...current, learningRate: settings.learningRate };
    const given = Object.fromEntries(slots.map((s) => [s, config[s] as Tensor | undefined]));
    checkRuleTensors(rule, p, g, given);
    for (const key of written) {
      const t = config[key];
      if (slots.includes(key)) {
        if (!(t instanceof Tensor) || this.owner.get(t) !== p) {
          const data = new Float64Array(p.size);
          if (t instanceof Tensor) data.set(t.data);
          config[key] = new Tensor(data, p.shape);
          this.own(config[key] as Tensor, p);
        }
      } else if (key === 't') {
        config.t = t; // its place among the keys; update() counts it
      } else {
        config[key] = settings[key];
      }
    }
    this.live.add(config);
    return config;
  }
}
