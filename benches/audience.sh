#!/usr/bin/env bash
# `incident audience` against the DuckDB reference, on the same generated send log, in the same
# run: median wall time and median peak RSS of each, and their ratios.
#
#   benches/audience.sh /path/to/shared/bench        (or AUDIENCE_BENCH=/path/to/shared/bench)
#
# The shared bench folder supplies gen_sendlog.py and reference_duckdb.py (pip install duckdb);
# the product itself does not depend on it. Settings, from the environment:
#   ROWS=10000000  rows in the generated send log (10M: ~880 MB in DATA, ~40 s to generate)
#   SEED=1         generator seed
#   RUNS=5         timed rounds, after one untimed warm-up of each command
#   DATA=/tmp/incident-audience-bench-ROWS-SEED   kept between runs; delete it when done
#
# Each round runs both commands, in alternating order, so that noise on a shared machine hits
# both alike; compare the ratios, not the absolute figures. Wall time is measured around the
# whole process (start-up included for both); peak RSS comes from /usr/bin/time.
set -euo pipefail

bench=${1:-${AUDIENCE_BENCH:-}}
if [[ -z $bench || ! -f $bench/gen_sendlog.py || ! -f $bench/reference_duckdb.py ]]; then
  echo "usage: $0 /path/to/shared/bench   (the folder with gen_sendlog.py and reference_duckdb.py)" >&2
  exit 2
fi
bench=$(cd "$bench" && pwd)
rows=${ROWS:-10000000}
seed=${SEED:-1}
runs=${RUNS:-5}
data=${DATA:-/tmp/incident-audience-bench-$rows-$seed}
[[ -x /usr/bin/time ]] || { echo "needs GNU time at /usr/bin/time (apt-get install time)" >&2; exit 2; }
python3 -c 'import duckdb' 2>/dev/null || { echo "needs DuckDB: pip install duckdb" >&2; exit 2; }

root=$(cd "$(dirname "$0")/.." && pwd)
cargo build --release --quiet --manifest-path "$root/Cargo.toml"
incident=$root/target/release/incident

if [[ ! -s $data/sends.csv || ! -s $data/suppressions.csv ]]; then
  echo "generating $rows rows (seed $seed) in $data ..." >&2
  python3 "$bench/gen_sendlog.py" --rows "$rows" --seed "$seed" --out "$data"
fi

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
workspace=$scratch/workspace
mkdir -p "$workspace" "$scratch/duckdb"
id=$(printf 'kind: wrong-segment\ntitle: Benchmark\nown:\n  discovered_at: 2026-11-20T14:00:00Z\n  how_found: internal-review\n' |
  "$incident" --dir "$workspace" --now 2026-11-20T14:00:00Z open --quiet --by bench --answers -)

query=(--campaign C-1004 --from 2026-11-20T09:00:00Z --until 2026-11-20T13:00:00Z --status delivered)
ours=("$incident" --dir "$workspace" audience "$id" --by bench --quiet
  --sends "$data/sends.csv" --suppressions "$data/suppressions.csv" "${query[@]}")
duckdb=(python3 "$bench/reference_duckdb.py"
  --sends "$data/sends.csv" --suppressions "$data/suppressions.csv" "${query[@]}" --out "$scratch/duckdb")

# timed NAME COMMAND...: append "wall_seconds peak_rss_kib" to $scratch/NAME.
timed() {
  local name=$1 start end
  shift
  start=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$scratch/rss" "$@" >/dev/null
  end=$(date +%s.%N)
  echo "$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f", b - a }') $(tail -n 1 "$scratch/rss")" >>"$scratch/$name"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
"${ours[@]}" >/dev/null   # warm-up: page cache, shared libraries
"${duckdb[@]}" >/dev/null
: >"$scratch/ours"
: >"$scratch/duckdb.times"
for ((round = 1; round <= runs; round++)); do
  if ((round % 2)); then
    timed ours "${ours[@]}"
    timed duckdb.times "${duckdb[@]}"
  else
    timed duckdb.times "${duckdb[@]}"
    timed ours "${ours[@]}"
  fi
  echo "round $round/$runs: incident $(tail -n 1 "$scratch/ours"), duckdb $(tail -n 1 "$scratch/duckdb.times") (s KiB)" >&2
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

cmp -s "$workspace/incidents/$id/recipients.csv" "$scratch/duckdb/recipients.csv" &&
  identical=yes || identical=NO

