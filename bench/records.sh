#!/usr/bin/env bash
# Cost of routing records on the plan path: the 10-participant plan of bench/run.sh, with an account
# and a meeting id, at full load, with recording on, on without the transparency log ("records":
# no log entries, receipts or heads; it splits recording's cost between the records and the log) and
# off. One command:
#
#   bench/records.sh        (about 15 minutes; BENCH_SECONDS=15 per step, BENCH_ROUNDS=3)
#
# The packaged service (-Xmx256m, PostgreSQL) is restarted for each setting, in the order on,
# records, off, on, records, off, ... so that drift of a noisy machine hits them alike; each step also measures the
# reference GET /api/v1/regions. After the full-load step, a step at BENCH_CPU_RATE plans/s offered
# (default 8000, Poisson arrivals) of the plan bench/profile.sh profiles (10 participants, no
# account, so no policy read; about two thirds of one core for the service) measures the CPU per
# plan of the service process and of PostgreSQL (/proc ticks over the step): at full load the two
# cores are saturated, so a setting that gives PostgreSQL more work also slows the service's own
# threads, and the service's CPU per plan then says as much about the machine as about recording.
# Writes the table into docs/benchmarks.md between the "records" markers. Targets: plans/s with
# recording on within 10% of off (full load); the service's CPU per plan with recording on at most
# 1.1 x off (paced step). BENCH_PORT, BENCH_MGMT_PORT and BENCH_DB choose the ports and the database.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

SECONDS_PER_STEP=${BENCH_SECONDS:-15}
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
CPU_RATE=${BENCH_CPU_RATE:-8000}

step() { echo; echo "== $*"; }

command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
source .ci/postgres.sh
pg_up
pg_fresh_db "$DB"
[ -f target/quarkus-app/quarkus-run.jar ] && [ "${BENCH_BUILD:-yes}" = no ] || ./mvnw -B -q -ntp package -DskipTests
bench_token
bench_plan10_body
python3 - "$work" <<'PY'
import json, sys
countries = ["DE", "FR", "GB", "US", "US", "CA", "JP", "SG", "IN", "AU"]
json.dump({"accountId": "bench-account", "meetingId": "bench-meeting",
           "participants": [{"id": f"p{i}", "location": {"country": c}} for i, c in enumerate(countries)],
           "blockedRegions": ["CN"]}, open(f"{sys.argv[1]}/plan10-account.json", "w"))
PY

service=
start() { # recording on|records|off
  local enabled=true log=true
  [ "$1" = off ] && enabled=false
  [ "$1" = on ] || log=false
  MERIDIAN_RECORDS_ENABLED=$enabled MERIDIAN_TRANSPARENCY_ENABLED=$log \
    bench_start target/quarkus-app "$work/records-service-$1.log"
}
stop() { bench_stop; }
trap 'stop; pg_down' EXIT

rps() { # name seconds wrk-args... -> requests/s and non-2xx
  local name=$1 secs=$2; shift 2
  wrk -t1 -c"$CONNECTIONS" -d"${secs}s" --latency "$@" > "$work/$name.txt"
  awk '/Requests\/sec/ { r = $2 } /Non-2xx/ { bad = $5 } END { printf "%.0f %d\n", r, bad + 0 }' "$work/$name.txt"
}
hz=$(getconf CLK_TCK)
service_ticks() { awk '{ print $14 + $15 }' "/proc/$service/stat"; }
pending() {
  curl -s -H 'Accept: text/plain; version=0.0.4' "http://127.0.0.1:$MGMT/q/metrics" \
    | awk '/^meridian_routing_records_pending/ { printf "%.0f", $2 }'
}
paced() { # seconds output
  BODY=$work/plan10.json RATE=$CPU_RATE CONNECTIONS=$CONNECTIONS \
    wrk -t1 -c"$CONNECTIONS" -d"$1s" -s bench/post.lua "$base/api/v1/routing-plans" > "$2"
}
paced_cpu() { # name -> requests/s, service µs per plan, PostgreSQL µs per plan, non-2xx
  local s0 s1 p0 p1
  # the full-load step leaves records queued: the writer must not write them in the measured step
  for _ in $(seq 1 120); do [ "$(pending)" = 0 ] && break; sleep 0.5; done
  paced 10 "$work/$1-warm.txt"
  s0=$(service_ticks); p0=$(postgres_ticks)
  paced "$SECONDS_PER_STEP" "$work/$1.txt"
  s1=$(service_ticks); p1=$(postgres_ticks)
  awk -v s=$((s1 - s0)) -v p=$((p1 - p0)) -v hz="$hz" '/requests in/ { n = $1 } /Requests\/sec/ { r = $2 }
    /Non-2xx/ { bad = $5 } END { printf "%.0f %.1f %.1f %d\n", r, s * 1e6 / hz / n, p * 1e6 / hz / n, bad + 0 }' "$work/$1.txt"
}
written() {
  curl -s -H 'Accept: text/plain; version=0.0.4' "http://127.0.0.1:$MGMT/q/metrics" \
    | awk '/^meridian_routing_records_(written|dropped)_total/ { printf "%s=%.0f ", $1, $2 }'
}

