#!/usr/bin/env bash
# Live-meeting benchmark of the packaged service on PostgreSQL. One command:
#
#   bench/meetings.sh       (about 7 minutes; BENCH_SECONDS=20 per load step, after BENCH_WARMUP=60 s)
#
# 1. join + leave requests at full load, spread over 64 meetings that hold about 20 people each
#    (each join is placed and held, each leave gives its place back: both through the group commit),
#    from 128 connections: joins and leaves commit in batches, so a closed loop of few connections
#    measures the batch's latency rather than what the service can do (BENCH_CONNECTIONS);
# 2. the same at half of that rate with independent (Poisson) arrivals: p50 / p99; and (2b) at
#    2,500 requests/s, half of the issue's 5,000, three steps of it, with their median p99;
# 3. the service's CPU per request for joins (with leaves, so the size stays put) into a meeting of
#    10 participants and into one of 10,000 participants spread over 6 data centers.
# Writes the table into docs/benchmarks.md between the "meetings" markers. Every figure comes from
# one run. Traffic goes to 127.0.0.1 only and every load step is bounded in time.
#
# Like bench/run.sh it starts PostgreSQL itself and stops it at the end. BENCH_PG_URL=jdbc:... uses
# a running database instead (it must be empty or a Meridian one), and then nothing is stopped;
# BENCH_PORT / BENCH_MGMT_PORT choose the service's ports.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

SECONDS_PER_STEP=${BENCH_SECONDS:-20}
WARMUP=${BENCH_WARMUP:-60}
CONNECTIONS=${BENCH_CONNECTIONS:-128}
PORT=${BENCH_PORT:-18080}
MGMT=${BENCH_MGMT_PORT:-19000}
HEAP_FLAGS="-Xms256m -Xmx256m"
work=target/bench-meetings
mkdir -p "$work"

step() { echo; echo "== $*"; }

step "tools"
command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
own_pg=no
if [ -z "${BENCH_PG_URL:-}" ]; then
  source .ci/postgres.sh
  pg_up
  pg_fresh_db meridian_bench
  BENCH_PG_URL=jdbc:postgresql://localhost:5432/meridian_bench
  own_pg=yes
fi

if [ "${BENCH_SKIP_BUILD:-no}" != yes ]; then
  step "build"
  ./mvnw -B -q -ntp package -DskipTests
fi

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/key.pem" 2>/dev/null
openssl pkey -in "$work/key.pem" -pubout -out "$work/public-key.pem"
issuer=https://bench.meridian.local
service=
start_service() { # log-name [NAME=VALUE settings for the service...]
  local log=$1
  shift
  env "$@" QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MGMT QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
    QUARKUS_DATASOURCE_JDBC_URL=$BENCH_PG_URL \
    QUARKUS_DATASOURCE_USERNAME=meridian QUARKUS_DATASOURCE_PASSWORD=meridian \
    MP_JWT_VERIFY_PUBLICKEY_LOCATION="$PWD/$work/public-key.pem" MP_JWT_VERIFY_ISSUER=$issuer \
    QUARKUS_LOG_CATEGORY__IO_MERIDIAN__LEVEL=WARN MERIDIAN_MEETINGS_LEASE=PT30M \
    java $HEAP_FLAGS -Xlog:gc:file="$work/gc-$log.log" -jar target/quarkus-app/quarkus-run.jar > "$work/$log.log" 2>&1 &
  service=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$MGMT/q/health/ready" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -sf "http://127.0.0.1:$MGMT/q/health/ready" >/dev/null
}
stop_service() {
  if [ -n "$service" ]; then
    kill "$service" 2>/dev/null || true
    wait "$service" 2>/dev/null || true
    service=
  fi
}
cleanup() {
  stop_service
  if [ "$own_pg" = yes ]; then pg_down; fi
}
trap cleanup EXIT
step "start the packaged service ($HEAP_FLAGS) on 127.0.0.1:$PORT"
start_service service

export TOKEN
TOKEN=$(MERIDIAN_TOKEN_KEY="$work/key.pem" MERIDIAN_TOKEN_ISSUER=$issuer deploy/dev/token.sh meeting-client)
base="http://127.0.0.1:$PORT"

# wrk output -> "requests/s p50_ms p99_ms non2xx requests"
summarize() {
  awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Non-2xx/ { bad = $5 }
    / requests in / { n = $1 }
    END { printf "%.0f %.2f %.2f %d %d\n", rps, p50, p99, bad + 0, n }' "$1"
}
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$service/stat"; }
load() { # name seconds wrk-args...
  local name=$1 secs=$2; shift 2
  wrk -t1 -c"$CONNECTIONS" -d"${secs}s" --latency "$@" > "$work/$name.txt"
  summarize "$work/$name.txt"
}

