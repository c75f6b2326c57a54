/**
 * Big graphs for the scale tests: the written-out 2-8-8-1 ReLU network of issue 7 (579 nodes,
 * 1,371 steps), built from one expression with fixed weights.
 */
import { snapshotExpression, type GraphSnapshot } from '../../src/graph/index.js';

/** The expression and its values (the same network the browser tests open). */
export function writtenOutMlpSource(): { expression: string; values: Record<string, number> } {
  const values: Record<string, number> = {};
  let k = 0;
  const v = (name: string) => {
    if (!(name in values))
      values[name] = Math.round(((Math.sin(++k * 12.9898) * 43758.5453) % 1) * 100) / 100;
    return name;
  };
  const h1 = (j: number) =>
    `relu(${v(`a${j}1`)}*${v('x1')}+${v(`a${j}2`)}*${v('x2')}+${v(`c${j}`)})`;
  const h2 = (i: number) =>
    `relu(${Array.from({ length: 8 }, (_, j) => `${v(`b${i}${j + 1}`)}*${h1(j + 1)}`).join('+')}+${v(`d${i}`)})`;
  const expression = `${Array.from({ length: 8 }, (_, i) => `${v(`v${i + 1}`)}*${h2(i + 1)}`).join('+')}+${v('e')}`;
  return { expression, values };
}

export function writtenOutMlp(): GraphSnapshot {
  const { expression, values } = writtenOutMlpSource();
  return snapshotExpression(expression, values);
}
