// otel-collector.yaml and Jaeger's config, validated by the very binaries the stack test runs
// (built from deploy/collector/builder-config.yaml and deploy/build/jaeger): unknown or renamed
// components, bad keys and broken pipelines fail here, not at `docker compose up`.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../../support/service.js';
import { builtComponents, COMPONENT_KINDS, configuredTypes } from '../support/collector-build.js';
import { COMPOSE_TEST_ENV, nativeArgs, resolveCompose } from '../support/compose-command.js';
import { readText, readYaml } from '../support/config-files.js';
import { run, stackBin } from '../support/stack.js';

const otelcol = stackBin('otelcol');
const jaeger = stackBin('jaeger');
const composeCheck = stackBin('compose-check');
const built = builtComponents('deploy/collector/builder-config.yaml').filter((c) => c.kind !== 'providers');
const builtTypes = built.every((c) => c.type) ? built.map((c) => `${c.kind} ${c.type}`) : undefined;

describe('otel-collector.yaml', () => {
  const config = parse(readText('otel-collector.yaml'));

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

  // The command line compose gives the Collector, paths mapped to the repository's files, so a
  // flag compose needs (the health_check feature gate) is part of what is validated.
  it.skipIf(!otelcol || !composeCheck).each(['none', 'debug'])(
    'is valid with the %s extras merged over it, as compose runs it',
    async (extras) => {
      const dir = mkdtempSync(join(tmpdir(), 'collector-env-'));
      writeFileSync(join(dir, '.env'), `${readText(COMPOSE_TEST_ENV)}OTELCOL_EXTRAS=${extras}\n`);
      const args = nativeArgs((await resolveCompose(composeCheck as string, join(dir, '.env')))['otel-collector']);
      expect(args).toContain(`--config=${join(ROOT, 'deploy', 'collector', `${extras}.yaml`)}`);
      const { stdout, stderr } = await run(otelcol as string, ['validate', ...args], { cwd: ROOT });
      expect(`${stdout}${stderr}`).not.toMatch(/error/i);
    },
  );

  it.skipIf(!otelcol)('is refused without the feature gate compose passes (the validation can fail)', async () => {
    await expect(run(otelcol as string, ['validate', '--config=otel-collector.yaml'], { cwd: ROOT })).rejects.toThrow(
      /useComponentStatus/,
    );
  });

  it('keeps every pipeline of the debug extras as it was, plus debug', () => {
    const debug = readYaml('deploy/collector/debug.yaml');
    for (const [name, pipeline] of Object.entries(config.service.pipelines) as [string, { exporters: string[] }][]) {
      expect(debug.service.pipelines[name].exporters, name).toEqual([...pipeline.exporters, 'debug']);
    }
  });

  // By the type each module's metadata.yaml declares (test/support/collector-build.ts), so no
  // name map is kept here; collector-distribution.test.ts checks the same build against the image.
  it.skipIf(!builtTypes)('builds exactly the components it and its extras use', () => {
    const debug = readYaml('deploy/collector/debug.yaml');
    const used = COMPONENT_KINDS.flatMap((kind) =>
      [...configuredTypes(config)[kind], ...configuredTypes(debug)[kind]].map((type) => `${kind} ${type}`),
    );
    expect(new Set(builtTypes)).toEqual(new Set(used));
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
