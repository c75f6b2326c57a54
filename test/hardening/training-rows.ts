import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '../../src/index.js';
import * as nn from '../../src/nn/index.js';
import * as optim from '../../src/optim/index.js';
import * as data from '../../src/data/index.js';
import * as io from '../../src/io/index.js';
import * as ioNode from '../../src/io/node.js';
import * as viz from '../../src/viz/index.js';
import { row, type Row } from '../support/bad-inputs.js';

// The bad-input rows of the training side: chainrule/nn (layers, modules, initialisers, CS231n's
// models, model specs), chainrule/optim, chainrule/data, chainrule/io (and io/node) and the
// training plots of chainrule/viz. test/hardening/bad-inputs.test.ts runs them with the rest.

const { tensor, zeros, ones } = core;
const t = (shape: number[], fill = 0.5) => core.full(shape, fill);
const m23 = () =>
  tensor([
    [1, 2, 3],
    [4, 5, 6],
  ]);
const rng = () => new core.Rng(1);
const bnState = () => nn.batchNormState();
const images = () => t([2, 1, 4, 4]);

const NN_FUNCTIONS: Row[] = [
  row('affine', nn.affine, () => [m23(), t([3, 2]), t([2])], ['tensor', 'tensor', 'tensor'], {
    extra: [
      () => nn.affine(m23(), t([2, 2]), t([2])),
      () => nn.affine(m23(), t([3, 2]), t([3])),
      () => nn.affine(tensor(1), t([1, 2]), t([2])),
    ],
  }),
  row('leakyRelu', nn.leakyRelu, () => [t([2]), 0.1], ['tensor', 'number'], { optional: [1] }),
  row('dropoutMask', nn.dropoutMask, () => [[2], 0.5, rng()], ['shape', 'rate', 'rng'], {
    accepts: [{ position: 1, values: [1], why: 'a keep ratio of 1 keeps every unit' }],
    // Just over the size limit: refused before the loop that draws one number per element.
    extra: [
      () => nn.dropoutMask([2], 0, rng()),
      () => nn.dropoutMask([2, 2 ** 26 + 1], 0.5, rng()),
    ],
  }),
  row('dropout', nn.dropout, () => [t([2]), { keep: 0.5, rng: rng() }], ['tensor', 'options'], {
    extra: [
      () => nn.dropout(t([2]), { keep: 0, rng: rng() }),
      () => nn.dropout(t([2]), { keep: 0.5 }),
      () => nn.dropout(t([2]), { keep: 0.5, rng: 5 as never }),
      () => nn.dropout(t([2]), { keep: 0.5, rng: rng(), mode: 'test' as never }),
    ],
  }),
  row(
    'conv',
    nn.conv,
    () => [t([1, 1, 3, 3]), t([1, 1, 2, 2]), t([1]), {}],
    ['tensor', 'tensor', 'tensor', 'options'],
    {
      optional: [3],
      extra: [
        () => nn.conv(t([1, 1, 3, 3]), t([1, 1, 2, 2]), t([1]), { pad: 1e5 }),
        () => nn.conv(t([1, 1, 3, 3]), t([1, 2, 2, 2]), t([1])),
      ],
    },
  ),
  row('maxPool', nn.maxPool, () => [t([1, 1, 4, 4]), {}], ['tensor', 'options'], {
    optional: [1],
    extra: [() => nn.maxPool(t([1, 4, 4])), () => nn.maxPool(t([1, 1, 4, 4]), { size: 9 })],
  }),
  row('relu (nn)', nn.relu, () => [t([2])], ['operand'], { reports: 'relu' }),
  row('sigmoid (nn)', nn.sigmoid, () => [t([2])], ['operand'], { reports: 'sigmoid' }),
  row('tanh (nn)', nn.tanh, () => [t([2])], ['operand'], { reports: 'tanh' }),
  row(
    'batchNorm',
    nn.batchNorm,
    () => [m23(), ones([3]), zeros([3]), bnState()],
    ['tensor', 'tensor', 'tensor', 'options'],
    {
      extra: [
        () => nn.batchNorm(m23(), ones([2]), zeros([3]), bnState()),
        () => nn.batchNorm(t([3]), ones([3]), zeros([3]), bnState()),
        () => nn.batchNorm(zeros([0, 3]), ones([3]), zeros([3]), bnState()),
        () => nn.batchNorm(m23(), ones([3]), zeros([3]), { ...bnState(), runningMean: t([5]) }),
        () => nn.batchNorm(m23(), ones([3]), zeros([3]), { ...bnState(), runningVar: 1 as never }),
        () => nn.batchNorm(m23(), ones([3]), zeros([3]), { ...bnState(), momentum: 2 }),
        () => nn.batchNorm(m23(), ones([3]), zeros([3]), { ...bnState(), eps: 0 }),
        () => nn.batchNorm(m23(), ones([3]), zeros([3]), { ...bnState(), mode: 'x' as never }),
      ],
    },
  ),
  row('batchNormState', nn.batchNormState, () => [{}], ['options'], {
    optional: [0],
    extra: [
      () => nn.batchNormState({ momentum: 2 }),
      () => nn.batchNormState({ eps: 0 }),
      () => nn.batchNormState({ mode: 'test' as never }),
    ],
  }),
  row(
    'spatialBatchNorm',
    nn.spatialBatchNorm,
    () => [t([2, 2, 2, 2]), ones([2]), zeros([2]), bnState()],
    ['tensor', 'tensor', 'tensor', 'options'],
    {
      extra: [
        () => nn.spatialBatchNorm(t([2, 2, 2]), ones([2]), zeros([2]), bnState()),
        () => nn.spatialBatchNorm(t([2, 2, 2, 2]), ones([3]), zeros([3]), bnState()),
      ],
    },
  ),
  row(
    'layerNorm',
    nn.layerNorm,
    () => [m23(), ones([3]), zeros([3]), {}],
    ['tensor', 'tensor', 'tensor', 'options'],
    {
      optional: [1, 2, 3],
      extra: [
        () => nn.layerNorm(m23(), ones([4])),
        () => nn.layerNorm(m23(), ones([3]), zeros([2])),
        () => nn.layerNorm(m23(), undefined, undefined, { eps: 0 }),
        () => nn.layerNorm(m23(), undefined, undefined, { normalizedShape: [7] }),
        () => nn.layerNorm(m23(), undefined, undefined, { normalizedShape: [-1] }),
      ],
    },
  ),
  row(
    'groupNorm',
    nn.groupNorm,
    () => [t([1, 4, 2, 2]), ones([4]), zeros([4]), 2, {}],
    ['tensor', 'tensor', 'tensor', 'positiveInt', 'options'],
    {
      optional: [4],
      extra: [
        () => nn.groupNorm(t([1, 4, 2, 2]), ones([4]), zeros([4]), 3),
        () => nn.groupNorm(t([1, 4, 2, 2]), ones([4]), zeros([4]), 2, { eps: -1 }),
      ],
    },
  ),
  row('standardize', nn.standardize, () => [m23(), [0], 1e-5], ['tensor', 'tensors', 'number'], {
    extra: [() => nn.standardize(m23(), [0], 0), () => nn.standardize(m23(), [5], 1e-5)],
  }),
  row('softmaxLoss', nn.softmaxLoss, () => [m23(), [0, 2], {}], ['tensor', 'labels', 'options'], {
    optional: [2],
    extra: [
      () => nn.softmaxLoss(zeros([0, 3]), []),
      () => nn.softmaxLoss(m23(), [0, 3]),
      () => nn.softmaxLoss(m23(), [0, 1], { reduction: 'x' as never }),
    ],
  }),
  row('svmLoss', nn.svmLoss, () => [m23(), [0, 2], {}], ['tensor', 'labels', 'options'], {
    optional: [2],
    extra: [
      () => nn.svmLoss(zeros([0, 3]), []),
      () => nn.svmLoss(m23(), [0, 1], { margin: Number.NaN }),
    ],
  }),
  row('mseLoss', nn.mseLoss, () => [t([2]), t([2]), {}], ['tensor', 'tensor', 'options'], {
    optional: [2],
    extra: [() => nn.mseLoss(zeros([0]), zeros([0])), () => nn.mseLoss(t([2]), t([3]))],
  }),
  row(
    'bceWithLogits',
    nn.bceWithLogits,
    () => [t([2]), t([2]), {}],
    ['tensor', 'tensor', 'options'],
    {
      optional: [2],
      extra: [
        () => nn.bceWithLogits(zeros([0]), zeros([0])),
        () => nn.bceWithLogits(t([2]), t([2], 2)),
      ],
    },
  ),
  row('l2Penalty', nn.l2Penalty, () => [[t([2])], 0.1], [null, 'number'], {
    extra: [
      () => nn.l2Penalty(null as never, 0.1),
      () => nn.l2Penalty([null] as never, 0.1),
      () => nn.l2Penalty([t([2])], -1),
    ],
  }),
  row(
    'checkLabels (nn)',
    nn.checkLabels,
    () => ['svmLoss', [0], 1, 2],
    [null, 'labels', 'count', 'count'],
    {
      reports: 'svmLoss',
      accepts: [
        { position: 3, values: [1e15], why: 'any number of classes above the labels is fine' },
      ],
    },
  ),
  row(
    'affineRelu',
    nn.affineRelu,
    () => [m23(), t([3, 2]), t([2])],
    ['tensor', 'tensor', 'tensor'],
    {
      extra: [() => nn.affineRelu(m23(), t([2, 2]), t([2]))],
    },
  ),
  row(
    'affineNormRelu',
    nn.affineNormRelu,
    () => [m23(), t([3, 2]), t([2]), ones([2]), zeros([2]), { type: 'layernorm' }],
    ['tensor', 'tensor', 'tensor', 'tensor', 'tensor', 'options'],
    {
      extra: [
        () =>
          nn.affineNormRelu(m23(), t([3, 2]), t([2]), ones([2]), zeros([2]), {
            type: 'groupnorm' as never,
          }),
        () =>
          nn.affineNormRelu(m23(), t([3, 2]), t([2]), ones([2]), zeros([2]), {
            type: 'batchnorm',
          } as never),
        () =>
          nn.affineNormRelu(m23(), t([3, 2]), t([2]), ones([3]), zeros([3]), {
            type: 'batchnorm',
            state: bnState(),
          }),
      ],
    },
  ),
  row(
    'convRelu',
    nn.convRelu,
    () => [t([1, 1, 3, 3]), t([1, 1, 2, 2]), t([1]), {}],
    ['tensor', 'tensor', 'tensor', 'options'],
    { optional: [3], extra: [() => nn.convRelu(t([1, 1, 3, 3]), t([1, 1, 5, 5]), t([1]))] },
  ),
  row(
    'convReluPool',
    nn.convReluPool,
    () => [t([1, 1, 4, 4]), t([1, 1, 1, 1]), t([1]), {}, {}],
    ['tensor', 'tensor', 'tensor', 'options', 'options'],
    {
      optional: [3, 4],
      extra: [() => nn.convReluPool(t([1, 1, 4, 4]), t([1, 1, 1, 1]), t([1]), {}, { size: 9 })],
    },
  ),
];

