import { checkSnapshot } from './check-args.js';
import type { GraphSnapshot, Step } from './types.js';

/**
 * The animation of one forward and one backward pass, as an ordered list of steps read off a
 * snapshot:
 *
 * - forward: each gate in topological order computes its value (inputs are known from the start);
 * - backward: the output is seeded with dL/dL = 1, then gates in reverse order send
 *   `local × upstream` down each input wire; a value that fed several gates gets an
 *   `accumulate` step, the += of its branches, once all of them have arrived.
 *
 * Gradients only go where the snapshot has them, so a snapshot without gradients has no
 * backward steps. A player walks this list and never recomputes backprop itself.
 */
export function schedule(snapshot: GraphSnapshot): Step[] {
  checkSnapshot('schedule', snapshot);
  const steps: Step[] = [];
  for (const node of snapshot.nodes) {
    if (node.kind === 'gate') steps.push({ phase: 'forward', kind: 'node', node: node.id });
  }
  const root = snapshot.nodes.find((n) => n.id === snapshot.root);
  if (!root || root.grad === null) return steps;

  const incoming = new Map<string, string[]>();
  const outgoing = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, id: string) => {
    const list = map.get(key);
    if (list) list.push(id);
    else map.set(key, [id]);
  };
  for (const e of snapshot.edges) {
    if (e.grad === null) continue;
    add(incoming, e.to, e.id);
    add(outgoing, e.from, e.id);
  }
  steps.push({ phase: 'backward', kind: 'seed', node: root.id });
  // Reverse topological order: when a node comes up, every wire out of it has been walked.
  for (let k = snapshot.nodes.length - 1; k >= 0; k--) {
    const node = snapshot.nodes[k]!;
    const fanOut = outgoing.get(node.id) ?? [];
    if (fanOut.length > 1)
      steps.push({ phase: 'backward', kind: 'accumulate', node: node.id, edges: fanOut });
    for (const edge of incoming.get(node.id) ?? [])
      steps.push({ phase: 'backward', kind: 'edge', edge, node: node.id });
  }
  return steps;
}
