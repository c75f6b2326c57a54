import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createPlayer, resolveStep, type Clock } from '../../web/player.js';

/** A clock that runs only when told to, so the tests never wait. */
function manualClock() {
  let pending: { fn: () => void; ms: number } | null = null;
  const clock: Clock = {
    setTimeout: (fn, ms) => (pending = { fn, ms }),
    clearTimeout: () => (pending = null),
  };
  return {
    clock,
    get pending() {
      return pending;
    },
    tick() {
      const p = pending;
      pending = null;
      p?.fn();
    },
  };
}

function track(length: number, start = 0) {
  let at = start;
  return { position: () => at, seek: (i: number) => void (at = i), length: () => length };
}

test('step, step back, scrub and reset stay inside 0…length', () => {
  const t = track(3);
  const p = createPlayer(t, manualClock().clock);
  p.stepBack();
  assert.equal(t.position(), 0);
  p.stepForward();
  p.stepForward();
  p.stepForward();
  p.stepForward();
  assert.equal(t.position(), 3);
  p.scrub(1);
  assert.equal(t.position(), 1);
  p.scrub(99);
  assert.equal(t.position(), 3);
  p.reset();
  assert.equal(t.position(), 0);
});

test('play advances one step per tick at the chosen speed and stops at the end', () => {
  const c = manualClock();
  const t = track(3);
  const p = createPlayer(t, c.clock);
  p.setSpeed(4);
  p.play();
  assert.equal(p.playing.value, true);
  assert.equal(c.pending?.ms, 250);
  c.tick();
  c.tick();
  assert.equal(t.position(), 2);
  c.tick();
  assert.equal(t.position(), 3);
  assert.equal(p.playing.value, false);
  assert.equal(c.pending, null);
});

test('play at the end starts over; pause and stepping stop the clock', () => {
  const c = manualClock();
  const t = track(5, 5);
  const p = createPlayer(t, c.clock);
  p.toggle();
  assert.equal(t.position(), 0);
  c.tick();
  assert.equal(t.position(), 1);
  p.toggle();
  assert.equal(p.playing.value, false);
  assert.equal(c.pending, null);
  p.play();
  p.stepForward();
  assert.equal(p.playing.value, false);
  assert.equal(c.pending, null);
});

test('an empty animation never plays; nonsense speeds are ignored', () => {
  const c = manualClock();
  const p = createPlayer(track(0), c.clock);
  p.play();
  assert.equal(p.playing.value, false);
  p.setSpeed(0);
  p.setSpeed(Number.NaN);
  assert.equal(p.speed.value, 2);
});

test('resolveStep clamps stored positions to the graph on screen', () => {
  assert.equal(resolveStep('end', 7), 7);
  assert.equal(resolveStep(3, 7), 3);
  assert.equal(resolveStep(30, 7), 7);
  assert.equal(resolveStep(-2, 7), 0);
  assert.equal(resolveStep(2.7, 7), 2);
});
