#!/usr/bin/env python3
"""Turns the Meridian Deployment of deploy/kubernetes into the `podman run` options that run the
image the same way, and checks that the manifest asks for what the image provides.

    manifest_run.py RENDERED SOURCES OUT

RENDERED   the output of `kubectl kustomize deploy/kubernetes`, or "-" to read the resources that
           deploy/kubernetes/kustomization.yaml lists (and its configMapGenerator) without kustomize
SOURCES    JSON: {"secrets": {"NAME/KEY": value}, "files": {"NAME/KEY": host path}} - what the
           check puts where the cluster would put Secret values and ConfigMap / Secret files
OUT        a directory; written there: run-args, the podman run options, NUL-separated (user,
           read-only root, tmpfs, mounts, environment file, memory and CPU limits, capabilities);
           run.env, the container's environment; facts.json, the figures the check asserts on
           (ports, probes, grace period, ...)

Every environment variable of the container comes from the manifest: plain values as they are,
secretKeyRef from SOURCES (an unknown Secret key fails), envFrom from the generated ConfigMap.
Exits 1 and names each problem when the manifest and the image's needs disagree.
"""
import json
import re
import sys

import yaml

KUBERNETES = 'deploy/kubernetes'


def load(rendered):
    if rendered != '-':
        return [d for d in yaml.safe_load_all(open(rendered)) if d]
    kustomization = yaml.safe_load(open(f'{KUBERNETES}/kustomization.yaml'))
    docs = [d for f in kustomization['resources'] for d in yaml.safe_load_all(open(f'{KUBERNETES}/{f}')) if d]
    # what kustomize's configMapGenerator would add (names without the content hash)
    for generator in kustomization.get('configMapGenerator', []):
        data = {}
        for literal in generator.get('literals', []):
            key, value = literal.split('=', 1)
            data[key] = value
        for f in generator.get('files', []):
            data[f.split('/')[-1]] = open(f'{KUBERNETES}/{f}').read()
        docs.append({'kind': 'ConfigMap', 'metadata': {'name': generator['name']}, 'data': data})
    return docs


def generated(name, config_maps):
    """The ConfigMap a generator named `name` produced (kustomize appends a content hash)."""
    for c in config_maps:
        n = c['metadata']['name']
        if n == name or re.fullmatch(re.escape(name) + r'-[a-z0-9]{10}', n):
            return c
    return None


def quantity_bytes(q):
    units = {'Ki': 2**10, 'Mi': 2**20, 'Gi': 2**30, 'Ti': 2**40, 'k': 10**3, 'M': 10**6, 'G': 10**9}
    m = re.fullmatch(r'([0-9.]+)([A-Za-z]*)', str(q))
    return int(float(m.group(1)) * units.get(m.group(2), 1))


def cpus(q):
    q = str(q)
    return float(q[:-1]) / 1000 if q.endswith('m') else float(q)


