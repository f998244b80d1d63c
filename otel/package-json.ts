// The service's package.json: the nearest one above this file, so otel/ works wherever it is
// copied (at the top of a project or under src/), compiled into dist/ or run as source.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageJson {
  name: string;
  version: string;
  engines?: { node?: string };
}

/** The path of the nearest package.json at or above `start`, or undefined when none is. */
export function nearestPackageJson(start: string): string | undefined {
  for (let dir = start; ; dir = dirname(dir)) {
    const candidate = join(dir, 'package.json');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export function readPackageJson(start = dirname(fileURLToPath(import.meta.url))): PackageJson {
  const path = nearestPackageJson(start);
  if (!path) throw new Error(`no package.json at or above ${start}`);
  return JSON.parse(readFileSync(path, 'utf8'));
}
