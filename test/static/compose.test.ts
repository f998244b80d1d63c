// docker-compose.yml as `docker compose` would read it: validated and resolved by compose-go
// (scripts/stack-install.sh builds compose-check from it), then checked for what a user running
// `docker compose up` relies on.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { SETTINGS } from '../../scripts/doctor/settings.js';
import { loadConfig } from '../../src/config.js';
import { ROOT } from '../../support/service.js';
import { DEFAULT_STACK_PORT_BASE, stackPorts } from '../stack/ports.js';
import { nativeArgs } from '../support/compose-command.js';
import { readText, readYaml } from '../support/config-files.js';
import { run, stackBin } from '../support/stack.js';
import { healthcheckProblems, IMAGE_TOOLS, imageRepository, imageTag } from './image-tools.js';

const composeCheck = stackBin('compose-check');
const TEST_ENV = 'test/static/compose.env';

// biome-ignore lint/suspicious/noExplicitAny: compose-go's resolved project, as JSON
type Service = any;
let services: Record<string, Service>;

async function resolve(envFile: string): Promise<Record<string, Service>> {
  const { stdout } = await run(composeCheck as string, ['-f', 'docker-compose.yml', '--env-file', envFile], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout).services;
}

describe.skipIf(!composeCheck)('docker-compose.yml (resolved by compose-go)', () => {
  beforeAll(async () => {
    services = await resolve(TEST_ENV);
  });

  it('has every service of the stack', () => {
    expect(Object.keys(services).sort()).toEqual([
      'alertmanager',
      'app',
      'grafana',
      'jaeger',
      'loadgen',
      'loki',
      'mailpit',
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

  it('publishes the usual ports, on 127.0.0.1 only', () => {
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
    for (const [name, service] of Object.entries(services)) {
      for (const port of service.ports ?? []) expect(port.host_ip, `${name} ${port.published}`).toBe('127.0.0.1');
    }
  });

  it('opens only the app and Grafana with PUBLISH_ADDRESS; the unauthenticated backends stay on loopback', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'compose-env-'));
    const envFile = join(dir, '.env');
    writeFileSync(envFile, `${readText(TEST_ENV)}PUBLISH_ADDRESS=0.0.0.0\n`);
    const opened = await resolve(envFile);
    const open = Object.entries(opened)
      .filter(([, s]) => (s.ports ?? []).some((p: { host_ip: string }) => p.host_ip !== '127.0.0.1'))
      .map(([name]) => name);
    expect(open.sort()).toEqual(['app', 'grafana']);
  });

  it('refuses to start on .env.example as shipped, naming each password to set', async () => {
    const failure = await resolve('.env.example').then(
      () => undefined,
      (error: { stderr: string }) => error.stderr,
    );
    expect(failure).toContain('set POSTGRES_PASSWORD in .env');
    expect(failure).toContain('set GRAFANA_ADMIN_PASSWORD in .env');
  });

  it('takes passwords from .env, never from the file, and keeps them out of DATABASE_URL', () => {
    const raw = readText('docker-compose.yml');
    // A key such as POSTGRES_PASSWORD or DATA_SOURCE_PASS has only a ${…} value.
    expect(raw).not.toMatch(/^\s*[A-Z_]*(PASSWORD|PASS):\s*(?!\$\{)\S/m);
    // Any character may be in the password: it travels in PGPASSWORD, which needs no encoding.
    const password = /^POSTGRES_PASSWORD=(.*)$/m.exec(readText(TEST_ENV))?.[1];
    expect(password).toMatch(/[@:/#%]/);
    expect(services.app.environment.PGPASSWORD).toBe(password);
    expect(new URL(services.app.environment.DATABASE_URL).password).toBe('');
    expect(readYaml('docker-compose.yml').version).toBeUndefined();
  });

  it('runs every healthcheck with a program its image has (see image-tools.ts for the sources)', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) continue; // the Dockerfile's own HEALTHCHECK runs node, which it has
      expect(
        IMAGE_TOOLS[imageRepository(service.image)],
        `${name}: ${service.image} is not in IMAGE_TOOLS`,
      ).toBeDefined();
      expect(healthcheckProblems(service), name).toEqual([]);
    }
  });

  it('holds a fact for exactly the tag each image is pinned to (a moved pin needs the fact read again)', () => {
    for (const [name, service] of Object.entries(services)) {
      if (service.build) continue;
      const fact = IMAGE_TOOLS[imageRepository(service.image)];
      expect(fact?.tag, `${name}: ${service.image}, fact read for ${fact?.tag} (${fact?.readAt})`).toBe(
        imageTag(service.image),
      );
      expect(fact?.source, name).toMatch(/\S+\/\S+/);
    }
  });

  it('waits for health on every dependency that has a healthcheck, for started only where there is none', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {}) as [
        string,
        { condition: string },
      ][]) {
        const target = services[dependency];
        if (target.build) continue; // the app's HEALTHCHECK is in its Dockerfile
        const expected =
          target.healthcheck?.test && !target.healthcheck.disable ? 'service_healthy' : 'service_started';
        expect(condition, `${name} -> ${dependency}`).toBe(expected);
      }
    }
  });

  it("keeps the stack test's ports off every port compose publishes, so both run side by side", () => {
    const published = new Set(
      Object.values(services).flatMap((s) => (s.ports ?? []).map((p: { published: string }) => Number(p.published))),
    );
    expect(published.size).toBeGreaterThan(5);
    const ours = Object.values(stackPorts(DEFAULT_STACK_PORT_BASE));
    expect(ours.filter((port) => published.has(port))).toEqual([]);
    expect(new Set(ours).size).toBe(ours.length);
  });

  it('gives the stack test every path in a backend command as a file of the repository or a volume', () => {
    for (const name of ['otel-collector', 'prometheus', 'jaeger']) {
      const args = nativeArgs(services[name]);
      expect(args.length, name).toBeGreaterThan(0);
      for (const arg of args) {
        const path = arg.startsWith('/') ? arg : /^--?[\w.-]+=(\/.*)$/.exec(arg)?.[1];
        if (path) expect(existsSync(path), `${name}: ${arg}`).toBe(true);
      }
    }
  });

  it('checks healthchecks for real: a wget on the distroless Loki image is refused', () => {
    const oldLoki = {
      image: 'grafana/loki:3.7.8',
      healthcheck: { test: ['CMD', 'wget', '-q', '--spider', 'http://localhost:3100/ready'] },
    };
    expect(healthcheckProblems(oldLoki)).toEqual(['grafana/loki has no wget']);
    const shellOnScratch = {
      image: 'otel/opentelemetry-collector-contrib:0.165.0',
      healthcheck: { test: ['CMD-SHELL', 'true'] },
    };
    expect(healthcheckProblems(shellOnScratch)).toEqual(['otel/opentelemetry-collector-contrib has no sh']);
  });

  it('checks Postgres over TCP, with time for the first initialisation', () => {
    const test = services.postgres.healthcheck.test.join(' ');
    expect(test).toMatch(/pg_isready -h 127\.0\.0\.1/);
    expect(services.postgres.healthcheck.start_period).toBeDefined();
  });

  it('limits the memory of every container', () => {
    for (const [name, service] of Object.entries(services)) {
      expect(Number(service.deploy?.resources?.limits?.memory), name).toBeGreaterThan(0);
    }
  });

  it('gives the app a stop_grace_period longer than its drain plus its telemetry flush', () => {
    const { shutdownGraceMs, flushTimeoutMs } = loadConfig({});
    const seconds = Number(/^(\d+)s$/.exec(services.app.stop_grace_period)?.[1]);
    expect(seconds * 1000).toBeGreaterThan(shutdownGraceMs + flushTimeoutMs);
  });

  it('runs the doctor only on request (profile tools), from the built script, at every hop of the stack', () => {
    const doctor = readYaml('docker-compose.yml').services.doctor;
    expect(doctor.profiles).toEqual(['tools']);
    const script = (doctor.command as string[]).find((a) => a.endsWith('.js')) as string;
    expect(existsSync(join(ROOT, script.replace(/^dist\//, '').replace(/\.js$/, '.ts')))).toBe(true);
    // Every endpoint setting of the doctor, pointed at its compose service.
    const endpoints = SETTINGS.filter((s) => s.key !== 'serviceName').map((s) => s.env);
    expect(Object.keys(doctor.environment).sort()).toEqual(endpoints.sort());
  });

  it('leaves Prometheus without the lifecycle API (anyone on the network could shut it down)', () => {
    expect(services.prometheus.command.join(' ')).not.toContain('--web.enable-lifecycle');
  });
});