const linear = () => new nn.Linear(3, 2, { rng: rng() });
/** A layer's forward with one argument varied; errors name `<Class>.forward`. */
const forwardRow = (name: string, make: () => nn.Layer, x: () => core.Tensor, extra = {}) =>
  row(
    `${name}.forward`,
    (input: unknown) => make().forward(input as core.Tensor),
    () => [x()],
    ['tensor'],
    extra,
  );

const NN_MODULES: Row[] = [
  row(
    'new Module',
    () => new nn.Module(),
    () => [],
    [],
    { reports: 'Module' },
  ),
  row(
    'Module.forward',
    () => new nn.Module().forward(),
    () => [],
    [],
    {
      // The base class has no computation: calling it is the error this row checks.
    },
  ),
  row(
    'Module.train',
    (phase: unknown) => new nn.Sequential(new nn.ReLU()).train(phase as nn.Phase),
    () => ['eval'],
    ['string'],
    {
      reports: 'Sequential.train',
      optional: [0],
      extra: [() => new nn.Sequential(new nn.ReLU()).train('test' as never)],
    },
  ),
  row(
    'new Sequential',
    (...layers: unknown[]) => new nn.Sequential(...(layers as nn.Layer[])),
    () => [new nn.ReLU()],
    ['module'],
    { reports: 'Sequential' },
  ),
  forwardRow('Sequential', () => new nn.Sequential(linear(), new nn.ReLU()), m23, {
    extra: [() => new nn.Sequential(linear()).forward(t([2, 4]))],
  }),
  row(
    'new Linear',
    (a: unknown, b: unknown, o: unknown) => new nn.Linear(a as number, b as number, o as never),
    () => [3, 2, { rng: rng() }],
    ['positiveInt', 'positiveInt', 'options'],
    {
      reports: 'Linear',
      extra: [
        () => new nn.Linear(3, 2, { rng: 1 as never }),
        () => new nn.Linear(3, 2, { rng: rng(), init: 'he' as never }),
        () => new nn.Linear(3, 2, { rng: rng(), init: { weightScale: -1 } }),
        () => new nn.Linear(3, 2, { rng: rng(), dtype: 'int8' as never }),
        () => new nn.Linear(3, 2, { rng: rng(), bias: 'no' as never }),
        () => new nn.Linear(1e5, 1e5, { rng: rng() }),
      ],
    },
  ),
  forwardRow('Linear', linear, m23, { extra: [() => linear().forward(t([2, 4]))] }),
  row(
    'new Conv2d',
    (c: unknown, f: unknown, k: unknown, o: unknown) =>
      new nn.Conv2d(c as number, f as number, k as number, o as never),
    () => [1, 2, 3, { rng: rng(), pad: 1 }],
    ['positiveInt', 'positiveInt', 'positiveInt', 'options'],
    {
      reports: 'Conv2d',
      extra: [
        () => new nn.Conv2d(1, 2, [3, 0], { rng: rng() }),
        () => new nn.Conv2d(1, 2, 3, { rng: rng(), stride: 0 }),
        () => new nn.Conv2d(1, 2, 3, { rng: rng(), pad: -1 }),
        () => new nn.Conv2d(65536, 65536, 3, { rng: rng() }),
      ],
    },
  ),
  forwardRow('Conv2d', () => new nn.Conv2d(1, 2, 3, { rng: rng(), pad: 1 }), images, {
    extra: [() => new nn.Conv2d(2, 2, 3, { rng: rng() }).forward(images())],
  }),
  row(
    'new MaxPool2d',
    (s: unknown, o: unknown) => new nn.MaxPool2d(s as number, o as never),
    () => [2, {}],
    ['positiveInt', 'options'],
    { reports: 'MaxPool2d', optional: [0, 1], extra: [() => new nn.MaxPool2d(2, { stride: 0 })] },
  ),
  forwardRow('MaxPool2d', () => new nn.MaxPool2d(2), images, {
    extra: [() => new nn.MaxPool2d(8).forward(images())],
  }),
  ...(['BatchNorm1d', 'BatchNorm2d'] as const).map((name) =>
    row(
      `new ${name}`,
      (d: unknown, o: unknown) => new nn[name](d as number, o as never),
      () => [2, {}],
      ['positiveInt', 'options'],
      {
        optional: [1],
        extra: [
          () => new nn[name](2, { momentum: 2 }),
          () => new nn[name](2, { eps: 0 }),
          () => new nn[name](2, { dtype: 'int8' as never }),
          () => new nn[name](2 ** 28),
        ],
      },
    ),
  ),
  forwardRow('BatchNorm1d', () => new nn.BatchNorm1d(3), m23, {
    extra: [() => new nn.BatchNorm1d(2).forward(m23())],
  }),
  forwardRow('BatchNorm2d', () => new nn.BatchNorm2d(1), images, {
    extra: [() => new nn.BatchNorm2d(2).forward(images())],
  }),
  row(
    'new LayerNorm',
    (s: unknown, o: unknown) => new nn.LayerNorm(s as number, o as never),
    () => [3, {}],
    ['shape', 'options'],
    {
      reports: 'LayerNorm',
      optional: [1],
      accepts: [{ position: 0, values: [5], why: 'one size is a valid shape' }],
      extra: [
        () => new nn.LayerNorm([]),
        () => new nn.LayerNorm([0]),
        () => new nn.LayerNorm(3, { eps: 0 }),
        () => new nn.LayerNorm(3, { dtype: 'int8' as never }),
      ],
    },
  ),
  forwardRow('LayerNorm', () => new nn.LayerNorm(3), m23, {
    extra: [() => new nn.LayerNorm(4).forward(m23())],
  }),
  row(
    'new Dropout',
    (o: unknown) => new nn.Dropout(o as never),
    () => [{ keep: 0.5, rng: rng() }],
    ['options'],
    {
      reports: 'Dropout',
      extra: [
        () => new nn.Dropout({ keep: 0 }),
        () => new nn.Dropout({ keep: 0.5 }),
        () => new nn.Dropout({ keep: 0.5, seed: -1 }),
        () => new nn.Dropout({ keep: 0.5, rng: 1 as never }),
      ],
    },
  ),
  forwardRow('Dropout', () => new nn.Dropout({ keep: 0.5, seed: 3 }), m23),
  forwardRow('ReLU', () => new nn.ReLU(), m23),
  forwardRow('Tanh', () => new nn.Tanh(), m23),
  forwardRow('Sigmoid', () => new nn.Sigmoid(), m23),
  forwardRow('Flatten', () => new nn.Flatten(), m23, {
    extra: [() => new nn.Flatten().forward(tensor(1))],
  }),
  row(
    'new Classifier',
    (net: unknown, o: unknown) => new nn.Classifier(net as nn.Layer, o as never),
    () => [linear(), {}],
    ['module', 'options'],
    {
      reports: 'Classifier',
      optional: [1],
      extra: [
        () => new nn.Classifier(linear(), { loss: 'hinge' as never }),
        () => new nn.Classifier(linear(), { reg: -1 }),
      ],
    },
  ),
  row(
    'Classifier.loss',
    (X: unknown, y: unknown) => new nn.Classifier(linear()).loss(X as core.Tensor, y as never),
    () => [m23(), [0, 1]],
    ['tensor', 'labels'],
    {
      optional: [1],
      extra: [
        () => new nn.Classifier(linear()).loss(t([2, 4]), [0, 1]),
        () => new nn.Classifier(linear()).loss(m23(), [0, 2]),
        () => new nn.Classifier(linear(), { loss: 'mse' }).loss(m23(), [0]),
        () => new nn.Classifier(new nn.ReLU()).loss(t([2]), [0, 1]),
      ],
    },
  ),
  row(
    'Classifier.forward',
    (X: unknown, phase: unknown) =>
      new nn.Classifier(linear()).forward(X as core.Tensor, phase as nn.Phase),
    () => [m23(), 'eval'],
    ['tensor', 'string'],
    { optional: [1] },
  ),
];

