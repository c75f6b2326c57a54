import { badArgument, within } from '../core/errors.js';
import { withScope, type ScopeKind } from '../core/scope.js';
import { Tensor } from '../core/tensor.js';
import { checkPhase, type Phase } from './phase.js';

// A Module is a plain class whose fields hold its tensors and child modules. Parameters are found
// by walking the fields — through arrays, plain objects and Maps — and named by their path, so a
// model needs no registration calls. Anything that would make a parameter invisible or unnamable
// is refused when it is assigned, which for class fields means at construction.

/** The name each child module has in its parent (`fc1`, `layers.0`), for graph groups. */
const childNames = new WeakMap<Module, string>();

interface Visitor {
  tensor?: (t: Tensor, path: string) => void;
  /** Called for each module below the start; return false to not look inside it. */
  module?: (m: Module, path: string) => boolean;
}

const isPlainObject = (v: object): boolean => {
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
};

function describeNonLeaf(t: Tensor, where: string): string {
  return (
    `${where} holds a tensor computed by the op '${t.node!.op.name}', which cannot be trained or ` +
    'saved: create parameters as leaves (randn(shape, rng, { std: 0.01, requiresGrad: true })) ' +
    'and keep computed values with .detach()'
  );
}

/** Does an object we cannot name inside (a Set, a class instance) hide a tensor or a module? */
function hidesState(value: object): boolean {
  const items: unknown[] = value instanceof Set ? [...value] : Object.values(value);
  return items.some((v) => v instanceof Tensor || v instanceof Module);
}

/**
 * Visits every tensor and module inside `value` with its dotted path: through arrays, plain
 * objects, Maps with string or number keys and (when `visit.module` allows) child modules. Each
 * object is visited once, so a tensor shared by two fields (tied weights) has one name.
 */
function walk(
  owner: string,
  value: unknown,
  path: readonly string[],
  visit: Visitor,
  seen: Set<object>,
): void {
  if (value === null || typeof value !== 'object' || seen.has(value)) return;
  seen.add(value);
  const where = () => `field '${path.join('.')}'`;
  const inside = (key: string | number, v: unknown) => {
    const k = String(key);
    if (k.includes('.') && (v instanceof Tensor || v instanceof Module)) {
      throw badArgument(
        owner,
        `the name '${k}' in ${where()} contains a dot, which would make parameter paths ambiguous`,
      );
    }
    walk(owner, v, [...path, k], visit, seen);
  };
  if (value instanceof Tensor) {
    if (value.requiresGrad && !value.isLeaf)
      throw badArgument(owner, describeNonLeaf(value, where()));
    visit.tensor?.(value, path.join('.'));
  } else if (value instanceof Module) {
    if (path.length > 0 && visit.module?.(value, path.join('.')) === false) return;
    for (const [k, v] of Object.entries(value)) inside(k, v);
  } else if (Array.isArray(value)) {
    value.forEach((v: unknown, i) => inside(i, v));
  } else if (value instanceof Map) {
    for (const [k, v] of value as Map<unknown, unknown>) {
      if (typeof k === 'string' || typeof k === 'number') inside(k, v);
      else if (v instanceof Tensor || v instanceof Module)
        throw badArgument(
          owner,
          `${where()} is a Map with a non-string key, so its tensors have no name`,
        );
    }
  } else if (ArrayBuffer.isView(value)) {
    // Raw numbers (a typed array) hold no tensors.
  } else if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) inside(k, v);
  } else if (hidesState(value)) {
    const kind = value.constructor?.name ?? 'object';
    throw badArgument(
      owner,
      `${where()} keeps tensors or modules inside a ${kind}, where they cannot be found by name: ` +
        'keep them in fields, arrays, plain objects or Maps (or make the class extend Module)',
    );
  }
}

/**
 * The base class of models: its fields hold parameters (tensors created with requiresGrad: true),
 * buffers (other tensors, such as batch norm's running averages) and child modules — directly or
 * inside arrays, plain objects and Maps. `parameters()` finds them all, named by path; assigning a
 * field that would hide a parameter (a Set, a tensor computed by an op) is a clear error at once.
 * `forward` runs inside a graph scope named after the module, so a snapshot of any model shows its
 * layers as groups; `train()` and `eval()` set the phase of the whole tree.
 *
 * @example
 * class Affine extends Module {
 *   w = tensor([[1], [2]], { requiresGrad: true });
 *   b = tensor([0], { requiresGrad: true });
 *   forward(x: Tensor) { return affine(x, this.w, this.b); }
 * }
 * Object.keys(new Affine().parameters()) // ['w', 'b']
 */
