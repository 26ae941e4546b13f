# Shared by the bench/ scripts (sourced, not run).

# write_block MARKER HEADING TABLE: puts TABLE into docs/benchmarks.md between the
# "<!-- MARKER:start -->" and "<!-- MARKER:end -->" comments, or appends it under "## HEADING"
# when the file has no such block yet. Text around the block is kept as it is.
write_block() {
  python3 - "$1" "$2" "$3" <<'PY'
import re, sys
marker, heading, table = sys.argv[1:4]
path = "docs/benchmarks.md"
doc = open(path).read()
start, end = f"<!-- {marker}:start -->", f"<!-- {marker}:end -->"
block = start + "\n" + table + "\n" + end
if start in doc:
    doc = re.sub(re.escape(start) + ".*?" + re.escape(end), lambda m: block, doc, flags=re.S)
else:
    doc += "\n## " + heading + "\n\n" + block + "\n"
open(path, "w").write(doc)
PY
}

# Settings the scripts share. BENCH_PORT, BENCH_MGMT_PORT and BENCH_DB choose the service's ports
# and its PostgreSQL database (another run on the same machine needs others).
PORT=${BENCH_PORT:-18080}
MGMT=${BENCH_MGMT_PORT:-19000}
DB=${BENCH_DB:-meridian_bench}
HEAP_FLAGS="-Xms256m -Xmx256m"
work=target/bench
issuer=https://bench.meridian.local
base="http://127.0.0.1:$PORT"
mkdir -p "$work"

# bench_token: a key pair made for the run, and TOKEN, a meeting-client bearer token signed with it.
bench_token() {
  openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/key.pem" 2>/dev/null
  openssl pkey -in "$work/key.pem" -pubout -out "$work/public-key.pem"
  export TOKEN
  TOKEN=$(MERIDIAN_TOKEN_KEY="$work/key.pem" MERIDIAN_TOKEN_ISSUER=$issuer deploy/dev/token.sh meeting-client)
}

# bench_plan10_body: $work/plan10.json, the 10-participant plan of three continents every script uses.
bench_plan10_body() {
  python3 - "$work" <<'PY'
import json, sys
json.dump({"participants": [{"id": f"p{i}", "location": {"country": c}}
                            for i, c in enumerate(["DE", "FR", "GB", "US", "US", "CA", "JP", "SG", "IN", "AU"])],
           "blockedRegions": ["CN"]}, open(f"{sys.argv[1]}/plan10.json", "w"))
PY
}

# bench_start APP LOG [JAVA_FLAGS...]: starts the packaged service of directory APP on loopback
# (PostgreSQL database DB, the run's key), its output to LOG, and waits until it is ready; sets
# service to its process id. With SERVICE_CPUS set (a taskset core list) it runs on those cores
# only. Settings put before the call (MERIDIAN_RECORDS_ENABLED=false bench_start ...) reach the
# service.
bench_start() {
  local app=$1 log=$2
  shift 2
  QUARKUS_HTTP_PORT=$PORT QUARKUS_MANAGEMENT_PORT=$MGMT QUARKUS_HTTP_HOST=127.0.0.1 QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
  QUARKUS_DATASOURCE_JDBC_URL=jdbc:postgresql://localhost:5432/$DB \
  QUARKUS_DATASOURCE_USERNAME=meridian QUARKUS_DATASOURCE_PASSWORD=meridian \
  MP_JWT_VERIFY_PUBLICKEY_LOCATION="$PWD/$work/public-key.pem" MP_JWT_VERIFY_ISSUER=$issuer \
  QUARKUS_LOG_CATEGORY__IO_MERIDIAN__LEVEL=WARN \
    ${SERVICE_CPUS:+taskset -c "$SERVICE_CPUS"} java $HEAP_FLAGS "$@" -jar "$app/quarkus-run.jar" > "$log" 2>&1 &
  service=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$MGMT/q/health/ready" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "the service did not become ready (see $log)" >&2
  return 1
}

# bench_stop: stops the service bench_start started, if it runs.
bench_stop() {
  if [ -n "${service:-}" ]; then
    kill "$service" 2>/dev/null || true
    wait "$service" 2>/dev/null || true
    service=
  fi
}

# bench_floor_build: the service with the benchmark-only floor endpoint (FloorResource), in
# target/bench-floor-app; BENCH_BUILD=no reuses one already built.
bench_floor_build() {
  [ "${BENCH_BUILD:-yes}" = no ] && [ -f target/bench-floor-app/quarkus-run.jar ] \
    || ./mvnw -B -q -ntp package -DskipTests -Dmeridian.bench.floor=true -Dquarkus.package.output-directory=bench-floor-app
}

# postgres_ticks: CPU clock ticks (user + system) of every process of the PostgreSQL server so far
# (the record writer's COPY lands there); the difference over a step is its CPU.
postgres_ticks() {
  local sum=0 p
  for p in $(pgrep -x postgres); do
    sum=$((sum + $(awk '{ print $14 + $15 }' "/proc/$p/stat" 2>/dev/null || echo 0)))
  done
  echo "$sum"
}

# bench_threads: "tid|thread name|user system ticks" for every thread of the service now.
bench_threads() {
  local t
  for t in /proc/$service/task/*; do
    printf '%s|%s|%s\n' "${t##*/}" "$(cat "$t/comm" 2>/dev/null)" "$(cut -d')' -f2- "$t/stat" 2>/dev/null | awk '{ print $12, $13 }')"
  done
}

