#!/usr/bin/env bash
# Browser tests: make sure chromium is there, run Playwright, then print the one line CI reads
# (`e2e: N passed, M failed`) whatever the outcome, and exit with Playwright's status.
set -uo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-chromium.sh || exit 1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
rm -f test-results/e2e.json
npx playwright test "$@"
status=$?
node scripts/e2e-summary.mjs || status=1
exit $status
