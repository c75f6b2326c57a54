import { badArgument } from '../core/errors.js';
import { Tensor } from '../core/tensor.js';
import { describe } from '../core/validate.js';
import type { Dataset } from './dataset.js';

/** CIFAR-10's classes, in label order. */
export const CIFAR10_CLASSES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

/** One record of the binary version: a label byte, then 1024 red, 1024 green, 1024 blue bytes. */
export const CIFAR10_RECORD_BYTES = 1 + 3 * 32 * 32;

/**
 * Reads one CIFAR-10 binary batch (data_batch_1.bin …, test_batch.bin: 10,000 records of 3073
 * bytes) into images N×3×32×32 with values 0–255 and labels 0–9. A length that is not a whole
 * number of records, or a label above 9, is an error naming the record.
 *
 * @example
 * parseCifar10(bytes); // X: 10,000 images N×3×32×32, y: labels 0–9
 */
export function parseCifar10(bytes: Uint8Array): Dataset {
  return parseCifar10As('parseCifar10', bytes);
}

/**
 * parseCifar10 for `fn`, the function the user called; `file` (already quoted) starts each
 * message about the content.
 */
export function parseCifar10As(fn: string, bytes: Uint8Array, file = ''): Dataset {
  if (!(bytes instanceof Uint8Array))
    throw badArgument(fn, `argument bytes must be a Uint8Array, got ${describe(bytes)}`);
  const where = file === '' ? '' : `${file}: `;
  const n = bytes.length / CIFAR10_RECORD_BYTES;
  if (!Number.isInteger(n) || n === 0) {
    throw badArgument(
      fn,
      `${where}${bytes.length} bytes are not a whole number of ${CIFAR10_RECORD_BYTES}-byte records ` +
        `(${Math.floor(n)} records and ${bytes.length % CIFAR10_RECORD_BYTES} bytes left over): not a CIFAR-10 binary batch`,
    );
  }
  const pixels = CIFAR10_RECORD_BYTES - 1;
  const X = new Float64Array(n * pixels);
  const y: number[] = [];
  for (let i = 0; i < n; i++) {
    const at = i * CIFAR10_RECORD_BYTES;
    const label = bytes[at]!;
    if (label > 9)
      throw badArgument(
        fn,
        `${where}record ${i} (byte ${at}) has label ${label}; CIFAR-10 labels are 0–9`,
      );
    y.push(label);
    for (let k = 0; k < pixels; k++) X[i * pixels + k] = bytes[at + 1 + k]!;
  }
  return { X: new Tensor(X, [n, 3, 32, 32]), y, numClasses: 10, classNames: [...CIFAR10_CLASSES] };
}
