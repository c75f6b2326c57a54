/**
 * The gradient check: for each input, the analytic gradient (backprop) against the numerical one
 * (centred differences), the true relative error and the CS231n verdict — the library's
 * checkExpression, with its words (describeRelError, VERDICT_TEXT). It runs only while the panel
 * is open, since it evaluates the expression twice per input element. The verdicts are also
 * drawn on the graph itself, every checked wire and gate coloured (see GraphView).
 */
import { computed, signal } from '@preact/signals';
import {
  checkExpression,
  describeRelError,
  formatValue,
  VERDICT_TEXT,
  type CheckStatus,
} from '../../src/graph/index.js';
import { attempt, expr, functions, precision } from '../store.js';

export const checkOpen = signal(false);

export type CheckResult =
  { ok: true; check: ReturnType<typeof checkExpression> } | { ok: false; message: string } | null;

export const checkResult = computed<CheckResult>(() => {
  if (!checkOpen.value) return null;
  const a = attempt.value;
  if (!a.ok) return { ok: false, message: 'Fix the expression first: there is nothing to check.' };
  try {
    const { expression, mode } = a.graph.snapshot;
    return {
      ok: true,
      check: checkExpression(expression ?? expr.peek(), a.graph.bindings, {
        mode: mode ?? 'staged',
        functions: functions.value,
      }),
    };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
});

/** A symbol and a short word for each verdict, so that colour is never the only signal. */
export const VERDICTS: Record<CheckStatus, { icon: string; word: string }> = {
  happy: { icon: '✓', word: 'happy' },
  ok: { icon: '≈', word: 'ok (kinks)' },
  uncomfortable: { icon: '⚠', word: 'uncomfortable' },
  wrong: { icon: '✗', word: 'wrong' },
  kink: { icon: '⚑', word: 'at a kink' },
};

export function GradCheck() {
  const result = checkResult.value;
  const p = Math.max(4, precision.value);
  return (
    <details
      class="panel gradcheck"
      open={checkOpen.value}
      onToggle={(e) => (checkOpen.value = e.currentTarget.open)}
    >
      <summary>
        <h2>Gradient check</h2>
      </summary>
      <p class="help">
        Backprop (analytic) against centred differences (numerical, h = 1e-5), relative error |a −
        n| / max(|a|, |n|), judged as in the CS231n notes. The graph is coloured by the verdicts:
        every wire and gate is checked on its own.
      </p>
      {result === null ? null : !result.ok ? (
        <p class="field-error">{result.message}</p>
      ) : (
        <>
          <ul class="check-rows">
            {result.check.inputs.map((row) => {
              const v = VERDICTS[row.status];
              return (
                <li key={row.name} class={`check-row verdict-${row.status}`} data-input={row.name}>
                  <p class="check-head">
                    <span class="check-name">{row.name}</span>
                    <span class="verdict" title={VERDICT_TEXT[row.status]}>
                      <span aria-hidden="true">{v.icon}</span> {v.word}
                    </span>
                  </p>
                  <dl>
                    <dt>analytic</dt>
                    <dd title={formatValue(row.analytic, 10)}>{formatValue(row.analytic, p)}</dd>
                    <dt>numerical</dt>
                    <dd title={formatValue(row.numerical, 10)}>{formatValue(row.numerical, p)}</dd>
                    <dt>rel. error</dt>
                    <dd class="rel-error">{describeRelError(row)}</dd>
                  </dl>
                  {row.status === 'kink' ? <p class="kink-why">{VERDICT_TEXT.kink}</p> : null}
                </li>
              );
            })}
          </ul>
          <p class={`check-summary ${result.check.passed ? 'passed' : 'failed'}`}>
            {result.check.passed ? '✓ The gradients check out.' : '✗ Some gradients disagree.'}
            {result.check.hasKinks ? ' This function has kinks (max, relu, abs…).' : ''}
            {result.check.graph.passed
              ? ''
              : ' The coloured wires on the graph show where: thick orange or magenta.'}
          </p>
        </>
      )}
    </details>
  );
}
