import { findExample } from '../src/expr/index.js';
import { formatNumber, schedule, snapshotExpression } from '../src/graph/index.js';
import { nextQuestion, questionEdge } from '../web/quiz.js';
import { expect, graph, open, shot, test } from './fixtures.js';

// The expected answers come from the library, in the order the quiz asks them.
const ex = findExample('sigmoid')!;
const snapshot = snapshotExpression(ex.expression, ex.values);
const steps = schedule(snapshot);
const answers: { edge: string; grad: number }[] = [];
for (
  let i = nextQuestion(snapshot, steps, 0);
  i < steps.length;
  i = nextQuestion(snapshot, steps, i + 1)
) {
  const e = questionEdge(snapshot, steps[i])!;
  answers.push({ edge: e.id, grad: e.grad as number });
}

test('quiz mode hides the gradients, accepts a right answer and rejects a wrong one', async ({
  page,
}) => {
  await open(page);
  await page.getByLabel('Quiz: fill in the gradients').check();
  const quiz = page.locator('.quiz');
  await expect(quiz.locator('h2')).toHaveText(`Question 1 of ${answers.length}`);
  // Every wire gradient is hidden; the forward values and the seed are shown.
  await expect(graph(page).locator('g.edge:not(.output) text.grad:not(.hidden)')).toHaveCount(0);
  await expect(graph(page).locator('[data-edge-id="output"] text.grad')).toHaveText('1.00');
  const first = answers[0]!;
  await expect(graph(page).locator(`[data-edge-id="${first.edge}"]`)).toHaveClass(/asking/);
  // The hover card does not give the answer away.
  await graph(page).locator(`[data-edge-id="${first.edge}"] text.value`).hover();
  await expect(page.locator('.hover-card .card-row.grad dd')).toContainText('not computed yet');
  await shot(page, '11-quiz-question');

  const input = page.getByLabel(/dL\/d/);
  await input.fill(formatNumber(first.grad + 0.5, 2));
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(quiz.locator('.feedback')).toContainText('Not quite');
  await expect(quiz.locator('h2')).toHaveText(`Question 1 of ${answers.length}`);

  await page.getByRole('button', { name: 'Hint' }).click();
  await expect(quiz.locator('.hint-text')).toContainText('local gradient =');
  await expect(quiz.locator('.hint-text')).toContainText('upstream gradient = 1.00');

  await input.fill(formatNumber(first.grad, 2));
  await input.press('Enter');
  await expect(quiz.locator('.feedback')).toContainText('✓ Right');
  await expect(quiz.locator('h2')).toHaveText(`Question 2 of ${answers.length}`);
  await expect(graph(page).locator(`[data-edge-id="${first.edge}"] text.grad`)).toHaveText(
    formatNumber(first.grad, 2),
  );
  await expect(quiz.locator('.score')).toContainText('0 of 1 right first time · 1 hint');

  // The rest, right first time, to the end.
  for (const [i, a] of answers.slice(1).entries()) {
    await expect(quiz.locator('h2')).toHaveText(`Question ${i + 2} of ${answers.length}`);
    await input.fill(formatNumber(a.grad, 2));
    await input.press('Enter');
  }
  await expect(quiz.locator('h2')).toHaveText('Quiz complete');
  await expect(quiz.locator('.score')).toContainText(
    `${answers.length - 1} of ${answers.length} right first time`,
  );
  for (const grad of ['-0.20', '0.39', '-0.39', '-0.59', '0.20']) {
    await expect(graph(page).locator('g.edge text.grad', { hasText: grad }).first()).toBeVisible();
  }
  await shot(page, '12-quiz-done');
});

test('the player is locked in quiz mode and back to normal after it', async ({ page }) => {
  await open(page);
  await page.getByLabel('Quiz: fill in the gradients').check();
  await expect(page.getByRole('button', { name: 'Play' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Step forward' })).toBeDisabled();
  await page.getByRole('button', { name: 'Show answer' }).click();
  await expect(page.locator('.quiz .feedback')).toContainText('Shown:');
  await page.getByLabel('Quiz: fill in the gradients').uncheck();
  await expect(page.locator('.quiz')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Play' })).toBeEnabled();
  await expect(graph(page).locator('g.edge text.grad.hidden')).toHaveCount(0);
});