# bench_thread_split BEFORE AFTER REQUESTS: the service's CPU per request (µs) between two
# bench_threads files, by group: "requests writer jobs jit gc other total" (request threads: the
# event loops; writer: the routing-record writer; jobs: the scheduled jobs' executor threads, the
# transparency log's sequencing, signing and self-check among them).
bench_thread_split() {
  join -t'|' <(sort "$1") <(sort "$2") | awk -F'|' -v n="$3" -v hz="$(getconf CLK_TCK)" '
    { split($3, a, " "); split($5, b, " "); d = b[1] + b[2] - a[1] - a[2]
      g = "other"
      if ($2 ~ /^vert\.x-eventloo/) g = "requests"; else if ($2 ~ /^routing-record/) g = "writer"
      else if ($2 ~ /^executor-thread/) g = "jobs"; else if ($2 ~ /Compiler/) g = "jit"
      else if ($2 ~ /^(GC |G1 )/) g = "gc"
      s[g] += d; t += d }
    END { f = 1e6 / hz / n; printf "%.1f %.1f %.1f %.1f %.1f %.1f %.1f\n", s["requests"] * f, s["writer"] * f,
          s["jobs"] * f, s["jit"] * f, s["gc"] * f, s["other"] * f, t * f }'
}

# bench_load: "load average over 1, 5 and 15 minutes", for the machine line of a table.
bench_load() { cut -d' ' -f1-3 /proc/loadavg; }

# transparency_keys DIR: a throw-away Ed25519 signing key and hash secret for the transparency log
# under DIR, exported as MERIDIAN_TRANSPARENCY_SIGNING_KEY_LOCATION / _HASH_SECRET_LOCATION, without
# which the packaged service (prod profile) refuses to start.
transparency_keys() {
  [ -s "$1/transparency-key.pem" ] || openssl genpkey -algorithm ed25519 -out "$1/transparency-key.pem"
  [ -s "$1/transparency-secret" ] || openssl rand -base64 32 > "$1/transparency-secret"
  export MERIDIAN_TRANSPARENCY_SIGNING_KEY_LOCATION="$PWD/$1/transparency-key.pem"
  export MERIDIAN_TRANSPARENCY_HASH_SECRET_LOCATION="$PWD/$1/transparency-secret"
}

transparency_keys "$work"

# bench_jicofo_setup: an account bench-jicofo that blocks CN, a Jicofo key for it (its selection URL
# in url), and request bodies as Jicofo's json-simple writes them (compact, every "/" escaped):
# bodies20 and bodies1000 list, comma-separated, six bodies each of 20 and of 1,000 bridges with
# rotating participant regions and conference states. Needs the key made by bench_token (or the
# script's own $work/key.pem) and base.
bench_jicofo_setup() {
  local admin
  admin=$(MERIDIAN_TOKEN_KEY="$work/key.pem" MERIDIAN_TOKEN_ISSUER=$issuer deploy/dev/token.sh region-admin bench-jicofo)
  curl -sf -X PUT -H "Authorization: Bearer $admin" -H 'Content-Type: application/json' \
    -d '{"blockedRegions": ["CN"]}' "$base/api/v1/accounts/bench-jicofo/region-policy" >/dev/null
  url=$base$(curl -sf -X POST -H "Authorization: Bearer $admin" "$base/api/v1/accounts/bench-jicofo/integrations/jicofo" \
    | python3 -c 'import json, sys; print(json.load(sys.stdin)["url"])')
  python3 - "$work" <<'PY'
import json, random, sys
work = sys.argv[1]
random.seed(18)
sites = ["eu-fra", "eu-ams", "eu-dub", "us-iad", "us-nyc", "us-sjc", "in-bom", "sg-sin", "jp-tyo", "cn-sha"]
def bridges(n):
    return [{"jid": f"jvbbrewery@internal.auth.meet.example/jvb-{i}", "version": "2.3.105-gcafe", "colibri2": True,
             "relay_id": f"10.0.{i // 250}.{i % 250}", "region": sites[i % len(sites)],
             "stress": round(random.uniform(0.0, 0.95), 3), "operational": True,
             "graceful_shutdown": i % 53 == 52, "draining": i % 61 == 60} for i in range(n)]
def write(name, offered, conference, region):
    body = {"bridges": offered, "conference_bridges": conference, "participant_region": region,
            "fallback_strategy": None}
    text = json.dumps(body, separators=(",", ":")).replace("/", "\\/")
    open(f"{work}/{name}.json", "w").write(text)
    return f"{work}/{name}.json"
names = {20: [], 1000: []}
for n in names:
    offered = bridges(n)
    for k, region in enumerate(["eu-ams", "us-nyc", "in-bom", "cn-sha", None, "jp-tyo"]):
        conference = {} if k % 3 == 0 else {offered[k]["jid"]: 3, offered[k + 7]["jid"]: 1}
        names[n].append(write(f"jicofo{n}-{k}", offered, conference, region))
open(f"{work}/jicofo-bodies", "w").write("\n".join(",".join(v) for v in names.values()) + "\n")
PY
  bodies20=$(sed -n 1p "$work/jicofo-bodies")
  bodies1000=$(sed -n 2p "$work/jicofo-bodies")
  local check
  check=$(curl -s -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' --data-binary @"${bodies20%%,*}" "$url")
  [ "$check" = 200 ] || { echo "the selection URL answered $check" >&2; return 1; }
}

# bench_meetings FILE COUNT LABEL: opens COUNT live meetings that block CN (meeting-client TOKEN),
# their ids into FILE, one a line.
bench_meetings() {
  : > "$1"
  for i in $(seq 1 "$2"); do
    curl -sf -H "Authorization: Bearer $TOKEN" -H 'Content-Type: application/json' \
      -d "{\"meetingId\": \"$3-$i\", \"blockedRegions\": [\"CN\"]}" "$base/api/v1/meetings" \
      | python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])' >> "$1"
  done
}
