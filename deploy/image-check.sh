#!/usr/bin/env bash
# The container image, built and run for real (issue 22), with Podman and no registry:
#
#   deploy/image-check.sh [--image-only] [--write-docs]
#
#   1. base images from Debian packages (mmdebstrap + podman import): a JRE for Meridian, PostgreSQL
#      15 and Prometheus for the stack; each cached under a tag keyed by a hash of its recipe, made
#      again when the recipe changes or the cached one is older than MERIDIAN_IMAGE_BASE_MAX_AGE_DAYS
#   2. the Meridian image, always built, from src/main/docker/Dockerfile.jvm FROM the JRE base
#      (./mvnw package first when target/quarkus-app is missing)
#   3. the image run the way deploy/kubernetes runs it - the podman options are derived from the
#      rendered kustomization (deploy/ci/manifest_run.py): its user, read-only root, /tmp emptyDir as
#      tmpfs, the model and the JWT key mounted as files, the environment of the Deployment and its
#      ConfigMap, memory and CPU limits, dropped capabilities - on PostgreSQL in a second container,
#      trusting a key pair made for this run. Checks: ready on 9000 within MERIDIAN_IMAGE_READY_TIMEOUT,
#      every probe path answers, the mounted model is the one served, a plan answered on 8080 with a
#      token of that key (and 401 for the development key's), the ConfigMap settings applied, SIGTERM
#      stops it within the grace period minus the preStop sleep with every pending routing record
#      written, and the production key guard refuses the development key inside the container
#   4. (unless --image-only) deploy/docker-compose.yml with deploy/docker-compose.ci.yml under
#      podman-compose: two replicas, PostgreSQL, Prometheus scraping both with the alert rules loaded,
#      a reservation race across the replicas that must not overbook, and a clean tear-down
#
# Prints the image facts (size, time to ready, idle RSS, stop time) and writes them to
# target/image-check/facts.md; --write-docs also puts them into docs/container-image.md.
# Needs root (rootful Podman, mmdebstrap); installs podman, runc, mmdebstrap, podman-compose, curl,
# openssl and PyYAML when missing. Uses host ports MERIDIAN_IMAGE_CHECK_PORT_BASE (61080) to +6 on
# 127.0.0.1 only; its PostgreSQL containers publish no port, so the machine's own PostgreSQL is never
# touched. Removes every container, pod, network, volume and image it made, also on failure (the
# base images stay, as the cache). Fails loudly, with the containers' logs.
set -euo pipefail
cd "$(dirname "$0")/.."

image_only=no
write_docs=no
for arg in "$@"; do
  case "$arg" in
    --image-only) image_only=yes ;;
    --write-docs) write_docs=yes ;;
    *) echo "usage: $0 [--image-only] [--write-docs]" >&2; exit 2 ;;
  esac
done

port_base=${MERIDIAN_IMAGE_CHECK_PORT_BASE:-61080}
ready_timeout=${MERIDIAN_IMAGE_READY_TIMEOUT:-60}
base_max_age_days=${MERIDIAN_IMAGE_BASE_MAX_AGE_DAYS:-7}
suite=bookworm

api_port=$port_base mgmt_port=$((port_base + 1))
c1_api=$((port_base + 2)) c1_mgmt=$((port_base + 3)) c2_api=$((port_base + 4)) c2_mgmt=$((port_base + 5))
prom_port=$((port_base + 6))

started_at=$EPOCHREALTIME
load_at_start=$(cut -d' ' -f1 /proc/loadavg)
run=meridian-check-$$
project=meridiancheck$$
work=$(mktemp -d /tmp/meridian-image-check.XXXXXX)
out=target/image-check
image=localhost/meridian-check:$$
compose_image=localhost/meridian-check-compose:$$
current=setup

step() { current="$*"; echo; echo "== $*"; }
note() { echo "   $*"; }
elapsed() { awk -v a="$1" -v b="${2:-$EPOCHREALTIME}" 'BEGIN { printf "%.1f", b - a }'; }

# Logs of every container of this run (also exited ones), before they are removed.
dump_logs() {
  local c
  for c in $(podman ps -a --format '{{.Names}}' --filter "label=io.meridian.check=$run" 2>/dev/null) \
           $(podman ps -a --format '{{.Names}}' --filter "label=io.podman.compose.project=$project" 2>/dev/null); do
    echo
    echo "---- log of container $c ($(podman inspect -f '{{.State.Status}}, exit code {{.State.ExitCode}}' "$c" 2>/dev/null)), last 150 lines"
    podman logs --tail 150 "$c" 2>&1 || true
  done
  [ ! -s "$work/compose.log" ] || { echo; echo "---- podman-compose output, last 60 lines"; tail -60 "$work/compose.log"; }
}

failure=""
fail() {
  failure="$*"
  echo >&2
  echo "FAILED: $*" >&2
  exit 1
}

