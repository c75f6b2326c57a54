// Prints `e2e: N passed, M failed` from Playwright's JSON report: CI reads that line, not
// Playwright's own list output. Exits 1 when the report is missing (the run never started).
import { readFileSync } from 'node:fs';

const path = 'test-results/e2e.json';
let report;
try {
  report = JSON.parse(readFileSync(path, 'utf8'));
} catch {
  console.log(`e2e: 0 passed, 0 failed (no report at ${path})`);
  process.exit(1);
}
const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = report.stats ?? {};
const errors = report.errors?.length ?? 0;
console.log(
  `e2e: ${expected + flaky} passed, ${unexpected + errors} failed` +
    (skipped ? `, ${skipped} skipped` : ''),
);
