#!/usr/bin/env bash
# Load benchmark of the Jicofo bridge-selection endpoint (issue 18), as Jicofo meets it. One command:
#
#   bench/jicofo.sh         (about 3 minutes; BENCH_SECONDS=15 per load step)
#
# Starts the packaged service (-Xmx256m, PostgreSQL) on loopback, creates an account that blocks CN
# and a Jicofo key for it, and drives the selection URL with wrk (bench/jicofo.lua): bodies written
# as Jicofo's json-simple writes them (every "/" escaped), rotating participant regions and
# conference states. Steps: the reference GET /api/v1/regions; 20-bridge selections at full load,
# then at half that rate with independent arrivals; 1,000-bridge selections at a modest rate. The
# service's own time per selection comes from meridian_jicofo_selection_seconds (the difference of
# its sum and count over each step). Writes the table into docs/benchmarks.md between the "jicofo"
# markers. Targets: >= 10,000 selections/s for 20 bridges, p99 <= 5 ms at half that rate, a
# 1,000-bridge selection well under 5 ms of service time.
#
# BENCH_PORT, BENCH_MGMT_PORT and BENCH_DB choose other ports and another database;
# BENCH_BUILD=no reuses target/quarkus-app.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

SECONDS_PER_STEP=${BENCH_SECONDS:-15}
WARM_SECONDS=${BENCH_WARM_SECONDS:-30}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
PORT=${BENCH_PORT:-18080}
MGMT=${BENCH_MGMT_PORT:-19000}
DB=${BENCH_DB:-meridian_bench}
HEAP_FLAGS="-Xms256m -Xmx256m"
work=target/bench
mkdir -p "$work"

step() { echo; echo "== $*"; }

step "tools"
command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
source .ci/postgres.sh
pg_up
pg_fresh_db "$DB"
[ -f target/quarkus-app/quarkus-run.jar ] && [ "${BENCH_BUILD:-yes}" = no ] || ./mvnw -B -q -ntp package -DskipTests

step "start the packaged service ($HEAP_FLAGS) on 127.0.0.1:$PORT"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/key.pem" 2>/dev/null
openssl pkey -in "$work/key.pem" -pubout -out "$work/public-key.pem"
issuer=https://bench.meridian.local
QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MGMT QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://localhost:5432/$DB \
QUARKUS_DATASOURCE_USERNAME=meridian QUARKUS_DATASOURCE_PASSWORD=meridian \
MP_JWT_VERIFY_PUBLICKEY_LOCATION="$PWD/$work/public-key.pem" MP_JWT_VERIFY_ISSUER=$issuer \
QUARKUS_LOG_CATEGORY__IO_MERIDIAN__LEVEL=WARN \
  java $HEAP_FLAGS -jar target/quarkus-app/quarkus-run.jar > "$work/jicofo-service.log" 2>&1 &
service=$!
cleanup() { kill "$service" 2>/dev/null || true; wait "$service" 2>/dev/null || true; pg_down; }
trap cleanup EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$MGMT/q/health/ready" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$MGMT/q/health/ready" >/dev/null

base="http://127.0.0.1:$PORT"
export TOKEN
TOKEN=$(MERIDIAN_TOKEN_KEY="$work/key.pem" MERIDIAN_TOKEN_ISSUER=$issuer deploy/dev/token.sh meeting-client)
bench_jicofo_setup
# wrk output -> "requests/s p50_ms p99_ms non2xx"
summary() {
  awk 'function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    /Requests\/sec/ { rps = $2 }
    /^ +50%/ { p50 = ms($2) }
    /^ +99%/ { p99 = ms($2) }
    /Non-2xx/ { bad = $5 }
    END { printf "%.0f %.2f %.2f %d\n", rps, p50, p99, bad + 0 }' "$1"
}
# the service's mean time per selection answered ok, µs, from the timer's sum and count
timer() {
  curl -s -H 'Accept: text/plain; version=0.0.4' "http://127.0.0.1:$MGMT/q/metrics" \
    | awk '/^meridian_jicofo_selection_seconds_(sum|count)\{outcome="ok"/ { split($1, n, "{"); v[n[1]] = $2 }
      END { printf "%.9f %.0f\n", v["meridian_jicofo_selection_seconds_sum"], v["meridian_jicofo_selection_seconds_count"] }'
}
load() { # name seconds wrk-args... -> "requests/s p50 p99 non2xx service_us"
  local name=$1 secs=$2; shift 2
  read -r sum0 count0 < <(timer)
  wrk -t1 -c"$CONNECTIONS" -d"${secs}s" --latency "$@" > "$work/$name.txt"
  read -r sum1 count1 < <(timer)
  printf '%s %s\n' "$(summary "$work/$name.txt")" \
    "$(awk -v s0="$sum0" -v s1="$sum1" -v c0="$count0" -v c1="$count1" 'BEGIN { printf "%.0f", (c1 > c0 ? (s1 - s0) / (c1 - c0) * 1e6 : 0) }')"
}