cleanup() {
  local status=$?
  set +e
  trap - ERR
  if [ "$status" -ne 0 ]; then
    dump_logs >&2
    echo >&2
    echo "== deploy/image-check.sh FAILED in: ${current}${failure:+: $failure}" >&2
  fi
  if [ -n "${CONTAINERS_CONF:-}" ] && command -v podman >/dev/null 2>&1; then
    local label ids
    for label in "io.meridian.check=$run" "io.podman.compose.project=$project"; do
      ids=$(podman ps -aq --filter "label=$label"); [ -z "$ids" ] || podman rm -f -t 0 $ids >/dev/null
      ids=$(podman pod ls -q --filter "label=$label"); [ -z "$ids" ] || podman pod rm -f $ids >/dev/null
      ids=$(podman network ls -q --filter "label=$label"); [ -z "$ids" ] || podman network rm -f $ids >/dev/null
      ids=$(podman volume ls -q --filter "label=$label"); [ -z "$ids" ] || podman volume rm -f $ids >/dev/null
    done
    if [ "${MERIDIAN_IMAGE_KEEP:-no}" != yes ]; then
      local made
      for made in "$image" "$compose_image" ${postgres_image:-} ${prometheus_image:-}; do
        ! podman image exists "$made" || podman rmi -f "$made" >/dev/null
      done
    fi
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
trap 'echo "== command failed (line $LINENO): $BASH_COMMAND" >&2' ERR

# ---------------------------------------------------------------------------------------------------
step "Tools: install if missing (podman, runc, mmdebstrap, podman-compose, curl, openssl, PyYAML)"
[ "$(id -u)" -eq 0 ] || fail "run as root: rootful Podman and mmdebstrap"
missing=()
command -v podman >/dev/null 2>&1 || missing+=(podman)
command -v runc >/dev/null 2>&1 || missing+=(runc)
# netavark with aardvark-dns, not the CNI plugins apt may pick without recommends: compose service
# names must resolve between containers
[ -x /usr/lib/podman/netavark ] || missing+=(netavark)
[ -x /usr/lib/podman/aardvark-dns ] || missing+=(aardvark-dns)
# netavark 1.4 sets up the bridge's rules with iptables, which podman only suggests: without it every
# container on a network fails with "netavark: No such file or directory"
command -v iptables >/dev/null 2>&1 || missing+=(iptables)
command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)
command -v podman-compose >/dev/null 2>&1 || missing+=(podman-compose)
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v openssl >/dev/null 2>&1 || missing+=(openssl)
command -v ss >/dev/null 2>&1 || missing+=(iproute2)
python3 -c 'import yaml' >/dev/null 2>&1 || missing+=(python3-yaml)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# crun, and runc with Podman's default rlimits, fail here on setrlimit (the machine's hard nofile
# limit is below Podman's default): runc, and no default ulimits.
cat > "$work/containers.conf" <<'EOF'
[containers]
default_ulimits = []

[engine]
runtime = "runc"
EOF
export CONTAINERS_CONF="$work/containers.conf" BUILDAH_ISOLATION=chroot
echo "$(podman --version), $(runc --version | head -1), mmdebstrap $(mmdebstrap --version | awk '{print $2}'), $(podman-compose --version 2>/dev/null | grep -i 'podman-compose' | head -1)"
for p in $api_port $mgmt_port $c1_api $c1_mgmt $c2_api $c2_mgmt $prom_port; do
  if ss -Hltn "sport = :$p" | grep -q .; then
    fail "port $p is taken: set MERIDIAN_IMAGE_CHECK_PORT_BASE to the first of 7 free ports"
  fi
done
mkdir -p "$out"

# ---------------------------------------------------------------------------------------------------
step "Kubernetes manifests: render the kustomization and derive the container's run options"
if command -v kubectl >/dev/null 2>&1 && kubectl kustomize deploy/kubernetes > "$work/rendered.yaml" 2> "$work/kustomize.err"; then
  rendered="$work/rendered.yaml"
  echo "rendered with kubectl kustomize ($(kubectl version --client 2>/dev/null | grep -i kustomize || true))"
elif command -v kubectl >/dev/null 2>&1; then
  cat "$work/kustomize.err" >&2
  fail "kubectl kustomize deploy/kubernetes failed"
else
  rendered=-
  echo "kubectl not installed: reading the resources and ConfigMap generators of kustomization.yaml directly"
fi
mkdir -p "$work/jwt" "$work/run" "$work/guard"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$work/jwt/private-key.pem" 2>/dev/null
openssl pkey -in "$work/jwt/private-key.pem" -pubout -out "$work/jwt/public-key.pem"
chmod 644 "$work/jwt/public-key.pem"
# the transparency log's signing key and hash secret, fresh for this run (deploy/dev's are refused)
mkdir -p "$work/transparency"
openssl genpkey -algorithm ed25519 -out "$work/transparency/signing-key.pem" 2>/dev/null
openssl rand -base64 32 > "$work/transparency/hash-secret"
chmod 644 "$work/transparency/signing-key.pem" "$work/transparency/hash-secret"
issuer="https://idp.check.invalid/$run"
db_password=$(openssl rand -hex 16)
sources() {   # sources KEYFILE: what the cluster's Secrets and ConfigMaps would hold, for manifest_run.py
  python3 - "$1" "$run" "$db_password" "$issuer" "$PWD/deploy/ci/model-small.yaml" "$work/transparency" <<'EOF'
import json, sys
key, run, password, issuer, model, transparency = sys.argv[1:]
print(json.dumps({'secrets': {'meridian-db/jdbc-url': f'jdbc:postgresql://{run}-pg:5432/meridian',
                              'meridian-db/username': 'meridian', 'meridian-db/password': password,
                              'meridian-jwt/issuer': issuer},
                  'files': {'meridian-model/data-centers.yaml': model, 'meridian-jwt/public-key.pem': key,
                            'meridian-transparency/signing-key.pem': f'{transparency}/signing-key.pem',
                            'meridian-transparency/hash-secret': f'{transparency}/hash-secret'}}))
EOF
}
sources "$work/jwt/public-key.pem" > "$work/run/sources.json"
sources "$PWD/deploy/dev/public-key.pem" > "$work/guard/sources.json"
python3 deploy/ci/manifest_run.py "$rendered" "$work/run/sources.json" "$work/run"
python3 deploy/ci/manifest_run.py "$rendered" "$work/guard/sources.json" "$work/guard"
mapfile -d '' run_args < "$work/run/run-args"
mapfile -d '' guard_args < "$work/guard/run-args"
fact() { python3 -c "import json,sys; f=json.load(open('$work/run/facts.json')); print($1)"; }
k8s_uid=$(fact "f['uid']")
grace=$(fact "f['grace']")
pre_stop=$(fact "f['preStopSleep']")
stop_budget=$((grace - pre_stop))
probe_paths=$(fact "' '.join(p['path'] for p in f['probes'].values())")
startup_budget=$(fact "f['probes']['startupProbe']['budget']")
note "user $(fact "f['uid']"):$(fact "f['gid']"), read-only root, tmpfs /tmp, limits $(fact "f['memory']") / $(fact "f['cpu']") CPU"
note "mounts: $(fact "', '.join(f'{k} ({v})' for k, v in f['mounts'].items())")"
note "environment: $(fact "' '.join(f['env'])")"
note "probes: $probe_paths on 9000 (startup budget ${startup_budget} s); grace ${grace} s, preStop sleep ${pre_stop} s -> ${stop_budget} s after SIGTERM"

