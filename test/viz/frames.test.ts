import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findExample } from '../../src/expr/examples.js';
import { explainEdge } from '../../src/graph/explain.js';
import { frameAt, type FrameState } from '../../src/graph/frames.js';
import { snapshotExpression } from '../../src/graph/from-expression.js';
import { schedule } from '../../src/graph/schedule.js';
import type { GraphSnapshot } from '../../src/graph/types.js';
import { frameCaption, frameClasses } from '../../src/viz/frame.js';
import { forkNodes, TOTAL_LINE, totalWidth, wireText } from '../../src/viz/labels.js';
import { layoutSnapshot } from '../../src/viz/layout.js';
import { OUTPUT_EDGE_ID, renderFrameSvgs, renderSvg } from '../../src/viz/svg.js';
import {
  forkSnapshot,
  injectionSnapshot,
  randomSnapshot,
  sigmoidSnapshot,
} from '../support/fixtures.js';
import {
  descendants,
  findAll,
  hasClass,
  parseXml,
  textOf,
  type XmlElement,
} from '../support/xml.js';

const frameOf = (s: GraphSnapshot, k: number): FrameState => frameAt(s, schedule(s), k);

function group(doc: XmlElement, attr: 'data-edge-id' | 'data-node-id', id: string): XmlElement {
  const found = findAll(doc, (e) => e.name === 'g' && e.attrs[attr] === id);
  assert.equal(found.length, 1, `expected one group with ${attr}="${id}"`);
  return found[0] as XmlElement;
}

/** The elements of a wire's value or gradient part (text, and the ◂ mark for a gradient). */
function part(doc: XmlElement, edgeId: string, cls: 'value' | 'grad'): XmlElement[] {
  return findAll(
    group(doc, 'data-edge-id', edgeId),
    (e) => e !== group(doc, 'data-edge-id', edgeId) && hasClass(e, cls),
  );
}

function isHidden(doc: XmlElement, edgeId: string, cls: 'value' | 'grad'): boolean {
  const els = part(doc, edgeId, cls);
  assert.ok(els.length > 0, `${edgeId} has a ${cls}`);
  const hidden = els.filter((e) => hasClass(e, 'hidden')).length;
  assert.ok(hidden === 0 || hidden === els.length, `${edgeId} ${cls}: all or nothing hidden`);
  return hidden > 0;
}

const highlighted = (doc: XmlElement) =>
  findAll(doc, (e) => hasClass(e, 'highlight')).map(
    (e) => e.attrs['data-node-id'] ?? e.attrs['data-edge-id'],
  );

