#!/usr/bin/env bash
# How close to the reference any routing engine could bring a plan on this framework and contract.
# One command:
#
#   bench/floor.sh          (about 4 minutes; BENCH_SECONDS=10 per step, BENCH_ROUNDS=5)
#
# Builds the service a second time with the benchmark-only endpoint POST /api/v1/bench/floor
# (FloorResource; -Dmeridian.bench.floor=true, into target/bench-floor-app, so the normal package is
# untouched). The floor endpoint reads the 10-participant body of bench/run.sh into the plan request
# with the same reader, under the same security and metric, and writes a kept plan answer of that
# request with the same serializer: a plan minus the engine, the checks and the record. One service
# (-Xmx256m, PostgreSQL) answers all three; each round measures the reference GET /api/v1/regions,
# the floor and the real plan back to back. Writes the table into docs/benchmarks.md between the
# "floor" markers. BENCH_PORT, BENCH_MGMT_PORT and BENCH_DB choose the ports and the database;
# BENCH_BUILD=no reuses the last build.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

SECONDS_PER_STEP=${BENCH_SECONDS:-10}
ROUNDS=${BENCH_ROUNDS:-5}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
app=bench-floor-app

step() { echo; echo "== $*"; }

command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
source .ci/postgres.sh
pg_up
pg_fresh_db "$DB"

step "build with the floor endpoint into target/$app"
bench_floor_build
bench_token
bench_plan10_body

step "start target/$app ($HEAP_FLAGS)"
bench_start "target/$app" "$work/floor-service.log"
cleanup() { bench_stop; pg_down; }
trap cleanup EXIT

# the floor must answer byte for byte what the real endpoint answers for this body, but the plan id
post() { curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' --data-binary @"$work/plan10.json" "$base$1"; }
same=$(python3 - "$(post /api/v1/bench/floor)" "$(post /api/v1/routing-plans)" <<'PY'
import json, sys
a, b = (json.loads(x) for x in sys.argv[1:3])
for d in (a, b):
    d.pop("planId", None)
print("yes" if a == b and len(sys.argv[1]) > 1000 else "no")
PY
)
[ "$same" = yes ] || { echo "the floor's answer differs from the plan's" >&2; exit 1; }

# CPU time of the service process in clock ticks (user + system, /proc/PID/stat fields 14 and 15)
ticks() { awk '{ print $14 + $15 }' "/proc/$service/stat"; }
hz=$(getconf CLK_TCK)
rps() { # name seconds wrk-args... -> requests/s, non-2xx, service CPU microseconds per request
  local name=$1 secs=$2 t0 t1; shift 2
  t0=$(ticks)
  wrk -t1 -c"$CONNECTIONS" -d"${secs}s" "$@" > "$work/$name.txt"
  t1=$(ticks)
  awk -v t=$((t1 - t0)) -v hz="$hz" -v s="$secs" '/Requests\/sec/ { r = $2 } /Non-2xx/ { bad = $5 }
    END { printf "%.0f %d %.0f\n", r, bad + 0, (r > 0 ? t * 1e6 / hz / (r * s) : 0) }' "$work/$name.txt"
}

step "warm-up (the JIT keeps raising throughput for about 40 s of load on 2 cores)"
rps warm-ref 10 -s bench/get.lua "$base/api/v1/regions" >/dev/null
BODY=$work/plan10.json rps warm-floor 15 -s bench/post.lua "$base/api/v1/bench/floor" >/dev/null
BODY=$work/plan10.json rps warm-plan 20 -s bench/post.lua "$base/api/v1/routing-plans" >/dev/null

rows=""
for round in $(seq 1 "$ROUNDS"); do
  step "round $round"
  read -r ref ref_bad ref_cpu < <(rps floor-ref "$SECONDS_PER_STEP" -s bench/get.lua "$base/api/v1/regions")
  read -r floor floor_bad floor_cpu < <(BODY=$work/plan10.json rps floor-floor "$SECONDS_PER_STEP" -s bench/post.lua "$base/api/v1/bench/floor")
  read -r plan plan_bad plan_cpu < <(BODY=$work/plan10.json rps floor-plan "$SECONDS_PER_STEP" -s bench/post.lua "$base/api/v1/routing-plans")
  echo "reference $ref/s ($ref_cpu µs), floor $floor/s ($floor_cpu µs), plan $plan/s ($plan_cpu µs), non-2xx $((ref_bad + floor_bad + plan_bad))"
  rows+="| $round | $ref ($ref_cpu µs) | $floor ($floor_cpu µs) | $plan ($plan_cpu µs) | $(awk -v a="$floor" -v b="$ref" 'BEGIN { printf "%.2f", a / b }') | $(awk -v a="$plan" -v b="$ref" 'BEGIN { printf "%.2f", a / b }') | $((ref_bad + floor_bad + plan_bad)) |"$'\n'
  eval "ref_$round=$ref floor_$round=$floor plan_$round=$plan"
done

summary=$(python3 - <<PY
import statistics
ref = [$(for r in $(seq 1 "$ROUNDS"); do eval printf '%s,' "\$ref_$r"; done)]
floor = [$(for r in $(seq 1 "$ROUNDS"); do eval printf '%s,' "\$floor_$r"; done)]
plan = [$(for r in $(seq 1 "$ROUNDS"); do eval printf '%s,' "\$plan_$r"; done)]
f = statistics.median(a / b for a, b in zip(floor, ref))
p = statistics.median(a / b for a, b in zip(plan, ref))
print(f"Median of the rounds' ratios: floor / reference = {f:.2f}, plan / reference = {p:.2f}; "
      f"the engine, checks and record take the plan from {f:.2f} to {p:.2f}.")
PY
)
machine="$(nproc) cores, $(java -version 2>&1 | head -1 | tr -d '"'), heap $HEAP_FLAGS, wrk -t1 -c$CONNECTIONS, ${SECONDS_PER_STEP}s per step, $(date -u +%Y-%m-%d)"
table=$(cat <<MD
Machine: $machine. Command: \`bench/floor.sh\`.

Requests/s of each step, with the service's CPU time per request in brackets (\`/proc\` ticks over
the step; PostgreSQL and wrk not included).

| round | reference requests/s | floor requests/s | 10-participant plans/s | floor / reference | plan / reference | non-2xx |
| ---: | ---: | ---: | ---: | ---: | ---: | ---: |
$rows
$summary
MD
)
echo "$table"
write_block floor "The framework's floor for a plan" "$table"
echo "written to docs/benchmarks.md"
