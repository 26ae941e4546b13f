#!/usr/bin/env bash
# Cost of routing records on the plan path: the 10-participant plan of bench/run.sh, with an account
# and a meeting id, at full load, with recording on and off. One command:
#
#   bench/records.sh        (about 8 minutes; BENCH_SECONDS=15 per step, BENCH_ROUNDS=3)
#
# The packaged service (-Xmx256m, PostgreSQL) is restarted for each setting, in the order on, off,
# on, off, ... so that drift of a noisy machine hits both alike; each step also measures the
# reference GET /api/v1/regions. Writes the table into docs/benchmarks.md between the "records"
# markers. Target: plans/s with recording on within 10% of recording off. BENCH_PORT,
# BENCH_MGMT_PORT and BENCH_DB choose the ports and the database.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

SECONDS_PER_STEP=${BENCH_SECONDS:-15}
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-32}

step() { echo; echo "== $*"; }

command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
source .ci/postgres.sh
pg_up
pg_fresh_db "$DB"
[ -f target/quarkus-app/quarkus-run.jar ] && [ "${BENCH_BUILD:-yes}" = no ] || ./mvnw -B -q -ntp package -DskipTests
bench_token
python3 - "$work" <<'PY'
import json, sys
countries = ["DE", "FR", "GB", "US", "US", "CA", "JP", "SG", "IN", "AU"]
json.dump({"accountId": "bench-account", "meetingId": "bench-meeting",
           "participants": [{"id": f"p{i}", "location": {"country": c}} for i, c in enumerate(countries)],
           "blockedRegions": ["CN"]}, open(f"{sys.argv[1]}/plan10-account.json", "w"))
PY

service=
start() { # recording on|off
  local enabled=true
  [ "$1" = off ] && enabled=false
  MERIDIAN_RECORDS_ENABLED=$enabled bench_start target/quarkus-app "$work/records-service-$1.log"
}
stop() { bench_stop; }
trap 'stop; pg_down' EXIT

rps() { # name seconds wrk-args... -> requests/s and non-2xx
  local name=$1 secs=$2; shift 2
  wrk -t1 -c"$CONNECTIONS" -d"${secs}s" --latency "$@" > "$work/$name.txt"
  awk '/Requests\/sec/ { r = $2 } /Non-2xx/ { bad = $5 } END { printf "%.0f %d\n", r, bad + 0 }' "$work/$name.txt"
}
written() {
  curl -s -H 'Accept: text/plain; version=0.0.4' "http://127.0.0.1:$MGMT/q/metrics" \
    | awk '/^meridian_routing_records_(written|dropped)_total/ { printf "%s=%.0f ", $1, $2 }'
}

rows=""
for round in $(seq 1 "$ROUNDS"); do
  for setting in on off; do
    step "round $round, recording $setting"
    start "$setting"
    # the JIT needs about 40 s of load on 2 cores before throughput stops climbing
    rps warm 10 -s bench/get.lua "$base/api/v1/regions" >/dev/null
    BODY=$work/plan10-account.json rps warm 30 -s bench/post.lua "$base/api/v1/routing-plans" >/dev/null
    read -r ref ref_bad < <(rps records-ref "$SECONDS_PER_STEP" -s bench/get.lua "$base/api/v1/regions")
    read -r plans plans_bad < <(BODY=$work/plan10-account.json rps records-$setting "$SECONDS_PER_STEP" -s bench/post.lua "$base/api/v1/routing-plans")
    counts=$(written)
    echo "reference $ref/s, plans $plans/s, non-2xx $((ref_bad + plans_bad)); $counts"
    rows+="| $round | $setting | $ref | $plans | $((ref_bad + plans_bad)) | ${counts:-} |"$'\n'
    eval "plans_${setting}_$round=$plans"
    stop
  done
done

summary=$(python3 - "$ROUNDS" <<PY
import statistics, sys
rounds = int(sys.argv[1])
on = [$(for r in $(seq 1 "$ROUNDS"); do eval printf '%s,' "\$plans_on_$r"; done)]
off = [$(for r in $(seq 1 "$ROUNDS"); do eval printf '%s,' "\$plans_off_$r"; done)]
m_on, m_off = statistics.median(on), statistics.median(off)
print(f"Median plans/s: recording on {m_on:.0f}, off {m_off:.0f}; on / off = {m_on / m_off:.3f} (target ≥ 0.90).")
PY
)
machine="$(nproc) cores, $(java -version 2>&1 | head -1 | tr -d '"'), heap $HEAP_FLAGS, wrk -t1 -c$CONNECTIONS, ${SECONDS_PER_STEP}s per step, $(date -u +%Y-%m-%d)"
table=$(cat <<MD
Machine: $machine. Command: \`bench/records.sh\`.

| round | recording | reference requests/s | 10-participant plans/s | non-2xx | records after the step (warm-up included) |
| ---: | --- | ---: | ---: | ---: | --- |
$rows
$summary
MD
)
echo "$table"
write_block records 'Cost of routing records' "$table"
echo "written to docs/benchmarks.md"