const twoLayer = () => new nn.TwoLayerNet({ inputDim: 3, hiddenDim: 4, numClasses: 2 });
const fcNet = () =>
  new nn.FullyConnectedNet([4], {
    inputDim: 3,
    numClasses: 2,
    normalization: 'batchnorm',
    dropoutKeepRatio: 0.5,
    dropoutSeed: 1,
  });
const convNet = () =>
  new nn.ThreeLayerConvNet({
    inputDim: [1, 4, 4],
    numFilters: 2,
    filterSize: 3,
    hiddenDim: 3,
    numClasses: 2,
  });

/** The options every CS231n model takes, wrong. */
const modelOptionCases = (make: (o: object) => unknown) => [
  () => make({ numClasses: 0 }),
  () => make({ weightScale: Number.NaN }),
  () => make({ reg: -1 }),
  () => make({ seed: -1 }),
  () => make({ dtype: 'int8' }),
];

const NN_MODELS: Row[] = [
  row(
    'new TwoLayerNet',
    (o: unknown) => new nn.TwoLayerNet(o as never),
    () => [{ inputDim: 3 }],
    ['options'],
    {
      reports: 'TwoLayerNet',
      extra: [
        () => new nn.TwoLayerNet({ hiddenDim: 0 }),
        () => new nn.TwoLayerNet({ inputDim: 1e5, hiddenDim: 1e5 }),
        ...modelOptionCases((o) => new nn.TwoLayerNet({ inputDim: 3, ...o })),
      ],
    },
  ),
  row(
    'TwoLayerNet.loss',
    (X: unknown, y: unknown) => twoLayer().loss(X as core.Tensor, y as never),
    () => [m23(), [0, 1]],
    ['tensor', 'labels'],
    {
      optional: [1],
      extra: [() => twoLayer().loss(t([2, 4]), [0, 1]), () => twoLayer().loss(m23(), [0, 2])],
    },
  ),
  row(
    'new FullyConnectedNet',
    (h: unknown, o: unknown) => new nn.FullyConnectedNet(h as number[], o as never),
    () => [[4], { inputDim: 3, numClasses: 2 }],
    ['shape', 'options'],
    {
      reports: 'FullyConnectedNet',
      optional: [1],
      accepts: [
        {
          position: 0,
          values: [Array.from({ length: 40 }, () => 1)],
          why: '40 hidden layers of one unit is a valid (if useless) network',
        },
      ],
      extra: [
        () => new nn.FullyConnectedNet([4], { inputDim: 3, normalization: 'groupnorm' as never }),
        () => new nn.FullyConnectedNet([4], { inputDim: 3, dropoutKeepRatio: 0 }),
        () => new nn.FullyConnectedNet([4], { inputDim: 3, dropoutSeed: 1.5 }),
        () => new nn.FullyConnectedNet([0], { inputDim: 3 }),
        () => new nn.FullyConnectedNet(new Array(1001).fill(1) as number[], { inputDim: 3 }),
        ...modelOptionCases((o) => new nn.FullyConnectedNet([4], { inputDim: 3, ...o })),
      ],
    },
  ),
  row(
    'FullyConnectedNet.loss',
    (X: unknown, y: unknown) => fcNet().loss(X as core.Tensor, y as never),
    () => [m23(), [0, 1]],
    ['tensor', 'labels'],
    {
      optional: [1],
      extra: [() => fcNet().loss(t([2, 4]), [0, 1]), () => fcNet().loss(zeros([0, 3]), [])],
    },
  ),
  row(
    'FullyConnectedNet.forward',
    (X: unknown, phase: unknown) => fcNet().forward(X as core.Tensor, phase as nn.Phase),
    () => [m23(), 'eval'],
    ['tensor', 'string'],
    { optional: [1] },
  ),
  row(
    'new ThreeLayerConvNet',
    (o: unknown) => new nn.ThreeLayerConvNet(o as never),
    () => [{ inputDim: [1, 4, 4], numFilters: 2, filterSize: 3, hiddenDim: 3 }],
    ['options'],
    {
      reports: 'ThreeLayerConvNet',
      extra: [
        () => new nn.ThreeLayerConvNet({ inputDim: [1, 4] as never }),
        () => new nn.ThreeLayerConvNet({ inputDim: [1, 4, 4], filterSize: 2 }),
        () => new nn.ThreeLayerConvNet({ inputDim: [1, 1, 1] }),
        () => new nn.ThreeLayerConvNet({ inputDim: [1, 60000, 60000] }),
        ...modelOptionCases((o) => new nn.ThreeLayerConvNet({ inputDim: [1, 4, 4], ...o })),
      ],
    },
  ),
  row(
    'ThreeLayerConvNet.loss',
    (X: unknown, y: unknown) => convNet().loss(X as core.Tensor, y as never),
    () => [images(), [0, 1]],
    ['tensor', 'labels'],
    { optional: [1], extra: [() => convNet().loss(t([2, 1, 5, 5]), [0, 1])] },
  ),
];

