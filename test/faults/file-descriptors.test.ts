// Out of file descriptors. Once the service is running and exporting, its open-files limit is
// lowered below what it already holds (prlimit, util-linux), so that every new socket fails
// with EMFILE, the way a process at its ulimit fails, and the receiver drops its connections,
// so the next export needs a new socket. The trace and log exporters then fail with a bare
// `connect EMFILE …`: the service must report that as the export failure it is, in its
// one-line-per-window export report, not as an unknown "OpenTelemetry SDK error", and keep
// serving on the connections it has.
import { execFileSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DATABASE_ENV, eventually, type ServiceProcess, startService } from '../../support/service.js';
import { exportingTo, OtlpReceiver } from '../support/otlp-receiver.js';

let service: ServiceProcess;
const receiver = new OtlpReceiver();

beforeAll(async () => {
  service = await startService({
    ...DATABASE_ENV,
    ...exportingTo(await receiver.start()),
    // No metric export within the test: every failure it sees is a trace or log export's.
    OTEL_METRIC_EXPORT_INTERVAL: '600000',
  });
});

afterAll(async () => {
  await service?.stop('SIGKILL');
  await receiver.stop();
});

/** A GET on one kept-alive connection: the only kind the service can still answer. */
function get(agent: Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end();
  });
}

it('reports exports failing with EMFILE as export failures, and keeps serving', async () => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  expect(await get(agent, `${service.url}/log-test`)).toBe(200);
  await eventually(() => (receiver.requests.traces.length > 0 ? true : undefined), 10_000, 'a first trace export');
  // Soft limit 3: stdin, stdout and stderr are 0-2 and already open, so no new descriptor fits.
  execFileSync('prlimit', [`--pid=${service.child.pid}`, '--nofile=3:']);
  receiver.dropConnections();
  const lines = await eventually(
    async () => {
      expect(await get(agent, `${service.url}/log-test`)).toBe(200);
      const found = service.lines.filter((l) => String(l.error ?? '').includes('EMFILE'));
      return found.length > 0 ? found : undefined;
    },
    10_000,
    'an export failing with EMFILE',
  );
  console.log(JSON.stringify(lines[0]));
  expect(lines[0]?.error).toMatch(/^connect EMFILE /);
  expect(lines.map((l) => l.message)).toEqual(lines.map(() => 'telemetry export failing'));
  agent.destroy();
});
