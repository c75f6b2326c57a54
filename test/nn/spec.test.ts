import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ParseError, formatWithCaret } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { zeros } from '../../src/core/tensor.js';
import {
  BatchNorm1d,
  BatchNorm2d,
  Conv2d,
  Dropout,
  Linear,
  MaxPool2d,
  ReLU,
  buildModel,
  parseModelSpec,
} from '../../src/nn/index.js';

const build = (spec: string, inputShape = [2], numClasses = 3) =>
  buildModel(spec, { inputShape, numClasses, rng: new Rng(0) });

/** Asserts spec fails with a ParseError whose caret line marks `marked` and whose message matches. */
function parseFails(spec: string, message: RegExp, marked: string, inputShape = [2]): void {
  assert.throws(
    () => build(spec, inputShape),
    (e: unknown) => {
      assert.ok(e instanceof ParseError, String(e));
      assert.match(e.message, message);
      const [, source, caret] = formatWithCaret(e).split('\n');
      assert.equal(source!.trim(), spec);
      const start = caret!.indexOf('^') - 2;
      assert.equal(spec.slice(start, start + caret!.trim().length), marked, formatWithCaret(e));
      return true;
    },
  );
}

test('affine alone is a linear classifier; the last affine defaults to the number of classes', () => {
  const linear = build('affine');
  assert.deepEqual(linear.summary, [{ layer: 'affine(3)', outputShape: [3], parameters: 9 }]);
  const two = build('affine(100)-relu-affine');
  assert.deepEqual(
    two.summary.map((s) => s.layer),
    ['affine(100)', 'relu', 'affine(3)'],
  );
  assert.ok(two.model[0] instanceof Linear && two.model[1] instanceof ReLU);
  assert.equal(two.model.parameterCount(), 2 * 100 + 100 + 100 * 3 + 3);
  assert.deepEqual(two.model.forward(zeros([5, 2])).shape, [5, 3]);
});

test('a convnet spec tracks image shapes, and affine flattens what comes in', () => {
  const { model, summary } = build('conv(16,3)-relu-pool(2)-affine(10)', [1, 28, 28], 10);
  assert.deepEqual(
    summary.map((s) => s.outputShape),
    [[16, 28, 28], [16, 28, 28], [16, 14, 14], [10]],
  );
  assert.equal(summary[3]!.parameters, 16 * 14 * 14 * 10 + 10);
  assert.ok(model[0] instanceof Conv2d && model[2] instanceof MaxPool2d);
  assert.deepEqual(model.forward(zeros([2, 1, 28, 28])).shape, [2, 10]);
  const strided = build(
    'conv(4,5,2)-batchnorm-relu-affine(8)-batchnorm-dropout(0.5)-affine',
    [3, 9, 9],
  );
  assert.deepEqual(strided.summary[0]!.outputShape, [4, 5, 5]);
  assert.ok(strided.model[1] instanceof BatchNorm2d && strided.model[4] instanceof BatchNorm1d);
  assert.ok(strided.model[5] instanceof Dropout);
});

test('spec errors point at the column', () => {
  parseFails('affine(100)-relu-affin', /unknown layer 'affin' — did you mean 'affine'\?/, 'affin');
  parseFails('affine(100) relu', /expected '-' between layers/, 'r');
  parseFails('affine-relu-affine', /affine needs a size here/, 'affine');
  parseFails('conv(16)-relu-affine', /conv takes 2 or 3 numbers, got 1/, 'conv(16)', [1, 8, 8]);
  parseFails('affine(10)-conv(4,3)-affine', /conv needs images/, 'conv(4,3)', [1, 8, 8]);
  parseFails('affine(100)-relu-affine(5)', /must end with 3 class scores.*\[5\]/, 'affine(5)');
  parseFails('affine(1.5)-affine', /affine's size must be a whole number/, 'affine(1.5)');
  parseFails('affine(100)-relu-', /expected a layer name/, ''); // the caret after the end
  parseFails('affine(1,)', /expected a number in affine/, ')');
  parseFails('dropout(2)-affine', /keeps each unit with probability P in \(0, 1\]/, 'dropout(2)');
  parseFails(
    'conv(4,65)-affine',
    /conv\(F, K, stride\) needs whole numbers/,
    'conv(4,65)',
    [1, 8, 8],
  );
  assert.deepEqual(
    parseModelSpec(' affine ( 3 ) - relu ').map((l) => [l.name, l.args]),
    [
      ['affine', [3]],
      ['relu', []],
    ],
  );
  assert.throws(
    () => parseModelSpec('affine-'.repeat(200)),
    /at most 1000 characters|more than 1000/,
  );
  assert.throws(
    () => buildModel('affine', { inputShape: [0], numClasses: 3, rng: new Rng(0) }),
    /inputShape must be/,
  );
});
