/**
 * A small strict XML well-formedness checker and tree builder for tests, so that SVG output can
 * be checked and queried without a dependency. It rejects what a browser's XML parser rejects
 * in our output: unbalanced or crossed tags, unquoted or duplicate attributes, a raw `<` or a
 * bare `&` in text or attribute values, unknown entities, characters XML forbids, more than one
 * root element, and text outside the root.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
}
export type XmlNode = XmlElement | string;

const NAME = /^[A-Za-z_:][A-Za-z0-9_.:-]*/;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
// eslint-disable-next-line no-control-regex -- the characters XML 1.0 forbids
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

export class XmlError extends Error {
  constructor(message: string, offset: number, source: string) {
    super(
      `${message} at offset ${offset}: …${source.slice(Math.max(0, offset - 30), offset + 30)}…`,
    );
  }
}

/** Decodes entity and character references, throwing on a bare `&` or an unknown entity. */
function decode(text: string, offset: number, source: string): string {
  if (text.includes('<')) throw new XmlError('raw "<" in text or attribute', offset, source);
  return text.replace(/&([^;&\s]*);?/g, (match, body: string) => {
    if (!match.endsWith(';')) throw new XmlError('bare "&"', offset, source);
    if (body in ENTITIES) return ENTITIES[body] ?? '';
    const num = /^#(?:x([0-9a-fA-F]+)|([0-9]+))$/.exec(body);
    if (num) return String.fromCodePoint(parseInt(num[1] ?? num[2] ?? '', num[1] ? 16 : 10));
    throw new XmlError(`unknown entity "&${body};"`, offset, source);
  });
}

/**
 * Parses a document strictly and returns its root element; throws `XmlError` with the offset of
 * the first problem.
 */
export function parseXml(source: string): XmlElement {
  if (FORBIDDEN.test(source)) {
    throw new XmlError('character not allowed in XML', source.search(FORBIDDEN), source);
  }
  let i = 0;
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  const fail = (message: string): never => {
    throw new XmlError(message, i, source);
  };
  const skipSpace = () => {
    while (i < source.length && /\s/.test(source[i] ?? '')) i++;
  };
  const readName = (): string => {
    const m = NAME.exec(source.slice(i, i + 200));
    if (!m) return fail('expected a name');
    i += m[0].length;
    return m[0];
  };

  if (source.startsWith('<?xml')) {
    const end = source.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration');
    i = end + 2;
  }
  while (i < source.length) {
    const lt = source.indexOf('<', i);
    const text = source.slice(i, lt < 0 ? source.length : lt);
    if (text !== '') {
      const decoded = decode(text, i, source);
      const parent = stack[stack.length - 1];
      if (parent) parent.children.push(decoded);
      else if (decoded.trim() !== '') fail('text outside the root element');
    }
    if (lt < 0) break;
    i = lt;
    if (source.startsWith('<!--', i)) {
      const end = source.indexOf('-->', i + 4);
      if (end < 0) fail('unterminated comment');
      i = end + 3;
      continue;
    }
    if (source.startsWith('</', i)) {
      i += 2;
      const name = readName();
      skipSpace();
      if (source[i] !== '>') fail('expected ">" after closing tag');
      i++;
      const open = stack.pop();
      if (!open) fail(`closing tag </${name}> with nothing open`);
      if (open && open.name !== name) fail(`</${name}> closes <${open.name}>`);
      continue;
    }
    i++;
    const element: XmlElement = { name: readName(), attrs: {}, children: [] };
    for (;;) {
      const before = i;
      skipSpace();
      if (source.startsWith('/>', i) || source[i] === '>') break;
      if (i === before) fail('expected whitespace between attributes');
      const attr = readName();
      skipSpace();
      if (source[i] !== '=') fail(`attribute ${attr} has no value`);
      i++;
      skipSpace();
      const quote = source[i];
      if (quote !== '"' && quote !== "'") fail(`attribute ${attr} is not quoted`);
      const end = source.indexOf(quote ?? '"', i + 1);
      if (end < 0) fail('unterminated attribute value');
      if (attr in element.attrs) fail(`duplicate attribute ${attr}`);
      element.attrs[attr] = decode(source.slice(i + 1, end), i, source);
      i = end + 1;
    }
    const parent = stack[stack.length - 1];
    if (parent) parent.children.push(element);
    else if (root) fail('second root element');
    else root = element;
    if (source.startsWith('/>', i)) i += 2;
    else {
      i++;
      stack.push(element);
    }
  }
  if (stack.length > 0) fail(`unclosed <${stack[stack.length - 1]?.name}>`);
  if (!root) return fail('no root element');
  return root;
}

/** All elements under `node` (itself included), depth first, in document order. */
export function descendants(node: XmlElement): XmlElement[] {
  const out: XmlElement[] = [node];
  for (const child of node.children) if (typeof child !== 'string') out.push(...descendants(child));
  return out;
}

/** Elements under `node` matching a predicate. */
export function findAll(node: XmlElement, test: (e: XmlElement) => boolean): XmlElement[] {
  return descendants(node).filter(test);
}

/** True when the element's `class` attribute lists `cls`. */
export function hasClass(e: XmlElement, cls: string): boolean {
  return (e.attrs.class ?? '').split(/\s+/).includes(cls);
}

/** Text content, leaving out `<title>` children (hover text is not what is drawn). */
export function textOf(node: XmlNode): string {
  if (typeof node === 'string') return node;
  if (node.name === 'title') return '';
  return node.children.map(textOf).join('');
}

/** The `<title>` child's text, if any. */
export function titleOf(node: XmlElement): string | undefined {
  const t = node.children.find((c): c is XmlElement => typeof c !== 'string' && c.name === 'title');
  return t === undefined ? undefined : t.children.map(textOf).join('');
}
