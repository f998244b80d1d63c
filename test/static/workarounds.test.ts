// otel/ in two parts: the bootstrap a reader follows top to bottom, and the workarounds of
// upstream gaps, each of which names its upstream issue and says when it can go. Where that
// condition can be read off an installed package, it is checked here, so the day it holds this
// test fails and says which file to delete.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../../support/service.js';

const WORKAROUNDS = join(ROOT, 'otel', 'workarounds');

describe('otel/workarounds/', () => {
  const files = readdirSync(WORKAROUNDS).filter((name) => name.endsWith('.ts'));

  it.each(files)('%s opens with the upstream issue it works around and when it can go', (name) => {
    const header = readFileSync(join(WORKAROUNDS, name), 'utf8').split('\n').slice(0, 8).join('\n');
    expect(header).toMatch(/^\/\/ Works around: /);
    expect(header).toMatch(/https:\/\/github\.com\/open-telemetry\/[\w.-]+\/(issues|pull)\/\d+/);
    expect(header).toMatch(/\n\/\/ Delete when: /);
  });

  it('winston-logs-bridge.ts: the winston transport still asks the pre-3.x logs API for its logger', () => {
    const transport = JSON.parse(
      readFileSync(join(ROOT, 'node_modules/@opentelemetry/winston-transport/package.json'), 'utf8'),
    ) as { dependencies?: Record<string, string> };
    expect(
      Object.keys(transport.dependencies ?? {}),
      'the transport no longer depends on @opentelemetry/api-logs: delete otel/workarounds/winston-logs-bridge.ts',
    ).toContain('@opentelemetry/api-logs');
  });
});

it('no code writes process.env at run time: defaults come from otel/defaults.env', () => {
  const sources = (dir: string): string[] =>
    readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory() ? sources(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
    );
  const writes = ['otel', 'src', 'examples']
    .flatMap(sources)
    .filter((file) =>
      /process\.env(\.\w+|\[[^\]]+\])\s*=[^=]|delete process\.env/.test(readFileSync(join(ROOT, file), 'utf8')),
    );
  expect(writes).toEqual([]);
});

it('otel/README.md names every file of otel/', () => {
  const readme = readFileSync(join(ROOT, 'otel', 'README.md'), 'utf8');
  const files = [
    ...readdirSync(join(ROOT, 'otel')).filter((name) => /\.(ts|env)$/.test(name)),
    ...readdirSync(WORKAROUNDS).filter((name) => name.endsWith('.ts')),
  ];
  expect(files.filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
});
