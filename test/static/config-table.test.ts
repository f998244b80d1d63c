// README.md's Configuration table is the one home of the settings: every variable the service
// reads (src/config.ts) or otel/ reads by name is in it, and every variable in it is read.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { ROOT } from '../../support/service.js';
import { readText } from '../support/config-files.js';

// Read without their name spelled out in this repository's source: by pg and the SDK
// themselves, or by otel/ as `OTEL_${signal}_EXPORTER`.
const READ_BY_LIBRARIES = new Set([
  'PGPASSWORD',
  'OTEL_RESOURCE_ATTRIBUTES',
  'OTEL_LOG_LEVEL',
  'OTEL_LOGS_EXPORTER',
  'OTEL_METRICS_EXPORTER',
]);

function otelSources(dir = join(ROOT, 'otel')): string {
  return readdirSync(dir, { withFileTypes: true })
    .map((e) =>
      e.isDirectory()
        ? otelSources(join(dir, e.name))
        : e.name.endsWith('.ts')
          ? readFileSync(join(dir, e.name), 'utf8')
          : '',
    )
    .join('\n');
}

/** The variables src/config.ts reads: `env.NAME`, and a name passed with `env` to a helper. */
function configVariables(): Set<string> {
  const text = readText('src/config.ts');
  return new Set([
    ...[...text.matchAll(/\benv\.([A-Z][A-Z0-9_]+)/g)].map((m) => m[1] as string),
    ...[...text.matchAll(/\(env, '([A-Z][A-Z0-9_]+)'/g)].map((m) => m[1] as string),
  ]);
}

/** The names in the table's first column, a `_*` group as its prefix. */
function tableVariables(): string[] {
  const readme = readText('README.md');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('## Layout'));
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return rows.flatMap((row) =>
    [...(row.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]*\*?)`/g)].map((m) => m[1] as string),
  );
}

it('lists every variable src/config.ts reads', () => {
  const listed = new Set(tableVariables());
  const read = [...configVariables()];
  expect(read.length).toBeGreaterThan(5);
  expect(read.filter((name) => !listed.has(name))).toEqual([]);
});

it('lists only variables something reads', () => {
  const otel = otelSources();
  const config = configVariables();
  const stale = tableVariables().filter((name) => {
    if (READ_BY_LIBRARIES.has(name) || config.has(name)) return false;
    const prefix = name.endsWith('*') ? name.slice(0, -1) : undefined;
    return prefix ? !otel.includes(`'${prefix}`) && !otel.includes(`\`${prefix}`) : !otel.includes(`'${name}'`);
  });
  expect(stale).toEqual([]);
});

it('lists every non-standard variable otel/ reads (DISK_USAGE_PATH and the like)', () => {
  const listed = new Set(tableVariables());
  const read = [
    ...otelSources().matchAll(
      /(?:getStringFromEnv|getNumberFromEnv|getBooleanFromEnv|checkDirectory)\('([A-Z][A-Z0-9_]+)'\)/g,
    ),
  ]
    .map((m) => m[1] as string)
    .filter((name) => !name.startsWith('OTEL_'));
  expect(read).toContain('DISK_USAGE_PATH');
  expect(read.filter((name) => !listed.has(name))).toEqual([]);
});

it('is the only list of settings: no other document lists them', () => {
  const docs = execFileSync('git', ['ls-files', '*.md'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((file) => file && file !== 'README.md');
  // A line that opens a list item or a table row with a variable's name; a benchmark's table of
  // measured settings (bench/README.md) names what it varied, not how to configure the service.
  const listing = docs.flatMap((file) =>
    readText(file)
      .split('\n')
      .filter((line) => /^(- |\| )`[A-Z][A-Z0-9_]{2,}`/.test(line) && !line.startsWith('| `GOMEMLIMIT`'))
      .map((line) => `${file}: ${line.slice(0, 60)}`),
  );
  expect(listing).toEqual([]);
});
