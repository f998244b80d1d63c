// The two-tier topology of deploy/kubernetes, run natively on loopback for test/scale: Jaeger,
// Prometheus, two gateway Collectors and two agent Collectors (built from
// deploy/collector/scale/builder-config.yaml) with the very config files the ConfigMaps are
// generated from. The only difference from Kubernetes is GATEWAY_RESOLVER: a `static` list of
// the two gateways stands in for the `k8s` resolver, which needs an API server.
//
// Ports are fixed (checked free first, so a clash fails by name) because the agents' static
// resolver must know the gateways' addresses before either starts, and a restarted gateway
// must come back where the agents expect it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type Backend, startBackend, waitHealthy } from '../stack/backends.js';

export const TIER_CONFIG = {
  agent: 'deploy/kubernetes/base/collector/agent.yaml',
  gateway: 'deploy/kubernetes/base/collector/gateway.yaml',
};

export const JAEGER = { otlp: 15317, metrics: 15888, health: 15133, ui: 16686, query: 16685 };
export const PROMETHEUS_PORT = 15090;

export interface GatewayPorts {
  otlp: number;
  prometheus: number;
  telemetry: number;
  health: number;
}
export interface AgentPorts {
  grpc: number;
  http: number;
  telemetry: number;
  health: number;
}

export const GATEWAYS: GatewayPorts[] = [15417, 15517].map((base) => ({
  otlp: base,
  prometheus: base + 72,
  telemetry: base + 71,
  health: base + 16,
}));
export const AGENTS: AgentPorts[] = [15617, 15717].map((base) => ({
  grpc: base,
  http: base + 1,
  telemetry: base + 71,
  health: base + 16,
}));

export function allPorts(): number[] {
  return [
    ...Object.values(JAEGER),
    PROMETHEUS_PORT,
    ...GATEWAYS.flatMap((g) => Object.values(g)),
    ...AGENTS.flatMap((a) => Object.values(a)),
  ];
}

/** Tail-sampling settings for the test: the defaults' shape, with shorter waits. */
export const SAMPLING = { decisionWait: '3s', latencyMs: 300, percentage: 10 };

export async function startJaeger(bin: string): Promise<Backend> {
  const jaeger = startBackend('scale-jaeger', bin, ['--config=deploy/jaeger/config.yaml'], {
    JAEGER_BIND: '127.0.0.1',
    JAEGER_OTLP_GRPC_PORT: String(JAEGER.otlp),
    JAEGER_METRICS_PORT: String(JAEGER.metrics),
    JAEGER_HEALTH_PORT: String(JAEGER.health),
  });
  await waitHealthy(jaeger, `http://127.0.0.1:${JAEGER.health}/status`);
  return jaeger;
}

export async function startGateway(bin: string, index: number, logsEndpoint: string): Promise<Backend> {
  const ports = GATEWAYS[index] as GatewayPorts;
  const gateway = startBackend(`scale-gateway-${index}`, bin, [`--config=${TIER_CONFIG.gateway}`], {
    OTELCOL_BIND: '127.0.0.1',
    OTLP_GRPC_PORT: String(ports.otlp),
    PROMETHEUS_PORT: String(ports.prometheus),
    TELEMETRY_PORT: String(ports.telemetry),
    HEALTH_PORT: String(ports.health),
    JAEGER_OTLP_ENDPOINT: `127.0.0.1:${JAEGER.otlp}`,
    LOKI_OTLP_ENDPOINT: logsEndpoint,
    TAIL_SAMPLING_DECISION_WAIT: SAMPLING.decisionWait,
    TAIL_SAMPLING_LATENCY_MS: String(SAMPLING.latencyMs),
    TAIL_SAMPLING_PERCENTAGE: String(SAMPLING.percentage),
    SPAN_METRICS_FLUSH_INTERVAL: '1s',
  });
  await waitHealthy(gateway, `http://127.0.0.1:${ports.health}/`);
  return gateway;
}

export async function startAgent(bin: string, index: number): Promise<Backend> {
  const ports = AGENTS[index] as AgentPorts;
  const hostnames = GATEWAYS.map((g) => `127.0.0.1:${g.otlp}`);
  const agent = startBackend(`scale-agent-${index}`, bin, [`--config=${TIER_CONFIG.agent}`], {
    OTELCOL_BIND: '127.0.0.1',
    OTLP_GRPC_PORT: String(ports.grpc),
    OTLP_HTTP_PORT: String(ports.http),
    TELEMETRY_PORT: String(ports.telemetry),
    HEALTH_PORT: String(ports.health),
    GATEWAY_RESOLVER: JSON.stringify({ static: { hostnames } }),
  });
  await waitHealthy(agent, `http://127.0.0.1:${ports.health}/`);
  return agent;
}

/**
 * Prometheus scraping every gateway's :8889 (span metrics) and every Collector's own metrics, with
 * exemplars as overlays/dev's Prometheus keeps them: OpenMetrics first, exemplar storage on.
 */
export async function startPrometheus(bin: string): Promise<Backend> {
  const target = (port: number) => `127.0.0.1:${port}`;
  const config = {
    global: { scrape_interval: '1s' },
    scrape_configs: [
      {
        job_name: 'otel-gateway',
        scrape_protocols: ['OpenMetricsText1.0.0', 'PrometheusText0.0.4'],
        // A span-metrics exemplar is on the exporter's page for one flush (1 s here), until the
        // next flush replaces the series without it: scraping four times a flush sees every one.
        scrape_interval: '250ms',
        scrape_timeout: '250ms',
        static_configs: [{ targets: GATEWAYS.map((g) => target(g.prometheus)) }],
      },
      {
        job_name: 'otel-collectors',
        static_configs: [
          { targets: GATEWAYS.map((g) => target(g.telemetry)), labels: { tier: 'gateway' } },
          { targets: AGENTS.map((a) => target(a.telemetry)), labels: { tier: 'agent' } },
        ],
      },
    ],
  };
  const dir = mkdtempSync(join(tmpdir(), 'scale-prometheus-'));
  writeFileSync(join(dir, 'prometheus.yml'), stringify(config));
  const prometheus = startBackend('scale-prometheus', bin, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${PROMETHEUS_PORT}`,
    '--enable-feature=exemplar-storage',
  ]);
  await waitHealthy(prometheus, `http://127.0.0.1:${PROMETHEUS_PORT}/-/ready`);
  return prometheus;
}

// biome-ignore lint/suspicious/noExplicitAny: Prometheus API answers
type Json = any;

/** The trace ids of the exemplars Prometheus holds for a series selector over the last 10 minutes. */
export async function exemplarTraceIds(selector: string): Promise<string[]> {
  const end = Date.now() / 1000;
  const params = new URLSearchParams({ query: selector, start: String(end - 600), end: String(end) });
  const res = await fetch(`http://127.0.0.1:${PROMETHEUS_PORT}/api/v1/query_exemplars?${params}`);
  const body: Json = await res.json();
  return (body.data ?? []).flatMap((s: Json) => s.exemplars.map((e: Json) => e.labels.trace_id)).filter(Boolean);
}

/** One instant PromQL query; its result vector as label sets with a number each. */
export async function promVector(query: string): Promise<Array<{ labels: Record<string, string>; value: number }>> {
  const res = await fetch(`http://127.0.0.1:${PROMETHEUS_PORT}/api/v1/query?${new URLSearchParams({ query })}`);
  const body: Json = await res.json();
  if (body.status !== 'success') throw new Error(`${query}: ${body.error}`);
  return body.data.result.map((r: Json) => ({ labels: r.metric, value: Number(r.value[1]) }));
}