describe('renderSvg with a frame (sigmoid)', () => {
  const s = sigmoidSnapshot();
  const steps = schedule(s);

  test('a forward frame hides the values not computed yet and highlights the gate', () => {
    // Steps 1–3 compute w0*x0 (n2), w1*x1 (n5) and their sum (n6).
    const doc = parseXml(renderSvg(s, { frame: frameOf(s, 3) }));
    for (const id of ['e0', 'e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e7']) {
      assert.equal(isHidden(doc, id, 'value'), false, id);
    }
    for (const id of ['e8', 'e9', 'e10', 'e11', OUTPUT_EDGE_ID]) {
      assert.equal(isHidden(doc, id, 'value'), true, id);
    }
    for (const e of [...s.edges.map((e) => e.id), OUTPUT_EDGE_ID])
      assert.ok(isHidden(doc, e, 'grad'));
    assert.deepEqual(highlighted(doc), ['n6']);
  });

  test('a backward frame shows the gradients that arrived and highlights the wire', () => {
    const k = steps.findIndex((st) => st.kind === 'edge' && st.edge === 'e4') + 1;
    const doc = parseXml(renderSvg(s, { frame: frameOf(s, k) }));
    for (const e of s.edges) assert.equal(isHidden(doc, e.id, 'value'), false, e.id);
    assert.equal(isHidden(doc, OUTPUT_EDGE_ID, 'grad'), false, 'the seed');
    // Reverse order from the output; the + gate n6 sends e4 before e5.
    for (const id of ['e11', 'e10', 'e9', 'e8', 'e7', 'e6', 'e4']) {
      assert.equal(isHidden(doc, id, 'grad'), false, id);
    }
    for (const id of ['e5', 'e3', 'e2', 'e1', 'e0']) {
      assert.equal(isHidden(doc, id, 'grad'), true, id);
    }
    assert.deepEqual(highlighted(doc).sort(), ['e4', 'n2', 'n6']);
    const caption = findAll(doc, (e) => e.name === 'text' && hasClass(e, 'caption'));
    assert.equal(caption.length, 1);
    assert.equal(textOf(caption[0] as XmlElement), `backward: ${explainEdge(s, s.edges[4]!)}`);
  });

  test('the seed frame highlights the output wire; the last frame hides nothing', () => {
    const seed = steps.findIndex((st) => st.kind === 'seed') + 1;
    assert.deepEqual(highlighted(parseXml(renderSvg(s, { frame: frameOf(s, seed) }))).sort(), [
      'n12',
      OUTPUT_EDGE_ID,
    ]);
    const last = renderSvg(s, { frame: frameOf(s, steps.length) });
    assert.equal(findAll(parseXml(last), (e) => hasClass(e, 'hidden')).length, 0);
  });

  test('without a frame nothing is hidden or highlighted and there is no caption', () => {
    const doc = parseXml(renderSvg(s));
    assert.equal(findAll(doc, (e) => hasClass(e, 'hidden') || hasClass(e, 'highlight')).length, 0);
    assert.equal(findAll(doc, (e) => hasClass(e, 'caption')).length, 0);
  });

  test('every frame has the same size, and renderFrameSvgs draws the same frames', () => {
    const svgs = renderFrameSvgs(s);
    assert.equal(svgs.length, steps.length + 1);
    const sizes = new Set(svgs.map((svg) => /viewBox="([^"]+)"/.exec(svg)?.[1]));
    assert.equal(sizes.size, 1);
    for (const k of [0, 5, steps.length]) {
      assert.equal(svgs[k], renderSvg(s, { frame: frameOf(s, k) }), `frame ${k}`);
    }
    assert.deepEqual(renderFrameSvgs(s, {}, [0, 7]), [svgs[0], svgs[7]]);
  });

  test('captions say what each step does', () => {
    assert.match(frameCaption(s, frameOf(s, 0)), /inputs are given/);
    assert.equal(frameCaption(s, frameOf(s, 1)), 'forward: w0*x0 = -2.00');
    assert.equal(
      frameCaption(s, frameOf(s, steps.length)),
      'backward: dL/dx0 = local × upstream = (2.00) × (0.197) = 0.39',
    );
  });
});

/** Applies `frameClasses`' selectors (the two forms it emits) to a parsed SVG. */
function select(doc: XmlElement, selector: string): XmlElement[] {
  const m = /^\[(data-edge-id|data-node-id)="((?:[^"\\]|\\.)*)"\](?: \.([a-z]+))?$/.exec(selector);
  assert.ok(m, `unexpected selector ${selector}`);
  const id = (m[2] ?? '').replace(/\\([0-9a-f]{1,6}) ?|\\(.)/g, (_, hex: string, ch: string) =>
    hex ? String.fromCodePoint(parseInt(hex, 16)) : ch,
  );
  const groups = findAll(doc, (e) => e.attrs[m[1] as string] === id);
  if (m[3] === undefined) return groups;
  return groups.flatMap((g) => findAll(g, (e) => e !== g && hasClass(e, m[3] as string)));
}

describe('frameClasses', () => {
  test('selects exactly the elements renderSvg marks in the same frame', () => {
    // Ids with quotes, a backslash and a line break must survive the CSS quoting.
    const hostile = injectionSnapshot('x"\\\n]');
    const odd = 'n"0\\\n]';
    hostile.nodes[0] = { ...hostile.nodes[0]!, id: odd };
    hostile.edges = hostile.edges.map((e) => (e.from === 'n0' ? { ...e, from: odd } : e));
    for (const s of [sigmoidSnapshot(), forkSnapshot(), hostile]) {
      const plain = parseXml(renderSvg(s));
      const all = descendants(plain);
      const steps = schedule(s);
      for (let k = 0; k <= steps.length; k++) {
        const frame = frameAt(s, steps, k);
        // Without a caption the framed picture has the same elements as the plain one.
        const framed = descendants(parseXml(renderSvg(s, { frame, caption: false })));
        assert.equal(framed.length, all.length);
        const classes = frameClasses(s, frame);
        for (const cls of ['hidden', 'highlight'] as const) {
          const picked = new Set(classes[cls].flatMap((sel) => select(plain, sel)));
          const expected = framed.flatMap((e, i) => (hasClass(e, cls) ? [all[i]] : []));
          assert.deepEqual(
            all.filter((e) => picked.has(e)),
            expected,
            `${s.nodes[0]?.label} frame ${k} ${cls}`,
          );
        }
      }
    }
  });

  test('selectors quote ids safely', () => {
    const s = injectionSnapshot();
    s.edges = s.edges.map((e) => ({ ...e, id: `${e.id}"]` }));
    const { hidden } = frameClasses(s, frameOf(s, 0));
    assert.ok(hidden.includes('[data-edge-id="e0\\"]"] .grad'), hidden.join('\n'));
  });
});

