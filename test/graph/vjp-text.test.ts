import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fillVjpText } from '../../src/graph/index.js';
import { fillNames, vjpTemplateText } from '../../src/graph/vjp-text.js';
import { matmulOp } from '../../src/ops/matmul.js';

const [dA, dB] = matmulOp.vjpText!;

test('matmul names its operands and shows the shapes that leave only one way', () => {
  // W@x, W 2×3, x a 3-vector (a column on the right).
  assert.equal(fillVjpText(dA!, ['W', 'x'], [[2, 3], [3]]), 'upstream · xᵀ  (2×1 · 1×3 → 2×3)');
  assert.equal(fillVjpText(dB!, ['W', 'x'], [[2, 3], [3]]), 'Wᵀ · upstream  (3×2 · 2×1 → 3×1)');
  // x@W, x a 2-vector on the left (a row): upstream is a row too.
  assert.equal(fillVjpText(dA!, ['x', 'W'], [[2], [2, 4]]), 'upstream · Wᵀ  (1×4 · 4×2 → 1×2)');
  // A@B with matrices; an operand that is not one name gets parentheses.
  assert.equal(
    fillVjpText(
      dB!,
      ['relu(h)', 'B'],
      [
        [5, 3],
        [3, 2],
      ],
    ),
    '(relu(h))ᵀ · upstream  (3×5 · 5×2 → 3×2)',
  );
});

test('templates read as before in the op reference, and plain texts lose only their dx =', () => {
  assert.equal(vjpTemplateText(dA!, 0), 'dA = upstream · Bᵀ');
  assert.equal(vjpTemplateText(dB!, 1), 'dB = Aᵀ · upstream');
  assert.equal(
    fillVjpText('dx = the upstream gradient transposed back', ['X']),
    'the upstream gradient transposed back',
  );
  assert.equal(
    fillNames(matmulOp.label.rule, ['W', 'x']),
    'matmul: dW = upstream · xᵀ and dx = Wᵀ · upstream (the shapes leave only one way)',
  );
});
