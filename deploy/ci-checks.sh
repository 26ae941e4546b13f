#!/usr/bin/env bash
# Checks of the operations kit (deploy/), with the real tools:
#
#   deploy/ci-checks.sh [SCRAPE]
#
#   - yamllint of every YAML file under deploy/ (.yamllint.yaml)
#   - promtool check config / check rules / test rules (alerts_test.yml: every alert, both ways)
#   - the PrometheusRule (deploy/kubernetes) carries exactly the groups of deploy/prometheus/alerts.yml
#   - every PromQL query of the Grafana dashboard parses (promtool), the dashboard JSON is sane
#   - the model in deploy/kubernetes equals the bundled one
#   - the Kubernetes manifests (built with `kubectl kustomize` when kubectl is there) keep their
#     promises: replicas, probes, resources, hardened security context, Secret references
#   - with SCRAPE (a file holding GET :9000/q/metrics of the running service, fetched in the
#     Prometheus text format:  curl -H 'Accept: text/plain; version=0.0.4' http://HOST:9000/q/metrics,
#     after some traffic, since counters and timers appear with their first use): `promtool check
#     metrics` on it (strict on meridian_* families; findings on the framework's own metrics are
#     printed as notes), and every meridian_* metric that the alerts and the dashboard use appears in it
#
# Installs what is missing (Debian packages prometheus for promtool, yamllint, python3-yaml; needs
# root). Fails on the first failed check and names it.
set -euo pipefail
cd "$(dirname "$0")/.."

scrape=${1:-}
current="setup"
step() { current="$*"; echo; echo "== $*"; }
fail() { echo "FAILED: $*" >&2; exit 1; }
trap 'echo; echo "== deploy/ci-checks.sh FAILED in: ${current}" >&2' ERR

if [ -n "$scrape" ] && [ ! -s "$scrape" ]; then
  fail "scrape file '$scrape' does not exist or is empty"
fi

# ---------------------------------------------------------------------------------------------------
step "Tools: install if missing (prometheus for promtool, yamllint, python3-yaml)"
missing=()
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v yamllint >/dev/null 2>&1 || missing+=(yamllint)
python3 -c 'import yaml' >/dev/null 2>&1 || missing+=(python3-yaml)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  # Never let the prometheus package start a server on this machine while it is installed.
  added_policy=no
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && added_policy=yes
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  if [ "$added_policy" = yes ]; then rm -f /usr/sbin/policy-rc.d; fi
fi
echo "promtool: $(promtool --version 2>&1 | head -1)"
echo "yamllint: $(yamllint --version 2>&1)"
echo "python3:  $(python3 --version 2>&1), PyYAML $(python3 -c 'import yaml; print(yaml.__version__)')"

# ---------------------------------------------------------------------------------------------------
step "yamllint -c .yamllint.yaml deploy/"
yamllint -c .yamllint.yaml --strict deploy/
echo "clean"

step "promtool check config deploy/prometheus/prometheus.yml"
promtool check config deploy/prometheus/prometheus.yml

step "promtool check rules deploy/prometheus/alerts.yml"
promtool check rules deploy/prometheus/alerts.yml

step "promtool test rules deploy/prometheus/alerts_test.yml"
promtool test rules deploy/prometheus/alerts_test.yml

step "Every alert rule has a unit test, a severity label and summary + description annotations"
python3 - <<'EOF'
import sys, yaml
rules = [r for g in yaml.safe_load(open('deploy/prometheus/alerts.yml'))['groups'] for r in g['rules']]
tests = yaml.safe_load(open('deploy/prometheus/alerts_test.yml'))['tests']
tested_firing, tested_quiet = set(), set()
for t in tests:
    for c in t.get('alert_rule_test', []):
        (tested_firing if c.get('exp_alerts') else tested_quiet).add(c['alertname'])
