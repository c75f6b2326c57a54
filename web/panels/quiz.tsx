/**
 * Quiz mode, "fill in the gradients": the gradients are hidden and the learner types the red
 * number of each wire in the order backpropagation reaches it. A right answer reveals the wire
 * (the animation moves one step), a hint shows the local and upstream gradients to multiply.
 */
import { signal } from '@preact/signals';
import { useEffect, useRef } from 'preact/hooks';
import {
  checkQuizAnswer,
  explainEdge,
  formatValue,
  gateRule,
  gradSymbol,
  isSummary,
  nodeName,
  showProduct,
  type SnapshotEdge,
} from '../../src/graph/index.js';
import { progress, questionEdge, tolerance } from '../quiz.js';
import { graph, position, precision, question, seek, type Graph } from '../store.js';

interface Score {
  /** Right at the first try. */
  right: number;
  /** Right after one or more wrong tries. */
  later: number;
  hints: number;
  revealed: number;
}

const EMPTY: Score = { right: 0, later: 0, hints: 0, revealed: 0 };
const score = signal<Score>(EMPTY);
const answer = signal('');
const feedback = signal<{ ok: boolean; text: string } | null>(null);
const hint = signal<string | null>(null);
/** The current question had a wrong try. */
const missed = signal(false);

/** A fresh quiz: score, answer box and messages cleared. */
export function resetQuiz(): void {
  score.value = EMPTY;
  answer.value = '';
  feedback.value = null;
  hint.value = null;
  missed.value = false;
}

function bump(key: keyof Score): void {
  score.value = { ...score.value, [key]: score.value[key] + 1 };
}

/**
 * The question being asked, read when the learner acts rather than when the panel last rendered:
 * two quick answers in a row must each be judged against their own wire.
 */
function current(): { g: Graph; q: number; edge: SnapshotEdge } | null {
  const g = graph.peek();
  const q = question.peek();
  if (!g || q === null) return null;
  const edge = questionEdge(g.snapshot, g.steps[q]);
  return edge === null ? null : { g, q, edge };
}

/** On to the next question: the answered wire's gradient appears (the animation moves a step). */
function advance(q: number): void {
  answer.value = '';
  hint.value = null;
  missed.value = false;
  seek(q + 1);
}

function submit(): void {
  const c = current();
  if (!c) return;
  const p = precision.peek();
  const verdict = checkQuizAnswer(answer.value, c.edge, p);
  if (verdict.ok) {
    bump(missed.value ? 'later' : 'right');
    const note = verdict.matched === 'shown' ? ` ${verdict.note}` : '';
    feedback.value = {
      ok: true,
      text: `✓ Right: ${explainEdge(c.g.snapshot, c.edge, p)}.${note}`,
    };
    advance(c.q);
  } else {
    missed.value = true;
    feedback.value = { ok: false, text: `✗ ${verdict.reason}` };
  }
}

function giveHint(): void {
  const c = current();
  if (!c) return;
  const p = precision.peek();
  const { edge } = c;
  const to = c.g.snapshot.nodes.find((n) => n.id === edge.to)!;
  if (hint.value === null) bump('hints');
  hint.value = hintText(edge, p, gateRule(to));
}

/**
 * The two factors to multiply, with the digits it takes for their product to round to the
 * answer (the library's showProduct): honest arithmetic from the hint gives the right number.
 */
function hintText(edge: SnapshotEdge, p: number, rule: string): string {
  const { local, upstream, global } = edge;
  if (local === null || upstream === null || global === null)
    return `${edge.vjp ?? 'a vector-Jacobian product'}, with upstream = ${formatValue(upstream, p)}`;
  if (isSummary(local) || isSummary(upstream) || isSummary(global))
    return `multiply the local gradient by the upstream gradient. (${rule})`;
  const [l, u] = showProduct(local, upstream, global, p).operands;
  return `local gradient = ${l}, upstream gradient = ${u}: multiply them. (${rule})`;
}

function reveal(): void {
  const c = current();
  if (!c) return;
  bump('revealed');
  feedback.value = {
    ok: true,
    text: `Shown: ${explainEdge(c.g.snapshot, c.edge, precision.peek())}`,
  };
  advance(c.q);
}

export function Quiz() {
  const g = graph.value;
  const q = question.value;
  const inputRef = useRef<HTMLInputElement>(null);
  // Steps that are not questions (a fork's +=) play by themselves.
  useEffect(() => {
    if (q !== null && q !== position.value) seek(q);
  }, [q]);
  if (!g || q === null) return null;
  const p = precision.value;
  const { done, total } = progress(g.snapshot, g.steps, q);
  const edge = questionEdge(g.snapshot, g.steps[q]);
  const s = score.value;
  const answered = s.right + s.later + s.revealed;
  const scoreText =
    `Score: ${s.right} of ${answered} right first time` +
    ` · ${s.hints} ${s.hints === 1 ? 'hint' : 'hints'} · ${s.revealed} shown`;

  if (edge === null) {
    return (
      <section class="panel quiz" aria-labelledby="quiz-heading">
        <h2 id="quiz-heading">Quiz complete</h2>
        <p class="quiz-done">
          {total === 0
            ? 'This graph has no gradient to fill in.'
            : `You filled in all ${total} gradients.`}
        </p>
        <p class="score">{scoreText}</p>
        {feedback.value ? <p class="feedback right">{feedback.value.text}</p> : null}
      </section>
    );
  }

  const from = g.snapshot.nodes.find((n) => n.id === edge.from)!;
  const to = g.snapshot.nodes.find((n) => n.id === edge.to)!;
  const fork = g.snapshot.edges.filter((e) => e.from === edge.from).length > 1;
  const symbol = gradSymbol(nodeName(g.snapshot, from));
  return (
    <section class="panel quiz" aria-labelledby="quiz-heading">
      <h2 id="quiz-heading">
        Question {done + 1} of {total}
      </h2>
      <p class="question">
        The gradient arrives at the <strong>{to.label}</strong> gate ({to.gate ?? to.op}). What
        flows back along the highlighted wire from <strong>{nodeName(g.snapshot, from)}</strong>?
        {fork ? ' (This value feeds several gates: give this wire’s share only.)' : ''}
      </p>
      <form
        class="answer"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
          inputRef.current?.focus();
        }}
      >
        <label for="quiz-answer">
          {symbol} {fork ? '+=' : '='}
        </label>
        <input
          ref={inputRef}
          id="quiz-answer"
          type="text"
          inputMode="decimal"
          autocomplete="off"
          spellcheck={false}
          value={answer.value}
          onInput={(e) => (answer.value = e.currentTarget.value)}
          aria-describedby="quiz-tolerance"
        />
        <button type="submit">Check</button>
        <button type="button" onClick={giveHint}>
          Hint
        </button>
        <button
          type="button"
          class="secondary"
          onClick={() => {
            reveal();
            inputRef.current?.focus();
          }}
        >
          Show answer
        </button>
      </form>
      <p id="quiz-tolerance" class="help">
        Within ±{formatValue(tolerance(p), p + 1)} (half a unit of the last decimal shown) of the
        gradient, or of the product of the local and upstream numbers shown, counts as right.
      </p>
      {hint.value ? <p class="hint-text">Hint: {hint.value}</p> : null}
      {feedback.value ? (
        <p class={`feedback ${feedback.value.ok ? 'right' : 'wrong'}`} role="status">
          {feedback.value.text}
        </p>
      ) : null}
      <p class="score">{scoreText}</p>
    </section>
  );
}