const initialisers = ['xavierNormal', 'xavierUniform', 'kaimingNormal', 'kaimingUniform'] as const;
const NN_INIT: Row[] = [
  row('randn', nn.randn, () => [[2, 3], rng(), {}], ['shape', 'rng', 'options'], {
    optional: [2],
    extra: [
      () => nn.randn([2], rng(), { std: -1 }),
      () => nn.randn([2], rng(), { mean: Number.NaN }),
      () => nn.randn([2], rng(), { dtype: 'int8' as never }),
    ],
  }),
  row('uniform', nn.uniform, () => [[2, 3], rng(), {}], ['shape', 'rng', 'options'], {
    optional: [2],
    extra: [() => nn.uniform([2], rng(), { low: 1, high: 0 })],
  }),
  ...initialisers.map((name) =>
    row(name, nn[name], () => [[2, 3], rng(), {}], ['shape', 'rng', 'options'], {
      optional: [2],
      extra: [
        () => nn[name]([2, 3, 4], rng()),
        () => nn[name]([2, 3], rng(), { gain: 0 }),
        () => nn[name]([2, 3], rng(), { fanIn: 0, fanOut: 1 }),
        () => nn[name]([0, 3], rng()),
      ],
    }),
  ),
  row('fansOf', nn.fansOf, () => [[16, 3, 5, 5]], ['shape'], { extra: [() => nn.fansOf([3])] }),
  row(
    'initWeight',
    nn.initWeight,
    () => ['Linear', [2, 3], 'kaiming', rng(), 'float64'],
    [null, 'shape', null, 'rng', null],
    {
      reports: 'Linear',
      optional: [4],
      extra: [
        () => nn.initWeight('Linear', [2, 3], 'he' as never, rng()),
        () => nn.initWeight('Linear', [2, 3], { weightScale: -1 }, rng()),
        () => nn.initWeight('Linear', [2, 3], 'xavier', rng(), 'int8' as never),
        () => nn.initWeight('Linear', [1e5, 1e5], 'kaiming', rng()),
      ],
    },
  ),
  row('checkPhase', nn.checkPhase, () => ['dropout', 'eval'], [null, 'string'], {
    reports: 'dropout',
    extra: [() => nn.checkPhase('dropout', 'test'), () => nn.checkPhase('dropout', 10n)],
  }),
  row('parseModelSpec', nn.parseModelSpec, () => ['affine(10)-relu-affine'], ['string'], {
    extra: [
      () => nn.parseModelSpec('affine('),
      () => nn.parseModelSpec('afine'),
      () => nn.parseModelSpec('affine(1e400)'),
      () => nn.parseModelSpec('relu-'.repeat(150) + 'relu'),
      () => nn.parseModelSpec('x'.repeat(2000)),
      () => nn.parseModelSpec('affine\u202e(2)'),
      () => nn.parseModelSpec(''),
    ],
  }),
  row(
    'buildModel',
    nn.buildModel,
    () => ['affine(4)-relu-affine', { inputShape: [2], numClasses: 3, rng: rng() }],
    ['string', 'options'],
    {
      extra: [
        () => nn.buildModel('affine', { inputShape: [2], numClasses: 0, rng: rng() }),
        () => nn.buildModel('affine', { inputShape: [2], numClasses: 3, rng: 1 as never }),
        () => nn.buildModel('affine', { inputShape: [0], numClasses: 3, rng: rng() }),
        () => nn.buildModel('affine', { inputShape: 2 as never, numClasses: 3, rng: rng() }),
        () => nn.buildModel('conv(2,3)-affine', { inputShape: [4], numClasses: 3, rng: rng() }),
        () =>
          nn.buildModel('conv(100000,3)-affine', {
            inputShape: [1, 4, 4],
            numClasses: 3,
            rng: rng(),
          }),
        () =>
          nn.buildModel('affine(1000000)-affine(1000000)-affine', {
            inputShape: [2],
            numClasses: 3,
            rng: rng(),
          }),
        () => nn.buildModel('affine(4)-relu', { inputShape: [2], numClasses: 3, rng: rng() }),
        () =>
          nn.buildModel('affine', {
            inputShape: [2],
            numClasses: 3,
            rng: rng(),
            init: 'x' as never,
          }),
        () =>
          nn.buildModel('affine', {
            inputShape: [2],
            numClasses: 3,
            rng: rng(),
            dtype: 'int8' as never,
          }),
      ],
    },
  ),
];