problems = []
for r in rules:
    if 'alert' not in r:
        continue
    a = r['alert']
    if r.get('labels', {}).get('severity') not in ('critical', 'warning', 'info'):
        problems.append(f'{a}: severity label missing or not critical|warning|info')
    for k in ('summary', 'description'):
        if not r.get('annotations', {}).get(k, '').strip():
            problems.append(f'{a}: annotation {k} missing')
    if a not in tested_firing:
        problems.append(f'{a}: no test case where it fires')
    if a not in tested_quiet:
        problems.append(f'{a}: no test case where it stays quiet')
if problems:
    print('\n'.join(problems), file=sys.stderr)
    sys.exit(1)
print(f'{len(rules)} rules, each tested firing and quiet, each with severity, summary and description')
EOF

step "PrometheusRule deploy/kubernetes/prometheusrule.yaml carries exactly the groups of deploy/prometheus/alerts.yml"
python3 - <<'EOF'
import json, sys, yaml
expected = yaml.safe_load(open('deploy/prometheus/alerts.yml'))['groups']
rule = yaml.safe_load(open('deploy/kubernetes/prometheusrule.yaml'))
assert rule['apiVersion'] == 'monitoring.coreos.com/v1' and rule['kind'] == 'PrometheusRule', 'not a PrometheusRule'
actual = rule['spec']['groups']
if actual != expected:
    import difflib
    dump = lambda g: json.dumps(g, indent=1, sort_keys=True).splitlines()
    sys.stderr.write('\n'.join(difflib.unified_diff(dump(expected), dump(actual), 'alerts.yml groups',
                                                    'prometheusrule.yaml spec.groups', lineterm='')) + '\n')
    sys.stderr.write('Copy the groups again, e.g.:\n'
                     "  sed -n '/^groups:/,$p' deploy/prometheus/alerts.yml | sed 's/^\\(.\\)/  \\1/'\n"
                     'and put the result under "spec:" in deploy/kubernetes/prometheusrule.yaml\n')
    sys.exit(1)
print(f'identical: {len(actual)} groups, {sum(len(g["rules"]) for g in actual)} rules')
EOF

# ---------------------------------------------------------------------------------------------------
step "Grafana dashboard: valid JSON, unique panel ids, every query on the datasource variable and parseable by promtool"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 - "$tmp/dashboard-queries.yml" <<'EOF'
import json, re, sys, yaml
d = json.load(open('deploy/grafana/meridian-dashboard.json'))
problems = []
if not 36 <= d.get('schemaVersion', 0) <= 41:
    problems.append(f"schemaVersion {d.get('schemaVersion')} is not a Grafana 10/11 one")
if not any(v.get('type') == 'datasource' and v.get('query') == 'prometheus' for v in d['templating']['list']):
    problems.append('no Prometheus datasource variable')
ids, exprs = set(), []
for p in d['panels']:
    if p['id'] in ids:
        problems.append(f"duplicate panel id {p['id']}")
    ids.add(p['id'])
    if p['type'] == 'row':
        continue
    if p.get('datasource', {}).get('uid') != '${datasource}':
        problems.append(f"panel '{p['title']}' does not use the datasource variable")
    if not p.get('targets'):
        problems.append(f"panel '{p['title']}' has no query")
    for t in p.get('targets', []):
        exprs.append((p['title'], t['expr']))
for v in d['templating']['list']:
    if v.get('type') == 'query':
        # label_values(metric, label) is Grafana's, not PromQL: check the selector inside it
        m = re.fullmatch(r'label_values\((.*),\s*\w+\)', v['query']['query'])
        exprs.append((f"variable {v['name']}", m.group(1) if m else v['query']['query']))
subst = {'$__rate_interval': '1m', '$__interval': '1m', '$__range': '1h', '$job': '.*', '$region': '.*'}
rules = []
for i, (title, e) in enumerate(exprs):
    for k, v in subst.items():
        e = e.replace(k, v)
    if '$' in e:
        problems.append(f"{title}: unknown variable in {e}")
    rules.append({'record': f'dashboard:query_{i}', 'expr': e})
