import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { GraphSnapshot } from '../../src/graph/types.js';
import {
  layoutSnapshot,
  METRICS,
  textWidth,
  truncate,
  wireText,
  type GraphLayout,
  type Point,
} from '../../src/viz/layout.js';
import {
  bigSummary,
  forkSnapshot,
  randomSnapshot,
  sigmoidSnapshot,
  tensorSnapshot,
} from '../support/fixtures.js';
import { gridSize } from '../../src/viz/tensor-grid.js';

interface Rect {
  id: string;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

const rect = (id: string, x: number, y: number, w: number, h: number, shrink = 0.5): Rect => ({
  id,
  x0: x - w / 2 + shrink,
  y0: y - h / 2 + shrink,
  x1: x + w / 2 - shrink,
  y1: y + h / 2 - shrink,
});

const overlaps = (a: Rect, b: Rect) => a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

/** Liang–Barsky: does the segment p→q pass through the inside of r? */
function segmentHitsRect(p: Point, q: Point, r: Rect): boolean {
  let t0 = 0;
  let t1 = 1;
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  const checks: Array<[number, number]> = [
    [-dx, p.x - r.x0],
    [dx, r.x1 - p.x],
    [-dy, p.y - r.y0],
    [dy, r.y1 - p.y],
  ];
  for (const [pp, qq] of checks) {
    if (pp === 0) {
      if (qq < 0) return false;
    } else {
      const t = qq / pp;
      if (pp < 0) t0 = Math.max(t0, t);
      else t1 = Math.min(t1, t);
    }
  }
  return t0 < t1;
}

function boxes(layout: GraphLayout) {
  const nodes = Object.entries(layout.nodes).map(([id, b]) =>
    rect(id, b.x, b.y, b.width, b.height),
  );
  const labels = Object.entries(layout.edges).map(([id, e]) =>
    rect(id, e.labelX, e.labelY, e.labelWidth, e.labelHeight),
  );
  const o = layout.output.edge;
  labels.push(rect('output', o.labelX, o.labelY, o.labelWidth, o.labelHeight));
  return { nodes, labels };
}

const fixtures: Array<[string, () => GraphSnapshot]> = [
  ['sigmoid', sigmoidSnapshot],
  ['fork', forkSnapshot],
  ['tensor', tensorSnapshot],
  ['random 30', () => randomSnapshot(30, 3)],
  ['random 60', () => randomSnapshot(60, 11)],
];

describe('layoutSnapshot', () => {
  for (const [name, make] of fixtures) {
    test(`${name}: no two boxes overlap`, () => {
      const { nodes, labels } = boxes(layoutSnapshot(make()));
      const all = [...nodes, ...labels];
      for (let i = 0; i < all.length; i++) {
        for (let j = i + 1; j < all.length; j++) {
          const a = all[i] as Rect;
          const b = all[j] as Rect;
          assert.ok(!overlaps(a, b), `${a.id} overlaps ${b.id}`);
        }
      }
    });

    test(`${name}: wires cross no other label and no other node`, () => {
      const s = make();
      const layout = layoutSnapshot(s);
      const { nodes, labels } = boxes(layout);
      for (const e of s.edges) {
        const route = layout.edges[e.id];
        assert.ok(route, e.id);
        const obstacles = [
          ...labels.filter((l) => l.id !== e.id),
          ...nodes.filter((n) => n.id !== e.from && n.id !== e.to),
        ];
        route.points.forEach((p, i) => {
          const q = route.points[i + 1];
          if (!q) return;
          for (const r of obstacles) {
            assert.ok(!segmentHitsRect(p, q, r), `${e.id} crosses ${r.id}`);
          }
        });
      }
    });
  }

  test('wires run level under their labels, from the source to the target', () => {
    const s = sigmoidSnapshot();
    const l = layoutSnapshot(s);
    for (const e of s.edges) {
      const r = l.edges[e.id];
      assert.ok(r);
      const left = r.points.find(
        (p) => p.x <= r.labelX - r.labelWidth / 2 + 0.2 && p.y === r.labelY,
      );
      const right = r.points.find(
        (p) => p.x >= r.labelX + r.labelWidth / 2 - 0.2 && p.y === r.labelY,
      );
      assert.ok(left && right, `${e.id} is level under its label`);
      const from = l.nodes[e.from];
      const to = l.nodes[e.to];
      const first = r.points[0];
      const last = r.points[r.points.length - 1];
      assert.ok(from && to && first && last);
      assert.ok(
        Math.abs(first.x - (from.x + from.width / 2)) < 0.2,
        `${e.id} starts at its source`,
      );
      // Gates are circles: the wire ends on the circle.
      const dist = Math.hypot(last.x - to.x, last.y - to.y);
      assert.ok(Math.abs(dist - to.width / 2) < 0.3, `${e.id} ends on the circle (${dist})`);
    }
  });

  test('inputs sit left of their gates and the output terminal right of the root', () => {
    const s = sigmoidSnapshot();
    const l = layoutSnapshot(s);
    for (const e of s.edges) assert.ok(l.nodes[e.from]!.x < l.nodes[e.to]!.x);
    assert.ok(l.output.x > l.nodes[s.root]!.x);
    // w0 above x0 above w1 above x1, as on the slide.
    const ys = ['n0', 'n1', 'n3', 'n4'].map((id) => l.nodes[id]!.y);
    assert.deepEqual(
      [...ys].sort((a, b) => a - b),
      ys,
    );
  });

  test('is deterministic and sized for the precision', () => {
    const s = sigmoidSnapshot();
    assert.deepEqual(layoutSnapshot(s), layoutSnapshot(sigmoidSnapshot()));
    const wide = layoutSnapshot(s, { precision: 6 });
    assert.ok(wide.edges.e0!.labelWidth > layoutSnapshot(s).edges.e0!.labelWidth);
    assert.ok(wide.width > layoutSnapshot(s).width);
  });

  test('label boxes hold their texts and grids', () => {
    const s = tensorSnapshot();
    const l = layoutSnapshot(s);
    for (const e of s.edges) {
      const grid = gridSize(e.value, 2, 'value');
      const need = grid ? grid.width : textWidth(wireText(e.value).text, METRICS.labelFont);
      assert.ok(l.edges[e.id]!.labelWidth >= need, e.id);
      if (grid) assert.ok(l.edges[e.id]!.labelHeight / 2 >= grid.height, e.id);
    }
  });
});

describe('label text helpers', () => {
  test('truncate counts code points and marks the cut', () => {
    assert.deepEqual(truncate('abc', 3), { text: 'abc', full: 'abc', truncated: false });
    assert.deepEqual(truncate('abcdef', 4), { text: 'abc…', full: 'abcdef', truncated: true });
    assert.equal(truncate('𝑥𝑥𝑥𝑥𝑥', 3).text, '𝑥𝑥…');
  });

  test('wireText summarises big tensors', () => {
    const t = wireText(bigSummary([64, 64]));
    assert.equal(t.text, '64×64, mean 0.00');
    assert.ok(t.truncated);
    assert.match(t.full, /^64×64 tensor \(min/);
  });
});