step "warm-up (${WARM_SECONDS}s)"
wrk -t1 -c"$CONNECTIONS" -d10s -s bench/get.lua "$base/api/v1/regions" >/dev/null
BODIES=$bodies20 wrk -t1 -c"$CONNECTIONS" -d"${WARM_SECONDS}s" -s bench/jicofo.lua "$url" >/dev/null
BODIES=$bodies1000 wrk -t1 -c4 -d10s -s bench/jicofo.lua "$url" >/dev/null

step "1. reference: GET /api/v1/regions"
read -r ref_rps ref_p50 ref_p99 ref_bad _ < <(load jicofo-reference "$SECONDS_PER_STEP" -s bench/get.lua "$base/api/v1/regions")
step "2. 20-bridge selections, full load"
read -r s20_rps s20_p50 s20_p99 s20_bad s20_us < <(BODIES=$bodies20 load jicofo20 "$SECONDS_PER_STEP" -s bench/jicofo.lua "$url")
half=$((s20_rps / 2))
step "2b. the same at half of that load ($half/s, independent arrivals)"
read -r h_rps h_p50 h_p99 h_bad h_us < <(BODIES=$bodies20 RATE=$half CONNECTIONS=$CONNECTIONS load jicofo20-half "$SECONDS_PER_STEP" -s bench/jicofo.lua "$url")
step "3. 1,000-bridge selections at 200/s"
read -r k_rps k_p50 k_p99 k_bad k_us < <(BODIES=$bodies1000 RATE=200 CONNECTIONS=8 load jicofo1000 "$SECONDS_PER_STEP" -s bench/jicofo.lua "$url")

pct=$(awk -v a="$s20_rps" -v b="$ref_rps" 'BEGIN { printf "%.0f", (b > 0 ? 100 * a / b : 0) }')
machine="$(nproc) cores, $(java -version 2>&1 | head -1 | tr -d '"'), heap $HEAP_FLAGS, wrk -t1 -c$CONNECTIONS, ${SECONDS_PER_STEP}s per step, $(date -u +%Y-%m-%d)"
table=$(cat <<MD
Machine: $machine. Command: \`bench/jicofo.sh\`. Service time: the mean of
\`meridian_jicofo_selection_seconds\` (outcome ok) over the step, from the key check to the answer.

| scenario | requests/s | p50 | p99 | non-2xx | service time |
| --- | ---: | ---: | ---: | ---: | ---: |
| 1. reference: \`GET /api/v1/regions\` | $ref_rps | $ref_p50 ms | $ref_p99 ms | $ref_bad | |
| 2. 20-bridge selection, full load | $s20_rps ($pct% of reference) | $s20_p50 ms | $s20_p99 ms | $s20_bad | $s20_us µs |
| 2b. the same at half load ($half/s offered), independent arrivals | $h_rps | $h_p50 ms | $h_p99 ms | $h_bad | $h_us µs |
| 3. 1,000-bridge selection, 200/s offered over 8 connections | $k_rps | $k_p50 ms | $k_p99 ms | $k_bad | $k_us µs |

Non-2xx counts the bodies whose participant is in the blocked region with no permitted bridge left
below the stress threshold: none in these bodies, so any is a failure. Targets (issue 18): step 2
≥ 10,000/s, step 2b p99 ≤ 5 ms, step 3 service time well under 5 ms.
MD
)
echo "$table"
write_block jicofo 'Jicofo bridge selection (issue 18)' "$table"
echo "written to docs/benchmarks.md"