export class Module {
  /** 'train' (the default) or 'eval'; set for the whole tree with train() and eval(). */
  phase: Phase = 'train';

  constructor() {
    const kind = this.constructor.name || 'Module';
    // Every field assignment (class fields included) passes here, so mistakes surface where
    // they are made; the modules found inside are told their name for graph groups.
    const proxy = new Proxy(this, {
      defineProperty(target, key, descriptor) {
        if (typeof key === 'string' && 'value' in descriptor) {
          walk(
            kind,
            descriptor.value,
            [key],
            {
              module: (m, path) => {
                if (!childNames.has(m)) childNames.set(m, path);
                return false;
              },
            },
            new Set([target]),
          );
        }
        return Reflect.defineProperty(target, key, descriptor);
      },
    });
    // The subclass's forward, called with whichever module `this` the wrapper is called on.
    // eslint-disable-next-line @typescript-eslint/unbound-method
    const forward = this.forward;
    Object.defineProperty(this, 'forward', {
      value: function scopedForward(this: Module, ...args: never[]): unknown {
        // An error from inside (a layer's op) names the module's forward first.
        return within(`${this.constructor.name}.forward`, () =>
          withScope(this.scopeLabel(), this.scopeKind(), () => forward.apply(this, args)),
        );
      },
      writable: true,
      configurable: true,
      enumerable: false,
    });
    return proxy;
  }

  /** The computation of the module; subclasses define it. */
  forward(..._args: never[]): unknown {
    throw badArgument(
      `${this.constructor.name}.forward`,
      'a Module subclass must define forward()',
    );
  }

  /** `fc1: Linear` inside a parent, the class name at the top. */
  private scopeLabel(): string {
    const name = childNames.get(this);
    return name === undefined ? this.constructor.name : `${name}: ${this.constructor.name}`;
  }

  /** A module with children is drawn as a 'module' group, a leaf one as a 'layer'. */
  private scopeKind(): ScopeKind {
    return Object.keys(this.children()).length > 0 ? 'module' : 'layer';
  }

  /** Visits this module's tensors and (recursively) its children's, by path. */
  private visit(visitor: Visitor): void {
    walk(this.constructor.name, this, [], visitor, new Set());
  }

  /** Every tensor of this module and its children by dotted path: parameters and buffers. */
  tensors(): Record<string, Tensor> {
    const out: Record<string, Tensor> = {};
    this.visit({ tensor: (t, path) => (out[path] = t) });
    return out;
  }

  /**
   * The trainable tensors (requiresGrad: true) of this module and its children, by dotted path
   * (`fc1.weight`, `blocks.0.gamma`), in field order.
   */
  parameters(): Record<string, Tensor> {
    return Object.fromEntries(Object.entries(this.tensors()).filter(([, t]) => t.requiresGrad));
  }

  /** The other tensors (batch norm's running averages…): saved with the model, not trained. */
  buffers(): Record<string, Tensor> {
    return Object.fromEntries(Object.entries(this.tensors()).filter(([, t]) => !t.requiresGrad));
  }

  /** The child modules at every depth, by path. */
  children(): Record<string, Module> {
    const out: Record<string, Module> = {};
    this.visit({
      module: (m, path) => {
        out[path] = m;
        return true;
      },
    });
    return out;
  }

  /** How many numbers the parameters hold. */
  parameterCount(): number {
    return Object.values(this.parameters()).reduce((n, p) => n + p.size, 0);
  }

  /** Puts this module and every child module in `phase` (default 'train'). */
  train(phase: Phase = 'train'): this {
    checkPhase(`${this.constructor.name}.train`, phase, 'phase');
    this.phase = phase;
    for (const child of Object.values(this.children())) child.phase = phase;
    return this;
  }

  /** Same as train('eval'): dropout off, batch norm on its running averages. */
  eval(): this {
    return this.train('eval');
  }

  /** Forgets the accumulated `.grad` of every parameter. */
  zeroGrad(): void {
    for (const p of Object.values(this.parameters())) p.zeroGrad();
  }
}
