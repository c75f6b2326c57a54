import { Tensor } from '../core/tensor.js';
import type { Mode } from './layers.js';

/**
 * A small base class for models that hold parameters. `parameters()` finds every tensor field
 * that requires a gradient, and those of child modules (and arrays of them), named by path
 * (`fc1.w`, `blocks.0.gamma`); `train()` and `eval()` set the mode of the whole tree.
 *
 * @example
 * class Linear extends Module {
 *   w = tensor([[1], [2]], { requiresGrad: true });
 *   b = tensor([0], { requiresGrad: true });
 *   forward(x: Tensor) { return affine(x, this.w, this.b); }
 * }
 * Object.keys(new Linear().parameters()) // ['w', 'b']
 */
export class Module {
  mode: Mode = 'train';

  /** The trainable tensors of this module and its children, by dotted path. */
  parameters(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    const visit = (value: unknown, path: string): void => {
      if (value instanceof Tensor) {
        if (value.requiresGrad) out[path] = value;
      } else if (value instanceof Module) {
        for (const [name, p] of Object.entries(value.parameters())) out[`${path}.${name}`] = p;
      } else if (Array.isArray(value)) {
        value.forEach((item, i) => visit(item, `${path}.${i}`));
      }
    };
    for (const [name, value] of Object.entries(this)) visit(value, name);
    return out;
  }

  /** Puts this module and every child module in `mode` (default 'train'). */
  train(mode: Mode = 'train'): this {
    this.mode = mode;
    const visit = (value: unknown): void => {
      if (value instanceof Module) value.train(mode);
      else if (Array.isArray(value)) value.forEach(visit);
    };
    for (const value of Object.values(this)) visit(value);
    return this;
  }

  /** Same as train('eval'): dropout off, batch norm on running statistics. */
  eval(): this {
    return this.train('eval');
  }

  /** Forgets the accumulated `.grad` of every parameter. */
  zeroGrad(): void {
    for (const p of Object.values(this.parameters())) p.zeroGrad();
  }
}
