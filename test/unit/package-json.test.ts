// otel/ finds the service's package.json wherever it is copied, and refuses a Node.js outside
// its engines with one line.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { unsupportedNode } from '../../otel/node-version.js';
import { nearestPackageJson, readPackageJson } from '../../otel/package-json.js';

it('finds the nearest package.json above otel/, however deep otel/ sits', () => {
  const root = mkdtempSync(join(tmpdir(), 'pkg-'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'your-service', version: '1.2.3' }));
  const deep = join(root, 'dist', 'src', 'otel');
  mkdirSync(deep, { recursive: true });
  expect(nearestPackageJson(deep)).toBe(join(root, 'package.json'));
  expect(readPackageJson(deep)).toMatchObject({ name: 'your-service', version: '1.2.3' });
});

it('says where it looked when there is no package.json at all', () => {
  expect(nearestPackageJson('/')).toBeUndefined();
  expect(() => readPackageJson('/')).toThrow('no package.json at or above /');
});

it('admits what engines admits and refuses the rest in one JSON line', () => {
  expect(unsupportedNode('v24.22.3', '>=22.15.0')).toBeUndefined();
  expect(unsupportedNode('v22.15.0', '>=22.15.0')).toBeUndefined();
  expect(unsupportedNode('v1.0.0', undefined)).toBeUndefined();
  const refusal = unsupportedNode('v22.14.0', '>=22.15.0') ?? '';
  expect(refusal).not.toContain('\n');
  expect(JSON.parse(refusal)).toMatchObject({
    level: 'error',
    message: 'unsupported Node.js v22.14.0: this service needs >=22.15.0',
  });
});
