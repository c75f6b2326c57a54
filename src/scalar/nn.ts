import { Rng } from '../core/random.js';
import { Value } from './value.js';

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
    const rng = options.rng ?? new Rng(0);
    this.w = Array.from({ length: nin }, () => new Value(rng.uniform(-1, 1)));
    this.b = new Value(0);
    this.nonlin = options.nonlin ?? true;
  }

  call(x: readonly (Value | number)[]): Value {
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
    const rng = options.rng ?? new Rng(0);
    this.neurons = Array.from({ length: nout }, () => new Neuron(nin, { ...options, rng }));
  }

  call(x: readonly (Value | number)[]): Value[] {
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
    const rng = options.rng ?? new Rng(0);
    const sizes = [nin, ...nouts];
    this.layers = nouts.map(
      (nout, i) => new Layer(sizes[i]!, nout, { rng, nonlin: i !== nouts.length - 1 }),
    );
  }

  call(x: readonly (Value | number)[]): Value[] {
    let out: (Value | number)[] = [...x];
    for (const layer of this.layers) out = layer.call(out);
    return out as Value[];
  }

  parameters(): Value[] {
    return this.layers.flatMap((l) => l.parameters());
  }
}
