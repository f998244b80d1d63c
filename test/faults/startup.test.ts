// Failing to start, and failing later, must read as one clear line, never a raw stack trace on
// stderr: a port already taken names the port and exits non-zero.
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import semver from 'semver';
import { expect, it } from 'vitest';
import { serviceArgs } from '../../scripts/service-command.js';
import { ROOT } from '../../support/service.js';

/**
 * Starts the service as npm start does, with `env` over a quiet default, and waits for it to
 * exit; `node` is the Node.js binary that runs it.
 */
async function runToExit(
  env: NodeJS.ProcessEnv,
  node = process.execPath,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(node, serviceArgs(), {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', OTEL_SDK_DISABLED: 'true', DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk) => {
    stderr += chunk;
  });
  const [code] = await once(child, 'exit');
  return { code, stdout, stderr };
}

it('says which port is taken, in one JSON line, and exits 1', async () => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as { port: number };
  try {
    const { code, stdout, stderr } = await runToExit({ PORT: String(port) });
    expect(code).toBe(1);
    const errors = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
      .filter((record) => record.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0].message).toBe(`cannot listen: port ${port} on 127.0.0.1 is already in use`);
    expect(errors[0]['error.type']).toBe('EADDRINUSE');
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
  } finally {
    holder.close();
  }
}, 30_000);

// A setting the service could not use is refused at start, in one line that names the setting
// and shows none of its secrets, never accepted and then failing at the first request.
it.each([
  ['DATABASE_URL', { DATABASE_URL: 'postgres://app:Pw%Secret-70c4@127.0.0.1:5432/app' }, 'Pw%Secret-70c4'],
  [
    'NETWORK_CHECK_TARGETS',
    { NETWORK_CHECK_TARGETS: 'hook=http://probe:Tp%zzSecret-5d1e@127.0.0.1:9/x?token=Tok-5d1e' },
    'Tp%zzSecret-5d1e',
  ],
])(
  'refuses a %s with a % that does not decode, naming the setting only',
  async (setting, env, secret) => {
    const { code, stdout, stderr } = await runToExit(env);
    expect(code).toBe(1);
    const output = stdout + stderr;
    const lines = output.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0] as string);
    expect(record.level).toBe('error');
    expect(record.message).toContain(setting);
    expect(record.message).toContain('%25');
    expect(output).not.toContain(secret);
    expect(output).not.toContain('Tok-5d1e');
  },
  30_000,
);

// A standard OTEL_* setting the SDK would take silently (otel/env-check.ts) stops the start the
// same way, before the SDK starts: one line naming the variable, none of its value.
it('refuses an OTLP endpoint without a scheme in one line, naming the variable only', async () => {
  const { code, stdout, stderr } = await runToExit({
    OTEL_SDK_DISABLED: 'false',
    OTEL_EXPORTER_OTLP_ENDPOINT: 'user:Pw-Secret-41aa@127.0.0.1:14318',
  });
  expect(code).toBe(1);
  const lines = (stdout + stderr).split('\n').filter(Boolean);
  expect(lines).toHaveLength(1);
  expect(JSON.parse(lines[0] as string)).toEqual({
    level: 'error',
    message:
      'invalid configuration: OTEL_EXPORTER_OTLP_ENDPOINT must be an absolute http:// or https:// URL, e.g. http://collector:4318',
  });
  expect(stdout + stderr).not.toContain('Pw-Secret-41aa');
}, 30_000);

// An unsupported Node.js (the machine's own, where it is older than `engines` allows: Debian's
// Node 20 here) is refused before anything loads, in one JSON line that names the version needed.
const engines = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8')).engines.node as string;
const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((path) => {
  if (!existsSync(path)) return false;
  const version = execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
  return !semver.satisfies(version, engines);
});

it.skipIf(oldNode === undefined)(
  `refuses a Node.js outside engines (${engines}) in one JSON line, exit 1 (needs an older node on the machine)`,
  async () => {
    const { code, stdout, stderr } = await runToExit({}, oldNode);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    const lines = stderr.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const record = JSON.parse(lines[0] ?? '');
    expect(record.level).toBe('error');
    expect(record.message).toContain(`needs ${engines}`);
    expect(record.fix).toContain('.nvmrc');
  },
  30_000,
);
