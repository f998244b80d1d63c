// Versions pinned in more than one place agree: the Node the image runs is the one CI tests
// (.nvmrc), and the OpenTelemetry JS packages form one release with a single copy of each, so no
// instrumentation patches a module through a second SDK that the exporters never see.
import { describe, expect, it } from 'vitest';
import { readText } from '../support/config-files.js';

const lock = JSON.parse(readText('package-lock.json')) as { packages: Record<string, { version: string }> };

/** Every installed version of each package in the lockfile. */
function installedVersions(prefix: string): Map<string, Set<string>> {
  const versions = new Map<string, Set<string>>();
  for (const [path, { version }] of Object.entries(lock.packages)) {
    const name = path.replace(/^.*node_modules\//, '');
    if (!path || !name.startsWith(prefix)) continue;
    versions.set(name, (versions.get(name) ?? new Set()).add(version));
  }
  return versions;
}

describe('pinned versions', () => {
  it('builds the image on the Node version .nvmrc names, in every stage', () => {
    const nvmrc = readText('.nvmrc').trim();
    const stages = [...readText('Dockerfile').matchAll(/^FROM node:(\S+?)-/gm)].map((m) => m[1]);
    expect(stages.length).toBeGreaterThan(0);
    for (const tag of stages) expect(tag).toBe(nvmrc);
  });

  it('installs one copy of every @opentelemetry package', () => {
    const versions = installedVersions('@opentelemetry/');
    expect(versions.size).toBeGreaterThan(20);
    const duplicated = [...versions].filter(([, v]) => v.size > 1).map(([name, v]) => `${name}: ${[...v].join(', ')}`);
    expect(duplicated).toEqual([]);
  });

  it('takes the SDK packages from one release: stable 3.1.x, experimental 0.301.x', () => {
    const versions = installedVersions('@opentelemetry/');
    const version = (name: string) => [...(versions.get(`@opentelemetry/${name}`) ?? [])][0];
    for (const name of ['core', 'resources', 'sdk-trace', 'sdk-metrics', 'sdk-logs', 'context-async-hooks']) {
      expect(version(name), name).toMatch(/^3\.1\.\d+$/);
    }
    for (const name of ['sdk-node', 'instrumentation', 'otlp-transformer', 'exporter-prometheus']) {
      expect(version(name), name).toMatch(/^0\.301\.\d+$/);
    }
  });

  it("names .nvmrc's Node version wherever a Node 24 version is written for users", () => {
    const nvmrc = readText('.nvmrc').trim();
    const places = ['README.md', 'deploy/README.md', 'test/README.md', 'scripts/node-install.sh', 'Dockerfile'];
    for (const file of places) {
      // A measurement may name the version it ran on (docs/architecture.md does); these are
      // instructions and pins, so every 24.x.y in them is the one to install.
      // (@types/node@24.x.y in the guide's install line is a package version, not Node's.)
      const named = [...readText(file).matchAll(/(?<!@types\/node@)\b24\.\d+\.\d+\b/g)].map((m) => m[0]);
      expect(named.length, file).toBeGreaterThan(0);
      expect(new Set(named), file).toEqual(new Set([nvmrc]));
    }
  });
});
