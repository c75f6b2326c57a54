import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tensor } from '../../src/core/tensor.js';
import {
  concat,
  conv2d,
  expand,
  matmul,
  mean,
  reshape,
  slice,
  stack,
  sum,
  transpose,
} from '../../src/ops/index.js';

// What the linear ops compute, against values worked out by hand. A gradient check compares a
// backward pass with the forward pass it differentiates, so a wrong forward whose backward
// matches it (a transposed matmul, a sum over the wrong axis) passes it; these tests do not.

test('matmul: [2,3]@[3,2], matrix-vector, vector-matrix and the dot product', () => {
  const a = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  const b = tensor([
    [7, 8],
    [9, 10],
    [11, 12],
  ]);
  // [1·7+2·9+3·11, 1·8+2·10+3·12] = [58, 64]; [4·7+5·9+6·11, 4·8+5·10+6·12] = [139, 154]
  assert.deepEqual(matmul(a, b).toArray(), [
    [58, 64],
    [139, 154],
  ]);
  assert.deepEqual(matmul(a, tensor([1, 0, -1])).toArray(), [-2, -2]);
  assert.deepEqual(matmul(tensor([1, -1]), a).toArray(), [-3, -3, -3]);
  assert.deepEqual(matmul(tensor([1, 2, 3]), tensor([4, 5, 6])).toArray(), 32);
  // Not square, not symmetric: a transposed operand would give another shape or other numbers.
  assert.deepEqual(matmul(tensor([[1, 2]]), tensor([[3], [4]])).toArray(), [[11]]);
  assert.deepEqual(matmul(tensor([[3], [4]]), tensor([[1, 2]])).toArray(), [
    [3, 6],
    [4, 8],
  ]);
});

test('transpose and reshape move values to the right places', () => {
  const x = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.deepEqual(transpose(x).toArray(), [
    [1, 4],
    [2, 5],
    [3, 6],
  ]);
  const cube = tensor([
    [
      [1, 2],
      [3, 4],
    ],
    [
      [5, 6],
      [7, 8],
    ],
  ]); // x[i][j][k] = 4i + 2j + k + 1
  assert.deepEqual(transpose(cube, [2, 0, 1]).toArray(), [
    [
      [1, 3],
      [5, 7],
    ],
    [
      [2, 4],
      [6, 8],
    ],
  ]);
  assert.deepEqual(transpose(cube, [1, 0, 2]).toArray(), [
    [
      [1, 2],
      [5, 6],
    ],
    [
      [3, 4],
      [7, 8],
    ],
  ]);
  assert.deepEqual(reshape(x, [3, 2]).toArray(), [
    [1, 2],
    [3, 4],
    [5, 6],
  ]);
  assert.deepEqual(reshape(x, [-1]).toArray(), [1, 2, 3, 4, 5, 6]);
});

test('expand repeats along new and size-1 axes', () => {
  assert.deepEqual(expand(tensor([[1], [2]]), [2, 3]).toArray(), [
    [1, 1, 1],
    [2, 2, 2],
  ]);
  assert.deepEqual(expand(tensor([1, 2, 3]), [2, 3]).toArray(), [
    [1, 2, 3],
    [1, 2, 3],
  ]);
  assert.deepEqual(expand(tensor(5), [2]).toArray(), [5, 5]);
});

test('sum and mean over every axis choice', () => {
  const x = tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
  assert.equal(sum(x).item(), 21);
  assert.deepEqual(sum(x, { axis: 0 }).toArray(), [5, 7, 9]);
  assert.deepEqual(sum(x, { axis: 1 }).toArray(), [6, 15]);
  assert.deepEqual(sum(x, { axis: -1, keepDims: true }).toArray(), [[6], [15]]);
  assert.equal(mean(x).item(), 3.5);
  assert.deepEqual(mean(x, { axis: 0 }).toArray(), [2.5, 3.5, 4.5]);
  assert.deepEqual(mean(x, { axis: 1 }).toArray(), [2, 5]);
  const cube = tensor([
    [
      [1, 2],
      [3, 4],
    ],
    [
      [5, 6],
      [7, 8],
    ],
  ]);
  assert.deepEqual(sum(cube, { axis: [0, 2] }).toArray(), [1 + 2 + 5 + 6, 3 + 4 + 7 + 8]);
  assert.deepEqual(mean(cube, { axis: 1 }).toArray(), [
    [2, 3],
    [6, 7],
  ]);
});

