/**
 * Measuring and cutting the texts a picture draws: wire numbers, names, gate symbols. The layout
 * uses these to reserve room and the renderers to draw, so both agree on every size. Pure
 * arithmetic on strings: no layout library, no DOM.
 */
import { badArgument } from '../core/errors.js';
import { describe } from '../core/validate.js';
import { checkSnapshot } from '../graph/check-args.js';
import { formatNumber, formatValue, isSummary } from '../graph/format.js';
import type { GraphSnapshot, SnapshotGroup, SnapshotNode, SnapshotValue } from '../graph/types.js';

/** Font sizes and spacings shared by the layout (to reserve room) and the SVG (to draw). */
export const METRICS = {
  /** Wire labels: forward value above, gradient below. */
  labelFont: 14,
  /** Input and constant names. */
  nameFont: 15,
  /** Gate symbols inside the circles. */
  symbolFont: 16,
  /** Gap between a wire and the text above or below it. */
  labelGap: 5,
  /** Room for the ◂ mark in front of a gradient. */
  markWidth: 11,
  minRadius: 16,
  /** Longest text drawn on a wire or as a name; longer text is cut with an ellipsis. */
  maxLabelChars: 26,
  maxNameChars: 16,
  maxSymbolChars: 8,
  /** Length of the output terminal (where the arrow on the root's output wire points). */
  terminalWidth: 12,
  /** A stub: the name of an input used many times, drawn again beside each user. */
  stubFont: 12,
  /** A closed group's box: its name, and a line saying what is inside. */
  groupFont: 14,
  groupDetailFont: 11,
  /** An open group's frame: the band of its name at the top, and the padding inside. */
  frameHeader: 22,
  framePad: 10,
} as const;

/** A text as drawn (maybe cut with an ellipsis) and the full text (for a hover title). */
export interface LabelText {
  text: string;
  full: string;
  truncated: boolean;
}

/** Rough advance widths in em for DejaVu Sans and similar faces; the rest count as 0.62em. */
const NARROW = new Set(" .,:;'|!ijlIft()[]{}/\\`");
const WIDE = new Set('mwMWOQGD@%∂');

/**
 * Estimates the width of a text in pixels (about 0.6em per character, narrower for punctuation,
 * wider for m and w). Used to size boxes so that nothing overlaps; a small overestimate is fine.
 *
 * @example
 * textWidth('0.39', 14) // 31.92
 */
export function textWidth(text: string, fontSize: number): number {
  let em = 0;
  for (const ch of text) em += NARROW.has(ch) ? 0.36 : WIDE.has(ch) ? 0.9 : 0.64;
  return em * fontSize;
}

/**
 * Cuts a text to at most `max` characters (code points), ending it with `…` when cut.
 *
 * @example
 * truncate('abcdefgh', 5) // { text: 'abcd…', full: 'abcdefgh', truncated: true }
 */
export function truncate(full: string, max: number): LabelText {
  // A string of at most `max` UTF-16 units has at most `max` code points: nothing to cut.
  if (full.length <= max) return { text: full, full, truncated: false };
  const chars = Array.from(full);
  if (chars.length <= max) return { text: full, full, truncated: false };
  return { text: `${chars.slice(0, Math.max(1, max - 1)).join('')}…`, full, truncated: true };
}

/**
 * The text on a wire for a value: the number or small array as `formatValue` prints it, a large
 * tensor's summary shortened to its shape and mean (the full summary goes into the title).
 *
 * @example
 * wireText(-0.1966, 2).text               // '-0.20'
 * wireText({ summary: true, shape: [64, 64], size: 4096, min: -1, max: 1, mean: 0.01, head: [] }, 2).text
 * // '64×64, mean 0.01'
 */
export function wireText(
  value: SnapshotValue,
  precision = 2,
  max: number = METRICS.maxLabelChars,
): LabelText {
  const full = formatValue(value, precision);
  if (isSummary(value)) {
    const short = `${value.shape.join('×')}, mean ${formatNumber(value.mean, precision)}`;
    return { ...truncate(short, max), full, truncated: true };
  }
  return truncate(full, max);
}

/** What a node shows: a gate's symbol in its circle, an input's or constant's name. */
export function nodeText(node: SnapshotNode): LabelText {
  return truncate(node.label, node.kind === 'gate' ? METRICS.maxSymbolChars : METRICS.maxNameChars);
}

/** The circle radius that fits a gate's symbol. */
export function gateRadius(symbol: string): number {
  return Math.max(METRICS.minRadius, textWidth(symbol, METRICS.symbolFont) / 2 + 8);
}

/**
 * Nodes whose value feeds more than one wire that carries a gradient (a fork). Each branch wire
 * shows only its own contribution, so the picture adds the total under the node (`Σ ◂ 2.06`):
 * "gradients add up at forks". The same condition gives a fork its `accumulate` step in the
 * schedule.
 *
 * @example
 * forkNodes(forkSnapshot) // Set { 'n0' } (x in (x + y) * x)
 */
