// Out of file descriptors. Once the service is running, its open-files limit is lowered below
// what it already holds (prlimit, util-linux), so that every new socket fails with EMFILE, the
// way a process at its ulimit fails. The metric exporter opens a socket per export to a
// Collector that refuses, so its exports then fail with EMFILE: the service must report that
// as the export failure it is, in its one-line-per-window export report, not as an unknown
// "OpenTelemetry SDK error", and keep serving on the connections it has.
import { execFileSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DATABASE_ENV, eventually, REFUSING_PORT, type ServiceProcess, startService } from '../support/service.js';

let service: ServiceProcess;

beforeAll(async () => {
  service = await startService({
    ...DATABASE_ENV,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${REFUSING_PORT}`,
    OTEL_METRIC_EXPORT_INTERVAL: '300',
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_BLRP_SCHEDULE_DELAY: '100',
  });
});

afterAll(async () => {
  await service?.stop('SIGKILL');
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
  expect(await get(agent, `${service.url}/healthz`)).toBe(200);
  // Soft limit 3: stdin, stdout and stderr are 0-2 and already open, so no new descriptor fits.
  execFileSync('prlimit', [`--pid=${service.child.pid}`, '--nofile=3:']);
  const exportLines = () => service.lines.filter((l) => String(l.error ?? '').includes('EMFILE'));
  const lines = await eventually(
    async () => {
      await get(agent, `${service.url}/log-test`);
      // Both kinds of exporter: the trace and log ones report the bare socket error, the metric
      // reader wraps it in a message of its own.
      const found = exportLines();
      return found.some((l) => String(l.error).startsWith('connect EMFILE')) &&
        found.some((l) => String(l.error).includes('metrics export failed'))
        ? found
        : undefined;
    },
    10_000,
    'EMFILE lines',
  );
  console.log(lines.map((l) => JSON.stringify(l)).join('\n'));
  expect(lines.map((l) => l.message)).toEqual(lines.map(() => 'telemetry export failing'));
  expect(await get(agent, `${service.url}/healthz`)).toBe(200);
  agent.destroy();
});
