import {
  counter,
  expect,
  graph,
  numbers,
  open,
  outputWire,
  shot,
  test,
  wireFrom,
} from './fixtures.js';

const SIGMOID_GRADS = { w0: '-0.20', x0: '0.39', w1: '-0.39', x1: '-0.59', w2: '0.20' };

test('opens on the CS231n sigmoid neuron: 0.73 out, the gradients on the input wires', async ({
  page,
}) => {
  await open(page);
  await expect(page.locator('#expr')).toHaveValue('1/(1+exp(-(w0*x0+w1*x1+w2)))');
  await expect.poll(async () => (await numbers(outputWire(page))).value).toBe('0.73');
  for (const [name, grad] of Object.entries(SIGMOID_GRADS)) {
    await expect
      .poll(async () => (await numbers(await wireFrom(page, name))).grad, { message: name })
      .toBe(grad);
  }
  await shot(page, '01-default');
});

test('stepping forward and backward shows each value and gradient on its wire', async ({
  page,
}) => {
  await open(page);
  const [, n] = await counter(page);
  await page.getByRole('button', { name: 'Reset to the start' }).click();
  await expect.poll(() => counter(page)).toEqual([0, n]);
  const w0 = await wireFrom(page, 'w0');
  await expect.poll(() => numbers(w0)).toEqual({ value: '2.00', grad: '' });
  await expect.poll(() => numbers(outputWire(page))).toEqual({ value: '', grad: '' });
  await shot(page, '02-start');

  // Forward: one step per gate; the output value appears with the last gate.
  const gates = await graph(page).locator('g.node.gate').count();
  const forward = page.getByRole('button', { name: 'Step forward' });
  for (let i = 0; i < gates - 1; i++) await forward.click();
  await expect.poll(async () => (await numbers(outputWire(page))).value).toBe('');
  await forward.click();
  await expect.poll(() => numbers(outputWire(page))).toEqual({ value: '0.73', grad: '' });
  await expect(page.locator('.step-caption')).toContainText('0.73');
  await shot(page, '03-forward-done');

  // The seed, then the backward pass wire by wire (here with the keyboard).
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => numbers(outputWire(page))).toEqual({ value: '0.73', grad: '1.00' });
  await expect(page.locator('.step-caption')).toContainText('dL/dL = 1.00');
  await expect.poll(async () => (await numbers(w0)).grad).toBe('');
  for (let k = gates + 1; k < n; k++) await page.keyboard.press('ArrowRight');
  await expect.poll(() => counter(page)).toEqual([n, n]);
  for (const [name, grad] of Object.entries(SIGMOID_GRADS)) {
    await expect
      .poll(async () => (await numbers(await wireFrom(page, name))).grad, { message: name })
      .toBe(grad);
  }
  await shot(page, '04-backward-done');

  // Step back: the last wire reached loses its gradient again, and gets it back.
  await page.keyboard.press('ArrowLeft');
  await expect.poll(() => counter(page)).toEqual([n - 1, n]);
  await expect(graph(page).locator('g.edge text.grad.hidden')).toHaveCount(1);
  await page.getByRole('button', { name: 'Step back' }).click();
  await expect(graph(page).locator('g.edge text.grad.hidden')).toHaveCount(2);
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(graph(page).locator('g.edge text.grad.hidden')).toHaveCount(0);
});

test('play runs the animation to the end; space pauses and resumes', async ({ page }) => {
  await open(page);
  await page.getByRole('button', { name: 'Reset to the start' }).click();
  await page.getByLabel('Speed').selectOption('8');
  await page.getByRole('button', { name: 'Play' }).click();
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  const [, n] = await counter(page);
  await expect(page.locator('.counter')).toHaveText(`${n} / ${n}`, { timeout: 20_000 });
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
  await page.locator('body').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.keyboard.press(' ');
  await expect(page.getByRole('button', { name: 'Play' })).toBeVisible();
});

test('the scrubber moves to any step', async ({ page }) => {
  await open(page);
  const [, n] = await counter(page);
  await page.getByRole('slider', { name: 'Step' }).fill('3');
  await expect.poll(() => counter(page)).toEqual([3, n]);
  await expect.poll(async () => (await numbers(outputWire(page))).value).toBe('');
});

test('typing an expression draws its graph; values update it', async ({ page }) => {
  await open(page);
  await page.locator('#expr').fill('(x+y)*z');
  for (const name of ['x', 'y', 'z']) await expect(page.locator(`#var-${name}`)).toBeVisible();
  await expect(page.locator('#var-w0')).toHaveCount(0);
  await page.locator('#var-x').fill('-2');
  await page.locator('#var-y').fill('5');
  await page.locator('#var-z').fill('-4');
  await expect(outputWire(page).locator('text.value')).toHaveText('-12.00');
  await expect.poll(async () => (await numbers(await wireFrom(page, 'z'))).grad).toBe('3.00');
  await expect.poll(async () => (await numbers(await wireFrom(page, 'x'))).grad).toBe('-4.00');
  await shot(page, '05-typed');

  // An array value goes in a text field.
  await page.locator('#expr').fill('sum(W@x)');
  await page.getByRole('button', { name: 'Edit W as an array' }).click();
  await page.locator('#var-W').fill('[[1, 2], [3, 4]]');
  await page.getByRole('button', { name: 'Edit x as an array' }).click();
  await page.locator('#var-x').fill('[1, -1]');
  await expect(outputWire(page).locator('text.value')).toHaveText('-2.00');
});

