import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ChainruleError } from '../../src/core/errors.js';
import { Rng } from '../../src/core/random.js';
import { Tensor, tensor } from '../../src/core/tensor.js';
import {
  decodeSafetensors,
  encodeSafetensors,
  loadModule,
  saveModule,
} from '../../src/io/index.js';
import { BatchNorm1d, Linear, ReLU, Sequential, randn } from '../../src/nn/index.js';
import { Adam } from '../../src/optim/index.js';
import { sum } from '../../src/ops/index.js';

const corrupt = (pattern: RegExp) => (e: unknown) =>
  e instanceof ChainruleError &&
  /not a valid safetensors file/.test(e.message) &&
  pattern.test(e.message);

/** A file written by hand from the format description: header length, JSON, little-endian data. */
function handMade(header: object, data: number[], dtype: 'F32' | 'F64' = 'F64'): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const size = dtype === 'F32' ? 4 : 8;
  const out = new Uint8Array(8 + json.length + data.length * size);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  data.forEach((v, i) => {
    const at = 8 + json.length + i * size;
    if (size === 4) view.setFloat32(at, v, true);
    else view.setFloat64(at, v, true);
  });
  return out;
}

test('a hand-written file in the safetensors layout decodes', () => {
  const bytes = handMade(
    {
      b: { dtype: 'F64', shape: [2], data_offsets: [24, 40] },
      a: { dtype: 'F64', shape: [3, 1], data_offsets: [0, 24] },
      __metadata__: { note: 'hi' },
    },
    [1, 2, 3, -0.5, 1e300],
  );
  const { tensors, metadata } = decodeSafetensors(bytes);
  assert.deepEqual(tensors.a!.toArray(), [[1], [2], [3]]);
  assert.deepEqual(tensors.b!.toArray(), [-0.5, 1e300]);
  assert.deepEqual(metadata, { note: 'hi' });
  const f32 = decodeSafetensors(
    handMade({ w: { dtype: 'F32', shape: [], data_offsets: [0, 4] } }, [0.25], 'F32'),
  );
  assert.equal(f32.tensors.w!.dtype, 'float32');
  assert.deepEqual(f32.tensors.w!.shape, []);
});

test('encode → decode is bit-exact for F32 and F64, special values included, and byte-stable', () => {
  const special = tensor([
    0,
    -0,
    NaN,
    Infinity,
    -Infinity,
    5e-324,
    1.7976931348623157e308,
    Math.PI,
  ]);
  const f32 = randn([3, 4], new Rng(1), { dtype: 'float32' });
  const bytes = encodeSafetensors({ special, f32, scalar: tensor(7) }, { spec: 'affine' });
  const view = new DataView(bytes.buffer);
  const headerLength = Number(view.getBigUint64(0, true));
  assert.equal((8 + headerLength) % 8, 0, 'the data starts 8-byte aligned');
  const header = JSON.parse(
    new TextDecoder().decode(bytes.subarray(8, 8 + headerLength)),
  ) as Record<string, { dtype: string; data_offsets: number[] }>;
  assert.deepEqual(Object.keys(header), ['__metadata__', 'f32', 'scalar', 'special']);
  assert.equal(header.f32!.dtype, 'F32');
  const back = decodeSafetensors(bytes);
  assert.deepEqual(
    new Uint8Array(back.tensors.special!.data.buffer),
    new Uint8Array(special.data.buffer),
  );
  assert.deepEqual(back.tensors.f32!.data, f32.data);
  assert.deepEqual(back.tensors.scalar!.shape, []);
  assert.deepEqual(
    encodeSafetensors({ scalar: tensor(7), f32, special }, { spec: 'affine' }),
    bytes,
  );
});

test('truncated and corrupted files are clear errors', () => {
  const good = encodeSafetensors({ w: tensor([1, 2, 3]) });
  assert.throws(
    () => decodeSafetensors(good.subarray(0, 5)),
    corrupt(/fewer than the 8 of the header length/),
  );
  assert.throws(
    () => decodeSafetensors(good.subarray(0, good.length - 1)),
    corrupt(/claims bytes 0–24 of a data section of 23 bytes \(truncated\?\)/),
  );
  assert.throws(
    () => decodeSafetensors(good.subarray(0, 20)),
    corrupt(/the header claims \d+ bytes but only 12 follow/),
  );
  const huge = good.slice();
  new DataView(huge.buffer).setUint32(4, 1, true);
  assert.throws(() => decodeSafetensors(huge), corrupt(/header length 4294967\d+ is more than/));
  const notJson = good.slice();
  notJson[9] = 0x7d; // '}' cuts the JSON short
  assert.throws(() => decodeSafetensors(notJson), corrupt(/the header is not JSON/));
  const cases: [object, number[], RegExp][] = [
    [
      { w: { dtype: 'I64', shape: [1], data_offsets: [0, 8] } },
      [1],
      /the dtype must be F32 or F64 \(what chainrule reads\), got the string "I64"/,
    ],
    [
      { w: { dtype: 'F64', shape: [2], data_offsets: [0, 8] } },
      [1],
      /needs 16 bytes, its offsets give 8/,
    ],
    [
      { w: { dtype: 'F64', shape: [-1], data_offsets: [0, 8] } },
      [1],
      /the shape must be a list of sizes, got the list \[-1\]/,
    ],
    [
      { w: { dtype: 'F64', shape: [1], data_offsets: [8, 16] } },
      [1, 2],
      /bytes 0–8 of the data belong to no tensor/,
    ],
    [
      { w: { dtype: 'F64', shape: [1], data_offsets: [0, 8] } },
      [1, 2],
      /8 bytes after the last tensor/,
    ],
    [
      {
        a: { dtype: 'F64', shape: [2], data_offsets: [0, 16] },
        b: { dtype: 'F64', shape: [1], data_offsets: [8, 16] },
      },
      [1, 2],
      /overlaps/,
    ],
    [
      { w: { dtype: 'F64', shape: [1], data_offsets: [0] } },
      [1],
      /data_offsets must be \[begin, end\], got the list \[0\]/,
    ],
    [{ w: { dtype: 'F64', shape: [1e6, 1e6], data_offsets: [0, 8] } }, [1], /is too large/],
    [{ __metadata__: { n: 1 } }, [], /__metadata__\["n"\] is not a string/],
    [[1, 2], [], /the header does not start with \{|not a JSON object/],
  ];
  for (const [header, data, pattern] of cases) {
    assert.throws(
      () => decodeSafetensors(handMade(header, data)),
      corrupt(pattern),
      JSON.stringify(header),
    );
  }
  assert.throws(() => decodeSafetensors('abc' as never), /bytes must be a Uint8Array/);
  assert.throws(() => encodeSafetensors({ __metadata__: tensor([1]) }), /cannot name a tensor/);
});

test('random corruption never escapes as anything but a ChainruleError', () => {
  const good = encodeSafetensors(
    { w: randn([4, 3], new Rng(2)), b: tensor([1, 2, 3]) },
    { k: 'v' },
  );
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: good.length - 1 }),
      fc.integer({ min: 0, max: 255 }),
      fc.integer({ min: 0, max: good.length }),
      (at, byte, cut) => {
        const bytes = good.slice(0, cut);
        if (at < bytes.length) bytes[at] = byte;
        try {
          decodeSafetensors(bytes);
        } catch (e) {
          assert.ok(e instanceof ChainruleError, String(e));
        }
      },
    ),
    { numRuns: 400 },
  );
});