test('slice, concat and stack', () => {
  const x = tensor([
    [1, 2, 3, 4],
    [5, 6, 7, 8],
  ]);
  assert.deepEqual(slice(x, { axis: 1, start: 1, end: 3 }).toArray(), [
    [2, 3],
    [6, 7],
  ]);
  assert.deepEqual(slice(x, { axis: 1, step: 2 }).toArray(), [
    [1, 3],
    [5, 7],
  ]);
  assert.deepEqual(slice(x, { axis: 1, start: -1 }).toArray(), [[4], [8]]);
  assert.deepEqual(slice(x, { axis: 0, start: 1 }).toArray(), [[5, 6, 7, 8]]);
  const a = tensor([
    [1, 2],
    [3, 4],
  ]);
  const b = tensor([[5], [6]]);
  assert.deepEqual(concat([a, b], { axis: 1 }).toArray(), [
    [1, 2, 5],
    [3, 4, 6],
  ]);
  assert.deepEqual(concat([a, tensor([[7, 8]])], { axis: 0 }).toArray(), [
    [1, 2],
    [3, 4],
    [7, 8],
  ]);
  assert.deepEqual(stack([tensor([1, 2]), tensor([3, 4])]).toArray(), [
    [1, 2],
    [3, 4],
  ]);
  assert.deepEqual(stack([tensor([1, 2]), tensor([3, 4])], { axis: 1 }).toArray(), [
    [1, 3],
    [2, 4],
  ]);
});

test('conv2d on a tiny case: cross-correlation, bias, stride and zero padding', () => {
  // x: one 3×3 image 1..9; w: one 2×2 filter [[1, 0], [0, -1]] (top-left minus bottom-right).
  const x = tensor([
    [
      [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ],
    ],
  ]);
  const w = tensor([
    [
      [
        [1, 0],
        [0, -1],
      ],
    ],
  ]);
  // Every window: x[i][j] − x[i+1][j+1] = −4; plus the bias 10.
  assert.deepEqual(conv2d(x, w, tensor([10])).toArray(), [
    [
      [
        [6, 6],
        [6, 6],
      ],
    ],
  ]);
  // Not flipped (cross-correlation): a flipped kernel would give +4.
  assert.deepEqual(conv2d(x, w).toArray(), [
    [
      [
        [-4, -4],
        [-4, -4],
      ],
    ],
  ]);
  // Padding 1, stride 2: windows at rows/columns −1 and 1 of the image.
  // (−1,−1): 0 − x[0][0] = −1; (−1,1): 0 − x[0][2] = −3; (1,−1): 0 − x[2][0] = −7; (1,1): 5 − 9 = −4
  assert.deepEqual(conv2d(x, w, { stride: 2, pad: 1 }).toArray(), [
    [
      [
        [-1, -3],
        [-7, -4],
      ],
    ],
  ]);
  // Two input channels are summed; two filters give two output channels.
  const x2 = tensor([
    [
      [
        [1, 2],
        [3, 4],
      ],
      [
        [10, 20],
        [30, 40],
      ],
    ],
  ]);
  const w2 = tensor([
    [
      [
        [1, 0],
        [0, 0],
      ],
      [
        [0, 0],
        [0, 1],
      ],
    ], // x2[0][0][0] + x2[1][1][1] = 1 + 40
    [
      [
        [1, 1],
        [1, 1],
      ],
      [
        [0, 0],
        [0, 0],
      ],
    ], // the sum of channel 0 = 10
  ]);
  assert.deepEqual(conv2d(x2, w2).toArray(), [[[[41]], [[10]]]]);
});
