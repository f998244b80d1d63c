// deploy/kubernetes, proven without a cluster: each overlay is rendered by kustomize (the engine
// of `kubectl apply -k`) and every object decoded strictly against client-go's API types by
// kube-validate (deploy/build/kube-validate); then the objects are checked against each other
// and against the service, and both Collector tier configs are validated by the Collector build
// the images pin, with the environment the rendered pods give them.
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { loadConfig } from '../../src/config.js';
import { readText, readYaml } from '../support/config-files.js';
import { ROOT } from '../support/service.js';
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
        expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
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

  it.skipIf(!otelcolScale)('refuses a broken tier config (the validation can fail)', async () => {
    await expect(
      run(otelcolScale as string, ['validate', '--config=deploy/kubernetes/base/collector/agent.yaml'], {
        cwd: ROOT,
        env: { PATH: process.env.PATH, GATEWAY_RESOLVER: '{k8s: {}, static: {hostnames: [a:1]}}' },
      }),
    ).rejects.toThrow();
  });
});
