// docker-compose.yml as `docker compose` would read it: validated and resolved by compose-go
// (scripts/stack-install.sh builds compose-check from it), then checked for what a user running
// `docker compose up` relies on.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readText, readYaml } from '../support/config-files.js';
import { ROOT } from '../support/service.js';
import { run, stackBin } from '../support/stack.js';

const composeCheck = stackBin('compose-check');

// biome-ignore lint/suspicious/noExplicitAny: compose-go's resolved project, as JSON
type Service = any;
let services: Record<string, Service>;

describe.skipIf(!composeCheck)('docker-compose.yml (resolved by compose-go)', () => {
  beforeAll(async () => {
    const { stdout } = await run(composeCheck as string, ['-f', 'docker-compose.yml', '--env-file', '.env.example'], {
      cwd: ROOT,
      maxBuffer: 16 * 1024 * 1024,
    });
    services = JSON.parse(stdout).services;
  });

  it('has every service of the stack', () => {
    expect(Object.keys(services).sort()).toEqual([
      'app',
      'grafana',
      'jaeger',
      'loadgen',
      'loki',
      'otel-collector',
      'postgres',
      'postgres-exporter',
      'prometheus',
    ]);
  });

  it('pins every image to a version', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) continue;
      expect(service.image, name).toMatch(/^[\w./-]+:(?!latest$)[\w.-]*\d[\w.-]*$/);
    }
  });

  it('mounts only files that exist, and config files read-only', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        if (volume.type !== 'bind') {
          expect(volume.type, `${name} ${volume.target}`).toBe('volume');
          continue;
        }
        expect(existsSync(volume.source), `${name} mounts ${volume.source}`).toBe(true);
        expect(volume.read_only, `${name} mounts ${volume.source} writable`).toBe(true);
      }
    }
  });

  it('waits for health only on services that have a healthcheck', () => {
    const dockerfileHealthcheck = /^HEALTHCHECK /m.test(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'));
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {}) as [
        string,
        { condition: string },
      ][]) {
        if (condition !== 'service_healthy') continue;
        const target = services[dependency];
        const healthy = Boolean(target.healthcheck?.test) || (Boolean(target.build) && dockerfileHealthcheck);
        expect(healthy, `${name} waits for ${dependency} to be healthy, which has no healthcheck`).toBe(true);
      }
    }
  });

  it('publishes the ports of DESIGN.md', () => {
    const published = Object.fromEntries(
      Object.entries(services).map(([name, s]) => [
        name,
        (s.ports ?? []).map((p: { published: string }) => Number(p.published)),
      ]),
    );
    expect(published).toMatchObject({
      app: [8080],
      'otel-collector': [4317, 4318, 8888, 8889, 13133],
      prometheus: [9090],
      grafana: [3000],
      loki: [3100],
      jaeger: [16686],
      'postgres-exporter': [9187],
    });
  });

  it('takes passwords from .env, never from the file itself', () => {
    const raw = readText('docker-compose.yml');
    // A key such as POSTGRES_PASSWORD or DATA_SOURCE_PASS has only a ${…} value.
    expect(raw).not.toMatch(/^\s*[A-Z_]*(PASSWORD|PASS):\s*(?!\$\{)\S/m);
    expect(services.app.environment.DATABASE_URL).toContain('change-me');
    expect(readYaml('docker-compose.yml').version).toBeUndefined();
  });
});
