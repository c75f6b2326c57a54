/**
 * Wiring only: the URL hash in and out (the one place that touches window.location and history),
 * the player bound to the state's step, the shortcuts, and the page rendered.
 */
import { effect } from '@preact/signals';
import { render } from 'preact';
import { App } from './app.js';
import { installShortcuts } from './keyboard.js';
import { stepByGroup } from './panels/controls.js';
import { resetQuiz } from './panels/quiz.js';
import { createPlayer } from './player.js';
import { parse, serialize, type PageState } from './state.js';
import { attempt, length, linkNotice, position, quiz, seek, state, update } from './store.js';
import './styles.css';

/** Hash writes wait for the input to settle: history.replaceState is rate-limited by browsers. */
const HASH_DELAY_MS = 250;

/** The state as read from the link: writing it back would change nothing (or erase a bad link). */
let fromLink: PageState | null = null;

function load(hash: string): void {
  const result = parse(hash);
  fromLink = result.state;
  state.value = result.state;
  linkNotice.value = result.ok ? null : result.error;
}

load(window.location.hash);
let written = window.location.hash;
window.addEventListener('hashchange', () => {
  // Only a hash the page did not write itself (a pasted link, the back button) is read.
  if (window.location.hash !== written) {
    // A new link starts where it says: an animation still playing would move it on.
    player.pause();
    resetQuiz();
    load(window.location.hash);
  }
});

let timer: ReturnType<typeof setTimeout> | undefined;
effect(() => {
  const s = state.value;
  // A link always holds a graph that works: while the expression is broken, the hash waits.
  if (!attempt.value.ok || s === fromLink) return;
  clearTimeout(timer);
  timer = setTimeout(() => {
    written = serialize(s);
    history.replaceState(null, '', written);
  }, HASH_DELAY_MS);
});

const player = createPlayer({
  position: () => position.peek(),
  length: () => length.peek(),
  seek,
});

installShortcuts(
  window,
  player,
  () => !quiz.peek(),
  (direction) => stepByGroup(player, direction),
);

function setQuiz(on: boolean): void {
  player.pause();
  resetQuiz();
  update({ quiz: on, step: on ? 0 : 'end' });
}

render(<App player={player} onQuiz={setQuiz} />, document.getElementById('app')!);