step "meetings: 64 for the load steps"
bench_meetings "$work/load.txt" 64 load
# Every load step goes on with the joins and leaves of the step before it (join-leave.lua's STATE),
# so the meetings stay at about 20 and each step is joins and leaves from its first request.
rm -f "$work/stream"
export STATE=$work/stream

# On two cores the JIT still compiles for about a minute of this load (its thread took a third of the
# service's CPU 20 s in, a sixth 60 s in): the steps measure the service after that. The warm-up is
# two runs: the end of the first is the first time the service sees clients drop connections with
# requests in flight, and the JIT then recompiles most of the HTTP path; the second run gives it the
# time to do that before anything is measured.
step "warm-up (10 s, then $((WARMUP - 10)) s)"
MEETINGS=$work/load.txt PREFIX=s load warm 10 -s bench/join-leave.lua "$base" >/dev/null
MEETINGS=$work/load.txt PREFIX=s load warm "$((WARMUP - 10))" -s bench/join-leave.lua "$base" >/dev/null

step "1. join + leave at full load (64 meetings of about 20)"
read -r jl_rps jl_p50 jl_p99 jl_bad _ < <(MEETINGS=$work/load.txt PREFIX=s load join-leave "$SECONDS_PER_STEP" -s bench/join-leave.lua "$base")
half=$((jl_rps / 2))
# A step at a rate of its own starts after 10 s at that rate, not measured: after the change from
# full load (no pauses between requests) to paced arrivals the JIT recompiles part of the HTTP path
# for some seconds, which is the change of load, not the service at that rate.
paced() { # name rate seconds -> summarize's line
  MEETINGS=$work/load.txt PREFIX=s RATE=$2 CONNECTIONS=$CONNECTIONS load "$1" "$3" -s bench/join-leave.lua "$base"
}
# sums and counts of the meetings' group commit: "batches seconds jobs"
batch_stats() {
  curl -s "http://127.0.0.1:$MGMT/q/metrics" | awk '
    /^meridian_meeting_batch_seconds_count/ { n = $2 } /^meridian_meeting_batch_seconds_sum/ { t = $2 }
    /^meridian_meeting_batch_jobs_sum/ { j = $2 } END { printf "%.0f %.6f %.0f\n", n, t, j }'
}
step "2. the same at half load ($half requests/s offered, Poisson arrivals)"
paced join-leave-half-warm "$half" 10 >/dev/null
read -r b0_n b0_t b0_j < <(batch_stats)
read -r h_rps h_p50 h_p99 h_bad _ < <(paced join-leave-half "$half" "$SECONDS_PER_STEP")
read -r b1_n b1_t b1_j < <(batch_stats)
step "2b. the same at 2500 requests/s offered (half of the target's 5,000): three steps"
paced join-leave-2500-warm 2500 10 >/dev/null
# joins of the service's histogram up to 10 ms, and all of them: "within total"
joins_within_10ms() {
  curl -s "http://127.0.0.1:$MGMT/q/metrics" | awk '
    /^meridian_meeting_join_seconds_bucket/ && /le="0.01"/ { w += $2 }
    /^meridian_meeting_join_seconds_count/ { n += $2 } END { printf "%.0f %.0f\n", w, n }'
}
read -r w0 n0 < <(joins_within_10ms)
t_rows=""
t_p99s=()
for k in 1 2 3; do
  read -r t_rps t_p50 t_p99 t_bad _ < <(paced "join-leave-2500-$k" 2500 "$SECONDS_PER_STEP")
  t_rows+="| 2b. step $k: the same at 2500/s offered (half of the target's 5,000) | $t_rps | $t_p50 ms | $t_p99 ms | $t_bad |"$'\n'
  t_p99s+=("$t_p99")
done
read -r w1 n1 < <(joins_within_10ms)
t_p99_median=$(printf '%s\n' "${t_p99s[@]}" | sort -n | sed -n 2p)
joins_10ms=$(awk -v w=$((w1 - w0)) -v n=$((n1 - n0)) 'BEGIN { if (n > 0) printf "%.2f", 100 * w / n; else print "?" }')
read -r batch_ms batch_jobs < <(awk -v n=$((b1_n - b0_n)) -v t="$(awk -v a="$b1_t" -v b="$b0_t" 'BEGIN { print a - b }')" \
  -v j=$((b1_j - b0_j)) 'BEGIN { if (n > 0) printf "%.2f %.1f\n", 1000 * t / n, j / n; else print "? ?" }')
