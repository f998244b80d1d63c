// Every host:port that one part of the stack uses to reach another names a compose service and
// a port that service really listens on (read from its own config where it has one). This is
// the check that catches "No data" before anyone runs the stack.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readText, readYaml, withEnvDefaults } from '../support/config-files.js';

const compose = readYaml('docker-compose.yml');
const serviceNames = new Set(Object.keys(compose.services));

function portOf(endpoint: string): number {
  return Number(endpoint.split(':').pop());
}

/** The ports each compose service listens on inside the compose network. */
function listeningPorts(): Record<string, Set<number>> {
  const collector = parse(withEnvDefaults(readText('otel-collector.yaml')));
  const jaeger = parse(withEnvDefaults(readText('deploy/jaeger/config.yaml')));
  const loki = readYaml('deploy/loki/config.yaml');
  return {
    app: new Set([8080]),
    'otel-collector': new Set([
      portOf(collector.receivers.otlp.protocols.grpc.endpoint),
      portOf(collector.receivers.otlp.protocols.http.endpoint),
      portOf(collector.exporters.prometheus.endpoint),
      portOf(collector.extensions.health_check.http.endpoint),
      Number(collector.service.telemetry.metrics.readers[0].pull.exporter.prometheus.port),
    ]),
    jaeger: new Set([
      portOf(jaeger.receivers.otlp.protocols.grpc.endpoint),
      portOf(jaeger.extensions.jaeger_query.http.endpoint),
      portOf(jaeger.extensions.jaeger_query.grpc.endpoint),
      portOf(jaeger.extensions.healthcheckv2.http.endpoint),
    ]),
    loki: new Set([Number(loki.server.http_listen_port), Number(loki.server.grpc_listen_port)]),
    prometheus: new Set([9090]),
    grafana: new Set([3000]),
    postgres: new Set([5432]),
    'postgres-exporter': new Set([9187]),
    alertmanager: new Set([9093]),
    // Mailpit's defaults (SMTP, then web and API), which compose leaves as they are.
    mailpit: new Set([1025, 8025]),
  };
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

/** host:port pairs (names and IPv4 literals) in a text, skipping binds (0.0.0.0) and RFC 2606 `.invalid` names used on purpose. */
function references(texts: string[]): Array<{ host: string; port: number; text: string }> {
  const found: Array<{ host: string; port: number; text: string }> = [];
  for (const text of texts) {
    for (const match of text.matchAll(/(?:^|[/@=,\s'"])([a-z0-9][a-z0-9.-]*):(\d{2,5})\b/g)) {
      const host = match[1] as string;
      if (host === '0.0.0.0' || host.endsWith('.invalid')) continue;
      found.push({ host, port: Number(match[2]), text });
    }
  }
  return found;
}

const ports = listeningPorts();

// Addresses a browser on the host uses (the page's link to Jaeger), not one container calling
// another: checked against what compose publishes on the host instead, below.
const BROWSER_ADDRESSES = ['JAEGER_UI_URL'];

function withoutBrowserAddresses(environment: unknown): unknown {
  if (!environment || typeof environment !== 'object') return environment;
  return Object.fromEntries(Object.entries(environment).filter(([name]) => !BROWSER_ADDRESSES.includes(name)));
}

it('points the page at a Jaeger UI port compose publishes on the host', () => {
  const app = compose.services.app as { environment: Record<string, string> };
  const url = new URL(app.environment.JAEGER_UI_URL as string);
  const jaeger = compose.services.jaeger as { ports?: string[] };
  expect(url.hostname).toBe('localhost');
  expect((jaeger.ports ?? []).some((p) => p.split(':').at(-2) === url.port)).toBe(true);
});

describe.each([
  ['otel-collector.yaml', 'otel-collector', strings(parse(withEnvDefaults(readText('otel-collector.yaml'))).exporters)],
  [
    'prometheus.yml',
    'prometheus',
    strings([readYaml('prometheus.yml').scrape_configs, readYaml('prometheus.yml').alerting]),
  ],
  ['alertmanager.yml', 'alertmanager', strings(readYaml('deploy/alertmanager/alertmanager.yml').global)],
  [
    'Grafana data sources',
    'grafana',
    strings(
      readYaml('deploy/grafana/provisioning/datasources/datasources.yaml').datasources.map(
        (d: { url: string }) => d.url,
      ),
    ),
  ],
  [
    'compose environment',
    '',
    strings(
      Object.values(compose.services).map((s) => withoutBrowserAddresses((s as { environment?: unknown }).environment)),
    ),
  ],
])('%s', (_name, self, texts) => {
  const refs = references(texts);

  it('has references to check', () => {
    expect(refs.length).toBeGreaterThan(0);
  });

  it.each(refs.map((r) => [`${r.host}:${r.port}`, r] as const))(
    '%s is a compose service and one of its ports',
    (_label, ref) => {
      const host = ref.host === 'localhost' || ref.host === '127.0.0.1' ? self || 'app' : ref.host;
      expect(serviceNames.has(host), `${ref.host} in "${ref.text}" is not a compose service`).toBe(true);
      expect([...(ports[host] ?? [])], `${host} does not listen on ${ref.port}`).toContain(ref.port);
    },
  );
});

it('links each alert e-mail to Grafana and Jaeger at ports compose publishes on the host', () => {
  const template = readText('deploy/alertmanager/templates/email.tmpl');
  for (const [name, service] of [
    ['grafana.url', 'grafana'],
    ['jaeger.url', 'jaeger'],
  ] as const) {
    const base = new RegExp(`define "${name.replace('.', '\\.')}" }}([^{]+){{`).exec(template)?.[1];
    expect(base, name).toBeDefined();
    const url = new URL(base as string);
    const published = (compose.services[service] as { ports?: string[] }).ports ?? [];
    expect(url.hostname).toBe('localhost');
    expect(
      published.some((p) => p.split(':').at(-2) === url.port),
      `${service} publishes ${url.port}`,
    ).toBe(true);
  }
});
