import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatNumber } from '../../src/graph/format.js';
import { OUTPUT_EDGE_ID, renderSvg } from '../../src/viz/svg.js';
import {
  chainSnapshot,
  constantSnapshot,
  g,
  scalarSnapshot,
  forkSnapshot,
  injectionSnapshot,
  randomSnapshot,
  sigmoidSnapshot,
  tensorSnapshot,
} from '../support/fixtures.js';
import { findAll, hasClass, parseXml, textOf, titleOf, type XmlElement } from '../support/xml.js';

function group(doc: XmlElement, attr: 'data-edge-id' | 'data-node-id', id: string): XmlElement {
  const found = findAll(doc, (e) => e.name === 'g' && e.attrs[attr] === id);
  assert.equal(found.length, 1, `expected one group with ${attr}="${id}"`);
  return found[0] as XmlElement;
}

/** The drawn text of the `<text class="value|grad">` in a wire group. */
function wireNumber(doc: XmlElement, edgeId: string, cls: 'value' | 'grad'): string {
  const texts = findAll(
    group(doc, 'data-edge-id', edgeId),
    (e) => e.name === 'text' && hasClass(e, cls),
  );
  assert.equal(texts.length, 1, `expected one ${cls} text on ${edgeId}`);
  return textOf(texts[0] as XmlElement);
}

