#!/usr/bin/env bash
# Where PostgreSQL's CPU goes for a recorded plan: the 10-participant plan of bench/records.sh's
# paced step (no account, BENCH_CPU_RATE plans/s offered, default 8000) with recording and the
# transparency log on, and PostgreSQL's execution time of each statement over the step
# (pg_stat_statements) per plan, beside the whole server's CPU per plan (/proc ticks of every
# process, so the WAL writer, checkpointer and autovacuum count there but in no statement). One command:
#
#   bench/statements.sh     (about 2 minutes; BENCH_SECONDS=20 for the measured step)
#
# pg_stat_statements must be preloaded, which takes a restart of the server: the script adds
# conf.d/meridian-bench-statements.conf to the local cluster, restarts it, and at the end removes
# the file and restarts it again. Writes the table into docs/benchmarks.md between the
# "statements" markers (BENCH_WRITE=no: only print it).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh

SECONDS_PER_STEP=${BENCH_SECONDS:-20}
CPU_RATE=${BENCH_CPU_RATE:-8000}
CONNECTIONS=${BENCH_CONNECTIONS:-32}

command -v wrk >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
source .ci/postgres.sh
pg_up
conf=/etc/postgresql/$PG_VERSION/main/conf.d/meridian-bench-statements.conf
psql_db() { su postgres -c "psql -d $DB -At -F '^' -c \"$1\""; }
restore() {
  bench_stop
  if [ -f "$conf" ]; then rm -f "$conf"; pg_ctlcluster "$PG_VERSION" main restart; fi
  pg_down
}
echo "shared_preload_libraries = 'pg_stat_statements'" > "$conf"
trap restore EXIT
pg_ctlcluster "$PG_VERSION" main restart
pg_fresh_db "$DB"
[ -f target/quarkus-app/quarkus-run.jar ] && [ "${BENCH_BUILD:-yes}" = no ] || ./mvnw -B -q -ntp package -DskipTests
bench_token
bench_plan10_body
service=
MERIDIAN_RECORDS_ENABLED=true bench_start target/quarkus-app "$work/statements-service.log"
paced() { # seconds output
  BODY=$work/plan10.json RATE=$CPU_RATE CONNECTIONS=$CONNECTIONS \
    wrk -t1 -c"$CONNECTIONS" -d"$1s" -s bench/post.lua "$base/api/v1/routing-plans" > "$2"
}
# the JIT needs about 40 s of load before throughput stops climbing
BODY=$work/plan10.json wrk -t1 -c"$CONNECTIONS" -d40s -s bench/post.lua "$base/api/v1/routing-plans" > /dev/null
paced 10 "$work/statements-warm.txt"
psql_db "create extension if not exists pg_stat_statements" >/dev/null
psql_db "select pg_stat_statements_reset()" >/dev/null
p0=$(postgres_ticks)
paced "$SECONDS_PER_STEP" "$work/statements.txt"
p1=$(postgres_ticks)
plans=$(awk '/requests in/ { print $1 }' "$work/statements.txt")
rate=$(awk '/Requests\/sec/ { printf "%.0f", $2 }' "$work/statements.txt")
hz=$(getconf CLK_TCK)
psql_db "select round((total_exec_time * 1000 / $plans)::numeric, 2), calls, rows,
  left(regexp_replace(query, '\s+', ' ', 'g'), 110) from pg_stat_statements
  where query not like '%pg_stat_statements%' order by total_exec_time desc limit 12" > "$work/statements.tsv"
rows=$(awk -F'^' '{ q = $4; gsub(/[|]/, "\\|", q); printf "| %s | %s | %s | `%s` |\n", $1, $2, $3, q }' "$work/statements.tsv")
total=$(psql_db "select round((sum(total_exec_time) * 1000 / $plans)::numeric, 1) from pg_stat_statements
  where query not like '%pg_stat_statements%'")
server=$(awk -v p=$((p1 - p0)) -v hz="$hz" -v n="$plans" 'BEGIN { printf "%.1f", p * 1e6 / hz / n }')
machine="$(nproc) cores, $(java -version 2>&1 | head -1 | tr -d '"'), heap $HEAP_FLAGS, PostgreSQL $PG_VERSION, wrk -t1 -c$CONNECTIONS, ${SECONDS_PER_STEP}s, $(date -u +%Y-%m-%d); load average $(bench_load) after the run"
table=$(cat <<MD
Machine: $machine. Command: \`bench/statements.sh\`.

$plans plans recorded at $CPU_RATE/s offered ($rate/s answered). PostgreSQL's CPU, every process of the
server: **$server µs a plan**; execution time of the statements: **$total µs a plan**, the largest:

| µs a plan | calls | rows | statement |
| ---: | ---: | ---: | --- |
$rows
MD
)
echo "$table"
if [ "${BENCH_WRITE:-yes}" != no ]; then
  write_block statements "Where PostgreSQL's time goes for a recorded plan" "$table"
  echo "written to docs/benchmarks.md"
fi
