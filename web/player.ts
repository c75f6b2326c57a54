/**
 * The clock of the animation: play, pause, step, step back, scrub, speed and reset. It owns time
 * and nothing else — where the animation is lives in the page state (so a link can share it),
 * and what a step shows is the library's `frameAt`. The timer is injected so tests need no clock.
 */
import { signal, type ReadonlySignal } from '@preact/signals';

/** Where the player reads and writes the position, and how long the animation is. */
export interface Track {
  /** Steps done, 0 … length. */
  position(): number;
  seek(index: number): void;
  length(): number;
}

export interface Clock {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** Steps per second offered by the speed control. */
export const SPEEDS = [0.5, 1, 2, 4, 8] as const;
export const DEFAULT_SPEED = 2;

export interface Player {
  readonly playing: ReadonlySignal<boolean>;
  /** Steps per second. */
  readonly speed: ReadonlySignal<number>;
  // Function properties, not methods: the controls pass them around as event handlers.
  readonly play: () => void;
  readonly pause: () => void;
  readonly toggle: () => void;
  readonly stepForward: () => void;
  readonly stepBack: () => void;
  /** Jump to a step (pauses, like grabbing a scrubber). */
  readonly scrub: (index: number) => void;
  readonly setSpeed: (stepsPerSecond: number) => void;
  /** Back to the start: only the inputs are known. */
  readonly reset: () => void;
}

/** Clamps a stored position ('end' or a count of steps) to an animation of `length` steps. */
export function resolveStep(step: number | 'end', length: number): number {
  if (step === 'end') return length;
  return Math.max(0, Math.min(length, Math.floor(step)));
}

export function createPlayer(track: Track, clock: Clock = globalThis): Player {
  const playing = signal(false);
  const speed = signal<number>(DEFAULT_SPEED);
  let timer: unknown = null;

  const stopTimer = (): void => {
    if (timer !== null) clock.clearTimeout(timer);
    timer = null;
  };
  const tick = (): void => {
    timer = null;
    const next = track.position() + 1;
    if (next > track.length()) {
      playing.value = false;
      return;
    }
    track.seek(next);
    if (next >= track.length()) playing.value = false;
    else schedule();
  };
  const schedule = (): void => {
    stopTimer();
    timer = clock.setTimeout(tick, 1000 / speed.value);
  };
  const pause = (): void => {
    stopTimer();
    playing.value = false;
  };
  const play = (): void => {
    if (track.length() === 0) return;
    // Playing from the end starts over: the learner wants to watch it again.
    if (track.position() >= track.length()) track.seek(0);
    playing.value = true;
    schedule();
  };

  return {
    playing,
    speed,
    play,
    pause,
    toggle: () => (playing.value ? pause() : play()),
    stepForward: () => {
      pause();
      track.seek(Math.min(track.length(), track.position() + 1));
    },
    stepBack: () => {
      pause();
      track.seek(Math.max(0, track.position() - 1));
    },
    scrub: (index) => {
      pause();
      track.seek(resolveStep(index, track.length()));
    },
    setSpeed: (stepsPerSecond) => {
      if (!Number.isFinite(stepsPerSecond) || stepsPerSecond <= 0) return;
      speed.value = stepsPerSecond;
      if (playing.value) schedule();
    },
    reset: () => {
      pause();
      track.seek(0);
    },
  };
}
