// The copy guide's install line (otel/README.md) holds versions that
// package.json and package-lock.json own: each package otel/ needs, at the version this
// repository installs and tests. test/copy-path/guide.test.ts runs the line; this says which
// word is stale when it does not match.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { guideSteps, lockedVersion } from '../../scripts/guide-steps.js';
import { ROOT } from '../../support/service.js';

// What the user's service already has (the guide's starting point).
const USER_HAS = new Set(['hono', '@hono/node-server']);
// Loaded at run time, not imported: the winston instrumentation sends records through it.
const LOADED_NOT_IMPORTED = ['@opentelemetry/winston-transport'];

/** The packages the files of otel/ import, by package name. */
function otelImports(dir = join(ROOT, 'otel')): Set<string> {
  const names = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      for (const name of otelImports(join(dir, entry.name))) names.add(name);
      continue;
    }
    if (!entry.name.endsWith('.ts')) continue;
    const text = readFileSync(join(dir, entry.name), 'utf8');
    for (const [, specifier] of text.matchAll(/(?:from |import\()'([^.'][^']*)'/g)) {
      if (specifier?.startsWith('node:')) continue;
      const parts = (specifier as string).split('/');
      names.add(specifier?.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string));
    }
  }
  return names;
}

/** `name@version` words of the guide's `npm install` lines, by whether they are --save-dev. */
function installed(setup: string): { runtime: Map<string, string>; dev: Map<string, string> } {
  const runtime = new Map<string, string>();
  const dev = new Map<string, string>();
  for (const command of setup.replace(/\\\n/g, ' ').split('\n')) {
    if (!command.startsWith('npm install')) continue;
    const into = command.includes('--save-dev') ? dev : runtime;
    for (const [, name, version] of command.matchAll(/\s(@?[^\s@]+)@(\d[^\s]*)/g)) {
      into.set(name as string, version as string);
    }
  }
  return { runtime, dev };
}

const { setup } = guideSteps();

it('installs every package otel/ needs, at the version this repository installs', () => {
  const { runtime } = installed(setup);
  const needed = [...otelImports()].filter((name) => !USER_HAS.has(name));
  expect([...runtime.keys()].sort()).toEqual([...needed, 'winston', ...LOADED_NOT_IMPORTED].sort());
  for (const [name, version] of runtime) expect(`${name}@${version}`).toBe(`${name}@${lockedVersion(name)}`);
});

it('installs the build tools at the versions this repository builds with', () => {
  const { dev } = installed(setup);
  expect([...dev.keys()].sort()).toEqual(['@types/node', '@types/semver', 'typescript']);
  for (const [name, version] of dev) expect(`${name}@${version}`).toBe(`${name}@${lockedVersion(name)}`);
});

it("sets only overrides package.json sets, at package.json's versions", () => {
  const overrides = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).overrides as Record<string, string>;
  const set = [...setup.matchAll(/'overrides\.([^=]+)=([^']+)'/g)];
  expect(set.length).toBeGreaterThan(0);
  for (const [, name, version] of set) expect(`${name}=${version}`).toBe(`${name}=${overrides[name as string]}`);
});
