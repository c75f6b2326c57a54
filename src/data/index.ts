/**
 * chainrule/data: seeded toy problems (spiral, moons, circles, xor, blobs), MNIST (from the
 * optional `mnist` package), CSV and CIFAR-10 readers, minibatches, splits, normalization and
 * per-class metrics. Everything here works on bytes and strings; reading files is chainrule/io/node.
 */
export { checkDataset, subset, takeRows, type Dataset } from './dataset.js';
export { spiral, moons, circles, xor, blobs, makeMoons, type Dataset2d } from './synthetic.js';
export {
  minibatches,
  splitDataset,
  fitStandardizer,
  standardizerOf,
  type Standardizer,
} from './loader.js';
export { confusionMatrix, perClassAccuracy, accuracy } from './metrics.js';
export { parseCsv, parseCsvFeatures, type CsvOptions } from './csv.js';
export { parseCifar10, CIFAR10_CLASSES, CIFAR10_RECORD_BYTES } from './cifar.js';
export { loadMnist, splitMnist, MNIST_SIZE, type MnistSplit, type MnistDigits } from './mnist.js';