const net = (seed: number) =>
  new Sequential(
    new Linear(3, 4, { rng: new Rng(seed) }),
    new BatchNorm1d(4),
    new ReLU(),
    new Linear(4, 2, { rng: new Rng(seed + 1) }),
  );

test('save → load → predict gives identical outputs, running statistics and optimizer included', () => {
  const a = net(1);
  const opt = new Adam(a, { learningRate: 0.05 });
  const x = randn([6, 3], new Rng(3));
  for (let i = 0; i < 3; i++) {
    opt.zeroGrad();
    sum(a.forward(x)).backward();
    opt.step();
  }
  const bytes = saveModule(a, {
    optimizer: opt,
    metadata: { spec: 'demo' },
    extra: { mean: tensor([1, 2, 3]) },
  });
  const b = net(9);
  const optB = new Adam(b);
  const loaded = loadModule(b, bytes, { optimizer: optB });
  assert.deepEqual(loaded.metadata, { spec: 'demo' });
  assert.deepEqual(loaded.extra.mean!.toArray(), [1, 2, 3]);
  a.eval();
  b.eval();
  assert.deepEqual(b.forward(x).data, a.forward(x).data);
  assert.deepEqual(Object.keys(b.tensors()), Object.keys(a.tensors()));
  for (const [name, t] of Object.entries(a.tensors()))
    assert.deepEqual(b.tensors()[name]!.data, t.data, name);
  assert.equal(optB.steps, 3);
  assert.deepEqual(optB.stateDict()['0.weight.m']!.data, opt.stateDict()['0.weight.m']!.data);
});

test('a mismatched or corrupted file is a clear error naming the tensor, and changes nothing', () => {
  const source = net(1);
  const bytes = saveModule(source);
  const target = net(2);
  const snapshot = () =>
    Object.fromEntries(Object.entries(target.tensors()).map(([k, t]) => [k, t.data.slice()]));
  const before = snapshot();
  const refused = (bytesIn: Uint8Array, pattern: RegExp, module = target) => {
    assert.throws(
      () => loadModule(module, bytesIn),
      (e: unknown) => e instanceof ChainruleError && pattern.test(e.message),
    );
    assert.deepEqual(snapshot(), before, 'nothing was changed');
  };
  const wider = new Sequential(
    new Linear(3, 5, { rng: new Rng(0) }),
    new BatchNorm1d(5),
    new ReLU(),
    new Linear(5, 2, { rng: new Rng(0) }),
  );
  refused(
    saveModule(wider),
    /"0.weight" has shape \[3, 5\] in the file but \[3, 4\] in the model; nothing was loaded/,
  );
  const renamed = decodeSafetensors(bytes).tensors;
  renamed['3.w'] = renamed['3.weight']!;
  delete renamed['3.weight'];
  refused(
    encodeSafetensors(renamed),
    /the file has no tensor "3.weight" \(the model's is \[4, 2\] F64\)/,
  );
  const extra = { ...decodeSafetensors(bytes).tensors, 'head.bias': tensor([0]) };
  refused(encodeSafetensors(extra), /the file has 1 tensor the model does not: "head.bias"/);
  const f32 = Object.fromEntries(
    Object.entries(decodeSafetensors(bytes).tensors).map(([k, t]) => [
      k,
      new Tensor(Float32Array.from(t.data), t.shape),
    ]),
  );
  refused(encodeSafetensors(f32), /"0.weight" is F32 in the file but F64 in the model/);
  refused(bytes.subarray(0, bytes.length - 8), /truncated/);
  const flipped = bytes.slice();
  flipped[20] = flipped[20]! ^ 0xff;
  refused(flipped, /not a valid safetensors file/);
  assert.throws(
    () => loadModule(target, bytes, { optimizer: new Adam(target) }),
    /the file holds no optimizer state; nothing was loaded/,
  );
  assert.deepEqual(snapshot(), before);
  loadModule(target, bytes);
  assert.deepEqual(target.tensors()['0.weight']!.data, source.tensors()['0.weight']!.data);
});
