// docs/architecture.md against the configs it describes: every Collector component and backend
// its diagram names is really configured, every path it cites exists, and nothing in the
// repository sends a reader to a file a clone does not have.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../support/service.js';
import { readText, readYaml } from '../support/config-files.js';

const doc = readText('docs/architecture.md');
const diagram = /```mermaid\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';

// The backends the diagram names, by the compose service that runs each.
const BACKENDS: Record<string, string> = {
  Prometheus: 'prometheus',
  Loki: 'loki',
  Jaeger: 'jaeger',
  Grafana: 'grafana',
  'postgres-exporter': 'postgres-exporter',
  PostgreSQL: 'postgres',
};

describe('docs/architecture.md', () => {
  it('draws the signal flow once, as a Mermaid diagram', () => {
    expect(doc.match(/```mermaid/g)).toHaveLength(1);
    expect(diagram).toMatch(/^flowchart /);
  });

  it('names only Collector components that otel-collector.yaml configures and runs', () => {
    const config = readYaml('otel-collector.yaml');
    const pipelines = Object.values(config.service.pipelines) as Record<string, string[]>[];
    const named = [...diagram.matchAll(/(receivers|processors|connectors|exporters): ([\w/]+)/g)];
    expect(named.length).toBeGreaterThanOrEqual(5);
    for (const [, section, component] of named) {
      const kind = section as string;
      expect(Object.keys(config[kind] ?? {}), `${kind}: ${component}`).toContain(component);
      const used = pipelines.some((p) =>
        kind === 'connectors'
          ? [...(p.receivers ?? []), ...(p.exporters ?? [])].includes(component as string)
          : (p[kind] ?? []).includes(component as string),
      );
      expect(used, `${kind}: ${component} is in no pipeline`).toBe(true);
    }
  });

  it('names only backends that docker-compose.yml runs, on the ports it gives', () => {
    const services = readYaml('docker-compose.yml').services;
    const named = [...diagram.matchAll(/(Prometheus|Loki|Jaeger|Grafana|postgres-exporter|PostgreSQL) :(\d+)/g)];
    expect(new Set(named.map(([, name]) => name))).toEqual(new Set(Object.keys(BACKENDS)));
    for (const [, name, port] of named) {
      const service = services[BACKENDS[name as string] as string];
      expect(service, name).toBeDefined();
      if (name === 'PostgreSQL') continue; // not published: only the app and the exporter reach it
      expect(JSON.stringify(service.ports), `${name} :${port}`).toContain(`:${port}:${port}`);
    }
  });

  it('cites only paths that exist', () => {
    const paths = [...doc.matchAll(/`((?:src|otel|test|deploy|docs|scripts|bench)\/[\w./-]+|[\w-]+\.ya?ml)`/g)];
    expect(paths.length).toBeGreaterThan(5);
    for (const [, path] of paths) expect(existsSync(join(ROOT, path as string)), path).toBe(true);
  });
});

it('keeps src/ to the modules of otel/ the architecture allows', () => {
  const files = execFileSync('git', ['ls-files', 'src'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
  const imports = files.flatMap((file) =>
    [...readText(file).matchAll(/from '((?:\.\.\/)+otel\/[\w./-]+)'/g)].map((m) =>
      (m[1] ?? '').replace(/^(\.\.\/)+/, ''),
    ),
  );
  expect(imports.length).toBeGreaterThan(0);
  expect([...new Set(imports)].sort()).toEqual([
    'otel/export-targets.js',
    'otel/hono-telemetry.js',
    'otel/identity.js',
    'otel/sdk.js',
    'otel/throttled.js',
    'otel/url-redaction.js',
    'otel/workarounds/export-deadline.js',
  ]);
});

it('refers to no file outside the repository', () => {
  // Spelled in pieces so this test does not find itself.
  const pattern = ['DESIGN', '\\.md|\\.\\./sha', 'red|FIELD', '-NOTES|STY', 'LE\\.md|Issue', ' row'].join('');
  let hits = '';
  try {
    hits = execFileSync('git', ['grep', '-n', '-I', '-E', pattern, '--', '.', ':!package-lock.json'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
  } catch (error) {
    if ((error as { status?: number }).status !== 1) throw error; // 1: nothing found
  }
  expect(hits).toBe('');
});
