import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findExample } from '../../src/expr/examples.js';
import { snapshotExpression } from '../../src/graph/from-expression.js';
import { schedule } from '../../src/graph/schedule.js';
import { renderAnimatedSvg } from '../../src/viz/animate.js';
import { OUTPUT_EDGE_ID } from '../../src/viz/svg.js';
import { forkSnapshot, injectionSnapshot, sigmoidSnapshot } from '../support/fixtures.js';
import { findAll, hasClass, parseXml, textOf, type XmlElement } from '../support/xml.js';

const count = (text: string, re: RegExp) => (text.match(re) ?? []).length;

/** The `show-k` class of a wire's value or gradient text, if it is animated. */
function showClass(doc: XmlElement, edgeId: string, cls: 'value' | 'grad'): string | undefined {
  const [g] = findAll(doc, (e) => e.name === 'g' && e.attrs['data-edge-id'] === edgeId);
  const [text] = findAll(g as XmlElement, (e) => e.name === 'text' && hasClass(e, cls));
  return /\bshow-\d+\b/.exec(text?.attrs.class ?? '')?.[0];
}

describe('renderAnimatedSvg', () => {
  const s = sigmoidSnapshot();
  const steps = schedule(s);
  const svg = renderAnimatedSvg(s, { stepSeconds: 0.5, holdSeconds: 1 });
  const doc = parseXml(svg);

  test('is a well-formed, self-contained SVG without script', () => {
    assert.equal(doc.name, 'svg');
    assert.doesNotMatch(svg, /<script/i);
    assert.doesNotMatch(svg, /(href|src)=|@import|url\(/);
    assert.equal(findAll(doc, (e) => e.name === 'style').length, 1);
  });

  test('has one reveal keyframe per step and one window keyframe per frame', () => {
    assert.equal(count(svg, /@keyframes show-\d+\{/g), steps.length);
    assert.equal(count(svg, /@keyframes win-\d+\{/g), steps.length + 1);
    // Each step of this graph reveals something, and each show-k is used.
    for (let k = 1; k <= steps.length; k++) {
      assert.ok(
        findAll(doc, (e) => hasClass(e, `show-${k}`)).length > 0,
        `nothing appears at step ${k}`,
      );
    }
  });

  test('times each part at its step: values forward, gradients backward', () => {
    const total = steps.length * 0.5 + 1;
    assert.match(svg, new RegExp(`animation-duration:${total}s`));
    // w0*x0 (n2) is computed by step 1; its value rides on e4.
    assert.equal(showClass(doc, 'e4', 'value'), 'show-1');
    assert.equal(showClass(doc, 'e0', 'value'), undefined, 'inputs are known from the start');
    const seed = steps.findIndex((st) => st.kind === 'seed') + 1;
    assert.equal(showClass(doc, OUTPUT_EDGE_ID, 'grad'), `show-${seed}`);
    assert.equal(showClass(doc, 'e1', 'grad'), `show-${steps.length}`);
    // show-1 switches on at 0.5 s of the loop.
    const start = Math.round((100 * 0.5 * 1000) / total) / 1000;
    assert.ok(svg.includes(`@keyframes show-1{0%,${start}%{opacity:0}`), 'show-1 timing');
  });

  test('one caption per frame, shown in its window; halos only for active frames', () => {
    const captions = findAll(doc, (e) => e.name === 'text' && hasClass(e, 'caption'));
    assert.equal(captions.length, steps.length + 1);
    captions.forEach((c, k) => assert.ok(hasClass(c, `win-${k}`)));
    assert.equal(textOf(captions[1] as XmlElement), 'forward: w0*x0 = -2.00');
    const halos = findAll(doc, (e) => e.name === 'g' && hasClass(e, 'win'));
    assert.equal(halos.length, steps.length, 'frame 0 has nothing to highlight');
    assert.match(svg, /prefers-reduced-motion:reduce/);
  });

  test('is byte-stable', () => {
    assert.equal(renderAnimatedSvg(sigmoidSnapshot(), { stepSeconds: 0.5, holdSeconds: 1 }), svg);
  });

  test('fork totals appear with their += step', () => {
    const f = forkSnapshot();
    const fsteps = schedule(f);
    const fdoc = parseXml(renderAnimatedSvg(f));
    const [t] = findAll(fdoc, (e) => hasClass(e, 'total'));
    assert.ok(t && hasClass(t, `show-${fsteps.length}`));
  });

  test('escapes injected names and titles; options drop the caption and the legend', () => {
    const out = renderAnimatedSvg(injectionSnapshot(), {
      title: '<script>alert(1)</script>',
      caption: false,
      legend: false,
    });
    const d = parseXml(out);
    assert.doesNotMatch(out, /<script/i);
    assert.match(out, /&lt;script&gt;/);
    assert.equal(findAll(d, (e) => hasClass(e, 'caption') || hasClass(e, 'legend')).length, 0);
  });

  test('works on the worked examples, tensors included', () => {
    for (const name of ['staged', 'vectorized', 'svm']) {
      const ex = findExample(name)!;
      const snap = snapshotExpression(ex.expression, ex.values, { mode: ex.mode });
      const out = renderAnimatedSvg(snap);
      parseXml(out);
      assert.equal(count(out, /@keyframes show-\d+\{/g), schedule(snap).length, name);
    }
  });
});