if problems:
    print('\n'.join(problems), file=sys.stderr)
    sys.exit(1)
yaml.safe_dump({'groups': [{'name': 'dashboard', 'rules': rules}]}, open(sys.argv[1], 'w'))
print(f"{len(d['panels'])} panels, {len(exprs)} queries")
EOF
promtool check rules "$tmp/dashboard-queries.yml" >/dev/null || { promtool check rules "$tmp/dashboard-queries.yml"; false; }
echo "every dashboard query parses"

# ---------------------------------------------------------------------------------------------------
step "The JVM flags of the image, the Deployment and the compose file name G1"
# under their 1 GiB memory limit the JVM would pick the serial collector by itself
for f in src/main/docker/Dockerfile.jvm deploy/kubernetes/deployment.yaml deploy/docker-compose.yml; do
  grep -q -- '-XX:+UseG1GC' "$f" || fail "$f: JAVA_OPTS without -XX:+UseG1GC"
done

step "Data-center model in deploy/kubernetes equals the bundled model"
if ! cmp -s deploy/kubernetes/data-centers.yaml src/main/resources/io/meridian/catalog/data-centers.yaml; then
  diff -u src/main/resources/io/meridian/catalog/data-centers.yaml deploy/kubernetes/data-centers.yaml || true
  fail "deploy/kubernetes/data-centers.yaml differs from the bundled model: copy it again (custom models belong in an overlay)"
fi
echo "identical"

step "Kubernetes manifests keep their promises (replicas, probes, resources, security context, secrets)"
if command -v kubectl >/dev/null 2>&1 && kubectl kustomize deploy/kubernetes > "$tmp/built.yaml" 2> "$tmp/kustomize.err"; then
  echo "built with: kubectl kustomize deploy/kubernetes ($(kubectl version --client 2>/dev/null | grep -i kustomize || true))"
  manifests="$tmp/built.yaml"
elif command -v kubectl >/dev/null 2>&1; then
  cat "$tmp/kustomize.err" >&2
  fail "kubectl kustomize deploy/kubernetes failed"
else
  echo "kubectl not installed: checking the source manifests without kustomize"
  manifests=""
fi
python3 - "$manifests" <<'EOF'
import sys, yaml
src = sys.argv[1]
if src:
    docs = [d for d in yaml.safe_load_all(open(src)) if d]
else:
    k = yaml.safe_load(open('deploy/kubernetes/kustomization.yaml'))
    docs = [d for f in k['resources'] for d in yaml.safe_load_all(open('deploy/kubernetes/' + f)) if d]
by_kind = {}
for d in docs:
    by_kind.setdefault(d['kind'], []).append(d)
problems = []
def need(cond, msg):
    if not cond:
        problems.append(msg)
for kind in ('Deployment', 'Service', 'HorizontalPodAutoscaler', 'PodDisruptionBudget', 'ServiceMonitor', 'PrometheusRule'):
    need(kind in by_kind, f'no {kind}')
if src:
    need(any(c['metadata']['name'].startswith('meridian-model') for c in by_kind.get('ConfigMap', [])), 'no model ConfigMap')
need('Secret' not in by_kind, 'a Secret is part of the kustomization: secret values must not be committed')
dep = by_kind['Deployment'][0]
spec = dep['spec']['template']['spec']
c = spec['containers'][0]
need(dep['spec'].get('replicas', 1) >= 2, 'fewer than 2 replicas')
ports = {p['name']: p['containerPort'] for p in c['ports']}
need(ports == {'http': 8080, 'management': 9000}, f'container ports {ports}')
for probe, path in (('startupProbe', '/q/health/started'), ('livenessProbe', '/q/health/live'),
                    ('readinessProbe', '/q/health/ready')):
    g = c.get(probe, {}).get('httpGet', {})
    need(g.get('path') == path and g.get('port') in ('management', 9000), f'{probe} is not {path} on port 9000')
res = c.get('resources', {})
for k in ('cpu', 'memory'):
    need(k in res.get('requests', {}) and k in res.get('limits', {}), f'no {k} request and limit')
