#!/usr/bin/env bash
# Hostile inputs against the limits, measured on the release build: wall time and peak RSS of
# each command, which must stay flat however large the input is.
#
#   benches/limits.sh            (SIZE_MB=300 TITLE_MB=20 by default)
#
#   monitor --metrics FILE       a SIZE_MB file with no line break: refused at the 16 MiB line
#   monitor --metrics /dev/zero  an endless input: refused the same way
#   open --answers /dev/zero     refused at the 16 MiB text-file limit
#   list                         a record whose title is TITLE_MB, edited in by hand
#   show, check                  the same record: shown whole, reported as too long
#
# Peak RSS comes from GNU time (/usr/bin/time); wall time is measured around the process.
set -euo pipefail

size_mb=${SIZE_MB:-300}
title_mb=${TITLE_MB:-20}
[[ -x /usr/bin/time ]] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
incident=$root/target/release/incident

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
ws=$scratch/workspace
mkdir -p "$ws"
run=("$incident" --dir "$ws" --now 2026-11-26T10:00:00Z)
id=$(printf 'kind: wrong-segment\ntitle: Benchmark\nown:\n  discovered_at: 2026-11-26T09:40:00Z\n  how_found: internal-review\n' |
  "${run[@]}" open --quiet --by bench --answers -)

{ printf 'date,sent,delivered,bounces,complaints,unsubscribes\n'; head -c "$((size_mb << 20))" /dev/zero | tr '\0' '7'; } >"$scratch/long.csv"

# measure NAME COMMAND...: print wall seconds, peak RSS and the exit code.
measure() {
  local name=$1 start end code=0
  shift
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$scratch/rss" "$@" >/dev/null 2>"$scratch/err" || code=$?
  end=$(date +%s.%N)
  printf '%-44s %7.2f s %8.1f MiB  exit %s\n' "$name" "$(echo "$end - $start" | bc)" \
    "$(echo "$(tail -1 "$scratch/rss") / 1024" | bc -l)" "$code"
}

measure "monitor --metrics (${size_mb} MB, no line break)" "${run[@]}" monitor "$id" --metrics "$scratch/long.csv"
measure "monitor --metrics /dev/zero" "${run[@]}" monitor "$id" --metrics /dev/zero
measure "open --answers /dev/zero" "${run[@]}" open --by bench --answers /dev/zero

python3 - "$ws/incidents/$id.yaml" "$title_mb" <<'PY'
import sys
path, megabytes = sys.argv[1], int(sys.argv[2])
text = open(path).read().replace("title: Benchmark", "title: " + "x" * (megabytes << 20), 1)
open(path, "w").write(text)
PY
measure "list (a ${title_mb} MB title)" "${run[@]}" list --all
measure "show (a ${title_mb} MB title)" "${run[@]}" show "$id"
measure "check (a ${title_mb} MB title)" "${run[@]}" check
