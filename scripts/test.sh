#!/usr/bin/env bash
# The one test command (README, CI): every unit, integration and e2e suite in one jest run,
# then a plain totals line "N passed, N failed" over all suites.
set -uo pipefail
cd "$(dirname "$0")/.."
report="$(mktemp)"
npx jest --json --outputFile="$report" "$@"
status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const failed = r.numFailedTests + r.numRuntimeErrorTestSuites;
  console.log(`${r.numPassedTests} passed, ${failed} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""));
' "$report" || { echo "0 passed, 1 failed"; status=1; }
rm -f "$report"
exit $status