env = {e['name']: e for e in c.get('env', [])}
need('MaxRAMPercentage' in env.get('JAVA_OPTS', {}).get('value', ''), 'JAVA_OPTS without -XX:MaxRAMPercentage')
psc, csc = spec.get('securityContext', {}), c.get('securityContext', {})
need(psc.get('runAsNonRoot') is True or csc.get('runAsNonRoot') is True, 'runAsNonRoot not set')
need(csc.get('readOnlyRootFilesystem') is True, 'readOnlyRootFilesystem not set')
need(csc.get('allowPrivilegeEscalation') is False, 'allowPrivilegeEscalation not false')
need(csc.get('capabilities', {}).get('drop') == ['ALL'], 'capabilities not drop ALL')
need((csc.get('seccompProfile') or psc.get('seccompProfile') or {}).get('type') == 'RuntimeDefault', 'no RuntimeDefault seccomp')
mounts = {m['mountPath']: m['name'] for m in c.get('volumeMounts', [])}
vols = {v['name']: v for v in spec.get('volumes', [])}
need('emptyDir' in vols.get(mounts.get('/tmp'), {}), '/tmp is not an emptyDir')
need(spec.get('topologySpreadConstraints') or spec.get('affinity', {}).get('podAntiAffinity'), 'no spread / anti-affinity')
model = env.get('MERIDIAN_MODEL_LOCATION', {}).get('value', '')
need(any(model.startswith(p + '/') and 'configMap' in vols.get(n, {}) for p, n in mounts.items()),
     'MERIDIAN_MODEL_LOCATION is not inside a mounted ConfigMap')
for name, (secret, key) in {'QUARKUS_DATASOURCE_JDBC_URL': ('meridian-db', 'jdbc-url'),
                            'QUARKUS_DATASOURCE_USERNAME': ('meridian-db', 'username'),
                            'QUARKUS_DATASOURCE_PASSWORD': ('meridian-db', 'password'),
                            'MP_JWT_VERIFY_ISSUER': ('meridian-jwt', 'issuer')}.items():
    ref = env.get(name, {}).get('valueFrom', {}).get('secretKeyRef', {})
    need(ref.get('name') == secret and ref.get('key') == key, f'{name} is not read from Secret {secret} key {key}')
need(any(v.get('secret', {}).get('secretName') == 'meridian-jwt' for v in vols.values()), 'JWT key Secret not mounted')
svc = {p['name']: p['port'] for p in by_kind['Service'][0]['spec']['ports']}
need(svc == {'http': 8080, 'management': 9000}, f'Service ports {svc}')
hpa = by_kind['HorizontalPodAutoscaler'][0]
need(hpa['apiVersion'] == 'autoscaling/v2' and hpa['spec']['minReplicas'] >= 2, 'HPA not autoscaling/v2 with minReplicas >= 2')
need(any(m.get('resource', {}).get('name') == 'cpu' for m in hpa['spec']['metrics']), 'HPA does not scale on CPU')
ep = by_kind['ServiceMonitor'][0]['spec']['endpoints'][0]
need(ep.get('port') == 'management' and ep.get('path') == '/q/metrics', 'ServiceMonitor does not scrape management /q/metrics')
if problems:
    print('\n'.join(problems), file=sys.stderr)
    sys.exit(1)
print(f"{len(docs)} objects: {', '.join(sorted(by_kind))}; every promise holds")
EOF

# ---------------------------------------------------------------------------------------------------
if [ -z "$scrape" ]; then
  echo
  echo "== (no scrape file given: skipping promtool check metrics and the metric-name check)"