# the join latency alone, from the service's histogram
join_p99=$(curl -s "http://127.0.0.1:$MGMT/q/metrics" | python3 -c '
import re, sys
buckets = []
for line in sys.stdin:
    m = re.match(r"meridian_meeting_join_seconds_bucket\{.*le=\"([^\"]+)\".*\} ([0-9.e+]+)", line)
    if m:
        buckets.append((float("inf") if m.group(1) == "+Inf" else float(m.group(1)), float(m.group(2))))
buckets.sort()
total = buckets[-1][1] if buckets else 0
print(next((f"{le * 1000:g}" for le, n in buckets if n >= 0.99 * total), "?"))')

# The placement opens another data center for a join only when that gains at least
# meridian.routing.cascade-min-gain-ms (30) on the joiner's worst pair latency; six cities far apart
# then share about three. Step 3 wants the meeting of 10,000 spread over about six (the costlier
# case: more sites to price, a larger cascade tree), so it runs on a service started with a gain of 0.
step "3. join CPU: a meeting of 10 against one of 10,000 (cascade-min-gain-ms 0: about 6 data centers)"
stop_service
unset STATE
start_service service-spread MERIDIAN_ROUTING_CASCADE_MIN_GAIN_MS=0
bench_meetings "$work/small.txt" 1 small
bench_meetings "$work/large.txt" 1 large
MEETINGS=$work/small.txt FILL=10 wrk -t1 -c1 -d60s -s bench/join-leave.lua "$base" > "$work/fill-small.txt"
MEETINGS=$work/large.txt FILL=10000 wrk -t1 -c8 -d120s -s bench/join-leave.lua "$base" > "$work/fill-large.txt"
large_dcs=$(curl -s -H "Authorization: Bearer $TOKEN" "$base/api/v1/meetings/$(cat "$work/large.txt")" \
  | python3 -c 'import json, sys; m = json.load(sys.stdin); print(m["participantCount"], len(m["dataCenters"]))')
cpu_per_request() { # meetings-file name -> "ms-of-CPU-per-request requests/s"
  local before after
  before=$(cpu_ticks)
  read -r rps _ _ _ n < <(MEETINGS=$1 PREFIX=c KEEP=5 RATE=500 CONNECTIONS=8 wrk -t1 -c8 -d"${SECONDS_PER_STEP}s" --latency -s bench/join-leave.lua "$base" > "$work/$2.txt"; summarize "$work/$2.txt")
  after=$(cpu_ticks)
  awk -v t=$((after - before)) -v n="$n" -v hz="$(getconf CLK_TCK)" -v r="$rps" 'BEGIN { printf "%.3f %s\n", 1000 * t / hz / n, r }'
}
cpu_per_request "$work/small.txt" cpu-small >/dev/null
read -r small_cpu small_rps < <(cpu_per_request "$work/small.txt" cpu-small)
read -r large_cpu large_rps < <(cpu_per_request "$work/large.txt" cpu-large)
ratio=$(awk -v a="$large_cpu" -v b="$small_cpu" 'BEGIN { printf "%.2f", a / b }')

errors=$(cat "$work/service.log" "$work/service-spread.log" | grep -c " ERROR " || true)
machine="$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(java -version 2>&1 | head -1 | tr -d '"'), heap $HEAP_FLAGS (G1), wrk 4.1 -t1 -c$CONNECTIONS, ${WARMUP}s of warm-up, ${SECONDS_PER_STEP}s per step, $(date -u +%Y-%m-%d)"
table=$(cat <<MD
Machine: $machine. Command: \`bench/meetings.sh\`. One service, one PostgreSQL, on the same cores.

| scenario | requests/s | p50 | p99 | non-2xx |
| --- | ---: | ---: | ---: | ---: |
| 1. join + leave, 64 meetings of about 20, full load | $jl_rps | $jl_p50 ms | $jl_p99 ms | $jl_bad |
| 2. the same at half load ($half/s offered), Poisson arrivals | $h_rps | $h_p50 ms | $h_p99 ms | $h_bad |
${t_rows}
Median p99 of the three 2b steps: $t_p99_median ms. Joins alone in them (the service's histogram,
meridian_meeting_join_seconds, from the request's arrival to its answer): $joins_10ms% within 10 ms.
Joins alone over steps 1-2b (the service's histogram, meridian_meeting_join_seconds): p99 at most $join_p99 ms.
In step 2 a batch of the meetings' group commit (meridian_meeting_batch_seconds and _jobs) took $batch_ms ms
on average and held $batch_jobs jobs: a request's time beyond that is its wait in the queue (for the batch in
progress) and HTTP.

| 3. join + leave at 500 requests/s into one meeting of (cascade-min-gain-ms 0) | service CPU per request | requests/s |
| --- | ---: | ---: |
| 10 participants | $small_cpu ms | $small_rps |
| $large_dcs (participants, data centers) | $large_cpu ms ($ratio × the 10) | $large_rps |

ERROR lines in the service log: $errors.
MD
)
echo "$table"
write_block meetings 'Live meetings (wrk)' "$table"
echo "written to docs/benchmarks.md"
