// The copy guide's steps (otel/README.md, "Copy it into your service"), read from it: the blocks
// fenced as `bash guide:setup`, `ts guide:server` and `bash guide:start`, as a reader copies them
// (the list item's indentation removed). test/copy-path/guide.test.ts runs them in a new folder.
// `npm test` runs the install part first (`node dist/scripts/guide-steps.js prime`, in pretest),
// from npm's cache where it can and online where it must, so that the test itself installs from
// the cache alone and talks to nothing but loopback.
// Parsed by hand: three fenced blocks do not need a Markdown library.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nearestPackageJson } from '../otel/package-json.js';

/** This repository: the folder of the package.json above this file, run as source or built. */
export const ROOT = dirname(nearestPackageJson(dirname(fileURLToPath(import.meta.url))) ?? '.');

export interface GuideSteps {
  /** Shell: install, copy otel/, write the tsconfig (run with $REPO set to this repository). */
  setup: string;
  /** The server file the guide shows, with the line `// your routes` where routes go. */
  server: string;
  /** Shell: build, then start the service (the last line runs until it is stopped). */
  start: string;
}

/** The fenced block whose info string is `info`, without the indentation of its fence. */
function block(markdown: string, info: string): string {
  const lines = markdown.split('\n');
  const open = lines.findIndex((line) => line.trim() === `\`\`\`${info}`);
  if (open === -1) throw new Error(`otel/README.md has no block fenced as ${info}`);
  const indent = (lines[open] ?? '').indexOf('`');
  const close = lines.findIndex((line, i) => i > open && line.trim() === '```');
  return lines
    .slice(open + 1, close)
    .map((line) => line.slice(Math.min(indent, line.length - line.trimStart().length)))
    .join('\n');
}

export function guideSteps(readme = readFileSync(join(ROOT, 'otel', 'README.md'), 'utf8')): GuideSteps {
  return {
    setup: block(readme, 'bash guide:setup'),
    server: block(readme, 'ts guide:server'),
    start: block(readme, 'bash guide:start'),
  };
}

/** A version of a package as this repository installs it (package-lock.json). */
export function lockedVersion(name: string): string {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { version?: string }>;
  };
  const version = lock.packages[`node_modules/${name}`]?.version;
  if (!version) throw new Error(`package-lock.json does not install ${name}`);
  return version;
}

/** The user's service before the guide: a package with hono and @hono/node-server. */
export function userServiceSetup(): string {
  return [
    'npm init -y >/dev/null',
    `npm install --save-exact hono@${lockedVersion('hono')} @hono/node-server@${lockedVersion('@hono/node-server')}`,
  ].join('\n');
}

/**
 * Runs the user's set-up and the guide's in `dir`: from npm's cache alone (`offline`), or from
 * the cache where it holds a package and the registry where it does not.
 */
export function runSetup(dir: string, offline: boolean): void {
  const env = { ...process.env, REPO: ROOT, npm_config_audit: 'false', npm_config_fund: 'false' };
  Object.assign(env, offline ? { npm_config_offline: 'true' } : { npm_config_prefer_offline: 'true' });
  const script = `set -euo pipefail\n${userServiceSetup()}\n${guideSteps().setup}\n`;
  execFileSync('bash', ['-c', script], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
}

// `node dist/scripts/guide-steps.js prime`: the set-up once, so that npm's cache holds every
// package the guide installs.
if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2] === 'prime') {
  const dir = mkdtempSync(join(tmpdir(), 'guide-prime-'));
  try {
    runSetup(dir, false);
    console.log(`guide: npm cache holds what the guide installs (${dir} removed)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
