import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  escapeAttr,
  escapeDot,
  escapeTerminal,
  escapeXml,
  quoteDot,
  stripInvalidXml,
} from '../../src/viz/escape.js';
import { parseXml, textOf } from '../support/xml.js';

describe('escape', () => {
  test('escapeXml escapes the five XML specials', () => {
    assert.equal(
      escapeXml(`<a href="x">'&'</a>`),
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;',
    );
    assert.equal(escapeXml('plain σ × 1/x'), 'plain σ × 1/x');
  });

  test('escapeXml round-trips through a strict XML parser', () => {
    const nasty = `<script>alert("1")</script> & ' \u0007 \uD800 ok 𝑥`;
    const doc = parseXml(`<t a="${escapeAttr(nasty)}">${escapeXml(nasty)}</t>`);
    const expected = nasty.replace('\u0007', '\uFFFD').replace('\uD800', '\uFFFD');
    assert.equal(textOf(doc), expected);
    assert.equal(doc.attrs.a, expected);
  });

  test('escapeAttr keeps newlines and tabs as character references', () => {
    assert.equal(escapeAttr('a\nb\tc'), 'a&#10;b&#9;c');
  });

  test('stripInvalidXml keeps valid surrogate pairs', () => {
    assert.equal(stripInvalidXml('𝑥\u0000\uDC00'), '𝑥\uFFFD\uFFFD');
  });

  test('escapeDot escapes backslashes, quotes and line breaks', () => {
    assert.equal(escapeDot('a"b\\c\nd'), 'a\\"b\\\\c\\nd');
    assert.equal(quoteDot('n0'), '"n0"');
    assert.equal(quoteDot('\\'), '"\\\\"');
  });

  test('escapeTerminal shows control and bidi characters', () => {
    assert.equal(escapeTerminal('a\tb\u001b[0m\u202E<&>'), 'a\\tb\\u{1b}[0m\\u{202e}<&>');
  });
});
