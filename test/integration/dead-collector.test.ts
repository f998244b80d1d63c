// docs/architecture.md: "Nothing waits for the Collector". With every OTLP export
// refused, requests still succeed and the process stays up. (Latency under a dead Collector is
// measured by the benchmarks, not asserted here.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_ENV, REFUSING_PORT, type ServiceProcess, startService } from '../../support/service.js';

let service: ServiceProcess;

beforeAll(async () => {
  const closed = REFUSING_PORT; // nothing can listen here: every export is refused
  service = await startService({
    ...DATABASE_ENV,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${closed}`,
    OTEL_METRIC_EXPORT_INTERVAL: '200',
    OTEL_BSP_SCHEDULE_DELAY: '50',
    OTEL_BLRP_SCHEDULE_DELAY: '50',
    SHUTDOWN_FLUSH_TIMEOUT_MS: '500',
  });
});

afterAll(async () => {
  await service?.stop();
});

describe('with no Collector listening', () => {
  it('answers every request, across many failed export rounds', async () => {
    const paths = ['/', '/simulate-load?iterations=1000', '/log-test', '/simulate-error?rate=0'];
    const statuses: number[] = [];
    for (let round = 0; round < 50; round++) {
      const batch = await Promise.all(paths.map((p) => fetch(`${service.url}${p}`).then((r) => r.status)));
      statuses.push(...batch);
    }
    expect(statuses).toHaveLength(200);
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(service.child.exitCode).toBeNull();
    // /metrics is served locally whatever happens to the push path.
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/^http_server_request_duration_seconds_count\{[^}]*http_route="\/log-test"[^}]*\} 50$/m);
  });
});
