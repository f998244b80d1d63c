// deploy/kubernetes, proven without a cluster: each overlay is rendered by kustomize (the engine
// of `kubectl apply -k`) and every object decoded strictly against client-go's API types by
// kube-validate (deploy/build/kube-validate); then the objects are checked against each other
// and against the service, and both Collector tier configs are validated by the Collector build
// the images pin, with the environment the rendered pods give them.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { DEFAULT_INCIDENT_FLAGS_FILE, loadConfig } from '../../src/config.js';
import { ROOT } from '../../support/service.js';
import { readText, readYaml } from '../support/config-files.js';
import { run, stackBin } from '../support/stack.js';

const kustomize = stackBin('kustomize');
const kubeValidate = stackBin('kube-validate');
const otelcolScale = stackBin('otelcol-scale');
const OVERLAYS = ['dev', 'prod'] as const;
const TIERS = { agent: 'otel-agent', gateway: 'otel-gateway' } as const;

// biome-ignore lint/suspicious/noExplicitAny: rendered Kubernetes objects are untyped here
type K8sObject = any;

// kustomize runs once per overlay; each test parses its own copy of the output.
const rendered = new Map<string, Promise<string>>();

async function render(overlay: string): Promise<{ text: string; objects: K8sObject[] }> {
  if (!rendered.has(overlay)) {
    rendered.set(
      overlay,
      run(kustomize as string, ['build', `deploy/kubernetes/overlays/${overlay}`], {
        cwd: ROOT,
        maxBuffer: 16 * 1024 * 1024,
      }).then(({ stdout }) => stdout),
    );
  }
  const text = (await rendered.get(overlay)) as string;
  return { text, objects: parseAllDocuments(text).map((d) => d.toJS()) };
}

function find(objects: K8sObject[], kind: string, name: string): K8sObject {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}

function workloads(objects: K8sObject[]): K8sObject[] {
  return objects.filter((o) => ['Deployment', 'DaemonSet', 'StatefulSet'].includes(o.kind));
}

