#!/usr/bin/env bash
# The reliability campaign: the store's kill -9 and concurrency tests with many trials, the
# symlink and limit suites, then every fuzz target. Prints the figures docs/reliability.md keeps.
#
#   scripts/campaign.sh [TRIALS] [FUZZ_SECONDS_PER_TARGET]     (default 300 and 60)
#
# cargo test runs the same tests with a few trials each (40 kills of each writer, 16 writers at
# once), so CI stays quick; this runs them with TRIALS each.
set -euo pipefail
cd "$(dirname "$0")/.."

trials=${1:-300}
fuzz_seconds=${2:-60}

echo "== kill -9 and concurrency, $trials trials each"
INCIDENT_TRIALS=$trials cargo test --quiet --test cli store:: -- --nocapture --test-threads=1 2>&1 |
  grep -E 'kills|test result|panicked|FAILED'

echo "== symlinks, --out, check, limits"
cargo test --quiet --test cli -- guard:: check:: limits:: 2>&1 | grep -E 'test result|panicked|FAILED'
cargo test --quiet --lib store:: 2>&1 | grep -E 'test result|panicked|FAILED'

echo "== fuzzing, ${fuzz_seconds}s per target"
scripts/fuzz.sh "$fuzz_seconds"
