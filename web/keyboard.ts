/**
 * Keyboard shortcuts of the player: space plays or pauses, ← and → step, Shift+← and Shift+→
 * step a group at a time. They stay out of the
 * way of anything that takes keys itself (text fields, sliders, selects, buttons, the quiz).
 */
import type { Player } from './player.js';

/** Fields that use arrows and space themselves (a slider moves, a text field types). */
const FIELDS = 'input, textarea, select, [contenteditable="true"]';
/** Space also presses buttons and opens disclosures: there it keeps its usual meaning. */
const PRESSABLE = `${FIELDS}, button, summary, a[href]`;

function within(el: EventTarget | null, selector: string): boolean {
  return el instanceof Element && el.closest(selector) !== null;
}

export function installShortcuts(
  target: Pick<Window, 'addEventListener' | 'removeEventListener'>,
  player: Player,
  enabled: () => boolean,
  groupStep: (direction: 1 | -1) => void = () => undefined,
): () => void {
  const onKey = (e: KeyboardEvent) => {
    if (e.altKey || e.ctrlKey || e.metaKey || !enabled()) return;
    const arrows = !within(e.target, FIELDS);
    if (e.key === ' ' && !within(e.target, PRESSABLE)) player.toggle();
    else if (e.key === 'ArrowRight' && arrows && e.shiftKey) groupStep(1);
    else if (e.key === 'ArrowLeft' && arrows && e.shiftKey) groupStep(-1);
    else if (e.key === 'ArrowRight' && arrows) player.stepForward();
    else if (e.key === 'ArrowLeft' && arrows) player.stepBack();
    else return;
    e.preventDefault();
  };
  target.addEventListener('keydown', onKey);
  return () => target.removeEventListener('keydown', onKey);
}