# ---------------------------------------------------------------------------------------------------
# make_base NAME PACKAGES [EXTRA MMDEBSTRAP OPTIONS...]: sets base_tag to a cached or new image.
make_base() {
  local name=$1 packages=$2
  shift 2
  # Essential packages plus what is asked for; no apt, no documentation, merged /usr without the
  # usrmerge package (which would pull in Perl); apt lists and caches are removed by mmdebstrap. No
  # fsync for every file unpacked: the result is a tarball, made again if anything goes wrong.
  local recipe=(--variant=essential "--include=$packages" --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr
    --dpkgopt=force-unsafe-io
    '--dpkgopt=path-exclude=/usr/share/doc/*' '--dpkgopt=path-exclude=/usr/share/man/*'
    '--dpkgopt=path-exclude=/usr/share/locale/*' '--dpkgopt=path-exclude=/usr/share/info/*'
    '--dpkgopt=path-exclude=/usr/share/lintian/*'
    '--essential-hook=mkdir -p "$1/usr/share/man/man1"'   # update-alternatives links man pages there
    "$@" "$suite")
  local key
  key=$(printf '%s\n' "${recipe[@]}" "$(dpkg --print-architecture)" | sha256sum | cut -c1-16)
  base_tag=localhost/meridian-check-base/$name:$key
  local created age_days
  if created=$(podman image inspect -f '{{.Created.Unix}}' "$base_tag" 2>/dev/null); then
    age_days=$(( ($(date +%s) - created) / 86400 ))
    if [ "$age_days" -lt "$base_max_age_days" ]; then
      note "$name: cached $base_tag (${age_days} d old, recipe unchanged)"
      return
    fi
    note "$name: cached base is ${age_days} d old (max ${base_max_age_days}): made again for fresh packages"
  fi
  local t0=$EPOCHREALTIME
  mmdebstrap "${recipe[@]}" "$work/$name.tar" > "$work/mmdebstrap-$name.log" 2>&1 \
    || { tail -40 "$work/mmdebstrap-$name.log" >&2; fail "mmdebstrap of the $name base failed"; }
  podman import -q "$work/$name.tar" "$base_tag" >/dev/null
  rm -f "$work/$name.tar"
  # older recipes of this base are no longer needed
  local old
  for old in $(podman images --format '{{.Repository}}:{{.Tag}}' "localhost/meridian-check-base/$name"); do
    [ "$old" = "$base_tag" ] || podman rmi "$old" >/dev/null 2>&1 || true
  done
  note "$name: made $base_tag in $(elapsed "$t0") s"
  bases_made="$bases_made $name"
}

step "Base images from Debian $suite packages (cached by recipe)"
bases_t0=$EPOCHREALTIME bases_made=""
make_base jre openjdk-17-jre-headless,ca-certificates
jre_base=$base_tag
# no cluster "main": the image's entrypoint makes its own in the data volume
make_base postgres postgresql-15 \
  '--essential-hook=mkdir -p "$1/etc/postgresql-common/createcluster.d" && echo "create_main_cluster = false" > "$1/etc/postgresql-common/createcluster.d/no-main-cluster.conf"'
postgres_base=$base_tag
if [ "$image_only" = no ]; then
  # the web console's time-zone data (220 MB) is not needed for the HTTP API the check uses
  make_base prometheus prometheus '--dpkgopt=path-exclude=/usr/share/javascript/moment-timezone/*'
  prometheus_base=$base_tag
fi
bases_summary=$([ -z "$bases_made" ] && echo "all cached" || echo "made${bases_made} in $(elapsed "$bases_t0") s")
postgres_image=localhost/meridian-check-postgres:$$
podman build -q --build-arg "BASE_IMAGE=$postgres_base" -t "$postgres_image" deploy/ci/postgres >/dev/null
if [ "$image_only" = no ]; then
  prometheus_image=localhost/meridian-check-prometheus:$$
  podman build -q --build-arg "BASE_IMAGE=$prometheus_base" -t "$prometheus_image" deploy/ci/prometheus >/dev/null
fi

