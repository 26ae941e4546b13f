#!/usr/bin/env bash
# The plan's cost with the service on a core of its own: PostgreSQL and wrk pinned to the other
# core, so that neither the database's work for a record nor the load generator shares the
# service's core. One command:
#
#   bench/pinned.sh        (about 12 minutes; BENCH_SECONDS=15 per step, BENCH_ROUNDS=3)
#
# For each setting (recording off; records without the transparency log; records and log) it
# starts the service with the floor endpoint (as bench/floor.sh builds it) and measures, after a
# warm-up:
#   - plans and the floor endpoint at full load, BENCH_ROUNDS alternating rounds: their ratio is
#     what the service's own CPU allows, without the shared cores of bench/run.sh;
#   - the service's CPU per plan at BENCH_CPU_RATE plans/s offered (default 6,000, below one
#     core's full rate in every setting), split by thread group (bench_thread_split), and
#     PostgreSQL's CPU per plan.
# Needs two cores at least (the service on core 0, the rest on the others). Writes its table into
# docs/benchmarks.md between the "pinned" markers. BENCH_BUILD=no reuses the last build.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

SECONDS_PER_STEP=${BENCH_SECONDS:-15}
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
CPU_RATE=${BENCH_CPU_RATE:-6000}
cores=$(nproc)
[ "$cores" -ge 2 ] || { echo "bench/pinned.sh needs two cores" >&2; exit 1; }
export SERVICE_CPUS=0
others=1; [ "$cores" -gt 2 ] && others="1-$((cores - 1))"

step() { echo; echo "== $*"; }

command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
source .ci/postgres.sh
pg_up
pg_fresh_db "$DB"
# every process of the server, and the backends it forks from now on (they inherit the mask)
pin_postgres() { local p; for p in $(pgrep -x postgres); do taskset -a -c -p "$1" "$p" >/dev/null; done; }
pin_postgres "$others"
bench_floor_build
bench_token
bench_plan10_body
trap 'bench_stop; pin_postgres "0-$((cores - 1))"; pg_down' EXIT

load() { # seconds path [wrk-args...] -> requests/s and non-2xx
  local secs=$1 path=$2; shift 2
  BODY=$work/plan10.json taskset -c "$others" wrk -t1 -c"$CONNECTIONS" -d"${secs}s" -s bench/post.lua "$@" "$base$path" \
    > "$work/pinned-step.txt"
  awk '/Requests\/sec/ { r = $2 } /Non-2xx/ { bad = $5 } END { printf "%.0f %d\n", r, bad + 0 }' "$work/pinned-step.txt"
}

rows="" summary_rows=""
for setting in off records on; do
  enabled=true log=true
  [ "$setting" = off ] && enabled=false
  [ "$setting" = on ] || log=false
  step "recording $setting: start (service on core 0, PostgreSQL and wrk on $others)"
  MERIDIAN_RECORDS_ENABLED=$enabled MERIDIAN_TRANSPARENCY_ENABLED=$log \
    bench_start target/bench-floor-app "$work/pinned-service-$setting.log"
  taskset -c "$others" wrk -t1 -c"$CONNECTIONS" -d10s -s bench/get.lua "$base/api/v1/regions" >/dev/null
  load 30 /api/v1/routing-plans >/dev/null
  load 15 /api/v1/bench/floor >/dev/null
  ratios=() bad=0
  for round in $(seq 1 "$ROUNDS"); do
    order="floor plan"
    [ $((round % 2)) = 0 ] && order="plan floor"
    for what in $order; do
      if [ "$what" = floor ]; then
        read -r floor floor_bad < <(load "$SECONDS_PER_STEP" /api/v1/bench/floor)
      else
        read -r plans plans_bad < <(load "$SECONDS_PER_STEP" /api/v1/routing-plans)
      fi
    done
    bad=$((bad + floor_bad + plans_bad))
    ratio=$(awk -v p="$plans" -v f="$floor" 'BEGIN { printf "%.2f", p / f }')
    ratios+=("$ratio")
    echo "round $round: plans $plans/s, floor $floor/s, plan / floor $ratio"
    rows+="| $setting | $round | $plans | $floor | $ratio |"$'\n'
  done
  RATE=$CPU_RATE CONNECTIONS=$CONNECTIONS load 10 /api/v1/routing-plans >/dev/null
  bench_threads > "$work/pinned-before.txt"
  p0=$(postgres_ticks)
  read -r paced paced_bad < <(RATE=$CPU_RATE CONNECTIONS=$CONNECTIONS load "$SECONDS_PER_STEP" /api/v1/routing-plans)
  p1=$(postgres_ticks)
  bench_threads > "$work/pinned-after.txt"
  n=$(awk '/requests in/ { print $1 }' "$work/pinned-step.txt")
  read -r requests writer jobs jit gc other total < <(bench_thread_split "$work/pinned-before.txt" "$work/pinned-after.txt" "$n")
  pg=$(awk -v p=$((p1 - p0)) -v hz="$(getconf CLK_TCK)" -v n="$n" 'BEGIN { printf "%.1f", p * 1e6 / hz / n }')
  bad=$((bad + paced_bad))
  median=$(printf '%s\n' "${ratios[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')
  echo "recording $setting: plan / floor median $median; at $paced/s: service $total µs a plan (request threads $requests, writer $writer, jobs $jobs, JIT $jit, GC $gc, other $other), PostgreSQL $pg µs; non-2xx $bad"
  summary_rows+="| $setting | $median | $paced | $total | $requests | $writer | $jobs | $jit | $gc | $other | $pg | $bad |"$'\n'
  eval "total_$setting=$total"
  bench_stop
done

machine="$cores cores (service on core 0; PostgreSQL and wrk on $others), $(java -version 2>&1 | head -1 | tr -d '"'), heap $HEAP_FLAGS, wrk -t1 -c$CONNECTIONS, ${SECONDS_PER_STEP}s per step, $(date -u +%Y-%m-%d); load average $(bench_load) after the run"
ratio_line=$(awk -v on="$total_on" -v rec="$total_records" -v off="$total_off" 'BEGIN {
  printf "Service CPU per plan at the paced rate: records and log / off = %.2f, records alone / off = %.2f.", on / off, rec / off }')
table=$(cat <<MD
Machine: $machine. Command: \`bench/pinned.sh\`.

| recording | plan / floor at full load (median of $ROUNDS) | plans/s at $CPU_RATE/s offered | service CPU per plan there (µs) | request threads | record writer | scheduled jobs (log leader, self-check) | JIT | GC | other threads | PostgreSQL CPU per plan (µs) | non-2xx |
| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$summary_rows
$ratio_line

Every full-load round:

| recording | round | plans/s | floor requests/s | plan / floor |
| --- | ---: | ---: | ---: | ---: |
$rows
MD
)
echo "$table"
write_block pinned 'The plan on a core of its own' "$table"
echo "written to docs/benchmarks.md"
