import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import * as L from '../../src/layers/index.js';
import { grad } from '../../src/core/autograd.js';
import { ChainruleError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { Tensor, ones, tensor, zeros } from '../../src/core/tensor.js';
import { evalNumericalGradientArray, relErrorOverSum } from '../../src/graph/numeric.js';
import * as nn from '../../src/nn/index.js';
import { batchNormState } from '../../src/nn/index.js';
import { conv2d, maxPool2d, mul, relu, sigmoid, sum } from '../../src/ops/index.js';
import { assertClose } from '../support/assert.js';
import { CONV_EXPECTED, linspace, randn, spread } from '../support/cs231n.js';

/** dL/d(inputs) by autograd for L = Σ f(inputs) · dout. */
function autograd(f: (...xs: Tensor[]) => Tensor, inputs: Tensor[], dout: Tensor): Tensor[] {
  return grad((...xs: Tensor[]) => sum(mul(f(...xs), dout)))(...inputs);
}

/** Pairs and autograd run the same op definitions: they must agree to 1e-12. */
function agree(pair: readonly Tensor[], reference: readonly Tensor[]): void {
  assert.equal(pair.length, reference.length);
  pair.forEach((p, i) => assertClose(p.toArray(), reference[i]!.toArray(), 1e-12, `gradient ${i}`));
}

const property = (body: (rng: Rng) => void, numRuns = 25) =>
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), (seed) => body(new Rng(seed))),
    { numRuns },
  );

test('affineForward reproduces the notebook check (np.linspace inputs)', () => {
  const x = linspace(-0.1, 0.5, 240, [2, 4, 5, 6]);
  const w = linspace(-0.2, 0.3, 360, [120, 3]);
  const b = linspace(-0.3, 0.1, 3);
  const { out } = L.affineForward(x, w, b);
  const expected = [
    [1.49834967, 1.70660132, 1.91485297],
    [3.25553199, 3.5141327, 3.77273342],
  ];
  assert.ok(relErrorOverSum(out, expected) < 1e-8, `rel error ${relErrorOverSum(out, expected)}`);
});

test('the naive conv and pool forward passes reproduce the notebook checks', () => {
  const x = linspace(-0.1, 0.5, 96, [2, 3, 4, 4]);
  const w = linspace(-0.2, 0.3, 144, [3, 3, 4, 4]);
  const b = linspace(-0.1, 0.2, 3);
  const { out } = L.convForwardNaive(x, w, b, { stride: 2, pad: 1 });
  assert.ok(relErrorOverSum(out, conv2d(x, w, b, { stride: 2, pad: 1 })) < 1e-14);
  assertClose(out.toArray(), CONV_EXPECTED, 1e-8);
  const xp = linspace(-0.3, 0.4, 96, [2, 3, 4, 4]);
  const pooled = L.maxPoolForwardNaive(xp, { poolHeight: 2, poolWidth: 2, stride: 2 }).out;
  assertClose(
    (pooled.toArray() as number[][][][])[1]![2]!,
    [
      [0.32631579, 0.34105263],
      [0.38526316, 0.4],
    ],
    1e-8,
  );
});

test('affine, relu, sigmoid and affine-relu pairs agree with autograd to 1e-12', () => {
  property((rng) => {
    const [n, d, m] = [rng.int(1, 5), rng.int(1, 4), rng.int(1, 4)];
    const x = randn(rng, [n, 2, d]);
    const w = randn(rng, [2 * d, m]);
    const b = randn(rng, [m]);
    const dout = randn(rng, [n, m]);
    const affine = L.affineForward(x, w, b);
    assertClose(affine.out.toArray(), nn.affine(x, w, b).toArray(), 0);
    const { dx, dw, db } = L.affineBackward(dout, affine.cache);
    agree([dx, dw, db], autograd(nn.affine, [x, w, b], dout));
    const sandwich = L.affineReluForward(x, w, b);
    const s = L.affineReluBackward(dout, sandwich.cache);
    agree([s.dx, s.dw, s.db], autograd(nn.affineRelu, [x, w, b], dout));
    const h = randn(rng, [n, m]);
    agree([L.reluBackward(dout, L.reluForward(h).cache)], autograd(relu, [h], dout));
    agree([L.sigmoidBackward(dout, L.sigmoidForward(h).cache)], autograd(sigmoid, [h], dout));
  });
});