def main(rendered, sources_file, out):
    docs = load(rendered)
    sources = json.load(open(sources_file))
    problems = []

    def need(cond, msg):
        if not cond:
            problems.append(msg)

    deployments = [d for d in docs if d['kind'] == 'Deployment' and d['metadata']['name'] == 'meridian']
    if not deployments:
        sys.exit('no Deployment "meridian" in the manifests')
    pod = deployments[0]['spec']['template']['spec']
    c = next(x for x in pod['containers'] if x['name'] == 'meridian')
    config_maps = [d for d in docs if d['kind'] == 'ConfigMap']
    psc, csc = pod.get('securityContext', {}), c.get('securityContext', {})

    def sc(key):
        return csc.get(key, psc.get(key))

    args = []
    uid, gid = sc('runAsUser'), sc('runAsGroup')
    need(isinstance(uid, int) and uid > 0, f'runAsUser {uid!r} is not a numeric non-root user id')
    need(sc('runAsNonRoot') is True, 'runAsNonRoot is not true')
    args += ['--user', f'{uid}:{gid}' if gid is not None else str(uid)]
    if psc.get('fsGroup') is not None:
        args += ['--group-add', str(psc['fsGroup'])]
    need(csc.get('readOnlyRootFilesystem') is True, 'readOnlyRootFilesystem is not true')
    if csc.get('readOnlyRootFilesystem'):
        args += ['--read-only', '--read-only-tmpfs=false']
    if csc.get('allowPrivilegeEscalation') is False:
        args += ['--security-opt', 'no-new-privileges']
    for cap in csc.get('capabilities', {}).get('drop', []):
        args += ['--cap-drop', cap]

    limits = c.get('resources', {}).get('limits', {})
    memory = limits.get('memory')
    need(memory is not None, 'no memory limit: the heap (MaxRAMPercentage) would size itself from the node')
    if memory:
        args += ['--memory', str(quantity_bytes(memory))]
    if limits.get('cpu'):
        args += ['--cpus', str(cpus(limits['cpu']))]

    ports = {p['name']: p['containerPort'] for p in c.get('ports', [])}
    need(ports.get('http') == 8080 and ports.get('management') == 9000,
         f'container ports {ports}: the image serves the API on 8080 and health/metrics on 9000')

    probes = {}
    for probe in ('startupProbe', 'livenessProbe', 'readinessProbe'):
        get = c.get(probe, {}).get('httpGet')
        if not get:
            problems.append(f'{probe} is not an httpGet probe')
            continue
        port = ports.get(get['port'], get['port'])
        need(port == 9000, f'{probe} probes port {get["port"]} ({port}), not the management port 9000')
        probes[probe] = {'path': get['path'], 'port': port,
                         'budget': c[probe].get('periodSeconds', 10) * c[probe].get('failureThreshold', 3)}

    volumes = {v['name']: v for v in pod.get('volumes', [])}
    mounted = {}
    for m in c.get('volumeMounts', []):
        v = volumes.get(m['name'])
        if v is None:
            problems.append(f'volumeMount {m["name"]} has no volume')
            continue
        path = m['mountPath'].rstrip('/')
        if 'emptyDir' in v:
            size = v['emptyDir'].get('sizeLimit')
            args += ['--tmpfs', f'{path}:rw,nosuid,nodev,mode=1777' + (f',size={quantity_bytes(size)}' if size else '')]
            mounted[path] = 'emptyDir'
            continue
        kind, ref = ('configMap', v['configMap']['name']) if 'configMap' in v else \
            ('secret', v['secret']['secretName']) if 'secret' in v else (None, None)
        if kind is None:
            problems.append(f'volume {m["name"]}: only emptyDir, configMap and secret volumes are known to the check')
            continue
        items = v[kind].get('items')
        if not items:
            problems.append(f'volume {m["name"]}: list the files (items) the service reads')
            continue
        if kind == 'configMap':
            ref = re.sub(r'-[a-z0-9]{10}$', '', ref) if generated(ref, config_maps) is not None else ref
        for item in items:
            source = sources['files'].get(f'{ref}/{item["key"]}')
            if source is None:
                problems.append(f'volume {m["name"]}: the check has no file for {kind} {ref} key {item["key"]}')
                continue
            target = f'{path}/{item["path"]}'
            args += ['--volume', f'{source}:{target}:ro']
            mounted[target] = f'{kind} {ref}'

    env = {}
    for e in c.get('env', []):
        if 'value' in e:
            env[e['name']] = e['value']
        elif 'secretKeyRef' in e.get('valueFrom', {}):
            ref = e['valueFrom']['secretKeyRef']
            key = f'{ref["name"]}/{ref["key"]}'
            if key not in sources['secrets']:
                problems.append(f'{e["name"]} reads Secret {key}, which the check does not provide')
            else:
                env[e['name']] = sources['secrets'][key]
        else:
            problems.append(f'{e["name"]}: only value and secretKeyRef are known to the check')
    for source in c.get('envFrom', []):
        name = source.get('configMapRef', {}).get('name')
        cm = generated(name, config_maps) if name else None
        if cm is None:
            problems.append(f'envFrom {source}: no such generated ConfigMap')
            continue
        for k, v in cm.get('data', {}).items():
            env.setdefault(k, v)

    # what the image needs from its environment
    java_opts = env.get('JAVA_OPTS', '')
    need('-XX:MaxRAMPercentage' in java_opts, 'JAVA_OPTS without -XX:MaxRAMPercentage')
    need('-XX:+UseG1GC' in java_opts, 'JAVA_OPTS without -XX:+UseG1GC (under 1.75 GiB the JVM picks the serial collector)')
    need('-Djava.io.tmpdir=/tmp' in java_opts and mounted.get('/tmp') == 'emptyDir',
         'JAVA_OPTS must keep -Djava.io.tmpdir=/tmp with an emptyDir at /tmp (the only writable path)')
    for name, kind in (('MERIDIAN_MODEL_LOCATION', 'configMap'), ('MP_JWT_VERIFY_PUBLICKEY_LOCATION', 'secret')):
        where = mounted.get(env.get(name, ''), '')
        need(where.startswith(kind), f'{name}={env.get(name)!r} is not a file mounted from a {kind}')
    for name in ('QUARKUS_DATASOURCE_JDBC_URL', 'QUARKUS_DATASOURCE_USERNAME', 'QUARKUS_DATASOURCE_PASSWORD',
                 'MP_JWT_VERIFY_ISSUER'):
        need(name in env, f'{name} is not set')
    with open(f'{out}/run.env', 'w') as f:
        for k, v in env.items():
            if '\n' in v:
                problems.append(f'{k}: a value over several lines cannot go into an environment file')
            f.write(f'{k}={v}\n')
    args += ['--env-file', f'{out}/run.env']

    hook = c.get('lifecycle', {}).get('preStop', {}).get('exec', {}).get('command', [])
    pre_stop = int(hook[1]) if len(hook) == 2 and hook[0] == 'sleep' else 0
    grace = pod.get('terminationGracePeriodSeconds', 30)
    facts = {'uid': uid, 'gid': gid, 'ports': ports, 'probes': probes, 'grace': grace, 'preStopSleep': pre_stop,
             'memory': memory, 'cpu': limits.get('cpu'), 'env': sorted(env), 'mounts': mounted,
             'javaOpts': java_opts, 'config': {k: v for k, v in env.items() if k.startswith('MERIDIAN_')}}
    json.dump(facts, open(f'{out}/facts.json', 'w'), indent=1)
    open(f'{out}/run-args', 'w').write('\0'.join(args) + '\0')
    if problems:
        print('\n'.join(problems), file=sys.stderr)
        sys.exit(1)


if __name__ == '__main__':
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(*sys.argv[1:])
