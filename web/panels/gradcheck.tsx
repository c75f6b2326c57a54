/**
 * The gradient check: for each input, the analytic gradient (backprop) against the numerical one
 * (centred differences), their relative error and the CS231n verdict — the library's
 * checkExpression. It runs only while the panel is open, since it evaluates the expression twice
 * per input element. The verdicts also mark the inputs on the graph (see GraphView).
 */
import { computed, signal } from '@preact/signals';
import { checkExpression, formatValue, type CheckStatus } from '../../src/graph/index.js';
import { attempt, expr, precision } from '../store.js';

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
      }),
    };
  } catch (e) {
    return { ok: false, message: e instanceof Error ? e.message : String(e) };
  }
});

/** Words and a symbol for each verdict, so that colour is never the only signal. */
export const VERDICTS: Record<CheckStatus, { icon: string; word: string; why: string }> = {
  happy: { icon: '✓', word: 'happy', why: 'relative error ≤ 1e-7' },
  ok: { icon: '≈', word: 'ok (kinks)', why: '≤ 1e-4: fine for a function with kinks' },
  uncomfortable: {
    icon: '⚠',
    word: 'uncomfortable',
    why: '≤ 1e-4, but the function is smooth: expect better',
  },
  wrong: { icon: '✗', word: 'wrong', why: 'relative error > 1e-4' },
  kink: {
    icon: '⚑',
    word: 'at a kink',
    why: 'every element sits on a kink of max/relu: the numerical gradient says nothing',
  },
};

function relText(x: number): string {
  if (x === 0) return '0';
  return Number.isFinite(x) ? x.toExponential(1) : '∞';
}

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
        n| / max(|a|, |n|), judged as in the CS231n notes.
      </p>
      {result === null ? null : !result.ok ? (
        <p class="field-error">{result.message}</p>
      ) : (
        <>
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">input</th>
                  <th scope="col">analytic</th>
                  <th scope="col">numerical</th>
                  <th scope="col">rel. error</th>
                  <th scope="col">verdict</th>
                </tr>
              </thead>
              <tbody>
                {result.check.inputs.map((row) => {
                  const v = VERDICTS[row.status];
                  return (
                    <tr key={row.name} class={`verdict-${row.status}`} data-input={row.name}>
                      <th scope="row">{row.name}</th>
                      <td title={formatValue(row.analytic, 10)}>{formatValue(row.analytic, p)}</td>
                      <td title={formatValue(row.numerical, 10)}>
                        {formatValue(row.numerical, p)}
                      </td>
                      <td>{relText(row.relError)}</td>
                      <td class="verdict" title={v.why}>
                        <span aria-hidden="true">{v.icon}</span> {v.word}
                        {row.kinks > 0 && row.status !== 'kink' ? (
                          <span class="kink-flag"> ⚑ {row.kinks} at a kink (skipped)</span>
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          <p class={`check-summary ${result.check.passed ? 'passed' : 'failed'}`}>
            {result.check.passed ? '✓ The gradients check out.' : '✗ Some gradients disagree.'}
            {result.check.hasKinks ? ' This function has kinks (max, relu, abs…).' : ''}
          </p>
        </>
      )}
    </details>
  );
}
