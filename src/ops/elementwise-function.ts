import { apply } from '../core/apply.js';
import { formatShape } from '../core/errors.js';
import { announceElementwise } from '../core/methods.js';
import type { ElementwiseOp } from '../core/op.js';
import { broadcastShapes, sizeOf } from '../core/shape.js';
import { Tensor } from '../core/tensor.js';
import { checkOperand, checkSize } from '../core/validate.js';
import { expand } from './movement.js';

// How an elementwise op becomes a public function (`relu(x)`, `add(a, b)`) and, announced to
// core/methods.ts, a Tensor and a Value method.

type Operand = Tensor | number;

/**
 * The public function of a binary elementwise op: checks both operands, broadcasts them (as
 * explicit expand nodes) and applies the op. Announced, so Tensor and Value get the method.
 */
export function binary(op: ElementwiseOp<string, 2>): (a: Operand, b: Operand) => Tensor {
  const name = op.name;
  const fn = (a: Operand, b: Operand): Tensor => {
    const dtype = a instanceof Tensor ? a.dtype : b instanceof Tensor ? b.dtype : 'float64';
    const ta = checkOperand(name, 'a', a, dtype);
    const tb = checkOperand(name, 'b', b, dtype);
    const shape = broadcastShapes(name, ta.shape, tb.shape);
    checkSize(name, sizeOf(shape), `the broadcast shape ${formatShape(shape)}`);
    return apply(op, [expand(ta, shape), expand(tb, shape)], {});
  };
  announceElementwise({ op, fn });
  return fn;
}

/** The public function of a unary elementwise op (announced, like `binary`). */
export function unary(op: ElementwiseOp<string, 1>): (x: Operand) => Tensor {
  const name = op.name;
  const fn = (x: Operand): Tensor => apply(op, [checkOperand(name, 'x', x)], {});
  announceElementwise({ op, fn });
  return fn;
}