const param = () => tensor([1, 2], { requiresGrad: true });
const sgd = () => new optim.SGD({ w: param() });
/** The constructors of the optimizers, with the settings each must refuse. */
const optimizerCases: [keyof typeof optim.OPTIMIZERS, object[]][] = [
  ['sgd', []],
  ['momentum', [{ momentum: 1 }, { momentum: -0.5 }]],
  ['rmsprop', [{ decayRate: 2 }, { epsilon: 0 }]],
  ['adam', [{ beta1: 1 }, { beta2: 1.5 }, { epsilon: -1 }]],
  ['adamw', [{ weightDecay: -1 }, { beta1: Number.NaN }]],
];

const OPTIM: Row[] = [
  ...optimizerCases.map(([key, wrong]) => {
    const Optimizer = optim.OPTIMIZERS[key];
    const make = (p: unknown, o: unknown) => new Optimizer(p as never, o as never);
    return row(`new ${Optimizer.name}`, make, () => [{ w: param() }, {}], ['options', 'options'], {
      optional: [1],
      extra: [
        ...wrong.map((o) => () => make({ w: param() }, o)),
        () => make({ w: param() }, { learningRate: -1 }),
        () => make({ w: param() }, { clipNorm: 0 }),
        () => make({ w: param() }, { clipValue: Number.NaN }),
        () => make({ w: core.mul(param(), 2) }, {}),
        () => make({ w: 5 }, {}),
        () => make({}, {}),
      ],
    });
  }),
  row(
    'new RuleOptimizer',
    (r: unknown, p: unknown, c: unknown) =>
      new optim.RuleOptimizer(r as never, p as never, c as never),
    () => [optim.sgd, { w: param() }, {}],
    ['function', 'options', 'options'],
    {
      reports: 'RuleOptimizer',
      optional: [2],
      extra: [() => new optim.RuleOptimizer(optim.sgd, { w: param() }, { learningRate: -1 })],
    },
  ),
  row(
    'Optimizer.step',
    (g: unknown) => sgd().step(g as never),
    () => [{ w: t([2]) }],
    ['options'],
    {
      reports: 'SGD.step',
      optional: [0],
      extra: [() => sgd().step({ w: t([3]) }), () => sgd().step({ w: 5 as never })],
    },
  ),
  row(
    'Optimizer.loadStateDict',
    (d: unknown) => sgd().loadStateDict(d as never),
    () => [sgd().stateDict()],
    ['options'],
    {
      reports: 'SGD.loadStateDict',
      extra: [
        () => sgd().loadStateDict({ learningRate: tensor(-1), steps: tensor(0) }),
        () => sgd().loadStateDict({ learningRate: tensor(0.1), steps: tensor(0.5) }),
        () =>
          sgd().loadStateDict({
            learningRate: tensor(0.1),
            steps: tensor(0),
            'x.velocity': t([2]),
          }),
        () =>
          sgd().loadStateDict({
            learningRate: tensor(0.1),
            steps: tensor(0),
            'w.velocity': t([3]),
          }),
        () =>
          sgd().loadStateDict({
            learningRate: tensor(0.1),
            steps: tensor(0),
            'w.velocity': 5 as never,
          }),
      ],
    },
  ),
  row('namedParameters', optim.namedParameters, () => ['SGD', { w: param() }], [null, 'options'], {
    reports: 'SGD',
  }),
  ...(['clipGradNorm', 'clipGradValue'] as const).map((name) =>
    row(name, optim[name], () => [{ w: t([2]) }, 1], ['options', 'number'], {
      extra: [
        () => optim[name]({ w: t([2]) }, 0),
        () => optim[name]({ w: 5 as never }, 1),
        () => optim[name]({ w: t([2]) }, -1),
      ],
    }),
  ),
  row('constantLr', optim.constantLr, () => [0.1], ['number'], {
    extra: [
      () => optim.constantLr(-1),
      () => optim.constantLr(0.1)(-1),
      () => optim.constantLr(0.1)(1.5),
      () => optim.constantLr(0.1)('a' as never),
    ],
  }),
  row('stepDecay', optim.stepDecay, () => [1, { every: 10, gamma: 0.5 }], ['number', 'options'], {
    extra: [
      () => optim.stepDecay(1, { every: 0, gamma: 0.5 }),
      () => optim.stepDecay(1, { every: 10, gamma: 2 }),
      () => optim.stepDecay(1, { every: 10, gamma: 0.5 })(Number.NaN),
    ],
  }),
  row('cosineDecay', optim.cosineDecay, () => [1, { steps: 10 }], ['number', 'options'], {
    extra: [
      () => optim.cosineDecay(1, { steps: 10, minLr: 2 }),
      () => optim.cosineDecay(1, { steps: 0 }),
      () => optim.cosineDecay(1, { steps: 10 })(-1),
    ],
  }),
  row('warmup', optim.warmup, () => [optim.constantLr(1), { steps: 2 }], ['function', 'options'], {
    extra: [
      () => optim.warmup(optim.constantLr(1), { steps: 0 }),
      () => optim.warmup(() => Number.NaN, { steps: 2 })(0),
      () => optim.warmup(() => -1, { steps: 2 })(5),
      () => optim.warmup(optim.constantLr(1), { steps: 2 })(-1),
    ],
  }),
  row(
    'new EarlyStopping',
    (o: unknown) => new optim.EarlyStopping(o as never),
    () => [{ patience: 2 }],
    ['options'],
    {
      reports: 'EarlyStopping',
      extra: [
        () => new optim.EarlyStopping({ patience: 0 }),
        () => new optim.EarlyStopping({ patience: 2, minDelta: -1 }),
      ],
    },
  ),
  row(
    'EarlyStopping.update',
    (s: unknown) => new optim.EarlyStopping({ patience: 2 }).update(s as number),
    () => [0.5],
    ['number'],
  ),
];

const solverModel = () => new nn.Classifier(new nn.Linear(2, 2, { rng: rng() }));
const solverData = () => ({
  XTrain: tensor([
    [1, 0],
    [0, 1],
    [1, 1],
    [0, 0],
  ]),
  yTrain: [0, 1, 0, 1],
  XVal: tensor([
    [1, 0],
    [0, 1],
  ]),
  yVal: [0, 1],
});
const quiet = { verbose: false, numEpochs: 1, batchSize: 2 };
const solver = (o: optim.SolverOptions = {}) =>
  new optim.Solver(solverModel(), solverData(), { ...quiet, ...o });

