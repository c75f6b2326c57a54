/**
 * The expression editor: the expression, one row per variable (a number field and a slider for
 * a scalar, a text field for an array), staged/fused and the precision. Errors appear under the
 * field they are about, with the library's caret under the column; the graph stays on screen.
 */
import { signal } from '@preact/signals';
import {
  errors,
  expr as exprSignal,
  functions,
  mode as modeSignal,
  precision as precisionSignal,
  state,
  update,
  values as valuesSignal,
  NEW_VARIABLE_VALUE,
} from '../store.js';
import { GRAPH_MODES, type GraphMode } from '../../src/expr/index.js';
import { MAX_PRECISION, variablesOfText } from '../state.js';
import { ErrorText } from './error-text.js';

/** Values of variables that left the expression, so that renaming back restores them. */
const remembered = new Map<string, string>();

/** Rows the learner switched between number and array editing, by variable name. */
const kinds = signal<ReadonlyMap<string, 'number' | 'array'>>(new Map());

/** Forgets the learner's number/array choices (a new example brings its own values). */
export function resetValueKinds(): void {
  kinds.value = new Map();
}

/** Sets the expression, keeping the values map to exactly its variables (when it parses). */
export function setExpression(expr: string): void {
  const names = variablesOfText(expr, functions.peek());
  // A new expression has new groups: it opens as a first view does.
  if (names === null) {
    update({ expr, open: 'auto' });
    return;
  }
  const old = state.peek().values;
  for (const [k, v] of old) remembered.set(k, v);
  const values = new Map(
    names.map((n) => [n, old.get(n) ?? remembered.get(n) ?? NEW_VARIABLE_VALUE] as const),
  );
  update({ expr, values, open: 'auto' });
}

function setValue(name: string, text: string): void {
  const values = new Map(state.peek().values);
  values.set(name, text);
  update({ values });
}

/** A number written plainly (what a number field and a slider can show). */
function isScalarText(text: string): boolean {
  return /^\s*[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?\s*$/i.test(text);
}

function VariableRow({ name, text, error }: { name: string; text: string; error?: string }) {
  // A row edits what its value looks like, unless the learner chose otherwise.
  const asText = (kinds.value.get(name) ?? (isScalarText(text) ? 'number' : 'array')) === 'array';
  const setAsText = (array: boolean) => {
    kinds.value = new Map(kinds.value).set(name, array ? 'array' : 'number');
  };
  const id = `var-${name}`;
  const errorId = `${id}-error`;
  const described = error === undefined ? {} : { 'aria-describedby': errorId };
  const number = Number(text);
  // The slider spans at least −5…5 and always reaches the value.
  const lo = Math.min(-5, Math.floor(number));
  const hi = Math.max(5, Math.ceil(number));
  return (
    <div class={`variable${error === undefined ? '' : ' has-error'}`} data-variable={name}>
      <label for={id} class="variable-name">
        {name}
      </label>
      {asText ? (
        <input
          id={id}
          class="value-text"
          type="text"
          spellcheck={false}
          autocomplete="off"
          value={text}
          aria-invalid={error !== undefined}
          {...described}
          onInput={(e) => setValue(name, e.currentTarget.value)}
        />
      ) : (
        <>
          <input
            id={id}
            class="value-number"
            type="number"
            step="any"
            value={text}
            aria-invalid={error !== undefined}
            {...described}
            onInput={(e) => setValue(name, e.currentTarget.value)}
          />
          <input
            class="value-slider"
            type="range"
            min={lo}
            max={hi}
            step={0.01}
            value={Number.isFinite(number) ? number : 0}
            aria-label={`${name} slider`}
            onInput={(e) => setValue(name, e.currentTarget.value)}
          />
        </>
      )}
      <button
        type="button"
        class="kind-toggle"
        title={asText ? 'Edit as a single number' : 'Edit as an array, e.g. [[1, 2], [3, 4]]'}
        aria-label={asText ? `Edit ${name} as a number` : `Edit ${name} as an array`}
        onClick={() => {
          if (asText && !isScalarText(text)) setValue(name, NEW_VARIABLE_VALUE);
          setAsText(!asText);
        }}
      >
        {asText ? '1.0' : '[ ]'}
      </button>
      {error === undefined ? null : <ErrorText id={errorId} message={error} />}
    </div>
  );
}

export function Editor() {
  // Narrow reads: stepping through the animation must not re-render a 200-row editor.
  const s = {
    expr: exprSignal.value,
    values: valuesSignal.value,
    mode: modeSignal.value,
    precision: precisionSignal.value,
  };
  const all = errors.value;
  const exprErrors = all.filter((e) => e.variable === undefined);
  const byVariable = new Map(all.flatMap((e) => (e.variable ? [[e.variable, e.message]] : [])));
  const names = variablesOfText(s.expr, functions.value);
  // While the expression does not parse, keep showing the rows of the last variables.
  const rows = names ?? [...s.values.keys()];
  return (
    <section class="panel editor" aria-labelledby="editor-heading">
      <h2 id="editor-heading">Expression</h2>
      <label for="expr" class="visually-hidden">
        Expression
      </label>
      <textarea
        id="expr"
        class={`expr${exprErrors.length > 0 ? ' has-error' : ''}`}
        rows={Math.min(8, Math.max(2, s.expr.split('\n').length))}
        spellcheck={false}
        autocomplete="off"
        value={s.expr}
        aria-invalid={exprErrors.length > 0}
        aria-describedby={exprErrors.length > 0 ? 'expr-error' : 'expr-help'}
        onInput={(e) => setExpression(e.currentTarget.value)}
      />
      {exprErrors.length > 0 ? (
        <ErrorText id="expr-error" message={exprErrors.map((e) => e.message).join('\n\n')} />
      ) : (
        <p id="expr-help" class="help">
          + − × / ^, @ (matmul), exp, log, tanh, sigmoid, relu, softmax, s[y], W.T, sum(x, axis=1)…
          Named steps, one per line or after <code>;</code>:{' '}
          <code>dot = w*x; f = 1/(1+exp(-dot))</code>
        </p>
      )}
      <div class="variables" role="group" aria-label="Variable values">
        {rows.map((name) => {
          const error = byVariable.get(name);
          return (
            <VariableRow
              key={name}
              name={name}
              text={s.values.get(name) ?? NEW_VARIABLE_VALUE}
              {...(error === undefined ? {} : { error })}
            />
          );
        })}
      </div>
      <div class="options">
        <fieldset class="segmented">
          <legend>Gates</legend>
          {GRAPH_MODES.map((m: GraphMode) => (
            <label key={m}>
              <input
                type="radio"
                name="mode"
                value={m}
                checked={s.mode === m}
                onChange={() => update({ mode: m, open: 'auto' })}
              />
              <span title={m === 'staged' ? 'every primitive gate' : 'σ and friends as one gate'}>
                {m}
              </span>
            </label>
          ))}
        </fieldset>
        <label class="precision">
          Decimals
          <select
            value={String(s.precision)}
            onChange={(e) => update({ precision: Number(e.currentTarget.value) })}
          >
            {Array.from({ length: MAX_PRECISION + 1 }, (_, p) => (
              <option key={p} value={String(p)}>
                {p}
              </option>
            ))}
          </select>
        </label>
      </div>
    </section>
  );
}
