#!/usr/bin/env bash
# Live re-routing benchmark: two packaged replicas on one PostgreSQL, 1,000 live meetings of 20
# participants each, a third of them in India; an account policy change that blocks IN, made on one
# replica; the time from the change's commit to the last move issued (the newest PARTICIPANT_MOVED
# event's time minus the policy's updatedAt), per run, and its median. One command:
#
#   bench/reroute.sh        (BENCH_MEETINGS=1000, BENCH_PEOPLE=20, BENCH_RUNS=3)
#
# Each run opens fresh meetings under an account of its own (moves never go back, so a run cannot
# reuse the last one's). The service runs with meridian.routing.cascade-min-gain-ms=10 so that the
# Mumbai participants open in-bom instead of joining the San Jose people's data center (with the
# default 30 ms they would all sit on one data center and a block would move everyone).
# Writes the table into docs/benchmarks.md between the "reroute" markers.
#
# Like bench/run.sh it starts PostgreSQL itself and stops it at the end; BENCH_PG_URL=jdbc:... uses a
# running database (then nothing is stopped). BENCH_PORT / BENCH_PORT_B and the management ports
# BENCH_MGMT_PORT / BENCH_MGMT_PORT_B choose the replicas' ports. Traffic goes to 127.0.0.1 only.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

MEETINGS=${BENCH_MEETINGS:-1000}
PEOPLE=${BENCH_PEOPLE:-20}
RUNS=${BENCH_RUNS:-3}
PORT_A=${BENCH_PORT:-18080}
PORT_B=${BENCH_PORT_B:-18081}
MGMT_A=${BENCH_MGMT_PORT:-19000}
MGMT_B=${BENCH_MGMT_PORT_B:-19001}
HEAP_FLAGS="-Xms256m -Xmx256m"
work=target/bench-reroute
mkdir -p "$work"

step() { echo; echo "== $*"; }

own_pg=no
if [ -z "${BENCH_PG_URL:-}" ]; then
  source .ci/postgres.sh
  pg_up
  pg_fresh_db meridian_bench
  BENCH_PG_URL=jdbc:postgresql://localhost:5432/meridian_bench
  own_pg=yes
fi
# psql's URL of the same database
PSQL_URL="postgresql://${BENCH_PG_USER:-meridian}:${BENCH_PG_PASSWORD:-meridian}@${BENCH_PG_URL#jdbc:postgresql://}"

if [ "${BENCH_SKIP_BUILD:-no}" != yes ]; then
  step "build"
  ./mvnw -B -q -ntp package -DskipTests
fi

openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/key.pem" 2>/dev/null
openssl pkey -in "$work/key.pem" -pubout -out "$work/public-key.pem"
transparency_keys "$work"
issuer=https://bench.meridian.local
pids=()
start_replica() { # name port management-port
  QUARKUS_HTTP_PORT=$2 QUARKUS_MANAGEMENT_PORT=$3 QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
  QUARKUS_DATASOURCE_JDBC_URL=$BENCH_PG_URL \
  QUARKUS_DATASOURCE_USERNAME=${BENCH_PG_USER:-meridian} QUARKUS_DATASOURCE_PASSWORD=${BENCH_PG_PASSWORD:-meridian} \
  MP_JWT_VERIFY_PUBLICKEY_LOCATION="$PWD/$work/public-key.pem" MP_JWT_VERIFY_ISSUER=$issuer \
  QUARKUS_LOG_CATEGORY__IO_MERIDIAN__LEVEL=WARN MERIDIAN_MEETINGS_LEASE=PT30M MERIDIAN_ROUTING_CASCADE_MIN_GAIN_MS=10 \
    java $HEAP_FLAGS -jar target/quarkus-app/quarkus-run.jar > "$work/$1.log" 2>&1 &
  pids+=($!)
}
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  if [ "$own_pg" = yes ]; then pg_down; fi
}
trap cleanup EXIT
step "start two replicas ($HEAP_FLAGS) on 127.0.0.1:$PORT_A and :$PORT_B"
start_replica a "$PORT_A" "$MGMT_A"
start_replica b "$PORT_B" "$MGMT_B"
for m in "$MGMT_A" "$MGMT_B"; do
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$m/q/health/ready" >/dev/null 2>&1 && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$m/q/health/ready" >/dev/null
done
a="http://127.0.0.1:$PORT_A"
b="http://127.0.0.1:$PORT_B"
client=$(MERIDIAN_TOKEN_KEY="$work/key.pem" MERIDIAN_TOKEN_ISSUER=$issuer deploy/dev/token.sh meeting-client)

results=()
for run in $(seq 1 "$RUNS"); do
  account="bench-rr-$(date +%s)-$run"
  admin=$(MERIDIAN_TOKEN_KEY="$work/key.pem" MERIDIAN_TOKEN_ISSUER=$issuer deploy/dev/token.sh region-admin "$account")
  step "run $run: $MEETINGS meetings of $PEOPLE on both replicas (account $account)"
  python3 bench/reroute.py open "$a,$b" "$client" "$account" "$MEETINGS" "$PEOPLE" "$work/ids-$run.txt"
  read -r in_before total < <(python3 bench/reroute.py where "$a" "$client" "$work/ids-$run.txt" IN)
  echo "$in_before of $total participants in IN"
  step "run $run: block IN on replica a"
  updated=$(curl -sf -X PUT -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d '{"blockedRegions": ["IN"]}' -D "$work/headers-$run.txt" "$a/api/v1/accounts/$account/region-policy" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["updatedAt"])')
  grep -i 'meridian-live-meetings-affected' "$work/headers-$run.txt" || true
  for _ in $(seq 1 600); do
    pending=$(psql -qtA "$PSQL_URL" -c "select count(*) from reroute_job where state = 'PENDING'")
    [ "$pending" = 0 ] && break
    sleep 0.1
  done
  read -r moved last_ms < <(psql -qtA -F ' ' "$PSQL_URL" -c "select count(*), coalesce(round(extract(epoch from \
    (max(e.at) - timestamptz '$updated')) * 1000), 0) from meeting_event e where e.type = 'PARTICIPANT_MOVED' and e.body like '%\"accountId\":\"$account\"%'")
  read -r in_after _ < <(python3 bench/reroute.py where "$b" "$client" "$work/ids-$run.txt" IN)
  echo "run $run: $moved moved, last move $last_ms ms after the commit; $in_after left in IN"
  [ "$in_after" = 0 ] || { echo "participants left in a blocked region" >&2; exit 1; }
  results+=("$last_ms")
  for id in $(cat "$work/ids-$run.txt"); do
    curl -s -o /dev/null -X DELETE -H "Authorization: Bearer $client" "$a/api/v1/meetings/$id"
  done
done
median=$(printf '%s\n' "${results[@]}" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }')
errors=$(cat "$work"/a.log "$work"/b.log | grep -c " ERROR " || true)
machine="$(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo), $(java -version 2>&1 | head -1 | tr -d '"'), heap $HEAP_FLAGS, $(date -u +%Y-%m-%d)"
table=$(cat <<MD
Machine: $machine. Command: \`bench/reroute.sh\`. Two replicas and one PostgreSQL on the same cores;
$MEETINGS live meetings of $PEOPLE participants, a third of them in India, an account policy blocking IN.

| runs (ms from the change's commit to the last move) | median |
| --- | ---: |
| ${results[*]} | $median ms |

ERROR lines in the replicas' logs: $errors.
MD
)
echo "$table"
write_block reroute 'Live re-routing' "$table"
echo "written to docs/benchmarks.md"