const SOLVER: Row[] = [
  row(
    'new Solver',
    (m: unknown, d: unknown, o: unknown) => new optim.Solver(m as never, d as never, o as never),
    () => [solverModel(), solverData(), { ...quiet }],
    ['options', 'options', 'options'],
    {
      reports: 'Solver',
      extra: [
        () => solver({ updateRule: 'nesterov' as never }),
        () => solver({ optimConfig: { learningRate: -1 } }),
        () => solver({ updateRule: 'sgdMomentum', optimConfig: { momentum: 5 } }),
        () => solver({ updateRule: 'adam', optimConfig: { beta2: 1.5 } }),
        () => solver({ batchSize: 0 }),
        () => solver({ numEpochs: -1 }),
        () => solver({ batches: 'all' as never }),
        () => solver({ lrSchedule: 5 as never }),
        () => solver({ lrSchedule: optim.constantLr(1), lrDecay: 0.5 }),
        () => solver({ earlyStopping: { patience: 0 } }),
        () => solver({ log: 5 as never, verbose: true }),
        () => solver({ onProgress: 'x' as never }),
        () => solver({ clipNorm: 0 }),
        () => solver({ seed: -1 }),
        () => new optim.Solver(solverModel(), { ...solverData(), yTrain: [0, 1] }, quiet),
        () => new optim.Solver(solverModel(), { ...solverData(), XVal: t([2]) }, quiet),
        () => new optim.Solver({ params: {}, loss: () => tensor(0) }, solverData(), quiet),
        () =>
          new optim.Solver(
            { params: { w: 5 }, loss: () => tensor(0) } as never,
            solverData(),
            quiet,
          ),
        () => new optim.Solver({ params: { w: param() }, loss: 5 } as never, solverData(), quiet),
        // Training that goes wrong is the Solver's error too.
        () => solver({ lrSchedule: () => Number.NaN }).train(),
        () =>
          new optim.Solver(
            {
              params: { w: param() },
              // Scores without labels; with them, a gradient whose update overflows the weight.
              loss: (X: core.Tensor, y?: number[]) =>
                y === undefined
                  ? zeros([X.shape[0]!, 2])
                  : { loss: 1, grads: { w: t([2], 1e308) } },
            },
            solverData(),
            { ...quiet, optimConfig: { learningRate: 1e308 } },
          ).train(),
        () =>
          new optim.Solver(
            { params: { w: param() }, loss: () => null } as never,
            solverData(),
            quiet,
          ).train(),
        () =>
          new optim.Solver(
            { params: { w: param() }, loss: () => ({ loss: 1, grads: { w: t([3]) } }) },
            solverData(),
            quiet,
          ).train(),
      ],
    },
  ),
  row(
    'Solver.checkAccuracy',
    (X: unknown, y: unknown, n: unknown, b: unknown) =>
      solver().checkAccuracy(X as core.Tensor, y as never, n as number, b as number),
    () => [solverData().XVal, [0, 1], null, 100],
    ['tensor', 'labels', 'positiveInt', 'positiveInt'],
    {
      optional: [2, 3],
      accepts: [
        { position: 2, values: [null], why: 'null means every example' },
        {
          position: 2,
          values: [1e15],
          why: 'more samples than examples means every example; nothing is sized by it',
        },
      ],
      extra: [() => solver().checkAccuracy(solverData().XVal, [0, 1, 1])],
    },
  ),
  row(
    'Solver.restore',
    (c: unknown) => solver().restore(c as optim.Checkpoint),
    () => [solver().checkpoint()],
    ['options'],
    {
      extra: [
        () => solver().restore({ ...solver().checkpoint(), epoch: -1 }),
        () => solver().restore({ ...solver().checkpoint(), lossHistory: [Number.NaN] }),
        () => solver().restore({ ...solver().checkpoint(), bestValAcc: 2 }),
        () => solver().restore({ ...solver().checkpoint(), optimizer: {} }),
        () => solver().restore({ ...solver().checkpoint(), params: {} }),
      ],
    },
  ),
];

const dataset = (n = 4) => ({
  X: t([n, 2]),
  y: Array.from({ length: n }, (_, i) => i % 2),
  numClasses: 2,
});
/** Fake MNIST digits for splitMnist: ten digits of two samples each. */
const digits = () =>
  Array.from({ length: 10 }, () => ({
    length: 2,
    range: () => [new Array<number>(784).fill(0.5), new Array<number>(784).fill(0)],
  }));
const cifarRecord = (label = 3) => {
  const bytes = new Uint8Array(data.CIFAR10_RECORD_BYTES).fill(7);
  bytes[0] = label;
  return bytes;
};
const synthetic = ['spiral', 'moons', 'circles', 'xor', 'blobs'] as const;