function matches(selector: Record<string, string>, labels: Record<string, string>): boolean {
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

/** The ConfigMap a workload mounts first. */
function configMapOf(objects: K8sObject[], workload: string): string {
  const w = workloads(objects).find((o) => o.metadata.name === workload);
  return w.spec.template.spec.volumes.find((v: K8sObject) => v.configMap).configMap.name;
}

/** `100m` -> 0.1, `1` -> 1. */
function cpuCores(quantity: string): number {
  return quantity.endsWith('m') ? Number(quantity.slice(0, -1)) / 1000 : Number(quantity);
}

/** `128Mi` -> 134217728 (the binary suffixes this repository uses). */
function bytes(quantity: string): number {
  const [, number, unit] = /^(\d+)(Ki|Mi|Gi)?$/.exec(quantity) ?? [];
  return Number(number) * 2 ** ({ Ki: 10, Mi: 20, Gi: 30 }[unit as 'Ki' | 'Mi' | 'Gi'] ?? 0);
}

function envOf(container: K8sObject): Record<string, string> {
  return Object.fromEntries(
    (container.env ?? []).filter((e: K8sObject) => 'value' in e).map((e: K8sObject) => [e.name, e.value]),
  );
}

describe.skipIf(!kustomize || !kubeValidate)('deploy/kubernetes', () => {
  for (const overlay of OVERLAYS) {
    describe(`overlays/${overlay}`, () => {
      it('renders, and every object decodes strictly against the Kubernetes API types', async () => {
        const { text, objects } = await render(overlay);
        const child = run(kubeValidate as string, [], { cwd: ROOT });
        child.child.stdin?.end(text);
        const { stdout } = await child;
        expect(stdout.trim().split('\n')).toHaveLength(objects.length);
      });

      it('selects what it means to: workloads, Services, budgets and the autoscaler', async () => {
        const { objects } = await render(overlay);
        const podLabels = workloads(objects).map((w) => w.spec.template.metadata.labels);
        for (const w of workloads(objects)) {
          expect(matches(w.spec.selector.matchLabels, w.spec.template.metadata.labels), w.metadata.name).toBe(true);
        }
        for (const svc of objects.filter((o) => o.kind === 'Service')) {
          expect(
            podLabels.some((labels) => matches(svc.spec.selector, labels)),
            `Service ${svc.metadata.name}`,
          ).toBe(true);
        }
        for (const pdb of objects.filter((o) => o.kind === 'PodDisruptionBudget')) {
          expect(
            podLabels.some((labels) => matches(pdb.spec.selector.matchLabels, labels)),
            pdb.metadata.name,
          ).toBe(true);
        }
        const hpa = find(objects, 'HorizontalPodAutoscaler', 'otel-monitoring-service');
        expect(find(objects, hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name)).toBeDefined();
        expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
        // Every ConfigMap and Secret a pod mounts or reads exists under its (hashed) name.
        const named = new Set(objects.map((o) => `${o.kind}/${o.metadata.name}`));
        for (const w of workloads(objects)) {
          for (const v of w.spec.template.spec.volumes ?? []) {
            if (v.configMap) expect(named.has(`ConfigMap/${v.configMap.name}`), v.configMap.name).toBe(true);
          }
        }
        if (overlay === 'dev') {
          const app = find(objects, 'Deployment', 'otel-monitoring-service').spec.template.spec.containers[0];
          expect(named.has(`Secret/${app.envFrom[0].secretRef.name}`)).toBe(true);
        }
      });

      it('runs the service with replicas, probes, a long enough grace period and no root', async () => {
        const { objects } = await render(overlay);
        const deployment = find(objects, 'Deployment', 'otel-monitoring-service');
        const pod = deployment.spec.template.spec;
        const [container] = pod.containers;
        const hpa = find(objects, 'HorizontalPodAutoscaler', deployment.metadata.name);
        expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(overlay === 'prod' ? 3 : 2);
        expect(container.livenessProbe.httpGet.path).toBe('/healthz');
        expect(container.readinessProbe.httpGet.path).toBe('/readyz');
        // The grace period covers the service's own drain + flush (+2 s for the database).
        const env = envOf(container);
        const config = loadConfig({ ...env, PORT: env.PORT });
        expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(
          config.shutdownGraceMs + config.flushTimeoutMs + 2000,
        );
        expect(container.resources.requests.cpu).toBeDefined(); // the HPA's utilisation needs it
        // Pod identity reaches the resource through the Downward API.
        const resource = env.OTEL_RESOURCE_ATTRIBUTES as string;
        for (const key of ['service.instance.id', 'k8s.pod.name', 'k8s.node.name', 'k8s.namespace.name']) {
          expect(resource).toContain(`${key}=$(`);
        }
        const declared = (container.env as K8sObject[]).map((e) => e.name);
        for (const [, ref] of resource.matchAll(/\$\(([A-Z_]+)\)/g)) {
          // Kubernetes expands $(VAR) only for variables declared earlier in the list.
          expect(declared.indexOf(ref), ref).toBeLessThan(declared.indexOf('OTEL_RESOURCE_ATTRIBUTES'));
          expect(declared.indexOf(ref), ref).toBeGreaterThanOrEqual(0);
        }
        for (const w of workloads(objects)) {
          const spec = w.spec.template.spec;
          expect(spec.securityContext.runAsNonRoot, w.metadata.name).toBe(true);
          for (const c of spec.containers) {
            expect(c.securityContext.readOnlyRootFilesystem, `${w.metadata.name}/${c.name}`).toBe(true);
            expect(c.securityContext.allowPrivilegeEscalation, `${w.metadata.name}/${c.name}`).toBe(false);
            expect(c.resources.limits.memory, `${w.metadata.name}/${c.name}`).toBeDefined();
          }
        }
      });

      it('leaves the replica count to the autoscaler: no spec.replicas on a Deployment an HPA scales', async () => {
        const { objects } = await render(overlay);
        const scaled = objects.filter((o) => o.kind === 'HorizontalPodAutoscaler');
        expect(scaled.length).toBeGreaterThan(0);
        for (const hpa of scaled) {
          const target = find(objects, hpa.spec.scaleTargetRef.kind, hpa.spec.scaleTargetRef.name);
          expect(target.spec.replicas, `${target.kind} ${target.metadata.name}`).toBeUndefined();
        }
      });

      it('rolls the agents with a surge and no unavailability, so no node is left without one', async () => {
        const { objects } = await render(overlay);
        const agent = find(objects, 'DaemonSet', TIERS.agent);
        expect(agent.spec.updateStrategy.type).toBe('RollingUpdate');
        expect(agent.spec.updateStrategy.rollingUpdate.maxUnavailable).toBe(0);
        expect(agent.spec.updateStrategy.rollingUpdate.maxSurge).toBeGreaterThanOrEqual(1);
        // Two agent pods on one node during the surge: a hostPort would make the second unschedulable.
        for (const c of agent.spec.template.spec.containers) {
          expect((c.ports ?? []).filter((p: K8sObject) => p.hostPort)).toEqual([]);
        }
        // The service reaches only its node's agents, which is why the surge matters.
        expect(find(objects, 'Service', 'otel-agent').spec.internalTrafficPolicy).toBe('Local');
      });

      it('keeps exemplars end to end, as compose does: span metrics, OpenMetrics exposition', async () => {
        const { objects } = await render(overlay);
        const gateway = workloads(objects).find((w) => w.metadata.name === TIERS.gateway);
        const volume = gateway.spec.template.spec.volumes.find((v: K8sObject) => v.configMap);
        const config = parse(find(objects, 'ConfigMap', volume.configMap.name).data['gateway.yaml']);
        expect(config.connectors.span_metrics.exemplars.enabled).toBe(true);
        expect(config.exporters.prometheus.enable_open_metrics).toBe(true);
        if (overlay === 'dev') {
          const prometheus = find(objects, 'Deployment', 'prometheus').spec.template.spec.containers[0];
          expect(prometheus.args).toContain('--enable-feature=exemplar-storage');
          const scrape = parse(find(objects, 'ConfigMap', configMapOf(objects, 'prometheus')).data['prometheus.yml']);
          const job = scrape.scrape_configs.find((j: K8sObject) => j.job_name === 'otel-gateway');
          expect(job.scrape_protocols[0]).toBe('OpenMetricsText1.0.0');
        }
      });

      it('mounts the Collector configs generated from the files the scale test runs', async () => {
        const { objects } = await render(overlay);
        for (const [tier, name] of Object.entries(TIERS)) {
          const workload = workloads(objects).find((w) => w.metadata.name === name);
          const volume = workload.spec.template.spec.volumes.find((v: K8sObject) => v.configMap);
          const configMap = find(objects, 'ConfigMap', volume.configMap.name);
          expect(configMap.data[`${tier}.yaml`]).toBe(readText(`deploy/kubernetes/base/collector/${tier}.yaml`));
          expect(workload.spec.template.spec.containers[0].args).toEqual([`--config=/conf/${tier}.yaml`]);
        }
      });

      it('routes the agents to the gateways through their headless Service, with least privilege', async () => {
        const { objects } = await render(overlay);
        const agent = find(objects, 'DaemonSet', 'otel-agent').spec.template.spec;
        const resolver = parse(envOf(agent.containers[0]).GATEWAY_RESOLVER as string);
        const [service, namespace] = resolver.k8s.service.split('.');
        expect(namespace).toBe('$(POD_NAMESPACE)');
        const headless = find(objects, 'Service', service);
        expect(headless.spec.clusterIP).toBe('None');
        expect(headless.spec.ports.map((p: K8sObject) => p.port)).toEqual(expect.arrayContaining(resolver.k8s.ports));
        const gateway = find(objects, 'Deployment', 'otel-gateway');
        expect(matches(headless.spec.selector, gateway.spec.template.metadata.labels)).toBe(true);
        expect(gateway.spec.replicas).toBeGreaterThanOrEqual(2);
        // The Role grants read access to EndpointSlices and nothing else, bound to the agent only.
        const roles = objects.filter((o) => o.kind === 'Role' || o.kind === 'ClusterRole');
        expect(roles.map((r) => r.kind)).toEqual(['Role']);
        expect(roles[0].rules).toEqual([
          { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
        ]);
        const binding = find(objects, 'RoleBinding', 'otel-agent-endpointslices');
        expect(binding.subjects).toEqual([
          { kind: 'ServiceAccount', name: agent.serviceAccountName, namespace: 'otel-monitoring' },
        ]);
        // No other pod gets an API token.
        for (const w of workloads(objects).filter((w) => w.metadata.name !== 'otel-agent')) {
          expect(w.spec.template.spec.automountServiceAccountToken, w.metadata.name).toBe(false);
        }
      });

      it('pins the Collector image to the release the tier configs are tested with', async () => {
        const { objects } = await render(overlay);
        const version = readYaml('deploy/collector/scale/builder-config.yaml').dist.version;
        for (const name of Object.values(TIERS)) {
          const w = workloads(objects).find((o) => o.metadata.name === name);
          expect(w.spec.template.spec.containers[0].image).toBe(`otel/opentelemetry-collector-contrib:${version}`);
        }
      });

      it.skipIf(!otelcolScale)(
        'gives each tier a config the tier Collector accepts, with the pod environment',
        async () => {
          const { objects } = await render(overlay);
          for (const [tier, name] of Object.entries(TIERS)) {
            const container = workloads(objects).find((o) => o.metadata.name === name).spec.template.spec.containers[0];
            const env = Object.fromEntries(
              Object.entries(envOf(container)).map(([k, v]) => [k, v.replace('$(POD_NAMESPACE)', 'otel-monitoring')]),
            );
            const { stdout, stderr } = await run(
              otelcolScale as string,
              ['validate', `--config=deploy/kubernetes/base/collector/${tier}.yaml`],
              { cwd: ROOT, env: { PATH: process.env.PATH, ...env } },
            );
            expect(`${stdout}${stderr}`, tier).not.toMatch(/error/i);
          }
        },
      );
    });
  }

  it('runs Grafana in overlays/dev from the very provisioning and dashboards compose mounts', async () => {
    const { objects } = await render('dev');
    const compose = readYaml('docker-compose.yml').services.grafana;
    const grafana = find(objects, 'Deployment', 'grafana');
    const pod = grafana.spec.template.spec;
    const [container] = pod.containers;
    expect(container.image).toBe(compose.image);
    expect(envOf(container).GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH).toBe(
      compose.environment.GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH,
    );
    // compose bind mounts, container path -> repository path.
    const binds = (compose.volumes as string[])
      .map((v) => v.split(':'))
      .filter(([source]) => source?.startsWith('./'))
      .map(([source, target]) => ({ source: (source as string).slice(2), target: target as string }));
    const repositoryFileAt = (path: string): string | undefined => {
      const bind = binds.find((b) => path.startsWith(`${b.target}/`));
      return bind ? `${bind.source}${path.slice(bind.target.length)}` : undefined;
    };
    const mounted = new Set<string>();
    for (const mount of container.volumeMounts) {
      const volume = pod.volumes.find((v: K8sObject) => v.name === mount.name);
      if (!volume.configMap) continue;
      for (const [key, text] of Object.entries(find(objects, 'ConfigMap', volume.configMap.name).data)) {
        const file = repositoryFileAt(`${mount.mountPath}/${key}`);
        expect(file, `${mount.mountPath}/${key} is where compose mounts a repository file`).toBeDefined();
        expect(text, file).toBe(readText(file as string));
        mounted.add(file as string);
      }
    }
    // Every dashboard and provisioning file compose mounts reaches the pod.
    const shipped = [
      'deploy/grafana/provisioning/datasources',
      'deploy/grafana/provisioning/dashboards',
      'deploy/grafana/dashboards',
    ].flatMap((dir) => readdirSync(dir).map((f) => `${dir}/${f}`));
    expect([...mounted].sort()).toEqual(shipped.sort());
    expect(find(objects, 'Service', 'grafana').spec.ports[0].port).toBe(3000);
  });

  it('runs the alert path in overlays/dev from the files compose uses: rules, Alertmanager, incident flags', async () => {
    const { objects } = await render('dev');
    const compose = readYaml('docker-compose.yml').services;
    const podOf = (name: string) => find(objects, 'Deployment', name).spec.template.spec;
    const volumeAt = (pod: K8sObject, container: K8sObject, path: string) => {
      const mount = container.volumeMounts.find((m: K8sObject) => m.mountPath === path);
      expect(mount, `a volume mounted at ${path}`).toBeDefined();
      return pod.volumes.find((v: K8sObject) => v.name === mount.name);
    };

    // Alertmanager: compose's image and flags, its config and template at the paths they name.
    const alertmanagerPod = podOf('alertmanager');
    const [alertmanager] = alertmanagerPod.containers;
    expect(alertmanager.image).toBe(compose.alertmanager.image);
    expect(alertmanager.args).toEqual(compose.alertmanager.command);
    const amVolume = volumeAt(alertmanagerPod, alertmanager, '/etc/alertmanager');
    const amData = find(objects, 'ConfigMap', amVolume.configMap.name).data;
    for (const item of amVolume.configMap.items) {
      expect(amData[item.key], item.path).toBe(readText(`deploy/alertmanager/${item.path}`));
    }
    expect(amVolume.configMap.items.map((i: K8sObject) => i.path).sort()).toEqual([
      'alertmanager.yml',
      'templates/email.tmpl',
    ]);

    // Prometheus: every rule file compose mounts, where the dev config looks for them, and an
    // Alertmanager and postgres-exporter that exist as Services on the ports it names.
    const promPod = podOf('prometheus');
    const [prometheus] = promPod.containers;
    const rulesMount = prometheus.volumeMounts.find((m: K8sObject) => m.name === 'rules');
    const rules = find(
      objects,
      'ConfigMap',
      promPod.volumes.find((v: K8sObject) => v.name === 'rules').configMap.name,
    ).data;
    expect(Object.keys(rules).sort()).toEqual(readdirSync('deploy/prometheus/rules').sort());
    for (const [file, text] of Object.entries(rules)) expect(text).toBe(readText(`deploy/prometheus/rules/${file}`));
    const devConfig = parse(find(objects, 'ConfigMap', configMapOf(objects, 'prometheus')).data['prometheus.yml']);
    expect(devConfig.rule_files).toEqual([`${rulesMount.mountPath}/*.yml`]);
    const servicePort = (target: string) => {
      const [name, port] = target.split(':');
      const service = find(objects, 'Service', name as string);
      expect(service.spec.ports.map((p: K8sObject) => p.port)).toContain(Number(port));
    };
    servicePort(devConfig.alerting.alertmanagers[0].static_configs[0].targets[0]);
    const exporterJob = devConfig.scrape_configs.find((j: K8sObject) => j.job_name === 'postgres-exporter');
    servicePort(exporterJob.static_configs[0].targets[0]);
    const policy = find(objects, 'NetworkPolicy', 'postgres-from-service-only');
    const admitted = policy.spec.ingress[0].from.map(
      (f: K8sObject) => f.podSelector.matchLabels['app.kubernetes.io/name'],
    );
    expect(admitted).toContain(
      find(objects, 'Deployment', 'postgres-exporter').spec.template.metadata.labels['app.kubernetes.io/name'],
    );

    // The incident flags: the shipped file, in a ConfigMap of fixed name (updated in place), in
    // the folder the service is told to read.
    const appPod = podOf('otel-monitoring-service');
    const app = appPod.containers.find((c: K8sObject) => c.name === 'service');
    const flagPath = envOf(app).FLAGD_OFFLINE_FLAG_SOURCE_PATH as string;
    const flagVolume = volumeAt(appPod, app, flagPath.slice(0, flagPath.lastIndexOf('/')));
    expect(flagVolume.configMap.name).toBe('incident-flags');
    expect(find(objects, 'ConfigMap', 'incident-flags').data[flagPath.split('/').pop() as string]).toBe(
      readText(DEFAULT_INCIDENT_FLAGS_FILE),
    );
  });

  it('asks, in overlays/dev, for no more than a 2-CPU kind or minikube node has beside its control plane', async () => {
    const { objects } = await render('dev');
    const hpaMin = new Map(
      objects
        .filter((o) => o.kind === 'HorizontalPodAutoscaler')
        .map((h) => [h.spec.scaleTargetRef.name, h.spec.minReplicas as number]),
    );
    let cpu = 0;
    let memory = 0;
    let limits = 0;
    for (const w of workloads(objects)) {
      // A DaemonSet counts once: one node. A scaled Deployment starts at its autoscaler's minimum.
      const pods = w.kind === 'DaemonSet' ? 1 : (hpaMin.get(w.metadata.name) ?? w.spec.replicas ?? 1);
      for (const c of w.spec.template.spec.containers) {
        cpu += pods * cpuCores(c.resources.requests.cpu);
        memory += pods * bytes(c.resources.requests.memory);
        limits += pods * bytes(c.resources.limits.memory);
      }
    }
    // 2 CPUs less kubeadm's control plane and CoreDNS (750m), with room for the CNI and kube-proxy.
    expect(cpu).toBeLessThanOrEqual(1.0);
    expect(memory).toBeLessThanOrEqual(1.5 * 2 ** 30);
    // deploy/kubernetes/README.md states the same sums.
    const text = readText('deploy/kubernetes/README.md').replace(/\s+/g, ' ');
    const stated = /pods request (\d+)m CPU and (\d+) MiB of memory in all/.exec(text);
    expect(stated?.slice(1).map(Number)).toEqual([Math.round(cpu * 1000), memory / 2 ** 20]);
    expect(/memory limits, ceilings rather than reservations, add up to (\d+) MiB/.exec(text)?.[1]).toBe(
      String(limits / 2 ** 20),
    );
  });

  it('tells prod users steps that work on a fresh cluster: the namespace exists before the Secret', () => {
    const steps = readText('deploy/kubernetes/overlays/prod/kustomization.yaml')
      .split('\n')
      .filter((line) => /^#\s+(\d\.\s+)?kubectl /.test(line))
      .map((line) => line.replace(/^#\s+(\d\.\s+)?/, ''));
    const namespace = readYaml('deploy/kubernetes/overlays/prod/kustomization.yaml').namespace;
    const secret = steps.findIndex((s) => s.includes(`-n ${namespace} create secret`));
    const create = steps.findIndex((s) => /^kubectl (create namespace|apply -f) /.test(s));
    expect(secret).toBeGreaterThan(-1);
    expect(create).toBeGreaterThan(-1);
    expect(create).toBeLessThan(secret);
    const file = /apply -f (\S+)/.exec(steps[create] as string)?.[1];
    if (file) expect(readYaml(file)).toMatchObject({ kind: 'Namespace', metadata: { name: namespace } });
    expect(steps.at(-1)).toBe('kubectl apply -k deploy/kubernetes/overlays/prod');
  });

  it.skipIf(!otelcolScale)('refuses a broken tier config (the validation can fail)', async () => {
    await expect(
      run(otelcolScale as string, ['validate', '--config=deploy/kubernetes/base/collector/agent.yaml'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, GATEWAY_RESOLVER: '{k8s: {}, static: {hostnames: [a:1]}}' },
      }),
    ).rejects.toThrow();
  });
});
