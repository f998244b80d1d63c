// The service's command line lives in scripts/service-command.ts, which tests and benchmarks
// spawn. npm start (package.json) and the image's CMD (Dockerfile) cannot import it, so they are
// held equal to it here, and any other file that starts the SDK bootstrap by hand fails.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SERVICE } from '../../bench/run-once.js';
import { EXAMPLE_ENTRY, SERVICE_IMPORT, serviceArgs } from '../../scripts/service-command.js';
import { ROOT } from '../../support/service.js';
import { readText } from '../support/config-files.js';

const command = ['node', ...serviceArgs()];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? sourceFiles(path) : /\.(ts|js|mjs|sh)$/.test(name) ? [path] : [];
  });
}

describe('the service command line', () => {
  it('is npm start', () => {
    expect(JSON.parse(readText('package.json')).scripts.start.split(/\s+/)).toEqual(command);
  });

  it('is npm run example, with the example as the entry point', () => {
    const script = JSON.parse(readText('package.json')).scripts.example as string;
    expect(script.replace(/^npm run build --silent && /, '').split(/\s+/)).toEqual([
      'node',
      ...serviceArgs([], EXAMPLE_ENTRY),
    ]);
  });

  it("is the image's CMD", () => {
    const cmd = /^CMD (\[.*\])$/m.exec(readText('Dockerfile'))?.[1];
    expect(cmd).toBeDefined();
    expect(JSON.parse(cmd as string)).toEqual(command);
  });

  it("is the bench's SERVICE", () => {
    expect(['node', ...SERVICE]).toEqual(command);
  });

  it('is written nowhere else: no other file has the bootstrap as a string of its own to spawn', () => {
    // A literal that is the path and nothing else is an argument list in the making; messages
    // and comments that mention the flag to a reader are fine.
    const bootstrap = SERVICE_IMPORT.replace(/^\.\//, '').replaceAll('.', '\\.');
    const literal = new RegExp(`['"\`](\\./)?${bootstrap}['"\`]`);
    const elsewhere = ['src', 'otel', 'test', 'bench', 'scripts', 'examples']
      .flatMap(sourceFiles)
      .filter((file) => file !== join('scripts', 'service-command.ts'))
      .filter((file) => literal.test(readFileSync(join(ROOT, file), 'utf8')));
    expect(elsewhere).toEqual([]);
    expect(literal.test(readText('scripts/service-command.ts'))).toBe(true);
  });
});
