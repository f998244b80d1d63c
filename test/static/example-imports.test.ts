// The README's "Instrument your own service" lists the files of src/ to copy; the example is
// built from exactly those (and otel/, copied whole). Followed here through the imports, so a
// file the wrapper starts to import cannot be missing from the guide.
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { expect, it } from 'vitest';
import { readText } from '../support/config-files.js';
import { ROOT } from '../support/service.js';

/** The repository files `file` imports, directly or through others, by relative path. */
function localImports(file: string, seen = new Set<string>()): Set<string> {
  const text = readFileSync(join(ROOT, file), 'utf8');
  for (const [, target] of text.matchAll(/^import [^;]*?from '(\.[^']+)';/gms)) {
    const path = normalize(join(dirname(file), (target as string).replace(/\.js$/, '.ts')));
    if (seen.has(path)) continue;
    seen.add(path);
    localImports(path, seen);
  }
  return seen;
}

it("the example imports from src/ exactly the files the README's guide names", () => {
  const imported = [...localImports('examples/minimal/server.ts')].filter((f) => f.startsWith('src/')).sort();
  const readme = readText('README.md');
  const guide = readme.slice(readme.indexOf('## Instrument your own service'), readme.indexOf('## Configuration'));
  const named = [...new Set([...guide.matchAll(/`(src\/[^`]+\.ts)`/g)].map((m) => m[1] as string))].sort();
  expect(imported.length).toBeGreaterThan(0);
  expect(imported).toEqual(named);
});
