/**
 * The card shown on hover or keyboard focus: for a wire, its forward value, its gradient and the
 * chain rule `dL/dx = local × upstream = …` (the library's explainEdge); for a gate, how it
 * treats the gradient (gateRule). It shows only what the current frame knows, so neither the
 * animation nor the quiz is given away.
 */
import { OUTPUT_EDGE_ID } from '../../src/viz/index.js';
import { explainEdge, explainNode, gateRule, nodeName } from '../../src/graph/explain.js';
import { formatValue, type FrameState, type GraphSnapshot } from '../../src/graph/index.js';

export type Target = { kind: 'edge' | 'node'; id: string };

interface CardProps {
  snapshot: GraphSnapshot;
  frame: FrameState;
  target: Target;
  precision: number;
}

const NOT_YET_VALUE = 'not computed yet — run the forward pass';
const NOT_YET_GRAD = 'not computed yet — the backward pass has not reached it';

function Row({ label, cls, children }: { label: string; cls: string; children: string }) {
  return (
    <div class={`card-row ${cls}`}>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

export function CardContent({ snapshot, frame, target, precision }: CardProps) {
  const f = (v: Parameters<typeof formatValue>[0]) => formatValue(v, precision);
  if (target.kind === 'edge') {
    const root = snapshot.nodes.find((n) => n.id === snapshot.root)!;
    if (target.id === OUTPUT_EDGE_ID) {
      const gradKnown = frame.nodeGrads.has(root.id);
      return (
        <>
          <p class="card-title">output wire</p>
          <dl>
            <Row label="value" cls="value">
              {frame.values.has(root.id) ? f(root.value) : NOT_YET_VALUE}
            </Row>
            <Row label="gradient" cls="grad">
              {gradKnown ? f(root.grad) : NOT_YET_GRAD}
            </Row>
          </dl>
          {gradKnown ? <p class="equation">{explainNode(snapshot, root, precision)}</p> : null}
        </>
      );
    }
    const edge = snapshot.edges.find((e) => e.id === target.id);
    if (!edge) return null;
    const from = snapshot.nodes.find((n) => n.id === edge.from)!;
    const to = snapshot.nodes.find((n) => n.id === edge.to)!;
    const gradKnown = frame.edgeGrads.has(edge.id);
    return (
      <>
        <p class="card-title">
          wire {nodeName(snapshot, from)} → {to.label} ({to.gate ?? to.op})
        </p>
        <dl>
          <Row label="value" cls="value">
            {frame.values.has(edge.from) ? f(edge.value) : NOT_YET_VALUE}
          </Row>
          <Row label="gradient" cls="grad">
            {gradKnown ? f(edge.grad) : NOT_YET_GRAD}
          </Row>
        </dl>
        {gradKnown ? <p class="equation">{explainEdge(snapshot, edge, precision)}</p> : null}
      </>
    );
  }
  const node = snapshot.nodes.find((n) => n.id === target.id);
  if (!node) return null;
  const name = nodeName(snapshot, node);
  const title = node.kind === 'gate' ? `${node.label} — ${node.gate ?? node.op}` : name;
  return (
    <>
      <p class="card-title">{title}</p>
      {node.kind === 'gate' && name !== node.id ? <p class="card-sub">computes {name}</p> : null}
      <dl>
        <Row label="value" cls="value">
          {frame.values.has(node.id) ? f(node.value) : NOT_YET_VALUE}
        </Row>
        <Row label="gradient" cls="grad">
          {frame.nodeGrads.has(node.id) ? f(node.grad) : NOT_YET_GRAD}
        </Row>
      </dl>
      <p class="rule">{gateRule(node)}</p>
      {node.kind !== 'gate' && frame.nodeGrads.has(node.id) ? (
        <p class="equation">{explainNode(snapshot, node, precision)}</p>
      ) : null}
    </>
  );
}

/** A short text for screen readers, set as the element's accessible name. */
export function ariaLabel(snapshot: GraphSnapshot, target: Target): string {
  if (target.kind === 'edge') {
    if (target.id === OUTPUT_EDGE_ID) return 'output wire';
    const edge = snapshot.edges.find((e) => e.id === target.id);
    if (!edge) return 'wire';
    const from = snapshot.nodes.find((n) => n.id === edge.from);
    const to = snapshot.nodes.find((n) => n.id === edge.to);
    return `wire from ${from ? nodeName(snapshot, from) : edge.from} into ${to?.gate ?? to?.op ?? 'a gate'}`;
  }
  const node = snapshot.nodes.find((n) => n.id === target.id);
  if (!node) return 'node';
  return node.kind === 'gate'
    ? `${node.gate ?? node.op}: ${nodeName(snapshot, node)}`
    : `${node.kind} ${node.label}`;
}
