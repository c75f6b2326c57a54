import { MLP, Rng, Value } from '../dist/index.js';
import { makeMoons } from '../dist/data/index.js';
import { fmtMs, medianMs } from './timing.js';

/**
 * micrograd's demo step on the scalar path: an MLP 2-16-16-1 on 100 moons points, SVM
 * max-margin loss + 1e-4·L2, backward, SGD update — about 65,000 Values per step.
 * micrograd (Python) takes 1.64 s per step on this machine class (figure from the design notes).
 */
export function benchMicrogradStep(): void {
  const rng = new Rng(1337);
  const { points, labels } = makeMoons(100, { noise: 0.1, rng });
  const ys = labels.map((l) => 2 * l - 1);
  const model = new MLP(2, [16, 16, 1], { rng });
  let k = 0;
  const step = (): Value => {
    const scores = points.map((p) => model.call(p)[0]!);
    let loss = new Value(0);
    scores.forEach((s, i) => (loss = loss.add(s.mul(-ys[i]!).add(1).relu())));
    let reg = new Value(0);
    for (const p of model.parameters()) reg = reg.add(p.mul(p));
    const total = loss.mul(1 / points.length).add(reg.mul(1e-4));
    model.zeroGrad();
    total.backward();
    const lr = 1 - (0.9 * k++) / 100;
    for (const p of model.parameters()) p.data -= lr * p.grad;
    return total;
  };
  // Nothing may keep a step's graph alive into the next one: the GC would then have to copy it.
  const ms = medianMs(() => void step(), 20, 5);
  const nodes = countNodes(step());
  console.log(
    `micrograd demo step (MLP 2-16-16-1, 100 moons points, ${nodes.toLocaleString('en')} Values): ` +
      `${fmtMs(ms)} per step (target ≤ 15 ms; micrograd in Python: 1.64 s → ${(1640 / ms).toFixed(0)}× faster)`,
  );
}

function countNodes(root: Value): number {
  const seen = new Set<Value>();
  const stack = [root];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (seen.has(v)) continue;
    seen.add(v);
    stack.push(...v.inputs());
  }
  return seen.size;
}
