// Failing to start, and failing later, must read as one clear line, never a raw stack trace on
// stderr: a port already taken names the port and exits non-zero.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { expect, it } from 'vitest';
import { serviceArgs } from '../../scripts/service-command.js';
import { ROOT } from '../support/service.js';

it('says which port is taken, in one JSON line, and exits 1', async () => {
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const { port } = holder.address() as { port: number };
  try {
    const child = spawn(process.execPath, serviceArgs(), {
      cwd: ROOT,
      env: { ...process.env, HOST: '127.0.0.1', PORT: String(port), OTEL_SDK_DISABLED: 'true', DATABASE_URL: '' },
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
