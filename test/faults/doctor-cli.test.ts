// The doctor against endpoints that are not what they claim, through its real entry point (the
// compiled scripts/doctor/main.ts, as npm run doctor runs it, so it runs after the build with the
// process suites) and a loopback server: a URL with
// credentials, a /healthz that redirects, backend strings with terminal escape sequences, and a
// /metrics page that never ends.
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { ROOT } from '../../support/service.js';

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

async function serve(handler: (req: IncomingMessage, res: import('node:http').ServerResponse) => void) {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function doctor(args: string[]): Promise<{ stdout: string; code: number }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'dist/scripts/doctor/main.js'), '--preset', 'service', '--window', '0', ...args],
      { timeout: 30_000, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout) => resolve({ stdout, code: error ? Number((error as { code?: number }).code) : 0 }),
    );
  });
}

it('sends credentials in a URL as Basic auth, and prints the URL without them', async () => {
  const seen: Array<string | undefined> = [];
  const port = await serve((req, res) => {
    seen.push(req.headers.authorization);
    res.end('{"status":"ok"}');
  });
  const { stdout } = await doctor([`--service=http://ada:s3cr%40t-9e1@127.0.0.1:${port}`]);
  expect(stdout).not.toMatch(/s3cr|ada:/);
  expect(stdout).toContain(`http://127.0.0.1:${port}`);
  expect(seen.length).toBeGreaterThan(0);
  expect(seen.every((a) => a === `Basic ${Buffer.from('ada:s3cr@t-9e1').toString('base64')}`)).toBe(true);
});

it('reports a redirect as what it is, without following it', async () => {
  let followed = 0;
  const port = await serve((req, res) => {
    if (req.url === '/elsewhere') {
      followed += 1;
      res.end('{"status":"ok"}');
    } else res.writeHead(302, { location: '/elsewhere' }).end();
  });
  const { stdout, code } = await doctor([`--service=http://127.0.0.1:${port}`]);
  expect(stdout).toMatch(/\/healthz 302/);
  expect(followed).toBe(0);
  expect(code).toBe(1);
});

it('prints what a backend wrote with its control characters escaped', async () => {
  const port = await serve((req, res) => {
    if (req.url === '/healthz') res.end('{"status":"ok"}');
    else res.writeHead(503).end(JSON.stringify({ error: 'down\u001b[2J\u001b]0;pwned\u0007 now' }));
  });
  const { stdout } = await doctor([`--service=http://127.0.0.1:${port}`]);
  expect(stdout).toContain('down\\x1b[2J\\x1b]0;pwned\\x07 now');
  expect(stdout).not.toContain('\u001b');
});

it('gives up on an answer past its size cap instead of reading it all', async () => {
  let sent = 0;
  const port = await serve((req, res) => {
    if (req.url !== '/metrics') return void res.end('{"status":"ok","database":"external","telemetry":"started"}');
    const line = `${'x'.repeat(1_000)} 1\n`;
    const more = () => {
      while (sent < 200 * 1024 * 1024 && res.write(line)) sent += line.length;
      if (sent >= 200 * 1024 * 1024) res.end();
    };
    res.on('drain', more);
    res.on('close', () => res.off('drain', more));
    more();
  });
  const { stdout } = await doctor([`--service=http://127.0.0.1:${port}`]);
  expect(stdout).toMatch(/answer over 8 MiB/);
  expect(sent).toBeLessThan(64 * 1024 * 1024);
}, 60_000);