describe('fork totals', () => {
  test('a value used twice shows its total under it, hidden until the += step', () => {
    const s = forkSnapshot();
    const steps = schedule(s);
    const total = (k: number) =>
      findAll(group(parseXml(renderSvg(s, { frame: frameOf(s, k) })), 'data-node-id', 'n0'), (e) =>
        hasClass(e, 'total'),
      );
    const [last] = total(steps.length);
    assert.ok(last && hasClass(last, 'grad') && !hasClass(last, 'hidden'));
    assert.equal(textOf(last), 'Σ1.00');
    assert.ok(hasClass(total(steps.length - 1)[0] as XmlElement, 'hidden'));
    // y is used once: its wire already shows its whole gradient.
    const plain = parseXml(renderSvg(s));
    assert.equal(
      findAll(group(plain, 'data-node-id', 'n1'), (e) => hasClass(e, 'total')).length,
      0,
    );
    assert.equal(findAll(plain, (e) => hasClass(e, 'total')).length, 1);
    assert.equal(
      findAll(parseXml(renderSvg(s, { gradients: false })), (e) => hasClass(e, 'total')).length,
      0,
    );
  });

  test('the staged example shows dL/dx = 2.06 under x', () => {
    const ex = findExample('staged')!;
    const s = snapshotExpression(ex.expression, ex.values, { mode: ex.mode });
    const x = s.nodes.find((n) => n.label === 'x')!;
    const [t] = findAll(group(parseXml(renderSvg(s)), 'data-node-id', x.id), (e) =>
      hasClass(e, 'total'),
    );
    assert.equal(textOf(t as XmlElement), 'Σ2.06');
  });

  test('the layout keeps room for totals: they overlap no node and no wire label', () => {
    const ex = findExample('staged')!;
    const staged = snapshotExpression(ex.expression, ex.values, { mode: ex.mode });
    for (const s of [forkSnapshot(), staged, randomSnapshot(40, 3)]) {
      const l = layoutSnapshot(s);
      const forks = forkNodes(s);
      assert.ok(forks.size > 0);
      for (const id of forks) {
        const box = l.nodes[id]!;
        const w = totalWidth(wireText(s.nodes.find((n) => n.id === id)!.grad!));
        const t = {
          x0: box.x - w / 2,
          x1: box.x + w / 2,
          y0: box.y + box.height / 2,
          y1: box.y + box.height / 2 + TOTAL_LINE,
        };
        const overlaps = (x0: number, x1: number, y0: number, y1: number) =>
          t.x0 < x1 && x0 < t.x1 && t.y0 < y1 && y0 < t.y1;
        for (const [other, b] of Object.entries(l.nodes)) {
          if (other === id) continue;
          assert.ok(
            !overlaps(b.x - b.width / 2, b.x + b.width / 2, b.y - b.height / 2, b.y + b.height / 2),
            `${id} total over ${other}`,
          );
        }
        for (const [edge, r] of Object.entries(l.edges)) {
          const [hx, hy] = [r.labelWidth / 2, r.labelHeight / 2];
          assert.ok(
            !overlaps(r.labelX - hx, r.labelX + hx, r.labelY - hy, r.labelY + hy),
            `${id} total over ${edge}'s label`,
          );
        }
      }
    }
  });
});

describe('frames escape user text', () => {
  test('every frame of a hostile graph is well-formed and has no markup from names', () => {
    const s = injectionSnapshot();
    for (const svg of renderFrameSvgs(s, { title: '<b>&' })) {
      const doc = parseXml(svg);
      assert.equal(findAll(doc, (e) => e.name === 'script' || e.name === 'b').length, 0);
    }
  });
});
