/**
 * The player's controls and the caption of the current step. The buttons call the player; the
 * caption is the library's frameCaption (the same words as the hover cards and the CLI).
 */
import { gateRule } from '../../src/graph/index.js';
import { frameCaption } from '../../src/viz/index.js';
import { backwardStart, groupStep } from '../groups.js';
import { SPEEDS, type Player } from '../player.js';
import { frame, graph, length, position, precision, quiz, view } from '../store.js';

/** Moves the animation by one group of steps (see groupStep): one box on screen at a time. */
export function stepByGroup(player: Player, direction: 1 | -1): void {
  const v = view.peek();
  const g = graph.peek();
  if (!v || !g) return;
  player.scrub(groupStep(v, g.steps, position.peek(), direction));
}

/** Jumps to the start of the backward pass (the seed dL/dL = 1 on the output). */
export function jumpToBackward(player: Player): void {
  const g = graph.peek();
  if (g) player.scrub(backwardStart(g.steps));
}

/** Player icons as shapes, so they look the same whatever fonts the machine has. */
const ICONS = {
  reset: 'M3 3h2v10H3zM13 3v10L6 8z',
  back: 'M11 3v10L4 8zM12 3h2v10h-2z',
  play: 'M4 2.5v11L13.5 8z',
  pause: 'M4 3h3v10H4zM9 3h3v10H9z',
  forward: 'M5 3v10l7-5zM2 3h2v10H2z',
  groupBack: 'M8 3v10L2 8zM14 3v10L8 8z',
  groupForward: 'M2 3v10l6-5zM8 3v10l6-5z',
} as const;

function Icon({ name }: { name: keyof typeof ICONS }) {
  return (
    <svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <path d={ICONS[name]} fill="currentColor" />
    </svg>
  );
}

export function Controls({
  player,
  onQuiz,
  embedded = false,
}: {
  player: Player;
  onQuiz: (on: boolean) => void;
  /** In embed mode the quiz switch is left out: the frame shows the player only. */
  embedded?: boolean;
}) {
  const n = length.value;
  const k = position.value;
  const playing = player.playing.value;
  const locked = quiz.value;
  return (
    <div class="controls" role="group" aria-label="Animation">
      <div class="buttons">
        <button type="button" onClick={player.reset} aria-label="Reset to the start" title="Reset">
          <Icon name="reset" />
        </button>
        <button
          type="button"
          onClick={player.stepBack}
          disabled={locked || k === 0}
          aria-label="Step back"
          title="Step back (←)"
        >
          <Icon name="back" />
        </button>
        <button
          type="button"
          class="play"
          onClick={player.toggle}
          disabled={locked || n === 0}
          aria-label={playing ? 'Pause' : 'Play'}
          aria-pressed={playing}
          title="Play / pause (space)"
        >
          <Icon name={playing ? 'pause' : 'play'} />
          <span class="play-text">{playing ? 'Pause' : 'Play'}</span>
        </button>
        <button
          type="button"
          onClick={player.stepForward}
          disabled={locked || k >= n}
          aria-label="Step forward"
          title="Step forward (→)"
        >
          <Icon name="forward" />
        </button>
        <button
          type="button"
          onClick={() => stepByGroup(player, -1)}
          disabled={locked || k === 0}
          aria-label="Previous group"
          title="Step back one group: a closed box's steps at once (Shift+←)"
        >
          <Icon name="groupBack" />
        </button>
        <button
          type="button"
          onClick={() => stepByGroup(player, 1)}
          disabled={locked || k >= n}
          aria-label="Next group"
          title="Step forward one group: a closed box's steps at once (Shift+→)"
        >
          <Icon name="groupForward" />
        </button>
        <button
          type="button"
          class="jump"
          onClick={() => jumpToBackward(player)}
          disabled={locked || n === 0}
          aria-label="Jump to the backward pass"
          title="Jump to the backward pass: the forward values are all computed"
        >
          ← Backward
        </button>
      </div>
      <label class="scrub">
        <span class="visually-hidden">Step</span>
        <input
          type="range"
          min={0}
          max={n}
          step={1}
          value={k}
          disabled={locked}
          aria-valuetext={`step ${k} of ${n}`}
          onInput={(e) => player.scrub(Number(e.currentTarget.value))}
        />
      </label>
      <output class="counter" aria-live="off">
        {k} / {n}
      </output>
      <label class="speed">
        Speed
        <select
          value={String(player.speed.value)}
          onChange={(e) => player.setSpeed(Number(e.currentTarget.value))}
        >
          {SPEEDS.map((s) => (
            <option key={s} value={String(s)}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      {embedded ? null : (
        <label class="switch">
          <input
            type="checkbox"
            checked={locked}
            onChange={(e) => onQuiz(e.currentTarget.checked)}
          />
          <span>Quiz: fill in the gradients</span>
        </label>
      )}
    </div>
  );
}

/** The current step in words: what was computed, or the chain rule on the wire just crossed. */
export function StepCaption() {
  const g = graph.value;
  const f = frame.value;
  if (!g || !f) return null;
  const step = f.step;
  const phase = step === null ? 'start' : step.phase;
  const caption = frameCaption(g.snapshot, f, precision.value);
  // The part after "forward: " / "backward: " is the equation; the badge says the phase.
  const text = caption.replace(/^(forward|backward): /, '');
  const gate = step?.kind === 'edge' ? g.snapshot.nodes.find((n) => n.id === step.node) : undefined;
  const done = f.index === length.value && length.value > 0;
  const start = f.index === 0 && length.value > 0;
  return (
    <div class={`step-caption phase-${phase}`} aria-live="polite">
      <span class="phase-badge">
        {phase === 'forward' ? 'Forward →' : phase === 'backward' ? '← Backward' : 'Start'}
      </span>
      <span class="caption-text">{text}</span>
      {start ? (
        <span class="play-hint">
          Press <strong>▶ Play</strong> (or space) to watch the values flow forward and the
          gradients flow back — or step with → and ←.
        </span>
      ) : null}
      {gate ? <span class="caption-rule">{gateRule(gate)}</span> : null}
      {done ? <span class="caption-done">Done: every gradient has arrived.</span> : null}
    </div>
  );
}