# median COLUMN FILE: the median of a column (1 = wall s, 2 = peak RSS KiB).
median() { sort -g -k"$1","$1" "$2" | awk -v c="$1" '{ v[NR] = $c } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
range() { sort -g -k"$1","$1" "$2" | awk -v c="$1" 'NR == 1 { lo = $c } { hi = $c } END { printf "%s-%s", lo, hi }'; }

ours_wall=$(median 1 "$scratch/ours")
duck_wall=$(median 1 "$scratch/duckdb.times")
ours_rss=$(median 2 "$scratch/ours")
duck_rss=$(median 2 "$scratch/duckdb.times")
mib() { awk -v k="$1" 'BEGIN { printf "%.0f", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

cat <<EOF

$(date -u +%Y-%m-%d) on $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(free -g | awk '/^Mem:/ { print $2 }') GiB
send log: $rows rows (seed $seed), $(stat -c %s "$data/sends.csv") B; suppressions $(stat -c %s "$data/suppressions.csv") B
$runs interleaved rounds after a warm-up; load average $load_before -> $load_after
recipients.csv identical to DuckDB's: $identical ($(($(wc -l <"$scratch/duckdb/recipients.csv") - 1)) addresses)

| command | median wall s (min-max) | median peak RSS MiB |
|---|---|---|
| incident audience | $ours_wall ($(range 1 "$scratch/ours")) | $(mib "$ours_rss") |
| reference_duckdb.py ($(python3 -c 'import duckdb; print("DuckDB", duckdb.__version__)')) | $duck_wall ($(range 1 "$scratch/duckdb.times")) | $(mib "$duck_rss") |

ratio incident / DuckDB: wall $(ratio "$ours_wall" "$duck_wall"), peak RSS $(ratio "$ours_rss" "$duck_rss") (goal: at most 0.25 each)
EOF
[[ $identical == yes ]]

# The same send log gzip-compressed: read directly (decompressed on a thread of its own) against
# `zcat` piped into standard input, in the same interleaved rounds. GZIP_BENCH=0 skips it.
[[ ${GZIP_BENCH:-1} == 1 ]] || exit 0
if [[ ! -s $data/sends.csv.gz ]]; then
  echo "compressing the send log to $data/sends.csv.gz ..." >&2
  gzip -c "$data/sends.csv" >"$data/sends.csv.gz"
fi
gz=("$incident" --dir "$workspace" audience "$id" --by bench --quiet --dry-run
  --sends "$data/sends.csv.gz" --suppressions "$data/suppressions.csv" "${query[@]}")
piped=(bash -c 'zcat "$1" | "${@:2}"' _ "$data/sends.csv.gz" "$incident" --dir "$workspace" audience "$id"
  --by bench --quiet --dry-run --sends - --suppressions "$data/suppressions.csv" "${query[@]}")
expected=$(($(wc -l <"$scratch/duckdb/recipients.csv") - 1))
if [[ $("${gz[@]}") != "$expected" || $("${piped[@]}") != "$expected" ]]; then
  echo "the gzip runs do not find the $expected addresses" >&2
  exit 1
fi
: >"$scratch/gz"
: >"$scratch/piped"
for ((round = 1; round <= runs; round++)); do
  if ((round % 2)); then
    timed gz "${gz[@]}"
    timed piped "${piped[@]}"
  else
    timed piped "${piped[@]}"
    timed gz "${gz[@]}"
  fi
  echo "round $round/$runs: .gz $(tail -n 1 "$scratch/gz"), zcat | $(tail -n 1 "$scratch/piped") (s KiB)" >&2
done
gz_wall=$(median 1 "$scratch/gz")
piped_wall=$(median 1 "$scratch/piped")
cat <<EOF

gzip-compressed send log, $(stat -c %s "$data/sends.csv.gz") B; both find the $expected addresses

| command | median wall s (min-max) | median peak RSS MiB |
|---|---|---|
| incident audience --sends sends.csv.gz | $gz_wall ($(range 1 "$scratch/gz")) | $(mib "$(median 2 "$scratch/gz")") |
| zcat sends.csv.gz \| incident audience --sends - | $piped_wall ($(range 1 "$scratch/piped")) | $(mib "$(median 2 "$scratch/piped")") |

ratio .gz / zcat piped: wall $(ratio "$gz_wall" "$piped_wall") (goal: at most 1.30)
EOF
