import { badArgument } from '../core/errors.js';
import { describe } from '../core/validate.js';
import { escapeControls } from '../core/errors.js';

/**
 * Escaping for every piece of user text that reaches a picture: variable names, expressions,
 * titles. Variable names can be anything (`<script>alert(1)</script>`), so nothing is written
 * into SVG, HTML or DOT without passing through one of these functions.
 */

/**
 * Characters XML 1.0 forbids even when escaped (C0 controls other than tab, newline and return,
 * U+FFFE/U+FFFF, and lone surrogates). A single one makes the whole SVG unreadable, so each is
 * replaced by U+FFFD instead of being passed through.
 */
/* eslint-disable no-control-regex -- matching control characters is the point here */
const INVALID_XML =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/* eslint-enable no-control-regex */

const XML_ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Replaces characters that may not appear in an XML document with U+FFFD. */
/** A string, or a clear error: escaping a non-string would hide a bug upstream. */
function checkText(fn: string, text: unknown): void {
  if (typeof text !== 'string') {
    throw badArgument(fn, `argument text must be a string, got ${describe(text)}`);
  }
}

export function stripInvalidXml(text: string): string {
  checkText('stripInvalidXml', text);
  return text.replace(INVALID_XML, '\uFFFD');
}

/**
 * Escapes text content for XML/HTML/SVG (`&`, `<`, `>`; quotes too, which is harmless and lets
 * the same string go into an attribute).
 *
 * @example
 * escapeXml('<script>alert("x")</script>') // '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;'
 */
export function escapeXml(text: string): string {
  checkText('escapeXml', text);
  return stripInvalidXml(text).replace(/[&<>"']/g, (c) => XML_ENTITIES[c] ?? c);
}

/**
 * Escapes an attribute value for a double- or single-quoted XML/HTML attribute. Newlines and tabs
 * become character references because attribute-value normalisation would otherwise turn them
 * into spaces.
 *
 * @example
 * escapeAttr('a "b"\nc') // 'a &quot;b&quot;&#10;c'
 */
export function escapeAttr(text: string): string {
  checkText('escapeAttr', text);
  return escapeXml(text).replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}

/**
 * Escapes the inside of a double-quoted Graphviz DOT string: backslashes and quotes are escaped,
 * and line breaks become DOT's centred-line escape `\n`. A lone backslash would otherwise start a
 * DOT escape sequence (`\N` is the node name, `\l` a left-justified break).
 *
 * @example
 * escapeDot('say "hi" \\ bye') // 'say \\"hi\\" \\\\ bye'
 */
export function escapeDot(text: string): string {
  checkText('escapeDot', text);
  return stripInvalidXml(text)
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Quotes a DOT id (node name, attribute value) so that any text is a legal id.
 *
 * @example
 * quoteDot('n0') // '"n0"'
 */
export function quoteDot(text: string): string {
  checkText('quoteDot', text);
  return `"${escapeDot(text)}"`;
}

/**
 * Makes user text safe for a terminal or a log, on one line: control and bidi characters (see
 * `escapeControls`, the one definition of which characters are unsafe) become visible escapes
 * (`\n`, `\t`, `\u{1b}`); everything else, `<` and `&` included, is kept as it is, since plain
 * text has no markup.
 *
 * @example
 * escapeTerminal('a\nb\u001b[31m') // 'a\\nb\\u{1b}[31m'
 */
export function escapeTerminal(text: string): string {
  checkText('escapeTerminal', text);
  return escapeControls(text, 'show');
}
