/** The built-in worked examples (the library's EXAMPLES): one click loads an example whole. */
import { EXAMPLES, type Example } from '../../src/expr/index.js';
import { valueText } from '../state.js';
import { expr, update } from '../store.js';
import { resetValueKinds } from './editor.js';
import { resetQuiz } from './quiz.js';

export function loadExample(example: Example): void {
  resetValueKinds();
  resetQuiz();
  update({
    expr: example.expression,
    values: new Map(Object.entries(example.values).map(([k, v]) => [k, valueText(v)])),
    mode: example.mode,
    step: 'end',
    quiz: false,
    open: 'auto',
  });
}

export function Gallery() {
  const current = expr.value;
  return (
    <details class="panel gallery" open>
      <summary>
        <h2>Examples</h2>
      </summary>
      <ul>
        {EXAMPLES.map((ex) => {
          const active = ex.expression === current;
          return (
            <li key={ex.name}>
              <button
                type="button"
                class={`example${active ? ' active' : ''}`}
                data-example={ex.name}
                aria-current={active ? 'true' : undefined}
                onClick={() => loadExample(ex)}
              >
                <span class="example-title">{ex.title}</span>
                <span class="example-expr">{ex.expression}</span>
                <span class="example-desc">{ex.description}</span>
              </button>
            </li>
          );
        })}
      </ul>
    </details>
  );
}