const DATA: Row[] = [
  ...synthetic.map((name) =>
    row(name, data[name], () => [{ rng: rng() }], ['options'], {
      extra: [
        () => data[name]({ rng: 1 as never }),
        () => data[name]({ rng: { next: () => 0.5 } as never }),
        () => data[name]({ rng: rng(), noise: -1, std: -1 }),
        () => data[name]({ rng: rng(), n: 0, pointsPerClass: 0 }),
        () => data[name]({ rng: rng(), n: 1e7, pointsPerClass: 1e7 }),
      ],
    }),
  ),
  row('makeMoons', data.makeMoons, () => [10, { rng: rng() }], ['positiveInt', 'options'], {
    extra: [
      () => data.makeMoons(10, { rng: 1 as never }),
      () => data.makeMoons(10, { rng: rng(), noise: Number.NaN }),
    ],
  }),
  row('checkDataset', data.checkDataset, () => ['minibatches', dataset()], [null, 'options'], {
    reports: 'minibatches',
    extra: [
      () => data.checkDataset('minibatches', { X: t([2, 2]), y: [0], numClasses: 2 }),
      () => data.checkDataset('minibatches', { X: t([2, 2]), y: [0, 5], numClasses: 2 }),
      () => data.checkDataset('minibatches', { X: t([2, 2]), y: [0, 1], numClasses: 0 }),
      () => data.checkDataset('minibatches', { X: tensor(1), y: [], numClasses: 1 }),
    ],
  }),
  row('subset', data.subset, () => [dataset(), [0, 1]], ['options', 'labels']),
  row('takeRows', data.takeRows, () => [m23(), [1, 0]], ['tensor', 'labels']),
  row(
    'minibatches',
    data.minibatches,
    () => [dataset(), { batchSize: 2, rng: rng() }],
    ['options', 'options'],
    {
      extra: [
        () => data.minibatches(dataset(), { batchSize: 0 }),
        () => data.minibatches(dataset(), { batchSize: 2, rng: 5 as never }),
        () => data.minibatches(dataset(), { batchSize: 2, dropLast: 'yes' as never }),
      ],
    },
  ),
  row(
    'splitDataset',
    data.splitDataset,
    () => [dataset(10), { train: 6, val: 2, rng: rng() }],
    ['options', 'options'],
    {
      extra: [
        () => data.splitDataset(dataset(10), { train: 6, val: 6, rng: rng() }),
        () => data.splitDataset(dataset(10), { train: 0, val: 2, rng: rng() }),
        () => data.splitDataset(dataset(10), { train: 6, val: 2 } as never),
      ],
    },
  ),
  row('fitStandardizer', data.fitStandardizer, () => [m23()], ['tensor'], {
    extra: [
      () => data.fitStandardizer(tensor([[Number.NaN, 1]])),
      () => data.fitStandardizer(zeros([0, 3])),
      () => data.fitStandardizer(tensor(1)),
    ],
  }),
  row(
    'Standardizer.apply',
    (X: unknown) => data.fitStandardizer(m23()).apply(X as core.Tensor),
    () => [t([1, 3])],
    ['tensor'],
    { extra: [() => data.fitStandardizer(m23()).apply(t([2, 4]))] },
  ),
  row(
    'standardizerOf',
    data.standardizerOf,
    () => [Float64Array.of(1), Float64Array.of(2)],
    [null, null],
    {
      extra: [
        () => data.standardizerOf([1] as never, [2] as never),
        () => data.standardizerOf(Float64Array.of(1), Float64Array.of(0)),
        () => data.standardizerOf(Float64Array.of(Number.NaN), Float64Array.of(1)),
        () => data.standardizerOf(Float64Array.of(1), Float64Array.of(1, 2)),
      ],
    },
  ),
  row(
    'confusionMatrix',
    data.confusionMatrix,
    () => [[0, 1, 1], [0, 1, 0], 2],
    ['labels', 'labels', 'positiveInt'],
    { extra: [() => data.confusionMatrix([0, 1], [0], 2)] },
  ),
  row(
    'perClassAccuracy',
    data.perClassAccuracy,
    () => [
      [
        [1, 1],
        [0, 1],
      ],
    ],
    ['tensors'],
    {
      accepts: [{ position: 0, values: [[]], why: 'a 0×0 matrix has no classes: []' }],
      extra: [
        () => data.perClassAccuracy([[1, 2]]),
        () => data.perClassAccuracy([[-1]]),
        () => data.perClassAccuracy([[0.5]]),
      ],
    },
  ),
  row(
    'accuracy',
    data.accuracy,
    () => [
      [0, 1],
      [0, 0],
    ],
    ['labels', 'labels'],
    {
      extra: [
        () => data.accuracy([], []),
        () => data.accuracy('ab' as never, 'ab' as never),
        () => data.accuracy([0.5, 1], [0, 1]),
      ],
    },
  ),
  row(
    'parseCsv',
    data.parseCsv,
    () => ['x,y,label\n0.5,1,0\n-1,2,1\n', {}],
    ['string', 'options'],
    {
      optional: [1],
      extra: [
        () => data.parseCsv('x,label\n1,0\n2\n'),
        () => data.parseCsv('x,label\nabc,0\n'),
        () => data.parseCsv(''),
        () => data.parseCsv('x,label\n'),
        () => data.parseCsv('x,label\n"1,0\n'),
        () => data.parseCsv('x,label\n1,0\n', { label: 'nope' }),
        () => data.parseCsv('x,label\n1,0\n', { label: 7 }),
        () => data.parseCsv('x,label\n1,0\n', { label: {} as never }),
        () => data.parseCsv('x,label\n1,0\n', { delimiter: ';;' }),
        () => data.parseCsv('x\n1\n'),
      ],
    },
  ),
  row('parseCsvFeatures', data.parseCsvFeatures, () => ['x,y\n1,2\n', {}], ['string', 'options'], {
    optional: [1],
    extra: [
      () => data.parseCsvFeatures('x,y\n1,a\n'),
      () => data.parseCsvFeatures('x,y\n1,2\n', { drop: {} as never }),
      () => data.parseCsvFeatures('x,y\n1,2\n', { drop: 5 }),
    ],
  }),
  row('parseCifar10', data.parseCifar10, () => [cifarRecord()], ['bytes'], {
    extra: [() => data.parseCifar10(cifarRecord(10)), () => data.parseCifar10(new Uint8Array(0))],
  }),
  row(
    'splitMnist',
    data.splitMnist,
    () => [digits(), { train: 10, val: 5, test: 5 }],
    ['options', 'options'],
    {
      accepts: [{ position: 0, values: [[]], why: 'a list is what the mnist package exports' }],
      extra: [
        () => data.splitMnist(digits(), { train: 30, val: 0, test: 0 }),
        () => data.splitMnist(digits(), { train: 0 }),
        () => data.splitMnist([], { train: 1, val: 0, test: 0 }),
        () =>
          data.splitMnist(
            digits().map((d) => ({ ...d, range: () => [[1, 2]] })),
            { train: 1, val: 0, test: 0 },
          ),
        () =>
          data.splitMnist(
            digits().map((d) => ({ ...d, length: 1e9 })),
            { train: 1, val: 0, test: 0 },
          ),
      ],
    },
  ),
  row('loadMnist', data.loadMnist, () => [{ train: 1, val: 0, test: 0 }], ['options'], {
    // The optional mnist package takes seconds to load the first time: once, before the row.
    prepare: () => data.loadMnist({ train: 1, val: 0, test: 0 }),
    extra: [
      () => data.loadMnist({ train: 0 }),
      () => data.loadMnist({ train: 9000, val: 1000, test: 1000 }),
      () => data.loadMnist({ seed: -1 }),
    ],
  }),
];

const model = () => new nn.Sequential(new nn.Linear(2, 3, { rng: rng() }));
const checkpoint = (): optim.Checkpoint => ({
  epoch: 1,
  params: { w: m23() },
  optimizer: { learningRate: tensor(0.1), steps: tensor(2) },
  lossHistory: [1, 0.5],
  trainAccHistory: [0.5],
  valAccHistory: [0.5],
  bestValAcc: 0.5,
});

const IO: Row[] = [
  row('encodeSafetensors', io.encodeSafetensors, () => [{ w: m23() }, {}], ['options', 'options'], {
    optional: [1],
    extra: [
      () => io.encodeSafetensors({ w: 5 as never }),
      () => io.encodeSafetensors({ __metadata__: m23() }),
      () => io.encodeSafetensors({ '': m23() }),
      () => io.encodeSafetensors({ w: m23() }, { note: 1 as never }),
    ],
  }),
  row(
    'decodeSafetensors',
    io.decodeSafetensors,
    () => [io.encodeSafetensors({ w: m23() })],
    ['bytes'],
    {
      extra: [
        () => io.decodeSafetensors(io.encodeSafetensors({ w: m23() }).slice(0, 20)),
        () => {
          const bytes = io.encodeSafetensors({ w: m23() });
          bytes[9] = 0x7d;
          return io.decodeSafetensors(bytes);
        },
        () => io.decodeSafetensors(new Uint8Array(8).fill(255)),
      ],
    },
  ),
  row('saveModule', io.saveModule, () => [model(), {}], ['module', 'options'], {
    optional: [1],
    extra: [
      () => io.saveModule(model(), { optimizer: 5 as never }),
      () => io.saveModule(model(), { extra: { a: 5 as never } }),
      () => io.saveModule(model(), { extra: 5 as never }),
      () => io.saveModule(model(), { metadata: { a: 1 as never } }),
    ],
  }),
  row(
    'loadModule',
    io.loadModule,
    () => [model(), io.saveModule(model()), {}],
    ['module', 'bytes', 'options'],
    {
      optional: [2],
      extra: [
        () =>
          io.loadModule(
            model(),
            io.saveModule(new nn.Sequential(new nn.Linear(2, 4, { rng: rng() }))),
          ),
        () => io.loadModule(model(), io.saveModule(model()), { optimizer: 5 as never }),
        () => io.loadModule(model(), io.saveModule(model()), { optimizer: sgd() }),
        () => io.loadModule(model(), io.saveModule(model()).slice(0, 30)),
      ],
    },
  ),
  row('encodeCheckpoint', io.encodeCheckpoint, () => [checkpoint()], ['options'], {
    extra: [
      () => io.encodeCheckpoint({ ...checkpoint(), epoch: -1 }),
      () => io.encodeCheckpoint({ ...checkpoint(), lossHistory: [Number.NaN] }),
      () => io.encodeCheckpoint({ ...checkpoint(), bestValAcc: Number.NaN }),
      () => io.encodeCheckpoint({ ...checkpoint(), params: { w: 5 as never } }),
      () => io.encodeCheckpoint({ ...checkpoint(), optimizer: null as never }),
    ],
  }),
  row(
    'decodeCheckpoint',
    io.decodeCheckpoint,
    () => [io.encodeCheckpoint(checkpoint())],
    ['bytes'],
    { extra: [() => io.decodeCheckpoint(io.encodeSafetensors({ w: m23() }))] },
  ),
];