# ---------------------------------------------------------------------------------------------------
step "Build the Meridian image: src/main/docker/Dockerfile.jvm FROM the Debian JRE base"
if [ ! -s target/quarkus-app/quarkus-run.jar ]; then
  echo "target/quarkus-app missing: ./mvnw -B -ntp package -DskipTests"
  ./mvnw -B -ntp -q package -DskipTests
fi
t0=$EPOCHREALTIME
podman build --no-cache -q --build-arg "BASE_IMAGE=$jre_base" -f src/main/docker/Dockerfile.jvm -t "$image" . > "$work/build.log" 2>&1 \
  || { cat "$work/build.log" >&2; fail "podman build failed"; }
build_seconds=$(elapsed "$t0")
image_bytes=$(podman image inspect -f '{{.Size}}' "$image")
base_bytes=$(podman image inspect -f '{{.Size}}' "$jre_base")
image_mib=$(( image_bytes / 1048576 )) base_mib=$(( base_bytes / 1048576 ))
note "built $image in ${build_seconds} s: ${image_mib} MiB (Debian JRE base ${base_mib} MiB, application $(( (image_bytes - base_bytes) / 1048576 )) MiB)"

step "Image configuration matches the manifests"
podman image inspect "$image" > "$work/image.json"
python3 - "$work/image.json" "$work/run/facts.json" <<'EOF'
import json, sys
config = json.load(open(sys.argv[1]))[0]['Config']
facts = json.load(open(sys.argv[2]))
problems = []
if config.get('User') != str(facts['uid']):
    problems.append(f"image user {config.get('User')!r} is not the manifests' runAsUser {facts['uid']}")
exposed = sorted(config.get('ExposedPorts', {}))
wanted = sorted(f'{p}/tcp' for p in facts['ports'].values())
if exposed != wanted:
    problems.append(f'image exposes {exposed}, the Deployment declares {wanted}')
env = dict(e.split('=', 1) for e in config.get('Env', []))
if '-XX:MaxRAMPercentage' not in env.get('JAVA_OPTS', ''):
    problems.append('image JAVA_OPTS without -XX:MaxRAMPercentage')
if '-XX:+UseG1GC' not in env.get('JAVA_OPTS', ''):
    problems.append('image JAVA_OPTS without -XX:+UseG1GC')
if 'exec java ${JAVA_OPTS}' not in ' '.join(config.get('Entrypoint') or []):
    problems.append(f"entrypoint {config.get('Entrypoint')} does not exec java (SIGTERM must reach the JVM)")
if problems:
    sys.exit('\n'.join(problems))
print(f"user {config['User']}, ports {', '.join(exposed)}, entrypoint exec java, JAVA_OPTS with MaxRAMPercentage")
EOF
keys=$(podman run --rm --entrypoint sh "$image" -c 'find /deployments \( -name "*.pem" -o -name "*.key" -o -name "token.sh" \) | head -5')
[ -z "$keys" ] || fail "the image carries key material: $keys"
note "no key material under /deployments"

# ---------------------------------------------------------------------------------------------------
step "Run the image as the Deployment does, on PostgreSQL 15 in a second container"
podman network create --label "io.meridian.check=$run" "$run-net" >/dev/null
podman run -d --name "$run-pg" --label "io.meridian.check=$run" --network "$run-net" \
  -e POSTGRES_USER=meridian -e "POSTGRES_PASSWORD=$db_password" -e POSTGRES_DB=meridian "$postgres_image" >/dev/null
pg_ready() {   # pg_ready CONTAINER: waits up to 60 s
  local i
  for i in $(seq 1 120); do
    podman exec "$1" pg_isready -q -U meridian -d meridian 2>/dev/null && return 0
    sleep 0.5
  done
  fail "PostgreSQL in $1 did not get ready in 60 s"
}
pg_ready "$run-pg"
psql_in() { podman exec "$1" psql -U meridian -d meridian -tAc "$2"; }

t0=$EPOCHREALTIME
podman run -d --name "$run-meridian" --label "io.meridian.check=$run" --network "$run-net" \
  -p "127.0.0.1:$api_port:8080" -p "127.0.0.1:$mgmt_port:9000" "${run_args[@]}" \
  -e MERIDIAN_RECORDS_FLUSH_INTERVAL=PT10M "$image" >/dev/null
# MERIDIAN_RECORDS_FLUSH_INTERVAL: a batch waits 10 min to fill, so records are still pending at SIGTERM
deadline=$(( $(date +%s) + ready_timeout ))
until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$mgmt_port/q/health/ready")" = 200 ]; do
  [ "$(podman inspect -f '{{.State.Running}}' "$run-meridian")" = true ] || fail "the container stopped before it was ready"
  [ "$(date +%s)" -lt "$deadline" ] || fail "not ready on port 9000 within ${ready_timeout} s"
  sleep 0.2
done
ready_seconds=$(elapsed "$t0")
quarkus_started=$(podman logs "$run-meridian" 2>&1 | sed -n 's/.* started in \([0-9.]*\)s.*/\1/p' | head -1)
note "ready (GET :9000/q/health/ready = 200) ${ready_seconds} s after podman run (Quarkus: started in ${quarkus_started} s; bound ${ready_timeout} s, startup probe ${startup_budget} s)"
[ "$(podman exec "$run-meridian" id -u)" = "$k8s_uid" ] || fail "the service does not run as uid $k8s_uid"
if podman exec "$run-meridian" sh -c 'touch /deployments/x' 2>/dev/null; then fail "the root filesystem is writable"; fi
for path in $probe_paths; do
  code=$(curl -s -o "$work/probe.json" -w '%{http_code}' "http://127.0.0.1:$mgmt_port$path")
  [ "$code" = 200 ] || { cat "$work/probe.json" >&2; fail "probe $path answered $code"; }