test('the loss pairs return the loss and dscores of the nn losses', () => {
  property((rng) => {
    const [n, c] = [rng.int(1, 6), rng.int(2, 6)];
    const scores = randn(rng, [n, c], -4, 4);
    const labels = Array.from({ length: n }, () => rng.int(0, c - 1));
    const soft = L.softmaxLoss(scores, labels);
    assert.equal(soft.loss, nn.softmaxLoss(scores, labels).item());
    agree([soft.dx], grad((s: Tensor) => nn.softmaxLoss(s, labels))(scores));
    const svm = L.svmLoss(scores, labels);
    assert.equal(svm.loss, nn.svmLoss(scores, labels).item());
    agree([svm.dx], grad((s: Tensor) => nn.svmLoss(s, labels))(scores));
  });
  assert.equal(L.softmaxLoss(tensor([[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]), [3]).loss, Math.log(10));
  assert.equal(L.svmLoss(tensor([[0, 0, 0, 0, 0, 0, 0, 0, 0, 0]]), [3]).loss, 9);
});

test('batchnorm: staged backward, closed-form backward and autograd agree to 1e-12', () => {
  property((rng) => {
    const [n, d] = [rng.int(2, 8), rng.int(1, 5)];
    const x = randn(rng, [n, d], -3, 5);
    const gamma = randn(rng, [d]);
    const beta = randn(rng, [d]);
    const dout = randn(rng, [n, d]);
    for (const mode of ['train', 'eval'] as const) {
      const bnParam = nn.batchNormState({ mode });
      bnParam.runningMean = randn(rng, [d]);
      bnParam.runningVar = randn(rng, [d], 0.5, 2);
      const reference = nn.batchNormState({ mode });
      reference.runningMean = bnParam.runningMean;
      reference.runningVar = bnParam.runningVar;
      const { out, cache } = L.batchnormForward(x, gamma, beta, bnParam);
      assertClose(out.toArray(), nn.batchNorm(x, gamma, beta, reference).toArray(), 0);
      assertClose(bnParam.runningMean.toArray(), reference.runningMean.toArray(), 0);
      const expected = autograd(
        (t, g, b) => nn.batchNorm(t, g, b, { ...reference }),
        [x, gamma, beta],
        dout,
      );
      const staged = L.batchnormBackward(dout, cache);
      const alt = L.batchnormBackwardAlt(dout, cache);
      agree([staged.dx, staged.dgamma, staged.dbeta], expected);
      agree([alt.dx, alt.dgamma, alt.dbeta], expected);
    }
  });
});

test('layer norm, spatial batch norm and group norm pairs agree with autograd to 1e-12', () => {
  property((rng) => {
    const [n, d] = [rng.int(1, 5), rng.int(2, 5)];
    const x = randn(rng, [n, d]);
    const [gamma, beta, dout] = [randn(rng, [d]), randn(rng, [d]), randn(rng, [n, d])];
    const ln = L.layernormForward(x, gamma, beta);
    const l = L.layernormBackward(dout, ln.cache);
    agree(
      [l.dx, l.dgamma, l.dbeta],
      autograd((t, g, b) => nn.layerNorm(t, g, b), [x, gamma, beta], dout),
    );
    const c = 2 * rng.int(1, 2);
    const images = randn(rng, [rng.int(1, 3), c, rng.int(1, 3), rng.int(1, 3)]);
    const [gc, bc, dimg] = [randn(rng, [c]), randn(rng, [c]), randn(rng, images.shape as number[])];
    const sbn = L.spatialBatchnormForward(images, gc, bc, nn.batchNormState());
    const s = L.spatialBatchnormBackward(dimg, sbn.cache);
    agree(
      [s.dx, s.dgamma, s.dbeta],
      autograd(
        (t, g, b) => nn.spatialBatchNorm(t, g, b, nn.batchNormState()),
        [images, gc, bc],
        dimg,
      ),
    );
    const [g4, b4] = [randn(rng, [1, c, 1, 1]), randn(rng, [1, c, 1, 1])];
    const gn = L.spatialGroupnormForward(images, g4, b4, 2);
    const g = L.spatialGroupnormBackward(dimg, gn.cache);
    agree(
      [g.dx, g.dgamma, g.dbeta],
      autograd((t, a, b) => nn.groupNorm(t, a, b, 2), [images, g4, b4], dimg),
    );
  });
});

test('dropout pair: the same mask as nn.dropout with the same seed; identity in eval mode', () => {
  property((rng) => {
    const x = randn(rng, [rng.int(1, 5), rng.int(1, 6)]);
    const dout = randn(rng, x.shape as number[]);
    const seed = rng.int(0, 1000);
    const keep = rng.uniform(0.2, 1);
    const { out, cache } = L.dropoutForward(x, { keep, rng: new Rng(seed) });
    assertClose(out.toArray(), nn.dropout(x, { keep, rng: new Rng(seed) }).toArray(), 0);
    const dx = L.dropoutBackward(dout, cache);
    agree(
      [dx],
      autograd((t) => nn.dropout(t, { keep, rng: new Rng(seed) }), [x], dout),
    );
    assertClose(dx.toArray(), mul(dout, cache.mask!).toArray(), 0);
    const evaluated = L.dropoutForward(x, { keep, mode: 'eval' });
    assert.equal(evaluated.out, x);
    assert.equal(L.dropoutBackward(dout, evaluated.cache), dout);
  });
});

test('conv and max-pool pairs, naive and fast, agree with autograd to 1e-12', () => {
  property((rng) => {
    const [n, c, f] = [rng.int(1, 2), rng.int(1, 3), rng.int(1, 3)];
    const [h, w] = [rng.int(3, 7), rng.int(3, 7)];
    const convParam = { stride: rng.int(1, 2), pad: rng.int(0, 2) };
    const x = randn(rng, [n, c, h, w]);
    const k = randn(rng, [f, c, rng.int(1, 3), rng.int(1, 3)]);
    const b = randn(rng, [f]);
    const expectedOut = conv2d(x, k, b, convParam);
    const dout = randn(rng, expectedOut.shape as number[]);
    const expected = autograd((t, kk, bb) => conv2d(t, kk, bb, convParam), [x, k, b], dout);
    for (const [forward, backward] of [
      [L.convForwardNaive, L.convBackwardNaive],
      [L.convForwardFast, L.convBackwardFast],
    ] as const) {
      const { out, cache } = forward(x, k, b, convParam);
      assertClose(out.toArray(), expectedOut.toArray(), 1e-12);
      const grads = backward(dout, cache);
      agree([grads.dx, grads.dw, grads.db], expected);
    }
    const pool = { poolHeight: rng.int(1, 3), poolWidth: rng.int(1, 3), stride: rng.int(1, 2) };
    const poolOptions = {
      size: [pool.poolHeight, pool.poolWidth] as [number, number],
      stride: pool.stride,
    };
    const dpool = randn(rng, maxPool2d(x, poolOptions).shape as number[]);
    const expectedDx = autograd((t) => maxPool2d(t, poolOptions), [x], dpool);
    for (const [forward, backward] of [
      [L.maxPoolForwardNaive, L.maxPoolBackwardNaive],
      [L.maxPoolForwardFast, L.maxPoolBackwardFast],
    ] as const) {
      const { out, cache } = forward(x, pool);
      assertClose(out.toArray(), maxPool2d(x, poolOptions).toArray(), 0);
      agree([backward(dpool, cache)], expectedDx);
    }
  });
});

test('the pairs pass the notebooks’ numerical gradient checks (evalNumericalGradientArray)', () => {
  property((rng) => {
    const check = (
      analytic: Tensor,
      f: (t: Tensor) => Tensor,
      x: Tensor,
      dout: Tensor,
      label: string,
    ) => {
      const numeric = evalNumericalGradientArray(f, x, dout);
      // The notebooks' relErrorOverSum has a 1e-8 floor in the denominator; elements whose gradient is
      // zero up to round-off would make it meaningless, hence the absolute guard.
      const worst = relErrorOverSum(analytic, numeric);
      const absolute = Math.max(
        ...Array.from(analytic.data, (a, i) => Math.abs(a - numeric.data[i]!)),
      );
      assert.ok(
        worst < 1e-7 || absolute < 1e-9,
        `${label}: rel error ${worst}, abs error ${absolute}`,
      );
    };
    const [n, d, m] = [rng.int(2, 5), rng.int(1, 4), rng.int(1, 4)];
    const x = randn(rng, [n, d]);
    const w = randn(rng, [d, m]);
    const b = randn(rng, [m]);
    const dout = randn(rng, [n, m]);
    const affine = L.affineBackward(dout, L.affineForward(x, w, b).cache);
    check(affine.dx, (t) => L.affineForward(t, w, b).out, x, dout, 'affine dx');
    check(affine.dw, (t) => L.affineForward(x, t, b).out, w, dout, 'affine dw');
    check(affine.db, (t) => L.affineForward(x, w, t).out, b, dout, 'affine db');
    const xs = spread(rng, [n, d]);
    const gamma = randn(rng, [d]);
    const beta = randn(rng, [d]);
    const dbn = randn(rng, [n, d]);
    const bn = (t: Tensor, g = gamma, e = beta) =>
      L.batchnormForward(t, g, e, nn.batchNormState()).out;
    const alt = L.batchnormBackwardAlt(
      dbn,
      L.batchnormForward(xs, gamma, beta, nn.batchNormState()).cache,
    );
    check(alt.dx, (t) => bn(t), xs, dbn, 'batchnorm dx');
    check(alt.dgamma, (t) => bn(xs, t), gamma, dbn, 'batchnorm dgamma');
    check(alt.dbeta, (t) => bn(xs, gamma, t), beta, dbn, 'batchnorm dbeta');
    const images = spread(rng, [1, 2, 4, 4]);
    const dpool = randn(rng, [1, 2, 2, 2]);
    const pool = { poolHeight: 2, poolWidth: 2, stride: 2 };
    const dxPool = L.maxPoolBackwardNaive(dpool, L.maxPoolForwardNaive(images, pool).cache);
    check(dxPool, (t) => L.maxPoolForwardNaive(t, pool).out, images, dpool, 'max pool dx');
  }, 15);
});

test('a backward pass rejects a dout of the wrong shape', () => {
  const { cache } = L.affineForward(tensor([[1, 2]]), tensor([[1], [1]]), tensor([0]));
  assert.throws(
    () => L.affineBackward(tensor([[1, 2]]), cache),
    (e: unknown) =>
      e instanceof ChainruleError &&
      /^affineBackward: dout has shape \[1, 2\] but the forward output has shape \[1, 1\]/.test(
        e.message,
      ),
  );
});

test('the naive pairs and batchnormBackwardAlt refuse a dout of the wrong shape, as their fast twins do', () => {
  const x = tensor([
    [
      [
        [1, 2, 3],
        [4, 5, 6],
        [7, 8, 9],
      ],
    ],
  ]);
  const conv = L.convForwardNaive(
    x,
    tensor([
      [
        [
          [1, 0],
          [0, 1],
        ],
      ],
    ]),
    tensor([0]),
  );
  const wrong = (fn: string, got: string, want: string) => (e: unknown) =>
    e instanceof ChainruleError &&
    e.code === 'shape_mismatch' &&
    e.message.startsWith(`${fn}: dout has shape ${got} but the forward output has shape ${want}`);
  // Same number of elements, wrong layout: only an exact shape check catches it.
  assert.throws(
    () => L.convBackwardNaive(tensor([[[[1, 2, 3, 4]]]]), conv.cache),
    wrong('convBackwardNaive', '[1, 1, 1, 4]', '[1, 1, 2, 2]'),
  );
  const pool = L.maxPoolForwardNaive(x, { poolHeight: 2, poolWidth: 2, stride: 1 });
  assert.throws(
    () => L.maxPoolBackwardNaive(tensor([[[[1]]]]), pool.cache),
    wrong('maxPoolBackwardNaive', '[1, 1, 1, 1]', '[1, 1, 2, 2]'),
  );
  const bn = L.batchnormForward(
    tensor([
      [1, 2, 3],
      [3, 1, 2],
    ]),
    ones([3]),
    zeros([3]),
    batchNormState(),
  );
  assert.throws(
    () => L.batchnormBackwardAlt(ones([3]), bn.cache),
    wrong('batchnormBackwardAlt', '[3]', '[2, 3]'),
  );
  // The right shapes still work.
  assert.deepEqual(L.batchnormBackwardAlt(ones([2, 3]), bn.cache).dbeta.toArray(), [2, 2, 2]);
});
