#!/usr/bin/env bash
# Meeting event feed benchmark of the packaged service on PostgreSQL. One command:
#
#   bench/events.sh         (about 2 minutes; BENCH_SECONDS=20 measured)
#
# Opens BENCH_SSE (1000) SSE connections to GET /api/v1/meeting-events on one replica: one measured
# client, and the others as other callers (BENCH_SAME_OWNER=yes: all as the measured caller, so each
# receives every event). Then drives joins and leaves of 64 meetings of the measured caller with wrk
# at full load (each is one event, plus CASCADE_CHANGED when a data center opens or empties), and
# reports the events per second the measured client received and the p50 / p99 delay from each
# event's "at" to its arrival, with how many connections were still open at the end. Writes the table
# into docs/benchmarks.md between the "events" markers (BENCH_WRITE=no: only prints it).
#
# BENCH_PG_URL=jdbc:... uses a running database instead of starting PostgreSQL (then nothing is
# stopped); BENCH_PORT / BENCH_MGMT_PORT choose the service's ports; BENCH_SKIP_BUILD=yes reuses
# target/quarkus-app. Traffic goes to 127.0.0.1 only and every step is bounded in time.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

SECONDS_PER_STEP=${BENCH_SECONDS:-20}
SSE=${BENCH_SSE:-1000}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
PORT=${BENCH_PORT:-18080}
MGMT=${BENCH_MGMT_PORT:-19000}
HEAP_FLAGS="-Xms512m -Xmx512m"
work=target/bench-events
mkdir -p "$work"
transparency_keys "$work"

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

step "start the packaged service ($HEAP_FLAGS) on 127.0.0.1:$PORT"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/key.pem" 2>/dev/null
openssl pkey -in "$work/key.pem" -pubout -out "$work/public-key.pem"
issuer=https://bench.meridian.local
QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MGMT QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
QUARKUS_DATASOURCE_JDBC_URL=$BENCH_PG_URL \
QUARKUS_DATASOURCE_USERNAME=meridian QUARKUS_DATASOURCE_PASSWORD=meridian \
MP_JWT_VERIFY_PUBLICKEY_LOCATION="$PWD/$work/public-key.pem" MP_JWT_VERIFY_ISSUER=$issuer \
QUARKUS_LOG_CATEGORY__IO_MERIDIAN__LEVEL=WARN MERIDIAN_MEETINGS_LEASE=PT30M \
  java $HEAP_FLAGS -jar target/quarkus-app/quarkus-run.jar > "$work/service.log" 2>&1 &
service=$!
clients=
cleanup() {
  [ -n "$clients" ] && kill "$clients" 2>/dev/null || true
  kill "$service" 2>/dev/null || true
  wait "$service" 2>/dev/null || true
  if [ "$own_pg" = yes ]; then pg_down; fi
}
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$MGMT/q/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$MGMT/q/health/ready" >/dev/null

token() { MERIDIAN_TOKEN_KEY="$work/key.pem" MERIDIAN_TOKEN_ISSUER=$issuer MERIDIAN_DEV_SUBJECT="$1" \
  deploy/dev/token.sh meeting-client; }
export TOKEN
TOKEN=$(token bench-controller)
idle_tokens=$TOKEN
if [ "${BENCH_SAME_OWNER:-no}" != yes ]; then
  idle_tokens=$(for i in 1 2 3 4; do token "bench-idle-$i"; done | tr '\n' ' ')
fi
base="http://127.0.0.1:$PORT"

step "64 meetings of the measured caller"
: > "$work/meetings.txt"
for i in $(seq 1 64); do
  curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
    -d "{\"meetingId\": \"feed-$i\"}" "$base/api/v1/meetings" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])' >> "$work/meetings.txt"
done

step "open $SSE SSE connections"
PORT=$PORT N=$SSE SECONDS_MEASURED=$SECONDS_PER_STEP TOKENS_IDLE="$idle_tokens" \
  python3 bench/sse_clients.py > "$work/clients.json" 2> "$work/clients.log" &
clients=$!
for _ in $(seq 1 240); do
  grep -q ready "$work/clients.log" 2>/dev/null && break
  kill -0 "$clients" 2>/dev/null || { cat "$work/clients.log"; exit 1; }
  sleep 0.5
done
grep -q ready "$work/clients.log"
open=$(curl -s "http://127.0.0.1:$MGMT/q/metrics" | awk '/^meridian_meeting_event_connections/ { print $2 }')
echo "connections open on the replica: $open"

step "joins and leaves for $((SECONDS_PER_STEP + 5)) s from $CONNECTIONS connections"
# BENCH_RATE: offer joins and leaves at this rate (independent arrivals) instead of at full load
[ -n "${BENCH_RATE:-}" ] && export RATE=$BENCH_RATE CONNECTIONS PACING=poisson
MEETINGS=$work/meetings.txt PREFIX=e wrk -t1 -c"$CONNECTIONS" -d"$((SECONDS_PER_STEP + 5))s" \
  -s bench/join-leave.lua "$base" > "$work/wrk.txt" || true
wait "$clients" || true
clients=
cat "$work/clients.json"
read -r rate p50 p99 alive connected < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(r["events_per_s"], r["p50_ms"], r["p99_ms"], r["alive"], r["connected"])' "$work/clients.json")

# The joins above make only a few thousand events a second, fewer than one client can take. To
# measure what one client can be delivered, the log is filled with CATCH_UP copies of the measured
# caller's last event (the counter moved as an append does) and a new client drains them from the
# position before them: reading pages from the database and writing them as fast as it takes them.
CATCH_UP=${BENCH_CATCH_UP:-300000}
step "catch-up: $CATCH_UP stored events to one new SSE client"
db=${BENCH_PG_URL##*/}
start_seq=$(PGPASSWORD=meridian psql -qtA -h localhost -U meridian "$db" -c "select last_seq from meeting_event_sequence")
PGPASSWORD=meridian psql -q -h localhost -U meridian "$db" -v ON_ERROR_STOP=1 <<SQL
begin;
update meeting_event_sequence set last_seq = last_seq + $CATCH_UP where id = 1;
insert into meeting_event (seq, meeting_id, owner, label, at, type, body)
  select $start_seq + g, e.meeting_id, e.owner, e.label, now(), e.type, e.body
  from generate_series(1, $CATCH_UP) g,
       (select * from meeting_event where owner = 'bench-controller' order by seq desc limit 1) e;
commit;
SQL
PORT=$PORT N=1 AFTER=$start_seq EVENTS=$CATCH_UP python3 bench/sse_clients.py > "$work/catch-up.json" 2> "$work/catch-up.log"
cat "$work/catch-up.json"
read -r catch_rate catch_seconds < <(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
print(r["events_per_s"], r["seconds"])' "$work/catch-up.json")

machine="$(nproc) cores, $(java -version 2>&1 | head -1 | tr -d '"'), heap $HEAP_FLAGS, one PostgreSQL, $(date -u +%Y-%m-%d)"
table="Machine: $machine. Command: \`bench/events.sh\`; joins and leaves from $CONNECTIONS connections${BENCH_RATE:+ at $BENCH_RATE/s offered}.

| SSE connections open (alive at the end) | events/s to the measured client | delivery delay p50 | p99 |
| --- | --- | --- | --- |
| $connected ($alive) | $rate | $p50 ms | $p99 ms |

Catch-up: one new client, resuming before $CATCH_UP stored events, received them at $catch_rate events/s ($catch_seconds s)."
echo "$table"
if [ "${BENCH_WRITE:-yes}" != no ]; then
  write_block events "Meeting event feed" "$table"
fi
