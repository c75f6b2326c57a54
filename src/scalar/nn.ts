import { badArgument } from '../core/errors.js';
import { LIMITS } from '../core/limits.js';
import { Rng } from '../core/random.js';
import {
  checkArray,
  checkBoolean,
  checkInteger,
  checkOptions,
  checkRng,
  describe,
} from '../core/validate.js';
import { Value } from './value.js';

/** The options of a Neuron, Layer or MLP, checked; rng defaults to a generator seeded with 0. */
function checkNetOptions(fn: string, options: NeuronOptions): { rng: Rng; nonlin?: boolean } {
  const opts = checkOptions(fn, 'options', options);
  if (opts.rng !== undefined) checkRng(fn, 'options.rng', opts.rng);
  if (opts.nonlin !== undefined) checkBoolean(fn, 'options.nonlin', opts.nonlin);
  return { ...opts, rng: opts.rng ?? new Rng(0) };
}

/** Refuses a network of more than LIMITS.maxScalarParameters Values before building it. */
function checkParameterCount(fn: string, count: number): void {
  if (count > LIMITS.maxScalarParameters) {
    throw badArgument(
      fn,
      `this network would have ${count} parameters; the scalar path builds at most ` +
        `${LIMITS.maxScalarParameters} (use tensors for larger networks)`,
    );
  }
}

/** An input row of `nin` Values or numbers, or a clear error. */
function checkRow(fn: string, x: readonly (Value | number)[], nin: number): void {
  checkArray(fn, 'x', x);
  if (x.length !== nin) {
    throw badArgument(fn, `argument x must hold ${nin} inputs, got ${x.length}`);
  }
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!(v instanceof Value) && typeof v !== 'number') {
      throw badArgument(fn, `x[${i}] must be a Value or a number, got ${describe(v)}`);
    }
  }
}

/** Something with parameters, as in micrograd. */
abstract class Module {
  abstract parameters(): Value[];
  /** Resets every parameter's accumulated gradient to 0. */
  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = 0;
  }
}

export interface NeuronOptions {
  /** Apply ReLU to the output (true by default; false for a linear output). */
  nonlin?: boolean;
  /** Where the initial weights come from (uniform in [-1, 1)); seed 0 by default. */
  rng?: Rng;
}

/** One neuron: relu(w·x + b), or w·x + b when linear. */
export class Neuron extends Module {
  readonly w: Value[];
  readonly b: Value;
  readonly nonlin: boolean;

  constructor(nin: number, options: NeuronOptions = {}) {
    super();
    checkInteger('Neuron', 'nin', nin, 0);
    checkParameterCount('Neuron', nin + 1);
    const opts = checkNetOptions('Neuron', options);
    const rng = opts.rng;
    this.w = Array.from({ length: nin }, () => new Value(rng.uniform(-1, 1)));
    this.b = new Value(0);
    this.nonlin = opts.nonlin ?? true;
  }

  call(x: readonly (Value | number)[]): Value {
    checkRow('Neuron.call', x, this.w.length);
    let act = this.b;
    for (let i = 0; i < this.w.length; i++) act = act.add(this.w[i]!.mul(x[i]!));
    return this.nonlin ? act.relu() : act;
  }

  parameters(): Value[] {
    return [...this.w, this.b];
  }
}

/** A fully connected layer of neurons. */
export class Layer extends Module {
  readonly neurons: Neuron[];

  constructor(nin: number, nout: number, options: NeuronOptions = {}) {
    super();
    checkInteger('Layer', 'nin', nin, 0);
    checkInteger('Layer', 'nout', nout, 0);
    checkParameterCount('Layer', (nin + 1) * nout);
    const opts = checkNetOptions('Layer', options);
    this.neurons = Array.from({ length: nout }, () => new Neuron(nin, opts));
  }

  call(x: readonly (Value | number)[]): Value[] {
    checkRow('Layer.call', x, this.neurons[0]?.w.length ?? x.length);
    return this.neurons.map((n) => n.call(x));
  }

  parameters(): Value[] {
    return this.neurons.flatMap((n) => n.parameters());
  }
}

/**
 * A multi-layer perceptron on Values: ReLU hidden layers, a linear last layer.
 *
 * @example
 * const net = new MLP(2, [16, 16, 1], { rng: new Rng(1337) });
 * net.call([0.5, -1])[0]!.data // a number
 */
export class MLP extends Module {
  readonly layers: Layer[];

  constructor(nin: number, nouts: readonly number[], options: { rng?: Rng } = {}) {
    super();
    checkInteger('MLP', 'nin', nin, 0);
    checkArray('MLP', 'nouts', nouts).forEach((n, i) => checkInteger('MLP', `nouts[${i}]`, n, 1));
    const { rng } = checkNetOptions('MLP', options);
    const sizes = [nin, ...nouts];
    checkParameterCount(
      'MLP',
      nouts.reduce((total, nout, i) => total + (sizes[i]! + 1) * nout, 0),
    );
    this.layers = nouts.map(
      (nout, i) => new Layer(sizes[i]!, nout, { rng, nonlin: i !== nouts.length - 1 }),
    );
  }

  call(x: readonly (Value | number)[]): Value[] {
    checkRow('MLP.call', x, this.layers[0]?.neurons[0]?.w.length ?? x.length);
    let out: (Value | number)[] = [...x];
    for (const layer of this.layers) out = layer.call(out);
    return out as Value[];
  }

  parameters(): Value[] {
    return this.layers.flatMap((l) => l.parameters());
  }
}