done
note "runs as uid $k8s_uid on a read-only root; probes $probe_paths answer 200"

token() { MERIDIAN_TOKEN_KEY="$work/jwt/private-key.pem" MERIDIAN_TOKEN_ISSUER="$issuer" deploy/dev/token.sh "$@"; }
client_token=$(token meeting-client)
api() {   # api METHOD URL TOKEN [BODY] -> status; body in $work/answer.json
  curl -s -o "$work/answer.json" -w '%{http_code}' -X "$1" -H "Authorization: Bearer $3" \
    -H 'Content-Type: application/json' ${4:+--data "$4"} "$2"
}
json() { python3 -c "import json,sys; a=json.load(open('$work/answer.json')); print($1)"; }
runs_g1() {   # runs_g1 WHAT MANAGEMENT_PORT: the JVM's heap pools, from its metrics, are G1's
  local pools
  pools=$( (curl -s -H 'Accept: text/plain; version=0.0.4' "http://127.0.0.1:$2/q/metrics" || true) \
    | sed -n 's/^jvm_memory_max_bytes{area="heap",id="\([^"]*\)".*/\1/p' | sort | paste -sd, -)
  case ",$pools," in *",G1 Old Gen,"*) ;; *) fail "the JVM of the $1 does not run G1: its heap pools are '$pools'" ;; esac
  note "$1: collector G1 (heap pools $pools)"
}
api_url="http://127.0.0.1:$api_port/api/v1"

step "Answers on 8080: the mounted model, a plan with a token of the run's key, the ConfigMap settings"
code=$(api GET "$api_url/data-centers" "$client_token")
[ "$code" = 200 ] || fail "GET /data-centers answered $code: $(cat "$work/answer.json")"
dcs=$(json "' '.join(sorted(d['id'] for d in a))")
[ "$dcs" = "eu-tiny us-big" ] || fail "the catalogue lists '$dcs', not the DCs of the mounted model deploy/ci/model-small.yaml"
note "catalogue = the mounted model (eu-tiny, us-big)"
plan='{"meetingId":"check-{i}","participants":[{"id":"a","location":{"country":"US"}},{"id":"b","location":{"country":"CA"}}]}'
code=$(api POST "$api_url/routing-plans" "$client_token" "${plan//\{i\}/first}")
[ "$code" = 200 ] || fail "a plan answered $code: $(cat "$work/answer.json")"
note "plan answered 200: $(json "', '.join(x['participantId'] + ' -> ' + x['dataCenter'] for x in a['assignments'])")"
plans_ok=1
code=$(api POST "$api_url/routing-plans" "" "${plan//\{i\}/anonymous}")
[ "$code" = 401 ] || fail "a plan without a token answered $code, not 401"
dev_token=$(MERIDIAN_TOKEN_ISSUER="$issuer" deploy/dev/token.sh meeting-client)
code=$(api POST "$api_url/routing-plans" "$dev_token" "${plan//\{i\}/devkey}")
[ "$code" = 401 ] || fail "a plan with a token of the development key answered $code, not 401"
note "no token: 401; a token signed with the development key: 401"
limit=$(curl -s -H 'Accept: text/plain; version=0.0.4' "http://127.0.0.1:$mgmt_port/q/metrics" \
  | awk '$1 == "meridian_data_center_utilization_limit_ratio" { print $2 }')
want_limit=$(fact "f['config']['MERIDIAN_CAPACITY_MAX_UTILIZATION']")
awk -v a="$limit" -v b="$want_limit" 'BEGIN { exit !(a + 0 == b + 0 && a != "") }' \
  || fail "meridian_data_center_utilization_limit_ratio is '$limit', the ConfigMap says $want_limit"
# the collector: under a 1 GiB limit the JVM would pick the serial one by itself (it counts a machine
# of less than 1.75 GiB as a client), so JAVA_OPTS names G1, the collector every benchmark measured
runs_g1 "container" "$mgmt_port"
code=$(api POST "$api_url/routing-plans" "$client_token" \
  '{"meetingId":"check-lease","participants":[{"id":"a","location":{"country":"US"}}],"reserve":true}')
[ "$code" = 200 ] || fail "a reserving plan answered $code: $(cat "$work/answer.json")"
plans_ok=$((plans_ok + 1))
lease=$(json "__import__('datetime').datetime.fromisoformat(a['reservation']['expiresAt'].replace('Z', '+00:00')).timestamp() - __import__('time').time()")
want_lease=$(fact "__import__('re').fullmatch(r'PT(\d+)M', f['config']['MERIDIAN_RESERVATION_LEASE']).group(1)")
awk -v l="$lease" -v m="$want_lease" 'BEGIN { exit !(l > m * 60 - 30 && l <= m * 60 + 5) }' \
  || fail "the reservation expires in ${lease} s, not after the ConfigMap's lease PT${want_lease}M"
reservation=$(json "a['reservation']['id']")
[ "$(api DELETE "$api_url/reservations/$reservation" "$client_token")" = 204 ] || fail "releasing the reservation failed"
note "ConfigMap applied: utilization limit $limit, lease PT${want_lease}M (reservation expires in ${lease%.*} s)"