export function forkNodes(snapshot: GraphSnapshot): Set<string> {
  const uses = new Map<string, number>();
  for (const e of snapshot.edges)
    if (e.grad !== null) uses.set(e.from, (uses.get(e.from) ?? 0) + 1);
  const forks = new Set<string>();
  for (const node of snapshot.nodes) {
    if (node.grad !== null && (uses.get(node.id) ?? 0) > 1) forks.add(node.id);
  }
  return forks;
}

/** The `Σ` in front of a fork total, and the room it takes before the ◂ mark. */
export const TOTAL_SIGMA = 'Σ';

/**
 * Width of a fork total as drawn: `Σ`, a space, the ◂ mark, the number.
 *
 * @example
 * totalWidth(wireText(2.06)) // about 62 px at the label font
 */
export function totalWidth(label: LabelText): number {
  const f = METRICS.labelFont;
  return textWidth(`${TOTAL_SIGMA} `, f) + METRICS.markWidth + textWidth(label.text, f);
}

/** Height of the line under a node that holds its fork total (text plus the gap above it). */
export const TOTAL_LINE = METRICS.labelFont + METRICS.labelGap + 3;

/** What is inside each group: its gates (all levels) and its parts (what opening it shows). */
export interface GroupContents {
  gates: number;
  /** Direct child groups by kind (`neuron` → 8). */
  children: Map<string, number>;
}

const contents = new WeakMap<GraphSnapshot, Map<string, GroupContents>>();

/** Gate and child counts of every group of a snapshot (cached per snapshot). */
export function groupContents(snapshot: GraphSnapshot): Map<string, GroupContents> {
  checkSnapshot('groupContents', snapshot);
  let map = contents.get(snapshot);
  if (map) return map;
  map = new Map();
  const parent = new Map<string, string | undefined>();
  for (const g of snapshot.groups ?? []) {
    parent.set(g.id, g.parent);
    map.set(g.id, { gates: 0, children: new Map() });
    const p = g.parent === undefined ? undefined : map.get(g.parent);
    p?.children.set(g.kind, (p.children.get(g.kind) ?? 0) + 1);
  }
  for (const n of snapshot.nodes) {
    if (n.kind !== 'gate') continue;
    for (let g = n.group; g !== undefined; g = parent.get(g)) {
      const c = map.get(g);
      if (!c) break;
      c.gates++;
    }
  }
  contents.set(snapshot, map);
  return map;
}

const PLURALS: Record<string, string> = { sum: 'parts', dot: 'dot products', step: 'steps' };

/**
 * The two lines of a closed group's box: its name (`layer 1`) and what is inside
 * (`8 neurons · 57 gates`).
 *
 * @example
 * groupText(group, contents) // { title: 'layer 1', detail: '8 neurons · 57 gates' }
 */
export function groupText(
  group: SnapshotGroup,
  inside: GroupContents | undefined,
): { title: LabelText; detail: string } {
  const g = group as Partial<SnapshotGroup> | null;
  if (g === null || typeof g !== 'object' || typeof g.label !== 'string') {
    throw badArgument(
      'groupText',
      `argument group must be a group of a snapshot, got ${describe(group)}`,
    );
  }
  const c = inside as Partial<GroupContents> | null | undefined;
  if (
    c !== undefined &&
    (c === null || typeof c.gates !== 'number' || !(c.children instanceof Map))
  ) {
    throw badArgument(
      'groupText',
      `argument inside must come from groupContents, got ${describe(inside)}`,
    );
  }
  const count = (k: number) => String(k).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const parts: string[] = [];
  for (const [kind, n] of inside?.children ?? []) {
    parts.push(
      n === 1
        ? `1 ${kind === 'dot' ? 'dot product' : kind}`
        : `${count(n)} ${PLURALS[kind] ?? `${kind}s`}`,
    );
  }
  const gates = inside?.gates ?? 0;
  parts.push(gates === 1 ? '1 gate' : `${count(gates)} gates`);
  return { title: truncate(group.label, 28), detail: parts.join(' · ') };
}

/**
 * What a wire's value line says: the value, or `name = value` when a named step made it. For a
 * tensor drawn as a grid, the name heads the grid instead (see `gridCaption`).
 *
 * @example
 * valueText(0.2214, 2, 'dot').text // 'dot = 0.22'
 */
export function valueText(value: SnapshotValue, precision = 2, name?: string): LabelText {
  const text = wireText(value, precision);
  if (name === undefined) return text;
  const full = `${name} = ${text.full}`;
  return { ...truncate(`${name} = ${text.text}`, METRICS.maxLabelChars + 8), full };
}

/** The caption over a grid: the shape (`2×3`), with the step's name when it has one. */
export function gridCaption(shape: readonly number[], name?: string, bundle?: string): string {
  const base = bundle ?? shape.join('×');
  return name === undefined ? base : `${name}: ${base}`;
}
