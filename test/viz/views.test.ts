import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findExample } from '../../src/expr/index.js';
import {
  autoView,
  buildView,
  flatView,
  snapshotExpression,
  type GraphView,
} from '../../src/graph/index.js';
import { layoutView, renderSvg, renderText, type GraphLayout } from '../../src/viz/index.js';
import { writtenOutMlp } from '../support/big-graphs.js';
import { findAll, hasClass, parseXml, textOf } from '../support/xml.js';

const sum = (n: number) =>
  snapshotExpression(Array.from({ length: n }, () => 'x').join('+'), { x: 1 });

interface Rect {
  id: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}
const rect = (id: string, b: { x: number; y: number; width: number; height: number }): Rect => ({
  id,
  x0: b.x - b.width / 2 + 0.5,
  y0: b.y - b.height / 2 + 0.5,
  x1: b.x + b.width / 2 - 0.5,
  y1: b.y + b.height / 2 - 0.5,
});
const overlaps = (a: Rect, b: Rect) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
const inside = (a: Rect, b: Rect) =>
  a.x0 >= b.x0 - 1 && a.x1 <= b.x1 + 1 && a.y0 >= b.y0 - 1 && a.y1 <= b.y1 + 1;

/**
 * The picture's boxes do not overlap (nodes, groups, stubs and wire labels), every drawn thing
 * sits inside the frame of its group, frames nest, and frames of one level do not overlap.
 */
function checkPicture(view: GraphView, layout: GraphLayout): void {
  const boxes = [
    ...Object.entries(layout.nodes).map(([id, b]) => rect(id, b)),
    ...Object.entries(layout.edges).map(([id, e]) =>
      rect(`label ${id}`, { x: e.labelX, y: e.labelY, width: e.labelWidth, height: e.labelHeight }),
    ),
  ];
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++)
      assert.ok(!overlaps(boxes[i]!, boxes[j]!), `${boxes[i]!.id} overlaps ${boxes[j]!.id}`);
  const frames = new Map(Object.entries(layout.frames).map(([id, f]) => [id, rect(id, f)]));
  for (const n of view.nodes) {
    if (n.parent === undefined) continue;
    assert.ok(
      inside(rect(n.id, layout.nodes[n.id]!), frames.get(n.parent)!),
      `${n.id} in ${n.parent}`,
    );
  }
  for (const f of view.frames) {
    if (f.parent !== undefined) assert.ok(inside(frames.get(f.group)!, frames.get(f.parent)!));
    for (const g of view.frames)
      if (g !== f && g.parent === f.parent)
        assert.ok(!overlaps(frames.get(f.group)!, frames.get(g.group)!), `${f.group} ${g.group}`);
  }
  // Every wire starts at its source's right edge and ends at its target.
  for (const e of view.edges) {
    const route = layout.edges[e.id]!;
    const from = layout.nodes[e.from]!;
    assert.ok(Math.abs(route.points[0]!.x - (from.x + from.width / 2)) < 0.2, e.id);
    const to = layout.nodes[e.to]!;
    const end = route.points.at(-1)!;
    assert.ok(end.x <= to.x + 0.2 && end.x >= to.x - to.width / 2 - 0.2, `${e.id} ends at ${e.to}`);
    // Left to right, bending only between columns.
    route.points.forEach((p, i) => {
      const q = route.points[i + 1];
      if (q) assert.ok(q.x >= p.x - 0.11, `${e.id} goes right`);
    });
  }
}

test('grouped pictures: nothing overlaps, parts sit in their frames, wires enter through ports', () => {
  const mlp = writtenOutMlp();
  const groups = mlp.groups!;
  const layer2 = groups.find((g) => g.label === 'layer 2')!.id;
  const neuron = groups.find((g) => g.parent === layer2)!.id;
  const dot = groups.find((g) => g.parent === neuron)!.id;
  const views = [
    autoView(mlp),
    buildView(mlp, { grouped: true, open: [layer2, neuron, dot] }),
    autoView(sum(1000)),
    buildView(sum(200), { grouped: true, open: 'all' }),
  ];
  for (const v of views) checkPicture(v, layoutView(v));
});

