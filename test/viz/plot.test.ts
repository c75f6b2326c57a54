import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CLASS_COLORS, renderDecisionBoundary, renderTrainingPlot } from '../../src/viz/index.js';
import { parseXml } from '../support/xml.js';

const history = {
  loss: Array.from({ length: 5000 }, (_, i) => 2.3 * Math.exp(-i / 800) + 0.1),
  accuracy: { epoch: [0, 1, 2, 3], train: [0.1, 0.6, 0.8, 0.9], val: [0.1, 0.5, 0.7, 0.75] },
};

test('the training plot: loss and accuracy panels, escaped title, long curves averaged down', () => {
  const svg = renderTrainingPlot(history, { title: '<b>spiral</b> & co' });
  parseXml(svg);
  assert.ok(svg.includes('&lt;b&gt;spiral&lt;/b&gt; &amp; co'));
  assert.doesNotMatch(svg, /<b>/);
  assert.match(svg, />Training loss</);
  assert.match(svg, />Accuracy</);
  const paths = [...svg.matchAll(/<path d="([^"]+)"/g)].map((m) => m[1]!.split(/[ML]/).length - 1);
  assert.deepEqual(
    paths,
    [1000, 4, 4],
    'loss averaged to 1000 points; one point per accuracy check',
  );
  assert.equal(renderTrainingPlot(history, { title: '<b>spiral</b> & co' }), svg, 'byte-stable');
  assert.throws(
    () => renderTrainingPlot({ ...history, accuracy: { ...history.accuracy, val: [1] } }),
    /one entry per check/,
  );
  assert.throws(
    () => renderTrainingPlot({ loss: 'x' as never, accuracy: history.accuracy }),
    /history.loss must be a list of at most 10000000 numbers/,
  );
});

test('the decision boundary: regions by predicted class, points by true class', () => {
  const points: [number, number][] = [
    [-1, 0],
    [1, 0],
    [0, 1],
  ];
  let asked = 0;
  const svg = renderDecisionBoundary({
    points,
    labels: [0, 1, 2],
    numClasses: 3,
    resolution: 10,
    classify: (grid) => {
      asked = grid.length;
      return grid.map(([x]) => (x < 0 ? 0 : 1));
    },
  });
  parseXml(svg);
  assert.equal(asked, 100);
  // Each of the 10 rows splits into one run of class 0 and one of class 1.
  const regions = /<g class="regions"[^>]*>(.*?)<\/g>/.exec(svg)![1]!;
  const fills = [...regions.matchAll(/fill="(#[0-9a-f]+)"/g)].map((m) => m[1]);
  assert.equal(fills.length, 20);
  assert.deepEqual([...new Set(fills)], [CLASS_COLORS[0], CLASS_COLORS[1]]);
  const dots = [...svg.matchAll(/<circle [^>]*fill="(#[0-9a-f]+)"/g)].map((m) => m[1]);
  assert.deepEqual(dots, [CLASS_COLORS[0], CLASS_COLORS[1], CLASS_COLORS[2]]);
  assert.throws(
    () => renderDecisionBoundary({ points, labels: [0], numClasses: 3, classify: () => [] }),
    /input.labels must give one class in \[0, 3\) per point/,
  );
  assert.throws(
    () =>
      renderDecisionBoundary({
        points,
        labels: [0, 1, 2],
        numClasses: 3,
        resolution: 4,
        classify: () => [0],
      }),
    /classify must return one class in \[0, 3\) for each of the 16 grid points, got the list \[0\]/,
  );
  assert.throws(
    () =>
      renderDecisionBoundary({
        points: [[NaN, 0]],
        labels: [0],
        numClasses: 1,
        classify: () => [0],
      }),
    /finite/,
  );
});

test('long inputs are drawn, not spread into Math.min/max (which overflows the stack)', () => {
  const n = 300_000;
  const many = (v: number) => new Array<number>(n).fill(v);
  const svg = renderTrainingPlot({
    loss: many(1),
    accuracy: { epoch: many(1), train: many(0.5), val: many(0.5) },
  });
  assert.match(svg, /^<svg /);
  const boundary = renderDecisionBoundary({
    points: Array.from({ length: n }, (_, i) => [i % 7, i % 5] as [number, number]),
    labels: many(0),
    numClasses: 1,
    resolution: 2,
    classify: (grid) => grid.map(() => 0),
  });
  assert.match(boundary, /^<svg /);
});
