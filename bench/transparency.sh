#!/usr/bin/env bash
# Cost of the transparency log on the plan path: the 10-participant plan of bench/run.sh, with an
# account and a meeting id, at full load, with routing records on and the log on and off. One command:
#
#   bench/transparency.sh   (about 8 minutes; BENCH_SECONDS=15 per step, BENCH_ROUNDS=3)
#
# The packaged service (-Xmx256m, PostgreSQL) is restarted for each setting, in the order on, off,
# on, off, ... so that drift of a noisy machine hits both alike; each step also measures the
# reference GET /api/v1/regions. With the log on, the leader sequences and signs every
# BENCH_TREE_HEAD_INTERVAL (default the service's 10 s), so that work falls inside the measured steps.
# Writes the table into docs/benchmarks.md between the "transparency" markers (BENCH_WRITE=no: only
# print it). Target (issue 20): plans/s with the log on at least 0.9 x with it off.
#
# Other knobs: BENCH_CONNECTIONS (32), BENCH_PORT / BENCH_MGMT_PORT (18080 / 19000), BENCH_DB
# (meridian_bench, recreated), BENCH_BUILD=no (use the jar in target/).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

SECONDS_PER_STEP=${BENCH_SECONDS:-15}
ROUNDS=${BENCH_ROUNDS:-3}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
PORT=${BENCH_PORT:-18080}
MGMT=${BENCH_MGMT_PORT:-19000}
DB=${BENCH_DB:-meridian_bench}
INTERVAL=${BENCH_TREE_HEAD_INTERVAL:-10s}
HEAP_FLAGS="-Xms256m -Xmx256m"
work=target/bench
mkdir -p "$work"
transparency_keys "$work"

step() { echo; echo "== $*"; }

command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
source .ci/postgres.sh
pg_up
pg_fresh_db "$DB"
[ -f target/quarkus-app/quarkus-run.jar ] && [ "${BENCH_BUILD:-yes}" = no ] || ./mvnw -B -q -ntp package -DskipTests

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/key.pem" 2>/dev/null
openssl pkey -in "$work/key.pem" -pubout -out "$work/public-key.pem"
issuer=https://bench.meridian.local
export TOKEN
TOKEN=$(MERIDIAN_TOKEN_KEY="$work/key.pem" MERIDIAN_TOKEN_ISSUER=$issuer deploy/dev/token.sh meeting-client)
base="http://127.0.0.1:$PORT"
python3 - "$work" <<'PY'
import json, sys
countries = ["DE", "FR", "GB", "US", "US", "CA", "JP", "SG", "IN", "AU"]
json.dump({"accountId": "bench-account", "meetingId": "bench-meeting",
           "participants": [{"id": f"p{i}", "location": {"country": c}} for i, c in enumerate(countries)],
           "blockedRegions": ["CN"]}, open(f"{sys.argv[1]}/plan10-account.json", "w"))
PY

service=
start() { # log on|off
  local enabled=true
  [ "$1" = off ] && enabled=false
  QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MGMT QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
  QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://localhost:5432/$DB \
  QUARKUS_DATASOURCE_USERNAME=meridian QUARKUS_DATASOURCE_PASSWORD=meridian \
  MP_JWT_VERIFY_PUBLICKEY_LOCATION="$PWD/$work/public-key.pem" MP_JWT_VERIFY_ISSUER=$issuer \
  QUARKUS_LOG_CATEGORY__IO_MERIDIAN__LEVEL=WARN MERIDIAN_RECORDS_ENABLED=true \
  MERIDIAN_TRANSPARENCY_ENABLED=$enabled MERIDIAN_TRANSPARENCY_TREE_HEAD_INTERVAL=$INTERVAL \
    java $HEAP_FLAGS -jar target/quarkus-app/quarkus-run.jar > "$work/transparency-service-$1.log" 2>&1 &
  service=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$MGMT/q/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "service did not become ready" >&2
  return 1
}
stop() { kill "$service" 2>/dev/null || true; wait "$service" 2>/dev/null || true; service=; }
trap 'stop; pg_down' EXIT

rps() { # name seconds wrk-args... -> requests/s and non-2xx
  local name=$1 secs=$2; shift 2
  wrk -t1 -c"$CONNECTIONS" -d"${secs}s" --latency "$@" > "$work/$name.txt"
  awk '/Requests\/sec/ { r = $2 } /Non-2xx/ { bad = $5 } END { printf "%.0f %d\n", r, bad + 0 }' "$work/$name.txt"
}
counts() {
  curl -s -H 'Accept: text/plain; version=0.0.4' "http://127.0.0.1:$MGMT/q/metrics" \
    | awk '/^meridian_routing_records_written_total/ { printf "records=%.0f ", $2 }
           /^meridian_transparency_(tree_size|unsequenced_entries) / { sub("meridian_transparency_", "", $1); printf "%s=%.0f ", $1, $2 }'
}

rows=""
for round in $(seq 1 "$ROUNDS"); do
  for setting in on off; do
    step "round $round, log $setting"
    start "$setting"
    # the JIT needs about 40 s of load on 2 cores before throughput stops climbing
    rps warm 10 -s bench/get.lua "$base/api/v1/regions" >/dev/null
    BODY=$work/plan10-account.json rps warm 30 -s bench/post.lua "$base/api/v1/routing-plans" >/dev/null
    read -r ref ref_bad < <(rps transparency-ref "$SECONDS_PER_STEP" -s bench/get.lua "$base/api/v1/regions")
    read -r plans plans_bad < <(BODY=$work/plan10-account.json rps transparency-$setting "$SECONDS_PER_STEP" -s bench/post.lua "$base/api/v1/routing-plans")
    seen=$(counts)
    echo "reference $ref/s, plans $plans/s, non-2xx $((ref_bad + plans_bad)); $seen"
    rows+="| $round | $setting | $ref | $plans | $((ref_bad + plans_bad)) | ${seen:-} |"$'\n'
    eval "plans_${setting}_$round=$plans"
    stop
  done
done

summary=$(python3 - <<PY
import statistics
on = [$(for r in $(seq 1 "$ROUNDS"); do eval printf '%s,' "\$plans_on_$r"; done)]
off = [$(for r in $(seq 1 "$ROUNDS"); do eval printf '%s,' "\$plans_off_$r"; done)]
m_on, m_off = statistics.median(on), statistics.median(off)
print(f"Median plans/s: log on {m_on:.0f}, off {m_off:.0f}; on / off = {m_on / m_off:.3f} (target ≥ 0.90).")
PY
)
machine="$(nproc) cores, $(java -version 2>&1 | head -1 | tr -d '"'), heap $HEAP_FLAGS, wrk -t1 -c$CONNECTIONS, ${SECONDS_PER_STEP}s per step, tree-head interval $INTERVAL, $(date -u +%Y-%m-%d)"
table=$(cat <<MD
Machine: $machine. Command: \`bench/transparency.sh\`. Routing records on in both settings.

| round | log | reference requests/s | 10-participant plans/s | non-2xx | after the step (warm-up included) |
| ---: | --- | ---: | ---: | ---: | --- |
$rows
$summary
MD
)
echo "$table"
if [ "${BENCH_WRITE:-yes}" != no ]; then
  write_block transparency 'Cost of the transparency log (issue 20)' "$table"
  echo "written to docs/benchmarks.md"
fi