test('a parse error is shown under its column; the last graph stays, dimmed', async ({ page }) => {
  await open(page);
  const source = '1/(1+exp(-x)';
  await page.locator('#expr').fill(source);
  const error = page.locator('#expr-error');
  await expect(error).toBeVisible();
  const lines = ((await error.textContent()) ?? '').split('\n');
  const at = lines.findIndex((l) => l.trim() === source);
  expect(at, 'the expression is quoted').toBeGreaterThan(-1);
  const caret = lines[at + 1]!;
  expect(caret.trimEnd().endsWith('^')).toBe(true);
  // The caret sits under the column where the closing parenthesis is missing (the end).
  expect(caret.indexOf('^') - lines[at]!.indexOf(source)).toBe(source.length);
  await expect(page.locator('.graph-view')).toHaveClass(/stale/);
  await expect.poll(async () => (await numbers(outputWire(page))).value).toBe('0.73');
  await shot(page, '06-parse-error');

  // A value error is shown under its own field.
  await page.locator('#expr').fill('x*y');
  await page.getByRole('button', { name: 'Edit y as an array' }).click();
  await page.locator('#var-y').fill('[1, 2');
  await expect(page.locator('#var-y-error')).toContainText("expected ',' or ']'");
  await page.locator('#var-y').fill('[1, 2]');
  await expect(page.locator('#var-y-error')).toHaveCount(0);
  await expect(page.locator('.graph-view')).not.toHaveClass(/stale/);
});

test('hover and keyboard focus on a wire show its value, gradient and chain rule', async ({
  page,
}) => {
  await open(page);
  const x0 = await wireFrom(page, 'x0');
  await x0.locator('text.value').hover();
  const card = page.locator('.hover-card');
  await expect(card).toBeVisible();
  await expect(card.locator('.equation')).toHaveText(
    'dL/dx0 = local × upstream = (2.00) × (0.197) = 0.39',
  );
  await expect(card.locator('.card-row.value dd')).toHaveText('-1.00');
  await expect(card.locator('.card-row.grad dd')).toHaveText('0.39');
  await shot(page, '07-hover-wire');

  await graph(page).locator('g.node[data-op="mul"]').first().hover();
  await expect(card.locator('.rule')).toContainText('mul swaps');
  await graph(page).locator('g.node[data-op="add"]').first().hover();
  await expect(card.locator('.rule')).toContainText('add distributes');

  await page.mouse.move(2, 2);
  await x0.focus();
  await expect(card.locator('.equation')).toContainText('dL/dx0 = local × upstream');
  await page.keyboard.press('Escape');
  await expect(card).toHaveCount(0);
});

test('a fork shows the += of its branches', async ({ page }) => {
  await open(page);
  await page.locator('[data-example="staged"]').click();
  await expect(page.locator('#expr')).toHaveValue('(x + sigmoid(y)) / (sigmoid(x) + (x+y)^2)');
  await page.getByRole('button', { name: 'Reset to the start' }).click();
  const [, n] = await counter(page);
  const caption = page.locator('.step-caption');
  let seen = '';
  for (let k = 0; k < n && !seen; k++) {
    await page.getByRole('button', { name: 'Step forward' }).click();
    const text = (await caption.textContent()) ?? '';
    if (/dL\/dx = .* \+ .* = 2\.06/.test(text)) seen = text;
  }
  expect(seen).toContain('the copy gate adds the gradients');
  await shot(page, '08-fork');
});

test('the gallery loads every example, the tanh neuron and the MLP among them', async ({
  page,
}) => {
  await open(page);
  for (const name of ['chain', 'patterns', 'vectorized', 'svm', 'tanh', 'mlp', 'sigmoid']) {
    await page.locator(`[data-example="${name}"]`).click();
    await expect(page.locator(`[data-example="${name}"]`)).toHaveAttribute('aria-current', 'true');
    await expect(page.locator('.graph-view')).not.toHaveClass(/stale/);
  }
  await page.locator('[data-example="tanh"]').click();
  await expect(outputWire(page).locator('text.value')).toHaveText('0.71');
  await expect.poll(async () => (await numbers(await wireFrom(page, 'x1'))).grad).toBe('-1.50');
  await page.locator('[data-example="mlp"]').click();
  await expect(page.getByRole('radio', { name: 'fused' })).toBeChecked();
  await shot(page, '09-mlp');
});

test('the gradient check shows analytic, numerical and the CS231n verdict per input', async ({
  page,
}) => {
  await open(page);
  await page.locator('.gradcheck summary').click();
  const rows = page.locator('.gradcheck .check-row');
  await expect(rows).toHaveCount(5);
  await expect(rows.first()).toHaveClass(/verdict-happy/);
  await expect(rows.first().locator('.verdict')).toContainText('happy');
  // The true relative error, never a rounded 0.
  await expect(rows.first().locator('.rel-error')).toHaveText(/^\d(\.\d)?e-\d+/);
  await expect(page.locator('.check-summary')).toContainText('check out');

  await page.locator('[data-example="svm"]').click();
  await expect(rows).toHaveCount(3);
  await expect(page.locator('.check-summary')).toContainText('kinks');
  await shot(page, '10-gradcheck');
});

test('staged and fused draw different graphs of the same expression', async ({ page }) => {
  await open(page);
  const staged = await graph(page).locator('g.node.gate').count();
  await page.getByRole('radio', { name: 'fused' }).check();
  await expect.poll(() => graph(page).locator('g.node.gate').count()).toBeLessThan(staged);
  await page.getByLabel('Decimals').selectOption('3');
  await expect(outputWire(page).locator('text.value')).toHaveText('0.731');
});