test('the same view lays out the same (cached by structure), a new precision re-sizes', () => {
  const v = autoView(sum(300));
  const a = layoutView(v);
  assert.equal(layoutView(autoView(sum(300))), a, 'the cache gives the same layout back');
  assert.ok(layoutView(v, { precision: 5 }).width > a.width);
});

test('editing a value does not lay the picture out again while its numbers fit their boxes', () => {
  const at = (w0: number) =>
    flatView(
      snapshotExpression('1/(1+exp(-(w0*x0+w1*x1+w2)))', { w0, x0: -1, w1: -3, x1: -2, w2: -3 }),
    );
  const reuse = { reuse: true };
  const first = layoutView(at(2), reuse);
  assert.equal(layoutView(at(2.5), reuse), first, 'same structure, numbers of the same width');
  // A number that outgrows its box lays the picture out again, every box at least as big.
  const wide = layoutView(at(-123.25), reuse);
  assert.notEqual(wide, first);
  assert.ok(wide.edges.e0!.labelWidth > first.edges.e0!.labelWidth);
  assert.equal(layoutView(at(2), reuse), wide, 'and it stays: going back does not shrink it');
  // Without `reuse` (the CLI, exports, tests) a layout depends on its own input alone.
  const fresh = JSON.stringify(layoutView(at(2)));
  layoutView(at(-123.25));
  assert.equal(JSON.stringify(layoutView(at(2))), fresh);
  assert.equal(JSON.stringify(layoutView(at(2))), JSON.stringify(first));
});

test('10,000 nodes in one level lay out without recursion, near-linearly', () => {
  const s = sum(10_000);
  // All closed but the top: 10 parts plus x and its stubs.
  const v = buildView(s, {
    grouped: true,
    open: [s.groups![0]!.id, ...s.groups!.slice(1, 11).map((g) => g.id)],
  });
  assert.ok(v.nodes.length > 300);
  checkPicture(v, layoutView(v));
});

test('a view too big to draw gives a picture that says so', () => {
  const svg = renderSvg(sum(10_000), { view: flatView(sum(10_000)) });
  const doc = parseXml(svg);
  const text = findAll(doc, (e) => hasClass(e, 'too-big'))
    .map(textOf)
    .join(' ');
  assert.match(text, /would have 20,000 nodes/);
  assert.match(text, /Close some groups/);
});

test('a collapsed picture says how big the graph is; the collapsed text report is linear', () => {
  const s = sum(1000);
  const doc = parseXml(renderSvg(s));
  assert.match(
    textOf(findAll(doc, (e) => hasClass(e, 'note'))[0]!),
    /^1,000 nodes, drawn collapsed/,
  );
  assert.equal(findAll(doc, (e) => hasClass(e, 'group-box')).length, 32);
  const text = renderText(s);
  assert.match(text, /too many to list one by one/);
  assert.match(text, /x +1\.00 +1000\.00/);
  assert.ok(text.split('\n').length < 60);
  // Small graphs keep the full report.
  assert.match(renderText(sum(5)), /Chain rule on every wire/);
});

test('a named step is written on the wire leaving its gate: dot = 1.00, and over its grid', () => {
  const ex = findExample('sigmoid')!;
  const s = snapshotExpression(ex.expression, ex.values);
  const dot = s.nodes.find((n) => n.id === 'n8')!;
  dot.name = 'dot';
  const doc = parseXml(renderSvg(s));
  const wire = findAll(doc, (e) => e.attrs['data-from'] === 'n8')[0]!;
  assert.equal(textOf(findAll(wire, (e) => hasClass(e, 'value'))[0]!), 'dot = 1.00');
  const v = snapshotExpression('sum((W@x)^2)', {
    W: [
      [0.1, 0.5],
      [-0.3, 0.8],
    ],
    x: [0.2, 0.4],
  });
  v.nodes.find((n) => n.op === 'matmul')!.name = 'h';
  const grid = parseXml(renderSvg(v));
  const shapes = findAll(grid, (e) => hasClass(e, 'grid-shape')).map(textOf);
  assert.ok(shapes.includes('h: 2'), shapes.join(' '));
});