// Files for chainrule/io/node: a folder made once per run (the OS cleans its temp folder).
const dir = mkdtempSync(join(tmpdir(), 'chainrule-bad-inputs-'));
const csvPath = join(dir, 'data.csv');
writeFileSync(csvPath, 'x,y,label\n1,2,0\n3,4,1\n');
const latin1 = join(dir, 'latin1.csv');
writeFileSync(latin1, Uint8Array.of(0x78, 0x0a, 0xe9, 0x0a));
const modelPath = join(dir, 'model.safetensors');
writeFileSync(modelPath, io.saveModule(model()));
const cifar = join(dir, 'cifar');
mkdirSync(cifar);
for (const name of ['data_batch_1.bin', 'test_batch.bin'])
  writeFileSync(join(cifar, name), cifarRecord());
const shortCifar = join(dir, 'short-cifar');
mkdirSync(shortCifar);
for (const name of ['data_batch_1.bin', 'test_batch.bin'])
  writeFileSync(join(shortCifar, name), new Uint8Array(10));
const missing = join(dir, 'no-such-file');

const IO_NODE: Row[] = [
  row('readBytes', ioNode.readBytes, () => [csvPath], ['string'], {
    extra: [
      () => ioNode.readBytes(missing),
      () => ioNode.readBytes(dir),
      () => ioNode.readBytes(''),
    ],
  }),
  row('writeBytes', ioNode.writeBytes, () => [join(dir, 'out.txt'), 'x'], ['string', null], {
    extra: [
      () => ioNode.writeBytes(join(dir, 'out.txt'), 5 as never),
      () => ioNode.writeBytes(join(missing, 'out.txt'), 'x'),
      () => ioNode.writeBytes(dir, 'x'),
    ],
  }),
  row(
    'saveModuleFile',
    ioNode.saveModuleFile,
    () => [join(dir, 'saved.safetensors'), model(), {}],
    ['string', 'module', 'options'],
    {
      optional: [2],
      extra: [() => ioNode.saveModuleFile(join(missing, 'm.safetensors'), model())],
    },
  ),
  row(
    'loadModuleFile',
    ioNode.loadModuleFile,
    () => [modelPath, model(), {}],
    ['string', 'module', 'options'],
    {
      optional: [2],
      extra: [
        () => ioNode.loadModuleFile(missing, model()),
        () => ioNode.loadModuleFile(csvPath, model()),
        () =>
          ioNode.loadModuleFile(modelPath, new nn.Sequential(new nn.Linear(3, 3, { rng: rng() }))),
      ],
    },
  ),
  row('readCsvFile', ioNode.readCsvFile, () => [csvPath, {}], ['string', 'options'], {
    optional: [1],
    extra: [
      () => ioNode.readCsvFile(latin1),
      () => ioNode.readCsvFile(missing),
      () => ioNode.readCsvFile(csvPath, { label: 'nope' }),
    ],
  }),
  row('readCifar10', ioNode.readCifar10, () => [cifar, { batches: 1 }], ['string', 'options'], {
    extra: [
      () => ioNode.readCifar10(cifar, { batches: 6 }),
      () => ioNode.readCifar10(cifar, { batches: 2 }),
      () => ioNode.readCifar10(shortCifar, { batches: 1 }),
      () => ioNode.readCifar10(missing, { batches: 1 }),
    ],
  }),
];

const history = () => ({
  loss: [2, 1, 0.5],
  accuracy: { epoch: [0, 1], train: [0.3, 0.9], val: [0.3, 0.8] },
});
const boundary = () => ({
  points: [
    [0, 0],
    [1, 1],
  ] as [number, number][],
  labels: [0, 1],
  numClasses: 2,
  classify: (grid: readonly (readonly [number, number])[]) => grid.map(([x]) => (x < 0.5 ? 0 : 1)),
  resolution: 10,
});

const PLOTS: Row[] = [
  row('renderTrainingPlot', viz.renderTrainingPlot, () => [history(), {}], ['options', 'options'], {
    optional: [1],
    extra: [
      () => viz.renderTrainingPlot({ ...history(), loss: ['a'] as never }),
      () => viz.renderTrainingPlot({ ...history(), accuracy: null as never }),
      () =>
        viz.renderTrainingPlot({
          ...history(),
          accuracy: { epoch: [0, 1], train: [0.3, Number.NaN], val: [0.3, 0.8] },
        }),
      () =>
        viz.renderTrainingPlot({
          ...history(),
          accuracy: { epoch: [0, 1], train: [0.3], val: [0.3, 0.8] },
        }),
      () => viz.renderTrainingPlot(history(), { title: 5 as never }),
    ],
  }),
  row('renderDecisionBoundary', viz.renderDecisionBoundary, () => [boundary()], ['options'], {
    extra: [
      () => viz.renderDecisionBoundary({ ...boundary(), labels: [0, -1] }),
      () => viz.renderDecisionBoundary({ ...boundary(), labels: [0, 2] }),
      () => viz.renderDecisionBoundary({ ...boundary(), classify: (g) => g.map(() => -1) }),
      () =>
        viz.renderDecisionBoundary({ ...boundary(), classify: (g) => g.map(() => 'x') as never }),
      () => viz.renderDecisionBoundary({ ...boundary(), classify: () => 'ab' as never }),
      () => viz.renderDecisionBoundary({ ...boundary(), resolution: 5000 }),
      () => viz.renderDecisionBoundary({ ...boundary(), title: {} as never }),
      () => viz.renderDecisionBoundary({ ...boundary(), numClasses: Symbol('c') as never }),
      () =>
        viz.renderDecisionBoundary({
          ...boundary(),
          points: [
            [-1e308, 0],
            [1e308, 0],
          ],
        }),
    ],
  }),
];

/** Every row of the training side. */
export const TRAINING: Row[] = [
  ...NN_FUNCTIONS,
  ...NN_MODULES,
  ...NN_MODELS,
  ...NN_INIT,
  ...OPTIM,
  ...SOLVER,
  ...DATA,
  ...IO,
  ...IO_NODE,
  ...PLOTS,
];
