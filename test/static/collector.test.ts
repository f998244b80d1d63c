// otel-collector.yaml and Jaeger's config, validated by the very binaries the stack test runs
// (built from deploy/collector/builder-config.yaml and deploy/build/jaeger): unknown or renamed
// components, bad keys and broken pipelines fail here, not at `docker compose up`.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readText, readYaml } from '../support/config-files.js';
import { ROOT } from '../support/service.js';
import { run, stackBin } from '../support/stack.js';

const otelcol = stackBin('otelcol');
const jaeger = stackBin('jaeger');

describe('otel-collector.yaml', () => {
  const config = parse(readText('otel-collector.yaml'));

  it.skipIf(!otelcol)('is valid for the built Collector', async () => {
    const { stdout, stderr } = await run(otelcol as string, ['validate', '--config=otel-collector.yaml'], {
      cwd: ROOT,
    });
    expect(`${stdout}${stderr}`).not.toMatch(/error/i);
  });

  it('puts memory_limiter first in every pipeline', () => {
    for (const [name, pipeline] of Object.entries(config.service.pipelines) as [string, { processors: string[] }][]) {
      expect(pipeline.processors[0], name).toBe('memory_limiter');
    }
  });

  it('uses every component it defines, and defines every component it uses', () => {
    const pipelines = Object.values(config.service.pipelines) as Array<Record<string, string[]>>;
    const used = new Set([...config.service.extensions, ...pipelines.flatMap((p) => Object.values(p).flat())]);
    const defined = ['extensions', 'receivers', 'processors', 'connectors', 'exporters'].flatMap((kind) =>
      Object.keys(config[kind] ?? {}),
    );
    expect(new Set(defined)).toEqual(used);
  });

  it('gives every pushing exporter a bounded queue and retries', () => {
    for (const [name, exporter] of Object.entries(config.exporters) as [string, Record<string, unknown>][]) {
      if (name === 'prometheus') continue; // pulled by Prometheus: nothing to queue
      const queue = exporter.sending_queue as { enabled: boolean; queue_size: number };
      expect(queue.enabled && queue.queue_size > 0, name).toBe(true);
      expect((exporter.retry_on_failure as { enabled: boolean }).enabled, name).toBe(true);
    }
  });

  it.skipIf(!otelcol).each(['none', 'debug'])(
    'is valid with the %s extras merged over it, as compose runs it',
    async (extras) => {
      const { stdout, stderr } = await run(
        otelcol as string,
        ['validate', '--config=otel-collector.yaml', `--config=deploy/collector/${extras}.yaml`],
        { cwd: ROOT },
      );
      expect(`${stdout}${stderr}`).not.toMatch(/error/i);
    },
  );

  it('keeps every pipeline of the debug extras as it was, plus debug', () => {
    const debug = readYaml('deploy/collector/debug.yaml');
    for (const [name, pipeline] of Object.entries(config.service.pipelines) as [string, { exporters: string[] }][]) {
      expect(debug.service.pipelines[name].exporters, name).toEqual([...pipeline.exporters, 'debug']);
    }
  });

  it('builds exactly the components it and its extras use', () => {
    const manifest = readYaml('deploy/collector/builder-config.yaml');
    const built = ['receivers', 'processors', 'connectors', 'exporters', 'extensions'].flatMap((kind) =>
      (manifest[kind] as Array<{ gomod: string }>).map((c) => c.gomod.split(' ')[0]?.split('/').pop()),
    );
    // Component type (otlp_grpc/jaeger -> otlp_grpc) to module name (otlpexporter).
    const modules: Record<string, string> = {
      otlp: 'otlpreceiver',
      memory_limiter: 'memorylimiterprocessor',
      span_metrics: 'spanmetricsconnector',
      prometheus: 'prometheusexporter',
      otlp_http: 'otlphttpexporter',
      otlp_grpc: 'otlpexporter',
      healthcheckv2: 'healthcheckv2extension',
      debug: 'debugexporter',
    };
    const debug = readYaml('deploy/collector/debug.yaml');
    const used = ['extensions', 'receivers', 'processors', 'connectors', 'exporters'].flatMap((kind) =>
      [...Object.keys(config[kind]), ...Object.keys(debug[kind] ?? {})].map(
        (id) => modules[id.split('/')[0] as string],
      ),
    );
    expect(new Set(built)).toEqual(new Set(used));
  });
});

describe.skipIf(!jaeger)('deploy/jaeger/config.yaml', () => {
  it('is valid for the built Jaeger', async () => {
    const { stdout, stderr } = await run(jaeger as string, ['validate', '--config=deploy/jaeger/config.yaml'], {
      cwd: ROOT,
    });
    expect(`${stdout}${stderr}`).not.toMatch(/error/i);
  });
});
