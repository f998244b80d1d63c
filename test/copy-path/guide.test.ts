// The copy guide (otel/README.md), followed as a user would, in a new folder outside this
// repository: a package with hono, then the guide's set-up block (install from npm's cache,
// copy otel/, tsconfig), a three-route server written from the guide's server block, then the
// guide's start block. A real OTLP/HTTP receiver on loopback must get what the guide promises.
// pretest (package.json) fills npm's cache with what the guide installs, so this test runs npm
// offline; run alone, it needs `npm run build && node dist/scripts/guide-steps.js prime` first.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { guideSteps, runSetup } from '../../scripts/guide-steps.js';
import { eventually } from '../../support/poll.js';
import { OtlpReceiver } from '../support/otlp-receiver.js';

// The user's own routes, put where the guide's server block says `// your routes`.
const ROUTES = `
app.get('/items/:id', (c) => {
  logger.info('item read', { 'item.id_length': c.req.param('id').length });
  return c.json({ id: c.req.param('id') });
});
app.post('/items', async (c) => c.json(await c.req.json(), 201));
app.get('/last', (c) => c.text('bye'));
`;

const steps = guideSteps();
const dir = mkdtempSync(join(tmpdir(), 'guide-'));
const receiver = new OtlpReceiver();
let child: ChildProcess;
let port: number;

beforeAll(async () => {
  const setupStarted = Date.now();
  try {
    runSetup(dir, true);
  } catch (error) {
    throw new Error(
      `the guide's set-up failed in ${dir}${/ENOTCACHED/.test(String(error)) ? ' (npm cache not primed: run npm test, whose pretest primes it)' : ''}: ${error}`,
    );
  }
  console.log(`guide set-up (offline install, copy, tsconfig): ${Date.now() - setupStarted} ms`);
  expect(steps.server).toContain('// your routes');
  writeFileSync(join(dir, 'server.ts'), steps.server.replace('// your routes', ROUTES));

  const endpoint = await receiver.start();
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, PORT: '0' };
  Object.assign(env, { OTEL_EXPORTER_OTLP_ENDPOINT: endpoint, OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json' });
  // Its own process group, so that SIGTERM reaches node whichever shell runs the block.
  child = spawn('bash', ['-euo', 'pipefail', '-c', steps.start], { cwd: dir, env, detached: true });
  let output = '';
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  port = await new Promise<number>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const listening = /"message":"listening"[^\n]*"port":(\d+)|"port":(\d+)[^\n]*"message":"listening"/.exec(output);
      if (listening) resolve(Number(listening[1] ?? listening[2]));
    });
    child.once('exit', (code) => reject(new Error(`the guide's start block exited (${code}):\n${output}`)));
  });
}, 240_000);

afterAll(async () => {
  if (child?.exitCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  await receiver.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** The metric export interval the guide's start block sets, in ms. */
function statedIntervalMs(): number {
  const interval = /OTEL_METRIC_EXPORT_INTERVAL=(\d+)/.exec(steps.start)?.[1];
  expect(interval, 'the start block states the metric export interval').toBeDefined();
  return Number(interval);
}

it("sends the server span with http.route, and the route's log record with its trace id", async () => {
  const res = await fetch(`http://127.0.0.1:${port}/items/42`);
  expect(res.status).toBe(200);
  const span = await eventually(
    () => receiver.spans().find((s) => s.name === 'GET /items/:id'),
    15_000,
    'the server span',
  );
  expect(span.attributes['http.route']).toBe('/items/:id');
  expect(span.attributes['http.response.status_code']).toBe(200);
  expect(span.resource['service.name']).toBe('my-service');
  const log = await eventually(
    () => receiver.logs().find((l) => l.body?.stringValue === 'item read'),
    15_000,
    'the log record',
  );
  expect(log.traceId).toBe(span.traceId);
});

it('sends the request-duration histogram within the export interval the guide states', async () => {
  const sent = Date.now();
  await fetch(`http://127.0.0.1:${port}/items`, { method: 'POST', body: '{"a":1}' });
  await eventually(
    () =>
      receiver
        .metrics()
        .find(
          (m) =>
            m.name === 'http.server.request.duration' &&
            m.points.some((p) => p['http.route'] === '/items' && p['http.request.method'] === 'POST'),
        ),
    statedIntervalMs() + 5_000,
    'the request-duration histogram',
  );
  // One export tick after the request at most, plus the export itself.
  expect(Date.now() - sent).toBeLessThan(statedIntervalMs() + 2_000);
});

it("flushes the last request's span on SIGTERM", async () => {
  expect((await fetch(`http://127.0.0.1:${port}/last`)).status).toBe(200);
  // Not exported yet (the batch delay is 5 s): only the flush on SIGTERM can send it now.
  expect(receiver.spans().some((s) => s.name === 'GET /last')).toBe(false);
  const exited = once(child, 'exit');
  process.kill(-(child.pid as number), 'SIGTERM');
  expect((await exited)[0]).toBe(0);
  await eventually(() => receiver.spans().find((s) => s.name === 'GET /last'), 10_000, 'the last span');
});
