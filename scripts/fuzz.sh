#!/usr/bin/env bash
# Fuzz every parser for a bounded time each, and print the figures docs/reliability.md keeps:
# runs and failures per target.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET]          (default 60)
#   scripts/fuzz.sh 300 answers record            (only these targets)
#
# Needs the nightly toolchain (rustup toolchain install nightly) and cargo-fuzz, which this
# script installs when it is missing. Each target starts from a corpus seeded with the
# project's own fixtures (fuzz/corpus/, not committed); a crash is kept in fuzz/artifacts/ and
# makes the script exit 1.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
shift || true
command -v cargo-fuzz >/dev/null 2>&1 || cargo install cargo-fuzz --locked

# seed TARGET FILE...: copy fixtures into a target's corpus.
seed() {
  local dir=fuzz/corpus/$1
  shift
  mkdir -p "$dir"
  for file in "$@"; do
    [[ -f $file ]] && cp "$file" "$dir/$(basename "$(dirname "$file")")-$(basename "$file")"
  done
}
seed answers tests/fixtures/answers/*.yaml
# Records: what the tool writes for each answers fixture.
cargo build --quiet
records=$(mktemp -d)
for answers in tests/fixtures/answers/*.yaml; do
  target/debug/incident --dir "$records" --now 2026-11-26T10:00:00Z open --quiet --by fuzz \
    --answers "$answers" >/dev/null
done
seed record "$records"/incidents/*.yaml
rm -rf "$records"
seed config incident.example.toml
seed runbook runbooks/*.yaml
seed stats_csv tests/fixtures/monitor/*.csv
seed send_log tests/fixtures/audience/*/sends.csv
seed recipients tests/fixtures/audience/*/*.recipients.csv
seed html tests/fixtures/email/*.html
mkdir -p fuzz/corpus/incident_id fuzz/corpus/header
printf 'INC-20261126-001' >fuzz/corpus/incident_id/seed
printf 'We made a mistake: that email was not meant for you' >fuzz/corpus/header/seed

targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || mapfile -t targets < <(cargo +nightly fuzz list)
cargo +nightly fuzz build >/dev/null

status=0
total=0
for target in "${targets[@]}"; do
  log=$(mktemp)
  if cargo +nightly fuzz run "$target" -- -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -print_final_stats=1 >"$log" 2>&1; then
    failures=0
  else
    failures=1
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  total=$((total + runs))
  printf '%-12s %12s runs in %ss, %s failure(s)\n' "$target" "$runs" "$seconds" "$failures"
  if [[ $failures -ne 0 ]]; then
    tail -n 30 "$log" >&2
  fi
  rm -f "$log"
done
printf '%-12s %12s runs in all\n' "total" "$total"
exit $status
