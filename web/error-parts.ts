/** A line of carets: the library's marker under the column an error is about. */
const CARETS = /^\s*\^+\s*$/;

/** A piece of an error message: a line of prose, or an excerpt (a line and its carets). */
export type MessagePart = { prose: string } | { excerpt: string };

/**
 * Splits a message into prose lines and excerpts: a line of the user's text followed by the caret
 * line under it. An excerpt's two lines must wrap together or not at all (each wrapping on its
 * own, the carets would point elsewhere), so the page never wraps them.
 *
 * @example
 * messageParts("unknown name 'foo'\n  x + foo\n      ^^^")
 * // [{ prose: "unknown name 'foo'" }, { excerpt: '  x + foo\n      ^^^' }]
 */
export function messageParts(message: string): MessagePart[] {
  const lines = message.split('\n');
  const parts: MessagePart[] = [];
  for (let i = 0; i < lines.length; i++) {
    const next = lines[i + 1];
    if (next !== undefined && CARETS.test(next) && !CARETS.test(lines[i]!)) {
      parts.push({ excerpt: `${lines[i]}\n${next}` });
      i++;
    } else {
      parts.push({ prose: lines[i]! });
    }
  }
  return parts;
}