describe('renderSvg on the CS231n sigmoid neuron', () => {
  const s = sigmoidSnapshot();
  const svg = renderSvg(s);
  const doc = parseXml(svg);

  test('is a standalone, well-formed SVG document', () => {
    assert.equal(doc.name, 'svg');
    assert.equal(doc.attrs.xmlns, 'http://www.w3.org/2000/svg');
    const { width, height, viewBox } = doc.attrs;
    assert.match(width ?? '', /^\d+$/);
    assert.match(height ?? '', /^\d+$/);
    assert.equal(viewBox, `0 0 ${width} ${height}`);
    assert.equal(findAll(doc, (e) => e.name === 'style').length, 1);
    const bg = findAll(doc, (e) => e.name === 'rect' && hasClass(e, 'background'));
    assert.equal(bg[0]?.attrs.fill, '#ffffff');
    assert.doesNotMatch(svg, /(href|src)=|@import|url\(/, 'no external resources');
    assert.match(svg, /DejaVu Sans/);
  });

  test('puts every value above and every gradient below the right wire', () => {
    for (const e of s.edges) {
      assert.equal(wireNumber(doc, e.id, 'value'), formatNumber(e.value as number), e.id);
      assert.equal(wireNumber(doc, e.id, 'grad'), formatNumber(e.grad as number), e.id);
    }
    // The lecture's numbers on w0's and x0's wires.
    assert.equal(wireNumber(doc, 'e0', 'value'), '2.00');
    assert.equal(wireNumber(doc, 'e0', 'grad'), '-0.20');
    assert.equal(wireNumber(doc, 'e1', 'grad'), '0.39');
    assert.equal(wireNumber(doc, 'e3', 'grad'), '-0.59');
  });

  test('draws values above the wire and gradients below it', () => {
    for (const e of s.edges) {
      const g = group(doc, 'data-edge-id', e.id);
      const wire = findAll(g, (x) => hasClass(x, 'wire'))[0];
      const ys = (wire?.attrs.d ?? '')
        .match(/-?[\d.]+ -?[\d.]+/g)
        ?.map((p) => Number(p.split(' ')[1]));
      const [value] = findAll(g, (x) => x.name === 'text' && hasClass(x, 'value'));
      const [grad] = findAll(g, (x) => x.name === 'text' && hasClass(x, 'grad'));
      const x = Number(value?.attrs.x);
      // The wire's level run under the label is at the label's y.
      const level = ys?.find((y, i) => i > 0 && y === ys[i - 1]);
      assert.ok(level !== undefined && Number.isFinite(x), e.id);
      assert.ok(Number(value?.attrs.y) < level, `${e.id}: value above`);
      assert.ok(Number(grad?.attrs.y) > level, `${e.id}: gradient below`);
    }
  });

  test('shows the root output wire with its value and the seed gradient', () => {
    assert.equal(wireNumber(doc, OUTPUT_EDGE_ID, 'value'), '0.73');
    assert.equal(wireNumber(doc, OUTPUT_EDGE_ID, 'grad'), '1.00');
    assert.ok(hasClass(group(doc, 'data-edge-id', OUTPUT_EDGE_ID), 'output'));
  });

  test('marks nodes with ids and semantic classes', () => {
    const w0 = group(doc, 'data-node-id', 'n0');
    assert.ok(hasClass(w0, 'node') && hasClass(w0, 'input'));
    assert.equal(textOf(w0), 'w0');
    const mul = group(doc, 'data-node-id', 'n2');
    assert.ok(hasClass(mul, 'gate'));
    assert.equal(findAll(mul, (e) => e.name === 'circle').length, 1);
    assert.equal(textOf(mul), '×');
    const symbols = s.nodes.map((n) => textOf(group(doc, 'data-node-id', n.id)));
    assert.deepEqual(symbols.slice(8), ['+', '*-1', 'exp', '+1', '1/x']);
    assert.ok(hasClass(group(doc, 'data-node-id', 'n12'), 'output'));
    assert.equal(findAll(doc, (e) => e.attrs['data-node-id'] !== undefined).length, s.nodes.length);
  });

  test('explains every wire in its hover title', () => {
    assert.equal(
      titleOf(group(doc, 'data-edge-id', 'e1')),
      'dL/dx0 = local × upstream = (2.00) × (0.197) = 0.39',
    );
  });

  test('has a legend that does not rely on colour alone', () => {
    const [legend] = findAll(doc, (e) => hasClass(e, 'legend'));
    assert.ok(legend);
    const text = textOf(legend);
    assert.match(text, /green.*above the wire: forward value/);
    assert.match(text, /red.*below the wire: gradient dL\/d·/);
    assert.match(svg, /\.grad\{[^}]*font-style:italic/);
    assert.ok(findAll(doc, (e) => hasClass(e, 'mark')).length >= s.edges.length);
  });

  test('is byte-identical across calls', () => {
    assert.equal(renderSvg(sigmoidSnapshot()), svg);
  });
});

describe('renderSvg options', () => {
  const s = sigmoidSnapshot();

  test('precision changes the printed decimals', () => {
    const doc = parseXml(renderSvg(s, { precision: 4 }));
    assert.equal(wireNumber(doc, 'e0', 'grad'), '-0.1966');
  });

  test('values: false and gradients: false leave those texts out', () => {
    const noGrad = parseXml(renderSvg(s, { gradients: false }));
    assert.equal(findAll(noGrad, (e) => e.name === 'text' && hasClass(e, 'grad')).length, 0);
    assert.equal(wireNumber(noGrad, 'e0', 'value'), '2.00');
    const noValue = parseXml(renderSvg(s, { values: false, legend: false }));
    assert.equal(findAll(noValue, (e) => hasClass(e, 'value')).length, 0);
    assert.equal(findAll(noValue, (e) => hasClass(e, 'legend')).length, 0);
  });

  test('a title is drawn and escaped', () => {
    const svg = renderSvg(s, { title: 'σ & <friends>' });
    const doc = parseXml(svg);
    assert.equal(
      textOf(findAll(doc, (e) => hasClass(e, 'heading'))[0] as XmlElement),
      'σ & <friends>',
    );
    assert.match(svg, /σ &amp; &lt;friends&gt;/);
  });
});

describe('renderSvg escapes user text', () => {
  test('an injected <script> name stays text', () => {
    const svg = renderSvg(injectionSnapshot());
    const doc = parseXml(svg);
    assert.doesNotMatch(svg, /<script/i);
    assert.equal(findAll(doc, (e) => e.name === 'script').length, 0);
    assert.match(svg, /&lt;script&gt;/);
    const name = group(doc, 'data-node-id', 'n0');
    // Long names are cut with an ellipsis; the full name is in the hover title.
    assert.equal(
      titleOf(findAll(name, (e) => e.name === 'text')[0] as XmlElement),
      '<script>alert("x&y")</script>',
    );
  });

  test('ids and control characters cannot break the document', () => {
    const s = injectionSnapshot('a\u0000b\u001b"\'&');
    s.nodes[0] = { ...s.nodes[0]!, id: 'n"0<' };
    s.edges = s.edges.map((e) => (e.from === 'n0' ? { ...e, from: 'n"0<' } : e));
    const doc = parseXml(renderSvg(s));
    assert.equal(group(doc, 'data-node-id', 'n"0<').attrs['data-node-id'], 'n"0<');
  });
});

describe('renderSvg on other graphs', () => {
  test('a fork shows each branch gradient on its own wire', () => {
    const doc = parseXml(renderSvg(forkSnapshot()));
    assert.equal(wireNumber(doc, 'e0', 'grad'), '2.00');
    assert.equal(wireNumber(doc, 'e3', 'grad'), '-1.00');
    assert.match(titleOf(group(doc, 'data-edge-id', 'e3')) ?? '', /^dL\/dx \+= /);
  });

  test('a constant is marked as such and its wire carries no gradient', () => {
    const doc = parseXml(renderSvg(constantSnapshot()));
    const c = group(doc, 'data-node-id', 'n0');
    assert.ok(hasClass(c, 'constant') && hasClass(c, 'node'));
    assert.equal(textOf(c), '3');
    assert.equal(wireNumber(doc, 'e0', 'value'), '3.00');
    const g = group(doc, 'data-edge-id', 'e0');
    assert.equal(findAll(g, (e) => hasClass(e, 'grad')).length, 0);
    assert.match(titleOf(g) ?? '', /no gradient flows along this wire \(a constant\)/);
    assert.equal(wireNumber(doc, 'e1', 'grad'), '3.00');
  });

  test('tensors: small ones as grids of numbers with their shape, big ones summarised', () => {
    const doc = parseXml(renderSvg(tensorSnapshot()));
    assert.equal(wireNumber(doc, 'e5', 'value'), '6.25');
    const wire = group(doc, 'data-edge-id', 'e2');
    const [value] = findAll(wire, (e) => hasClass(e, 'value') && hasClass(e, 'grid'));
    const [grad] = findAll(wire, (e) => hasClass(e, 'grad') && hasClass(e, 'grid'));
    assert.ok(value && grad);
    const cells = (g: typeof value) =>
      findAll(g, (e) => e.name === 'text' && hasClass(e, 'cell')).map(textOf);
    // H = X·W, 2×2, every number whole: no ellipsis on the wire.
    assert.deepEqual(cells(value), ['-1.75', '-0.50', '-0.50', '6.25']);
    assert.deepEqual(cells(grad), ['0.00', '0.00', '0.00', '1.00']);
    assert.equal(textOf(findAll(value, (e) => hasClass(e, 'grid-shape'))[0]!), '2×2');
    assert.ok(!textOf(wire).includes('…'));
    assert.equal(wireNumber(doc, 'e4', 'value'), '64×64, mean 0.00');
    for (const text of findAll(doc, (e) => e.name === 'text')) {
      assert.ok(Array.from(textOf(text)).length <= 60, `label too long: ${textOf(text)}`);
    }
    assert.match(titleOf(group(doc, 'data-edge-id', 'e1')) ?? '', /dW = Xᵀ · upstream/);
  });

  test('300 nodes: well-formed, every node and wire present, byte-stable', () => {
    for (const s of [chainSnapshot(299), randomSnapshot(300, 5)]) {
      assert.equal(s.nodes.length, 300);
      assert.ok(s.nodes.every((n) => Number.isFinite(n.value) && Number.isFinite(n.grad)));
      const svg = renderSvg(s);
      const doc = parseXml(svg);
      assert.equal(findAll(doc, (e) => e.attrs['data-node-id'] !== undefined).length, 300);
      assert.equal(
        findAll(doc, (e) => e.attrs['data-edge-id'] !== undefined).length,
        s.edges.length + 1,
      );
      // Byte stability on the cheaper of the two (the layout of a random DAG takes ~1.5 s).
      if (s.edges.length === 299) assert.equal(renderSvg(s), svg);
    }
  });

  test('a one-node snapshot gives a valid picture; one that is not a snapshot a clear error', () => {
    const single = scalarSnapshot([g.input('x', 1)]);
    const dangling = scalarSnapshot([g.input('x', 1), g.tanh(0)]);
    dangling.edges.push({ ...dangling.edges[0]!, id: 'e9', from: 'ghost' });
    const empty = { version: 1 as const, root: 'n0', nodes: [], edges: [] };
    parseXml(renderSvg(single));
    // A wire from a node that does not exist, or a root that is no node: not a snapshot.
    assert.throws(() => renderSvg(dangling), /^ChainruleError: renderSvg: .*"e9" does not run/);
    assert.throws(
      () => renderSvg(empty),
      /^ChainruleError: renderSvg: .*root "n0" is not one of its nodes/,
    );
    assert.equal(wireNumber(parseXml(renderSvg(single)), OUTPUT_EDGE_ID, 'value'), '1.00');
  });
});