sleep 5
rss_kib=$(awk '/^VmRSS/ { print $2 }' "/proc/$(podman inspect -f '{{.State.Pid}}' "$run-meridian")/status")
rss_mib=$(( rss_kib / 1024 ))
cgroup_mem=$(podman stats --no-stream --format '{{.MemUsage}}' "$run-meridian" | head -1)
note "idle memory: RSS of the JVM ${rss_mib} MiB (container memory ${cgroup_mem}), 5 s after its first plans"

# ---------------------------------------------------------------------------------------------------
step "SIGTERM right after a burst of plans: stops within ${stop_budget} s, every pending record written"
burst=60
python3 deploy/ci/fire_plans.py "$client_token" "$burst" "$plan" "$api_url/routing-plans" > "$work/burst.json"
burst_ok=$(python3 -c "import json; print(sum(a['status'] == 200 for a in json.load(open('$work/burst.json'))))")
[ "$burst_ok" = "$burst" ] || fail "only $burst_ok of $burst burst plans answered 200: $(python3 -c "import json; print([a for a in json.load(open('$work/burst.json')) if a['status'] != 200][:2])")"
plans_ok=$((plans_ok + burst_ok))
pending=$(curl -s -H 'Accept: text/plain; version=0.0.4' "http://127.0.0.1:$mgmt_port/q/metrics" \
  | awk '$1 == "meridian_routing_records_pending" { printf "%d", $2 }')
# records are stored a writer batch to a row (schema V11): count the records, not the rows
records_sql="select coalesce(sum(records), 0) from routing_record_batch"
rows_before=$(psql_in "$run-pg" "$records_sql")
[ "${pending:-0}" -gt 0 ] || fail "no routing record pending before SIGTERM: the check would prove nothing"
[ $((rows_before + pending)) = "$plans_ok" ] || fail "$rows_before records written + $pending pending, but $plans_ok plans answered 200"
note "$plans_ok plans answered 200; $pending records pending, $rows_before written"
t0=$EPOCHREALTIME
podman stop -t "$stop_budget" "$run-meridian" >/dev/null
stop_seconds=$(elapsed "$t0")
exit_code=$(podman inspect -f '{{.State.ExitCode}}' "$run-meridian")
rows=$(psql_in "$run-pg" "$records_sql")
podman logs "$run-meridian" > "$work/meridian.log" 2>&1
note "stopped in ${stop_seconds} s, exit code $exit_code; $rows routing records stored"
case "$exit_code" in 0|143) ;; *) fail "exit code $exit_code after SIGTERM (137: killed after the ${stop_budget} s budget)" ;; esac
awk -v s="$stop_seconds" -v b="$stop_budget" 'BEGIN { exit !(s < b) }' || fail "stopping took ${stop_seconds} s, budget ${stop_budget} s"
grep -q "Wrote $pending pending routing records before shutdown" "$work/meridian.log" \
  || fail "the log does not say the $pending pending records were written"
[ "$rows" = "$plans_ok" ] || fail "$rows routing records in PostgreSQL, $plans_ok plans answered 200"
note "every plan answered 200 has its routing record ($rows), written on the way out"

step "The production key guard refuses the development key inside the container"
podman run -d --name "$run-guard" --label "io.meridian.check=$run" --network "$run-net" "${guard_args[@]}" "$image" >/dev/null
guard_exit=$(timeout 120 podman wait "$run-guard") || fail "the service with the development key was still running after 120 s"
podman logs "$run-guard" > "$work/guard.log" 2>&1
[ "$guard_exit" != 0 ] || fail "the service with the development key exited 0"
grep -q "Refusing to start: token verification is not configured for production" "$work/guard.log" \
  && grep -q "the configured key is the development key of deploy/dev" "$work/guard.log" \
  || { tail -40 "$work/guard.log" >&2; fail "the service did not refuse the development key with the guard's message"; }
note "exit code $guard_exit: $(grep -o 'the configured key is the development key of deploy/dev[^:]*' "$work/guard.log" | head -1)"
podman rm -f -t 0 "$run-meridian" "$run-guard" "$run-pg" >/dev/null
podman network rm "$run-net" >/dev/null

