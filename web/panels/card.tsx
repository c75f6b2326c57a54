/**
 * The card shown on hover or keyboard focus: for a wire, its forward value, its gradient and the
 * chain rule `dL/dx = local × upstream = …` (the library's explainEdge) — a tensor as its whole
 * grid of numbers, value and gradient side by side; for a gate, how it treats the gradient
 * (gateRule); for a closed group, what is inside. It shows only what the current frame knows,
 * so neither the animation nor the quiz is given away.
 */
import {
  explainEdge,
  explainNode,
  formatNumber,
  formatValue,
  gateRule,
  isSummary,
  nodeName,
  wireNumbers,
  type FrameState,
  type GraphView,
  type SnapshotValue,
} from '../../src/graph/index.js';
import { frameParts, gridOf, OUTPUT_EDGE_ID } from '../../src/viz/index.js';
import { groupCount } from '../groups.js';

export type Target = { kind: 'edge' | 'node'; id: string };

interface CardProps {
  view: GraphView;
  frame: FrameState;
  target: Target;
  precision: number;
}

const NOT_YET_VALUE = 'not computed yet — run the forward pass';
const NOT_YET_GRAD = 'not computed yet — the backward pass has not reached it';

/** A tensor as a table of all its numbers (a vector as a column), else its text. */
function Value({ value, precision }: { value: SnapshotValue | null; precision: number }) {
  const grid = value !== null && !isSummary(value) ? gridOf(value, precision) : null;
  if (grid === null || grid.shape.length === 0) return <span>{formatValue(value, precision)}</span>;
  const cols = grid.shape.length === 2 ? grid.shape[1]! : 1;
  const rows = Math.ceil(grid.cells.length / cols);
  return (
    <span class="array">
      <span class="array-shape">{grid.shape.join('×')}</span>
      <table class="array-grid">
        <tbody>
          {Array.from({ length: rows }, (_, i) => (
            <tr key={i}>
              {grid.cells.slice(i * cols, (i + 1) * cols).map((x, j) => (
                <td key={j}>{formatNumber(x, precision)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </span>
  );
}

function Row({
  label,
  cls,
  children,
}: {
  label: string;
  cls: string;
  children: preact.ComponentChildren;
}) {
  return (
    <div class={`card-row ${cls}`}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Value and gradient of a wire or node, side by side when they are grids. */
function Numbers(props: {
  value: SnapshotValue | null;
  grad: SnapshotValue | null;
  valueKnown: boolean;
  gradKnown: boolean;
  precision: number;
}) {
  const { value, grad, valueKnown, gradKnown, precision } = props;
  const wide = Array.isArray(value) || Array.isArray(grad);
  return (
    <dl class={wide ? 'side-by-side' : ''}>
      <Row label="value" cls="value">
        {valueKnown ? <Value value={value} precision={precision} /> : NOT_YET_VALUE}
      </Row>
      <Row label="gradient" cls="grad">
        {gradKnown ? <Value value={grad} precision={precision} /> : NOT_YET_GRAD}
      </Row>
    </dl>
  );
}

export function CardContent({ view, frame, target, precision }: CardProps) {
  const snapshot = view.snapshot;
  const parts = frameParts(view, frame);
  const byId = new Map(view.nodes.map((n) => [n.id, n]));
  if (target.kind === 'edge') {
    const root = snapshot.nodes.find((n) => n.id === snapshot.root)!;
    if (target.id === OUTPUT_EDGE_ID) {
      const gradKnown = frame.nodeGrads.has(root.id);
      return (
        <>
          <p class="card-title">output wire</p>
          <Numbers
            value={root.value}
            grad={root.grad}
            valueKnown={frame.values.has(root.id)}
            gradKnown={gradKnown}
            precision={precision}
          />
          {gradKnown ? <p class="equation">{explainNode(snapshot, root, precision)}</p> : null}
        </>
      );
    }
    const edge = view.edges.find((e) => e.id === target.id);
    if (!edge) return null;
    const { value, grad } = wireNumbers(view, edge);
    const valueKnown = !parts.hiddenValues.has(edge.id);
    const gradKnown = !parts.hiddenGrads.has(edge.id);
    const into = byId.get(edge.to);
    const intoName =
      into?.kind === 'group'
        ? (snapshot.groups?.find((g) => g.id === into.group)?.label ?? into.id)
        : (snapshot.nodes.find((n) => n.id === into?.node)?.label ?? edge.to);
    const sources = edge.sources.map((id) => snapshot.nodes.find((n) => n.id === id)!);
    const single =
      edge.edges.length === 1 ? snapshot.edges.find((e) => e.id === edge.edges[0]) : undefined;
    const title =
      sources.length > 1
        ? `${sources.length} wires → ${intoName}`
        : `wire ${nodeName(snapshot, sources[0]!)} → ${intoName}` +
          (edge.edges.length > 1 ? ` (${edge.edges.length} uses inside)` : '');
    return (
      <>
        <p class="card-title">{title}</p>
        <Numbers
          value={value}
          grad={grad}
          valueKnown={valueKnown}
          gradKnown={gradKnown}
          precision={precision}
        />
        {gradKnown && single ? (
          <p class="equation">{explainEdge(snapshot, single, precision)}</p>
        ) : gradKnown && edge.edges.length > 1 ? (
          <p class="equation">
            {sources.length === 1
              ? `the gradients of its ${edge.edges.length} uses inside add up (the copy gate)`
              : 'one gradient per wire, each the sum over its uses inside'}
          </p>
        ) : null}
      </>
    );
  }
  const drawn = byId.get(target.id);
  if (drawn?.kind === 'group') {
    const group = snapshot.groups?.find((g) => g.id === drawn.group);
    return (
      <>
        <p class="card-title">
          {group?.label ?? drawn.id} <span class="card-kind">({group?.kind})</span>
        </p>
        <p class="card-sub">{groupCount(snapshot, drawn.group!)}</p>
        <p class="rule">Click (or press Enter) to open it.</p>
      </>
    );
  }
  const node = snapshot.nodes.find((n) => n.id === (drawn?.node ?? target.id));
  if (!node) return null;
  const name = nodeName(snapshot, node);
  const title = node.kind === 'gate' ? `${node.label} — ${node.gate ?? node.op}` : name;
  const uses = snapshot.edges.filter((e) => e.from === node.id).length;
  return (
    <>
      <p class="card-title">{title}</p>
      {node.kind === 'gate' && name !== node.id ? <p class="card-sub">computes {name}</p> : null}
      {drawn?.kind === 'stub' || drawn?.aux ? (
        <p class="card-sub">used {uses} times: drawn again beside each use</p>
      ) : null}
      <Numbers
        value={node.value}
        grad={node.grad}
        valueKnown={frame.values.has(node.id)}
        gradKnown={frame.nodeGrads.has(node.id)}
        precision={precision}
      />
      <p class="rule">{gateRule(node)}</p>
      {node.kind !== 'gate' && frame.nodeGrads.has(node.id) ? (
        <p class="equation">{explainNode(snapshot, node, precision)}</p>
      ) : null}
    </>
  );
}

/** A short text for screen readers, set as the element's accessible name. */
export function ariaLabel(view: GraphView, target: Target): string {
  const snapshot = view.snapshot;
  if (target.kind === 'edge') {
    if (target.id === OUTPUT_EDGE_ID) return 'output wire';
    const edge = view.edges.find((e) => e.id === target.id);
    if (!edge) return 'wire';
    const from = snapshot.nodes.find((n) => n.id === edge.sources[0]);
    const to = view.nodes.find((n) => n.id === edge.to);
    const into =
      to?.kind === 'group'
        ? `group ${snapshot.groups?.find((g) => g.id === to.group)?.label ?? to.id}`
        : (snapshot.nodes.find((n) => n.id === to?.node)?.gate ?? 'a gate');
    const what =
      edge.sources.length > 1
        ? `${edge.sources.length} wires`
        : `wire from ${from ? nodeName(snapshot, from) : edge.from}`;
    return `${what} into ${into}`;
  }
  const drawn = view.nodes.find((n) => n.id === target.id);
  if (drawn?.kind === 'group') {
    const group = snapshot.groups?.find((g) => g.id === drawn.group);
    return `closed group ${group?.label ?? drawn.id}: ${groupCount(snapshot, drawn.group!)} — press Enter to open it`;
  }
  const node = snapshot.nodes.find((n) => n.id === (drawn?.node ?? target.id));
  if (!node) return 'node';
  if (drawn?.kind === 'stub') return `${node.label}, one of its uses`;
  return node.kind === 'gate'
    ? `${node.gate ?? node.op}: ${nodeName(snapshot, node)}`
    : `${node.kind} ${node.label}`;
}
