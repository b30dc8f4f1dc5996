#!/usr/bin/env bash
# The everyday commands on workspaces of 1,000 and 10,000 records: median wall time of each,
# with the index of the records cold (deleted before every run) and warm (left by the run
# before), and the ratio to `incident --version` (the process start-up floor) timed in the same
# run.
#
#   benches/workspace.sh
#
# Settings, from the environment:
#   SIZES="1000 10000"   workspace sizes
#   RUNS=11              timed runs of each command (the median is reported)
#   DATA=/tmp/incident-workspace-bench   the generated workspaces, kept between runs
#
# The records are made by `incident open --answers` from the committed answer fixtures (most
# cut after the assess step, some whole, a few with only the first step), closed with
# `incident close`, then cloned by benches/workspace_gen.py with their own IDs, titles and
# dates, so that `incident check` passes on every workspace.
set -euo pipefail

sizes=${SIZES:-1000 10000}
runs=${RUNS:-11}
data=${DATA:-/tmp/incident-workspace-bench}
root=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
incident=$root/target/release/incident
# Every record lies before this instant; commands run at it.
now=2026-11-26T10:00:00Z

seed_records() {
  local seed=$1 kind id
  rm -rf "$seed"
  mkdir -p "$seed"
  for kind in wrong-segment data-breach duplicate-send subject-line broken-personalization \
    malformed-message suppression-list-send; do
    id=$(sed '/^plan:/,$d' "$root/tests/fixtures/answers/$kind.yaml" |
      "$incident" --dir "$seed" --now "$now" open --quiet --by bench --answers -)
    "$incident" --dir "$seed" --now "$now" close "$id" --quiet --by bench \
      --resolution "Stopped and assessed; no apology needed" --force "history for the benchmark" 2>/dev/null
  done
  for kind in wrong-segment duplicate-send; do
    id=$("$incident" --dir "$seed" --now "$now" open --quiet --by bench \
      --answers "$root/tests/fixtures/answers/$kind.yaml")
    "$incident" --dir "$seed" --now "$now" close "$id" --quiet --by bench \
      --resolution "Apology sent, cause fixed" --force "history for the benchmark" 2>/dev/null
  done
  for kind in wrong-segment subject-line broken-personalization; do
    sed '/^stop:/,$d' "$root/tests/fixtures/answers/$kind.yaml" |
      "$incident" --dir "$seed" --now "$now" open --quiet --by bench --answers - >/dev/null
  done
}

# median_ms COMMAND...: the median wall time of $runs runs, in milliseconds, with $before run
# (untimed) ahead of each.
median_ms() {
  local i start end times=()
  for ((i = 0; i < runs; i++)); do
    eval "$before"
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; exit 1; }
    end=$(date +%s%N)
    times+=($(((end - start) / 1000)))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v m=$((runs / 2 + 1)) 'NR == m { printf "%.1f", $1 / 1000 }'
}

seed=$data/seed
[[ -d $seed/incidents ]] || seed_records "$seed"
printf '| records | command | cold index (ms) | warm index (ms) | warm / start-up |\n'
printf '|---:|---|---:|---:|---:|\n'
for size in $sizes; do
  ws=$data/ws-$size
  if [[ ! -d $ws/incidents ]]; then
    echo "generating $size records in $ws ..." >&2
    python3 "$root/benches/workspace_gen.py" "$seed" "$ws" "$size"
    cp "$root/benches/workspace.toml" "$ws/incident.toml"
    "$incident" --dir "$ws" --now "$now" check --quiet || { echo "check fails on $ws" >&2; exit 1; }
  fi
  show_id=$(cd "$ws/incidents" && ls INC-*.yaml | tail -1 | sed 's/\.yaml$//')
  before=: floor=$(median_ms "$incident" --version)
  for cmd in "list" "list --all --format json" "show $show_id" "report --summary" "check"; do
    read -ra args <<<"$cmd"
    run=("$incident" --dir "$ws" --now "$now" "${args[@]}")
    before="rm -f '$ws/incidents/.index'" cold=$(median_ms "${run[@]}")
    "${run[@]}" >/dev/null 2>&1 || true
    before=: warm=$(median_ms "${run[@]}")
    printf '| %s | `%s` | %s | %s | %s |\n' "$size" "$cmd" "$cold" "$warm" \
      "$(awk -v w="$warm" -v f="$floor" 'BEGIN { printf "%.1f", w / f }')"
  done
  printf '| %s | `--version` (start-up) | | %s | 1.0 |\n' "$size" "$floor"
done
