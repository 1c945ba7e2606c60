#!/usr/bin/env bash
# The one test command (README, .ci/run): restores, builds and runs every test project.
# Test projects run one after another (-m:1) because the torch-heavy ones must not share
# the two cores with each other.
set -uo pipefail
cd "$(dirname "$0")"
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

dotnet test MetaRewarding.sln -c Release -m:1 --logger "trx" --results-directory "$results" "$@"
status=$?

# One closing line over all test assemblies, so a reader (or CI) sees the total at a glance.
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx")
  total=$(sed -n 's/.* total="\([0-9]*\)".*/\1/p' <<<"$counters")
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + p)); failed=$((failed + f)); skipped=$((skipped + total - p - f))
done
echo "Tests: $passed passed, $failed failed, $skipped skipped"
exit $status
