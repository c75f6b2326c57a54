/**
 * The SVG the page puts into its DOM does not rest on the renderer's escaping alone: the text is
 * parsed as XML (image/svg+xml, never as HTML) and rebuilt node by node in the page's document,
 * keeping only an allow-list of SVG elements and attributes. Scripts, foreignObject, links,
 * event handlers (`on…`), `style` attributes and anything outside the SVG namespace are dropped;
 * user text (labels, names) can only ever become a text node.
 */

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The elements the renderers draw with (and a few plain shapes). No a, use, image, script. */
const ELEMENTS = new Set([
  'svg',
  'g',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'title',
  'desc',
  'style',
]);

/** Presentation and geometry attributes; no href, no style, no event handler. */
const ATTRIBUTES = new Set([
  'class',
  'd',
  'x',
  'y',
  'x1',
  'y1',
  'x2',
  'y2',
  'cx',
  'cy',
  'r',
  'rx',
  'ry',
  'dx',
  'dy',
  'width',
  'height',
  'viewBox',
  'transform',
  'points',
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'stroke-opacity',
  'stroke-linecap',
  'stroke-linejoin',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
  'role',
  'aria-label',
  'aria-hidden',
  'preserveAspectRatio',
]);

/** `data-node-id`, `data-edge-id`…: the renderer's hooks for the page and the tests. */
const DATA_ATTRIBUTE = /^data-[a-z][a-z0-9-]*$/;

/** A stylesheet that reaches outside (imports, urls) is not the renderer's and is dropped. */
const UNSAFE_CSS = /@import|url\s*\(|expression\s*\(|<\/|javascript:/i;

export class UnsafeSvgError extends Error {}

/** Is this attribute kept (by its name and value)? */
export function allowedAttribute(name: string, value: string): boolean {
  if (!ATTRIBUTES.has(name) && !DATA_ATTRIBUTE.test(name)) return false;
  // No attribute may smuggle a script URL, whatever its name.
  return !/^\s*(javascript|vbscript|data):/i.test(value);
}

/**
 * Parses `text` as an SVG document and rebuilds its allowed part as nodes of `doc`.
 * Throws UnsafeSvgError when the text is not an SVG document at all.
 */
export function sanitizeSvg(text: string, doc: Document = document): SVGSVGElement {
  const parsed = new DOMParser().parseFromString(text, 'image/svg+xml');
  const root = parsed.documentElement;
  if (
    parsed.getElementsByTagName('parsererror').length > 0 ||
    root.namespaceURI !== SVG_NS ||
    root.localName !== 'svg'
  )
    throw new UnsafeSvgError('the picture is not an SVG document');
  return copy(root, doc) as SVGSVGElement;
}

function copy(source: Element, doc: Document): Element {
  const el = doc.createElementNS(SVG_NS, source.localName);
  for (const attr of Array.from(source.attributes)) {
    if (attr.namespaceURI !== null) continue; // xlink:href, xml:base, foreign namespaces
    if (allowedAttribute(attr.name, attr.value)) el.setAttribute(attr.name, attr.value);
  }
  for (const child of Array.from(source.childNodes)) {
    if (child.nodeType === Node.TEXT_NODE || child.nodeType === Node.CDATA_SECTION_NODE) {
      el.append(doc.createTextNode(child.nodeValue ?? ''));
    } else if (child instanceof Element) {
      if (child.namespaceURI !== SVG_NS || !ELEMENTS.has(child.localName)) continue;
      if (child.localName === 'style' && UNSAFE_CSS.test(child.textContent ?? '')) continue;
      el.append(copy(child, doc));
    }
    // Comments and processing instructions are left out.
  }
  return el;
}
