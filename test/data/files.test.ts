import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ParseError } from '../../src/core/errors.js';
import {
  CIFAR10_RECORD_BYTES,
  parseCifar10,
  parseCsv,
  parseCsvFeatures,
} from '../../src/data/index.js';
import { readCifar10, readCsvFile } from '../../src/io/node.js';
import { badArgument } from '../support/assert.js';

test('CSV: numeric features, integer or named labels, quotes and blank lines', () => {
  const d = parseCsv('x, y ,label\r\n0.5,1,0\n\n-1,"2",2\n3e-1,4,1\n');
  assert.deepEqual(d.X.toArray(), [
    [0.5, 1],
    [-1, 2],
    [0.3, 4],
  ]);
  assert.deepEqual(d.y, [0, 2, 1]);
  assert.equal(d.numClasses, 3);
  assert.deepEqual(d.featureNames, ['x', 'y']);
  const named = parseCsv('species,"petal, length"\nsetosa,1.4\nvirginica,5.1\nsetosa,1.3\n', {
    label: 'species',
  });
  assert.deepEqual(named.classNames, ['setosa', 'virginica']);
  assert.deepEqual(named.y, [0, 1, 0]);
  assert.deepEqual(named.featureNames, ['petal, length']);
  assert.deepEqual(parseCsv('a;b\n1;0\n', { delimiter: ';' }).X.toArray(), [[1]]);
  assert.deepEqual(parseCsvFeatures('x,y,label\n1,2,0\n', { drop: 'label' }).X.toArray(), [[1, 2]]);
  assert.deepEqual(parseCsvFeatures('x,y\n1,2\n').X.toArray(), [[1, 2]]);
});

test('CSV errors name the line and the column', () => {
  assert.throws(
    () => parseCsv('a,b,c\n1,2,0\n1,2\n'),
    badArgument(/parseCsv: line 3 has 2 fields, but the header has 3/),
  );
  assert.throws(
    () => parseCsv('a,b,c\n1,2,0\n1,x,1\n'),
    badArgument(/line 3, column "b": "x" is not a finite number/),
  );
  assert.throws(() => parseCsv('a,b\n1,\n'), badArgument(/line 2, column "b": the label is empty/));
  assert.throws(
    () => parseCsv('a,b\n,1\n'),
    badArgument(/line 2, column "a": "" is not a finite number/),
  );
  assert.throws(
    () => parseCsv('a,b\n1,1\n', { label: 'c' }),
    badArgument(/there is no column "c"; the columns are "a", "b"/),
  );
  assert.throws(() => parseCsv('a,b\n'), badArgument(/a header but no rows/));
  assert.throws(() => parseCsv(''), badArgument(/the CSV is empty/));
  assert.throws(
    () => parseCsv('a\n1\n'),
    badArgument(/at least one feature column and a label column/),
  );
  assert.throws(
    () => parseCsv('a,b\n"1,0\n'),
    (e: unknown) =>
      e instanceof ParseError && /line 2: a quoted field is not closed/.test(e.message),
  );
  assert.throws(() => parseCsv('a,b\n1e999,1\n'), badArgument(/"1e999" is not a finite number/));
  assert.throws(
    () => parseCsv('a,b\n\u001b[31m,1\n'),
    (e: unknown) => e instanceof Error && !e.message.includes('\u001b'),
    'control characters are escaped in messages',
  );
  assert.throws(() => parseCsv(42 as never), badArgument(/text must be a string/));
});

test('CSV and CIFAR files are read from a path; a missing file is a clear error', () => {
  const dir = mkdtempSync(join(tmpdir(), 'chainrule-data-'));
  writeFileSync(join(dir, 'd.csv'), 'x,label\n1,a\n2,b\n');
  assert.deepEqual(readCsvFile(join(dir, 'd.csv')).classNames, ['a', 'b']);
  assert.throws(
    () => readCsvFile(join(dir, 'missing.csv')),
    badArgument(/readCsvFile: cannot read ".*missing\.csv": no such file or directory/),
  );
  assert.throws(() => readCsvFile(dir), badArgument(/cannot read/));
  // A tiny CIFAR-10 batch in the binary layout: label byte, 1024 R, 1024 G, 1024 B.
  const record = (label: number, fill: (channel: number, pixel: number) => number) => {
    const bytes = new Uint8Array(CIFAR10_RECORD_BYTES);
    bytes[0] = label;
    for (let c = 0; c < 3; c++) for (let p = 0; p < 1024; p++) bytes[1 + c * 1024 + p] = fill(c, p);
    return bytes;
  };
  const batch = (labels: number[]) => {
    const out = new Uint8Array(labels.length * CIFAR10_RECORD_BYTES);
    labels.forEach((l, i) =>
      out.set(
        record(l, (c, p) => (l * 20 + c * 7 + p) % 256),
        i * CIFAR10_RECORD_BYTES,
      ),
    );
    return out;
  };
  const parsed = parseCifar10(batch([3, 9]));
  assert.deepEqual(parsed.X.shape, [2, 3, 32, 32]);
  assert.deepEqual(parsed.y, [3, 9]);
  assert.equal(parsed.classNames![3], 'cat');
  // Image 1, green channel, row 2, column 5: pixel 2·32 + 5 = 69.
  assert.equal(parsed.X.data[1 * 3072 + 1 * 1024 + 69], (9 * 20 + 7 + 69) % 256);
  assert.throws(
    () => parseCifar10(batch([1]).subarray(0, 3000)),
    badArgument(/3000 bytes are not a whole number of 3073-byte records/),
  );
  const badLabel = batch([1, 2]);
  badLabel[CIFAR10_RECORD_BYTES] = 10;
  assert.throws(() => parseCifar10(badLabel), badArgument(/record 1 \(byte 3073\) has label 10/));
  for (let i = 1; i <= 2; i++) writeFileSync(join(dir, `data_batch_${i}.bin`), batch([i, i + 1]));
  writeFileSync(join(dir, 'test_batch.bin'), batch([0]));
  const { train, test: testSet } = readCifar10(dir, { batches: 2 });
  assert.deepEqual(train.y, [1, 2, 2, 3]);
  assert.deepEqual(train.X.shape, [4, 3, 32, 32]);
  assert.deepEqual(testSet.y, [0]);
  assert.throws(() => readCifar10(dir), badArgument(/data_batch_3.bin": no such file/));
});