# ---------------------------------------------------------------------------------------------------
compose_up_seconds="" race_summary="" compose_down_seconds=""
if [ "$image_only" = no ]; then
  step "Compose stack (podman-compose): PostgreSQL, two Meridian replicas, Prometheus"
  compose() {
    MERIDIAN_LOCAL_JWT_ISSUER="$issuer" MERIDIAN_LOCAL_JWT_PUBLIC_KEY="$work/jwt/public-key.pem" \
    MERIDIAN_LOCAL_TRANSPARENCY_SIGNING_KEY="$work/transparency/signing-key.pem" \
    MERIDIAN_LOCAL_TRANSPARENCY_HASH_SECRET="$work/transparency/hash-secret" \
    MERIDIAN_LOCAL_DB_PASSWORD="$db_password" \
    MERIDIAN_LOCAL_API_PORT_1=$c1_api MERIDIAN_LOCAL_MANAGEMENT_PORT_1=$c1_mgmt \
    MERIDIAN_LOCAL_API_PORT_2=$c2_api MERIDIAN_LOCAL_MANAGEMENT_PORT_2=$c2_mgmt \
    MERIDIAN_LOCAL_PROMETHEUS_PORT=$prom_port MERIDIAN_LOCAL_GRAFANA_PORT=$((port_base + 7)) \
    MERIDIAN_CI_POSTGRES_IMAGE="$postgres_image" MERIDIAN_CI_PROMETHEUS_IMAGE="$prometheus_image" \
    MERIDIAN_CI_MERIDIAN_IMAGE="$compose_image" MERIDIAN_CI_BASE_IMAGE="$jre_base" \
      podman-compose -p "$project" -f deploy/docker-compose.yml -f deploy/docker-compose.ci.yml "$@" >> "$work/compose.log" 2>&1
  }
  t0=$EPOCHREALTIME
  compose up -d postgres meridian-1 meridian-2 prometheus || fail "podman-compose up failed"
  for port in $c1_mgmt $c2_mgmt; do
    deadline=$(( $(date +%s) + ready_timeout + 30 ))
    until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/q/health/ready")" = 200 ]; do
      [ "$(date +%s)" -lt "$deadline" ] || fail "replica on management port $port not ready within $((ready_timeout + 30)) s"
      sleep 0.5
    done
  done
  compose_up_seconds=$(elapsed "$t0")
  restarts=$(for service in meridian-1 meridian-2; do podman inspect -f '{{.RestartCount}}' "${project}_${service}_1"; done | paste -sd+)
  note "both replicas ready ${compose_up_seconds} s after podman-compose up (image built by compose from the same Dockerfile;"
  note "restarts $restarts: podman-compose ignores depends_on conditions, restart: unless-stopped covers an early start)"
  runs_g1 "compose replica 1" "$c1_mgmt"
  for service in meridian-1 meridian-2; do
    podman healthcheck run "${project}_${service}_1" >/dev/null 2>&1 || fail "the compose healthcheck of $service fails"
  done
  note "the compose healthcheck (bash /dev/tcp, /q/health/ready) passes in both replicas"

  step "Prometheus scrapes both replicas and has loaded the alert rules"
  prom="http://127.0.0.1:$prom_port/api/v1"
  deadline=$(( $(date +%s) + 60 ))
  until curl -s "$prom/targets?state=active" > "$work/targets.json" && python3 - "$work/targets.json" <<'EOF'
import json, sys
targets = [t for t in json.load(open(sys.argv[1]))['data']['activeTargets'] if t['labels']['job'] == 'meridian']
sys.exit(0 if sorted(t['labels']['instance'] for t in targets if t['health'] == 'up') == ['meridian-1:9000', 'meridian-2:9000'] else 1)
EOF
  do
    [ "$(date +%s)" -lt "$deadline" ] || { cat "$work/targets.json" >&2; fail "Prometheus does not scrape both replicas (up) within 60 s"; }
    sleep 1
  done
  note "job meridian: meridian-1:9000 and meridian-2:9000 up"
  curl -s "$prom/rules" > "$work/rules.json"
  python3 - "$work/rules.json" <<'EOF'
import json, sys, yaml
loaded = {(g['name'], r['name']) for g in json.load(open(sys.argv[1]))['data']['groups'] for r in g['rules']}
wanted = {(g['name'], r.get('alert', r.get('record'))) for g in yaml.safe_load(open('deploy/prometheus/alerts.yml'))['groups']
          for r in g['rules']}
if loaded != wanted:
    sys.exit(f'rules loaded by Prometheus differ from deploy/prometheus/alerts.yml: missing {sorted(wanted - loaded)}, '
             f'extra {sorted(loaded - wanted)}')