rows=""
for round in $(seq 1 "$ROUNDS"); do
  for setting in on records off; do
    step "round $round, recording $setting"
    start "$setting"
    # the JIT needs about 40 s of load on 2 cores before throughput stops climbing
    rps warm 10 -s bench/get.lua "$base/api/v1/regions" >/dev/null
    BODY=$work/plan10-account.json rps warm 30 -s bench/post.lua "$base/api/v1/routing-plans" >/dev/null
    read -r ref ref_bad < <(rps records-ref "$SECONDS_PER_STEP" -s bench/get.lua "$base/api/v1/regions")
    read -r plans plans_bad < <(BODY=$work/plan10-account.json rps records-$setting "$SECONDS_PER_STEP" -s bench/post.lua "$base/api/v1/routing-plans")
    read -r paced service_us pg_us paced_bad < <(paced_cpu "records-$setting-paced")
    counts=$(written)
    bad=$((ref_bad + plans_bad + paced_bad))
    echo "reference $ref/s, plans $plans/s; at $CPU_RATE/s offered: $paced/s, service $service_us µs, PostgreSQL $pg_us µs a plan; non-2xx $bad; $counts"
    rows+="| $round | $setting | $ref | $plans | $paced | $service_us | $pg_us | $bad | ${counts:-} |"$'\n'
    eval "plans_${setting}_$round=$plans"
    eval "cpu_${setting}_$round=$service_us"
    eval "pg_${setting}_$round=$pg_us"
    stop
  done
done

summary=$(python3 - "$ROUNDS" <<PY
import statistics, sys
rounds = int(sys.argv[1])
on = [$(for r in $(seq 1 "$ROUNDS"); do eval printf '%s,' "\$plans_on_$r"; done)]
off = [$(for r in $(seq 1 "$ROUNDS"); do eval printf '%s,' "\$plans_off_$r"; done)]
cpu_on = [$(for r in $(seq 1 "$ROUNDS"); do eval printf '%s,' "\$cpu_on_$r"; done)]
cpu_off = [$(for r in $(seq 1 "$ROUNDS"); do eval printf '%s,' "\$cpu_off_$r"; done)]
cpu_records = [$(for r in $(seq 1 "$ROUNDS"); do eval printf '%s,' "\$cpu_records_$r"; done)]
pg_records = [$(for r in $(seq 1 "$ROUNDS"); do eval printf '%s,' "\$pg_records_$r"; done)]
plans_records = [$(for r in $(seq 1 "$ROUNDS"); do eval printf '%s,' "\$plans_records_$r"; done)]
pg_on = [$(for r in $(seq 1 "$ROUNDS"); do eval printf '%s,' "\$pg_on_$r"; done)]
pg_off = [$(for r in $(seq 1 "$ROUNDS"); do eval printf '%s,' "\$pg_off_$r"; done)]
m_on, m_off = statistics.median(on), statistics.median(off)
print(f"Median plans/s at full load: recording on {m_on:.0f}, off {m_off:.0f}; on / off = {m_on / m_off:.3f} (target ≥ 0.90).")
c_on, c_off = statistics.median(cpu_on), statistics.median(cpu_off)
print(f"Median service CPU per plan at $CPU_RATE plans/s offered: on {c_on:.1f} µs, off {c_off:.1f} µs; "
      f"on / off = {c_on / c_off:.2f} (target ≤ 1.1).")
print(f"Median PostgreSQL CPU per plan at that rate: on {statistics.median(pg_on):.1f} µs, off "
      f"{statistics.median(pg_off):.1f} µs (every process of the server).")
c_rec, p_rec = statistics.median(cpu_records), statistics.median(pg_records)
print(f"Records without the transparency log: plans/s at full load {statistics.median(plans_records):.0f}; at $CPU_RATE "
      f"plans/s offered service {c_rec:.1f} µs ({c_rec / c_off:.2f} x off), PostgreSQL {p_rec:.1f} µs a plan; so of "
      f"recording's {c_on - c_off:.1f} µs of service CPU the records take {c_rec - c_off:.1f} and the log "
      f"{c_on - c_rec:.1f}, of PostgreSQL's {statistics.median(pg_on) - statistics.median(pg_off):.1f} µs the records "
      f"{p_rec - statistics.median(pg_off):.1f} and the log {statistics.median(pg_on) - p_rec:.1f}.")
PY
)
machine="$(nproc) cores, $(java -version 2>&1 | head -1 | tr -d '"'), heap $HEAP_FLAGS, wrk -t1 -c$CONNECTIONS, ${SECONDS_PER_STEP}s per step, $(date -u +%Y-%m-%d); load average $(bench_load) after the run"
table=$(cat <<MD
Machine: $machine. Command: \`bench/records.sh\`.

| round | recording ("records": without the transparency log) | reference requests/s | 10-participant plans/s | plans/s at $CPU_RATE/s offered | service CPU per plan there (µs) | PostgreSQL CPU per plan there (µs) | non-2xx | records after the steps (warm-up included) |
| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |
$rows
$summary
MD
)
echo "$table"
write_block records 'Cost of routing records' "$table"
echo "written to docs/benchmarks.md"
