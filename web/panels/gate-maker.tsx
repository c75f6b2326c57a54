/**
 * Write your own gate: a name, a forward formula of one variable and its local derivative, both
 * read by the library's expression parser (defineGate — never evaluated as code). The derivative
 * is judged against centred differences as the learner types; an added gate can be called in
 * the expression (`softsign(w*x)`), is drawn as one gate, animated and quizzed, and travels in
 * the link (`gates=` in the hash).
 */
import { computed, signal } from '@preact/signals';
import { ChainruleError } from '../../src/index.js';
import { formatWithCaret } from '../../src/expr/index.js';
import { defineGate, type CustomGate, type GateDefinition } from '../../src/graph/index.js';
import { gatesText, MAX_GATES, MAX_GATES_LENGTH } from '../state.js';
import { customGates, gateDefinitions, update } from '../store.js';
import { setExpression } from './editor.js';
import { ErrorText } from './error-text.js';

const name = signal('softsign');
const forward = signal('x/(1+abs(x))');
const derivative = signal('1/(1+abs(x))^2');

type Draft = { ok: true; gate: CustomGate } | { ok: false; message: string };

function describe(e: unknown): string {
  if (e instanceof ChainruleError) return e.span ? formatWithCaret(e) : e.message;
  return e instanceof Error ? e.message : String(e);
}

/** The gate as typed, defined and checked at once. */
const draft = computed<Draft>(() => {
  try {
    return {
      ok: true,
      gate: defineGate({ name: name.value, forward: forward.value, derivative: derivative.value }),
    };
  } catch (e) {
    return { ok: false, message: describe(e) };
  }
});

/** Adds the drafted gate (replacing one of the same name); a message when it cannot. */
function add(gate: CustomGate): string | null {
  const definition: Required<GateDefinition> = {
    name: gate.name,
    variable: gate.variable,
    forward: gate.forward,
    derivative: gate.derivative,
  };
  const others = gateDefinitions.peek().filter((g) => g.name !== gate.name);
  const gates = [...others, definition];
  if (gates.length > MAX_GATES) return `At most ${MAX_GATES} gates: remove one first.`;
  if (gatesText(gates).length > MAX_GATES_LENGTH)
    return `The gates are too long for a link (at most ${MAX_GATES_LENGTH} characters).`;
  update({ gates });
  return null;
}

const addMessage = signal<string | null>(null);

function Field(props: { id: string; label: string; value: string; set: (v: string) => void }) {
  return (
    <label class="gate-field" for={props.id}>
      <span>{props.label}</span>
      <input
        id={props.id}
        type="text"
        spellcheck={false}
        autocomplete="off"
        value={props.value}
        onInput={(e) => props.set(e.currentTarget.value)}
      />
    </label>
  );
}

export function GateMaker() {
  const d = draft.value;
  const gates = customGates.value;
  return (
    <details class="panel gate-maker">
      <summary>
        <h2>Write your own gate</h2>
      </summary>
      <p class="help">
        Give a forward formula of one variable and its local derivative. The derivative is checked
        against centred differences at once; an added gate can be used in the expression.
      </p>
      <div class="gate-fields">
        <Field id="gate-name" label="name" value={name.value} set={(v) => (name.value = v)} />
        <Field
          id="gate-forward"
          label="forward f(x) ="
          value={forward.value}
          set={(v) => (forward.value = v)}
        />
        <Field
          id="gate-derivative"
          label="derivative df/dx ="
          value={derivative.value}
          set={(v) => (derivative.value = v)}
        />
      </div>
      {d.ok ? (
        <p
          class={`gate-check ${d.gate.check.passed ? 'passed' : 'failed'}`}
          role="status"
          data-passed={String(d.gate.check.passed)}
        >
          {d.gate.check.passed ? '✓ ' : '✗ '}
          {d.gate.check.explanation}
        </p>
      ) : (
        <ErrorText message={d.message} />
      )}
      <div class="gate-actions">
        <button
          type="button"
          disabled={!d.ok}
          onClick={() => {
            if (d.ok) addMessage.value = add(d.gate);
          }}
        >
          Add gate
        </button>
        {d.ok && gates.some((g) => g.name === d.gate.name) ? (
          <button type="button" onClick={() => setExpression(`${d.gate.name}(w*x + b)`)}>
            Use it: {d.gate.name}(w*x + b)
          </button>
        ) : null}
      </div>
      {addMessage.value ? <p class="field-error">{addMessage.value}</p> : null}
      {gates.length > 0 ? (
        <ul class="gate-list" aria-label="Your gates">
          {gates.map((g) => (
            <li key={g.name} class={g.check.passed ? 'passed' : 'failed'} data-gate={g.name}>
              <code>
                {g.name}({g.variable}) = {g.forward}; d/d{g.variable} = {g.derivative}
              </code>{' '}
              <span class="gate-verdict">
                {g.check.passed ? '✓ derivative checks out' : '✗ derivative is wrong'}
              </span>
              <button
                type="button"
                class="secondary"
                aria-label={`Remove the gate ${g.name}`}
                onClick={() =>
                  update({ gates: gateDefinitions.peek().filter((x) => x.name !== g.name) })
                }
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </details>
  );
}