print(f'   {len(loaded)} rules of deploy/prometheus/alerts.yml loaded')
EOF

  step "Reservation race across both replicas: the small DC is never overbooked"
  # Warm both replicas' reserving path first (on us-big, released again), so neither starts cold.
  for port in $c1_api $c2_api; do
    code=$(api POST "http://127.0.0.1:$port/api/v1/routing-plans" "$client_token" \
      '{"meetingId":"warm-up","participants":[{"id":"a","location":{"country":"US"}}],"allowedRegions":["US"],"reserve":true}')
    [ "$code" = 200 ] || fail "a reserving plan on the replica at $port answered $code: $(cat "$work/answer.json")"
    code=$(api DELETE "http://127.0.0.1:$port/api/v1/reservations/$(json "a['reservation']['id']")" "$client_token")
    [ "$code" = 204 ] || fail "releasing the warm-up reservation on $port answered $code"
  done
  code=$(api GET "http://127.0.0.1:$c1_api/api/v1/data-centers/eu-tiny" "$client_token")
  [ "$code" = 200 ] || fail "GET /data-centers/eu-tiny answered $code"
  headroom=$(json "a['headroom']")
  race=40 per_plan=3
  [ "$headroom" -gt "$per_plan" ] && [ $((race * per_plan)) -gt "$headroom" ] || fail "eu-tiny's headroom $headroom does not make a race"
  race_plan='{"meetingId":"race-{i}","participants":[{"id":"a","location":{"country":"DE"}},{"id":"b","location":{"country":"FR"}},{"id":"c","location":{"country":"NL"}}],"allowedRegions":["EU"],"strategy":"SINGLE","reserve":true}'
  python3 deploy/ci/fire_plans.py "$client_token" "$race" "$race_plan" \
    "http://127.0.0.1:$c1_api/api/v1/routing-plans" "http://127.0.0.1:$c2_api/api/v1/routing-plans" > "$work/race.json"
  race_result=$(python3 - "$work/race.json" "$per_plan" <<'EOF'
import json, sys
answers, per_plan = json.load(open(sys.argv[1])), int(sys.argv[2])
bad = [a for a in answers if not (a['status'] == 200 and a['body']['reservation']['participantsByDataCenter'] == {'eu-tiny': per_plan})
       and not (a['status'] == 503 and str(a['body'].get('type', '')).endswith('/problems/no-permitted-capacity'))]
if bad:
    sys.exit(f'answers other than a reservation of {per_plan} on eu-tiny or 503 no-permitted-capacity: {bad[:3]}')
won = [a for a in answers if a['status'] == 200]
replicas = '+'.join(str(sum(a['url'] == u for a in won)) for u in sorted({a['url'] for a in answers}))  # port order
print(len(won), len(answers) - len(won), replicas)
EOF
  )
  read -r won refused by_replica <<< "$race_result"
  held=$((won * per_plan))
  [ "$won" -ge 1 ] || fail "no reserving plan won: the race proves nothing"
  [ "$held" -le "$headroom" ] || fail "OVERBOOKED: $held participants held on eu-tiny, headroom $headroom"
  db_held=$(psql_in "${project}_postgres_1" "select coalesce(sum(participants), 0) from reservation_hold where data_center_id = 'eu-tiny'")
  [ "$db_held" = "$held" ] || fail "PostgreSQL holds $db_held participants on eu-tiny, the answers granted $held"
  sleep 2   # each replica refreshes its capacity snapshot every second
  for port in $c1_api $c2_api; do
    code=$(api GET "http://127.0.0.1:$port/api/v1/data-centers/eu-tiny" "$client_token")
    [ "$code" = 200 ] || fail "GET /data-centers/eu-tiny answered $code"
    [ "$(json "a['reserved']")" = "$held" ] && [ "$(json "a['headroom']")" = "$((headroom - held))" ] \
      || fail "replica on $port reports reserved $(json "a['reserved']"), headroom $(json "a['headroom']"); expected $held, $((headroom - held))"
  done
  race_summary="$race reserving plans of $per_plan at once, alternating replicas: $won won ($by_replica by replica), $refused answered 503 no-permitted-capacity; $held of headroom $headroom held"
  note "$race_summary"
  note "PostgreSQL and both replicas' API agree: $held reserved, $((headroom - held)) left"

  step "Compose stack down: replicas stop cleanly, nothing left behind"
  t0=$EPOCHREALTIME
  compose stop -t "$grace" || fail "podman-compose stop failed"
  for service in meridian-1 meridian-2; do
    code=$(podman inspect -f '{{.State.ExitCode}}' "${project}_${service}_1")
    case "$code" in 0|143) ;; *) fail "$service exited $code on stop" ;; esac
  done
  compose down -v || fail "podman-compose down failed"
  # podman-compose 1.0.3 does not remove the network it made (docker compose down does)
  podman network rm "${project}_default" >/dev/null 2>&1 || true
  compose_down_seconds=$(elapsed "$t0")
  left=""
  for kind in "ps -a" "pod ls" "network ls" "volume ls"; do
    found=$(podman $kind -q --filter "label=io.podman.compose.project=$project")
    [ -z "$found" ] || left="$left $kind: $found;"
  done
  [ -z "$left" ] || fail "left behind by the compose stack:$left"
  note "down in ${compose_down_seconds} s; both replicas exited cleanly; no container, pod, network or volume left"
fi

# ---------------------------------------------------------------------------------------------------
step "Image facts"
total_seconds=$(elapsed "$started_at")
cat > "$out/facts.md" <<EOF
| fact | measured by deploy/image-check.sh |
| --- | --- |
| image size | ${image_mib} MiB uncompressed (Debian 12 JRE 17 base ${base_mib} MiB + application $(( (image_bytes - base_bytes) / 1048576 )) MiB) |
| build | ${build_seconds} s (podman build --no-cache FROM the JRE base); bases: ${bases_summary} |
| time to ready | ${ready_seconds} s from \`podman run\` to \`/q/health/ready\` = 200 (Quarkus: started in ${quarkus_started} s), first start on an empty database |
| idle memory | ${rss_mib} MiB RSS of the JVM 5 s after its first plans (limit $(fact "f['memory']"), heap up to 75 %) |
| stop on SIGTERM | ${stop_seconds} s with ${pending} routing records pending, all written (budget ${stop_budget} s = grace ${grace} s - preStop ${pre_stop} s) |
EOF
if [ "$image_only" = no ]; then
  cat >> "$out/facts.md" <<EOF
| compose up | ${compose_up_seconds} s until both replicas are ready (PostgreSQL, 2 replicas, Prometheus) |
| reservation race | ${race_summary} |
EOF
fi
echo "| machine | $(nproc) cores, $(awk '/MemTotal/ { printf "%d GiB", $2 / 1048576 }' /proc/meminfo), load average ${load_at_start} at the start, $(podman --version), runc; check run $(date -u +%Y-%m-%d), ${total_seconds} s in all |" >> "$out/facts.md"
cat "$out/facts.md"
if [ "$write_docs" = yes ]; then
  python3 - "$out/facts.md" docs/container-image.md <<'EOF'
import re, sys
facts, doc = open(sys.argv[1]).read(), open(sys.argv[2]).read()
begin, end = '<!-- image-facts:begin -->', '<!-- image-facts:end -->'
if begin not in doc or end not in doc:
    sys.exit(f'{sys.argv[2]} has no {begin} ... {end} block')
doc = re.sub(re.escape(begin) + '.*?' + re.escape(end), lambda m: f'{begin}\n{facts}{end}', doc, flags=re.S)
open(sys.argv[2], 'w').write(doc)
print(f'written to {sys.argv[2]}')
EOF
fi

current=done
echo
echo "== deploy/image-check.sh: all checks passed in ${total_seconds} s"
