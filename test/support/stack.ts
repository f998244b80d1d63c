// Where scripts/stack-install.sh puts the natively built backends, and whether tests may skip
// when they are missing: a newcomer's `npm test` needs only Node, while CI (REQUIRE_STACK=1,
// set by .ci/run after building them) must never skip.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export const STACK_CACHE_DIR = process.env.STACK_CACHE_DIR || join(homedir(), '.cache', 'otel-monitoring-service');
export const REQUIRE_STACK = process.env.REQUIRE_STACK === '1';

/** The path of a built backend binary, or undefined when it was not built (an error under REQUIRE_STACK). */
export function stackBin(name: string): string | undefined {
  const path = join(STACK_CACHE_DIR, 'bin', name);
  if (existsSync(path)) return path;
  if (REQUIRE_STACK) throw new Error(`${path} is missing: run scripts/stack-install.sh`);
  return undefined;
}

export const run = promisify(execFile);
