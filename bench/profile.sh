#!/usr/bin/env bash
# Where each microsecond of a 10-participant plan goes, on the packaged service under wrk load, next
# to the floor endpoint (the framework's own cost for a plan-sized request). One command:
#
#   bench/profile.sh        (about 4 minutes; BENCH_SECONDS=15 per step)
#
# Builds the service with the floor endpoint (as bench/floor.sh does), starts it (-Xmx256m,
# PostgreSQL) and, for the plan and for the floor, runs two identical full-load steps: one measured
# with the CPU ticks of every thread of the service (/proc), one with a JFR recording (execution
# samples every millisecond, allocation samples). bench/ProfileBreakdown.java splits the request
# threads' CPU time into phases (parse, validation, policy, engine, answer, JSON write, metrics,
# recording, security, framework). Writes both tables into docs/benchmarks.md between the
# "profile" markers. BENCH_PORT, BENCH_MGMT_PORT and BENCH_DB choose the ports and the database;
# BENCH_RECORDS=false profiles with routing records off; BENCH_BUILD=no reuses the last build.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

SECONDS_PER_STEP=${BENCH_SECONDS:-15}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
load_before=$(bench_load)

step() { echo; echo "== $*"; }

command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
source .ci/postgres.sh
pg_up
pg_fresh_db "$DB"
bench_floor_build
bench_token
bench_plan10_body
# one execution sample per millisecond (JFR's "profile" settings take one per 10 ms), and enough
# allocation samples that each one stands for a few KB rather than a whole request's worth
sed -e 's/control="method-sampling-java-interval">[0-9]* ms/control="method-sampling-java-interval">1 ms/' \
    -e 's|control="allocation-profiling">[0-9]*/s|control="allocation-profiling">20000/s|' \
  "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" > "$work/profile-1ms.jfc"

step "start target/bench-floor-app ($HEAP_FLAGS)"
MERIDIAN_RECORDS_ENABLED=${BENCH_RECORDS:-true} \
  bench_start target/bench-floor-app "$work/profile-service.log" -XX:FlightRecorderOptions:stackdepth=256 \
  -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints
cleanup() { bench_stop; pg_down; }
trap cleanup EXIT

requests() { awk '/requests in/ { print $1 }' "$1"; }
load() { # name path script
  wrk -t1 -c"$CONNECTIONS" -d"${SECONDS_PER_STEP}s" -s "$3" "$base$2" > "$work/$1.txt"
}

step "warm-up (the JIT keeps raising throughput for about 40 s of load on 2 cores)"
wrk -t1 -c"$CONNECTIONS" -d10s -s bench/get.lua "$base/api/v1/regions" >/dev/null
BODY=$work/plan10.json wrk -t1 -c"$CONNECTIONS" -d30s -s bench/post.lua "$base/api/v1/routing-plans" >/dev/null
BODY=$work/plan10.json wrk -t1 -c"$CONNECTIONS" -d15s -s bench/post.lua "$base/api/v1/bench/floor" >/dev/null

export BODY=$work/plan10.json
tables=""
for target in plan:/api/v1/routing-plans floor:/api/v1/bench/floor; do
  name=${target%%:*}
  path=${target#*:}
  step "$name: CPU ticks of every thread over a ${SECONDS_PER_STEP}s full-load step"
  bench_threads > "$work/profile-$name-before.txt"
  pg0=$(postgres_ticks)
  load "profile-$name-cpu" "$path" bench/post.lua
  pg1=$(postgres_ticks)
  bench_threads > "$work/profile-$name-after.txt"
  step "$name: the same step under JFR"
  rm -f "$work/profile-$name.jfr"
  jcmd "$service" JFR.start name="$name" settings="$PWD/$work/profile-1ms.jfc" filename="$PWD/$work/profile-$name.jfr" >/dev/null
  load "profile-$name-jfr" "$path" bench/post.lua
  jcmd "$service" JFR.stop name="$name" >/dev/null
  rps=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$work/profile-$name-cpu.txt")
  breakdown=$(java bench/ProfileBreakdown.java "$work/profile-$name.jfr" "$(requests "$work/profile-$name-jfr.txt")" \
    "$work/profile-$name-before.txt" "$work/profile-$name-after.txt" "$(requests "$work/profile-$name-cpu.txt")" "$(getconf CLK_TCK)")
  pg_us=$(awk -v t=$((pg1 - pg0)) -v hz="$(getconf CLK_TCK)" -v n="$(requests "$work/profile-$name-cpu.txt")" \
    'BEGIN { printf "%.1f", t * 1e6 / hz / n }')
  breakdown=$(echo "$breakdown" | sed "s/^| \*\*whole service process\*\* |.*/&\n| PostgreSQL (every process of the server, other clients included) | $pg_us | | |/")
  echo "$breakdown"
  tables+="**$name** (\`POST $path\`, $rps requests/s in the CPU step):"$'\n\n'"$(echo "$breakdown" | sed -n '/^| where/,/^$/p')"$'\n\n'
done

machine="$(nproc) cores, $(java -version 2>&1 | head -1 | tr -d '"'), heap $HEAP_FLAGS, wrk -t1 -c$CONNECTIONS, ${SECONDS_PER_STEP}s per step, $(date -u +%Y-%m-%d), recording ${BENCH_RECORDS:-true}; load average $load_before before the run, $(bench_load) after"
table=$(cat <<MD
Machine: $machine. Command: \`bench/profile.sh\`.

$tables
MD
)
write_block profile "Where a plan's microseconds go" "$table"
echo "written to docs/benchmarks.md"