else
  step "promtool check metrics < $scrape"
  # promtool reads the Prometheus text format (0.0.4). Quarkus answers OpenMetrics unless asked:
  # fetch the scrape with  curl -H 'Accept: text/plain; version=0.0.4' http://HOST:9000/q/metrics
  if grep -q '^# EOF' "$scrape" || head -c 100000 "$scrape" | grep -q '^# HELP .*\\"'; then
    fail "$scrape is in OpenMetrics format; fetch it with -H 'Accept: text/plain; version=0.0.4'"
  fi
  # Strict on Meridian's own metric families; the framework's JVM/Netty/HTTP metrics (Micrometer
  # binders, not ours) have known lint findings ("no help text", "_count" gauges), shown as notes.
  awk '/^# (HELP|TYPE) /{ if ($3 ~ /^meridian_/) print; next } /^meridian_/{ print }' "$scrape" > "$tmp/meridian-metrics.txt"
  [ -s "$tmp/meridian-metrics.txt" ] || fail "$scrape holds no meridian_* metric at all"
  echo "meridian_* families ($(grep -c '^# TYPE' "$tmp/meridian-metrics.txt") of them, $(grep -vc '^#' "$tmp/meridian-metrics.txt") samples):"
  promtool check metrics < "$tmp/meridian-metrics.txt"
  echo "  clean"
  echo "whole scrape (framework metrics included; notes only, not failing):"
  if promtool check metrics < "$scrape" > "$tmp/all-lint.txt" 2>&1; then
    echo "  clean"
  else
    if grep -E '^meridian_' "$tmp/all-lint.txt"; then
      fail "promtool reports meridian_* findings in the whole scrape"
    fi
    grep -c . "$tmp/all-lint.txt" | sed 's/^/  findings on non-Meridian metrics: /'
    sed 's/^/    note: /' "$tmp/all-lint.txt"
  fi

  step "Every meridian_* metric used by the alert rules and the dashboard is in $scrape"
  python3 - "$scrape" <<'EOF'
import json, re, sys, yaml
scrape = open(sys.argv[1]).read().splitlines()
samples, types = set(), {}
for line in scrape:
    m = re.match(r'#\s*TYPE\s+(\S+)\s+(\S+)', line)
    if m:
        types[m.group(1)] = m.group(2)
    elif line and not line.startswith('#'):
        samples.add(re.match(r'[a-zA-Z_:][a-zA-Z0-9_:]*', line).group(0))
NAME = re.compile(r'\bmeridian_[a-zA-Z0-9_:]+')
used = {}
for g in yaml.safe_load(open('deploy/prometheus/alerts.yml'))['groups']:
    for r in g['rules']:
        for n in NAME.findall(r['expr']):
            used.setdefault(n, set()).add('alerts.yml ' + r.get('alert', r.get('record', '?')))
d = json.load(open('deploy/grafana/meridian-dashboard.json'))
for p in d['panels']:
    for t in p.get('targets', []):
        for n in NAME.findall(t['expr']):
            used.setdefault(n, set()).add(f"dashboard '{p['title']}'")
for v in d['templating']['list']:
    if v.get('type') == 'query':
        for n in NAME.findall(v['query']['query']):
            used.setdefault(n, set()).add(f"dashboard variable {v['name']}")
def present(n):
    # A sample name, or a # TYPE name; a histogram's _bucket/_count/_sum (a summary's _count/_sum)
    # belong to the base name its # TYPE line declares.
    if n in samples or n in types:
        return True
    for suffix, kinds in (('_bucket', ('histogram',)), ('_count', ('histogram', 'summary')),
                          ('_sum', ('histogram', 'summary'))):
        if n.endswith(suffix) and types.get(n[:-len(suffix)]) in kinds:
            return True
    return False
missing = {n: w for n, w in used.items() if not present(n)}
for n in sorted(used):
    print(f"  {'ok     ' if n not in missing else 'MISSING'} {n}")
if missing:
    for n, w in sorted(missing.items()):
        print(f'{n} is used by {", ".join(sorted(w))} but the scrape has no such metric', file=sys.stderr)
    sys.exit(1)
print(f'{len(used)} meridian_* metrics used, all present in the scrape')
EOF
fi

current="done"
echo
echo "== deploy/ci-checks.sh: all checks passed"
