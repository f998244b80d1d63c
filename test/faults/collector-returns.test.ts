// The Collector comes back. The service starts with nothing listening on its OTLP
// endpoint, runs for a while with every export failing, then a receiver appears on that very
// port. Traces, metrics and logs must all flow again within two export intervals, without a
// restart of the service.
import { afterAll, expect, it } from 'vitest';
import { OtlpReceiver } from '../support/otlp-receiver.js';
import { DATABASE_ENV, eventually, freePort, type ServiceProcess, startService } from '../support/service.js';

const INTERVAL_MS = 3_000; // metric interval, span and log batch delay, and export timeout alike

let service: ServiceProcess | undefined;
let receiver: OtlpReceiver | undefined;

afterAll(async () => {
  await service?.stop('SIGKILL');
  await receiver?.stop();
});

it('resumes exporting every signal within two intervals of the Collector returning', async () => {
  const port = await freePort();
  service = await startService({
    ...DATABASE_ENV,
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_METRIC_EXPORT_INTERVAL: String(INTERVAL_MS),
    OTEL_BSP_SCHEDULE_DELAY: String(INTERVAL_MS),
    OTEL_BLRP_SCHEDULE_DELAY: String(INTERVAL_MS),
    OTEL_EXPORTER_OTLP_TIMEOUT: String(INTERVAL_MS),
    SHUTDOWN_FLUSH_TIMEOUT_MS: '500',
  });
  const svc = service;
  const traffic = setInterval(() => void fetch(`${svc.url}/log-test`).catch(() => {}), 100);
  try {
    // An outage long enough for several failed rounds: the SDK's own counter of spans whose
    // export failed must have grown three times.
    const failedRounds: number[] = [];
    await eventually(
      async () => {
        const text = await (await fetch(`${svc.url}/metrics`)).text();
        const failed = [
          ...text.matchAll(/^otel_sdk_processor_span_processed_total\{[^}]*error_type="[^"]+"[^}]*\} (\S+)/gm),
        ]
          .map((m) => Number(m[1]))
          .reduce((a, b) => a + b, 0);
        if (failed > (failedRounds.at(-1) ?? 0)) failedRounds.push(failed);
        return failedRounds.length >= 3 ? true : undefined;
      },
      10 * INTERVAL_MS,
      'three failed export rounds',
    );
    expect(service.lines.some((l) => l.message === 'telemetry export failing')).toBe(true);

    receiver = new OtlpReceiver();
    await receiver.start(port);
    const back = Date.now();
    const arrived: Record<string, number> = {};
    const deadline = back + 2 * INTERVAL_MS + 1_000;
    while (Date.now() < deadline && Object.keys(arrived).length < 3) {
      for (const signal of ['traces', 'metrics', 'logs'] as const) {
        if (!arrived[signal] && receiver.requests[signal].length > 0) arrived[signal] = Date.now() - back;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(JSON.stringify({ recovery_ms: arrived, interval_ms: INTERVAL_MS }));
    for (const signal of ['traces', 'metrics', 'logs']) {
      expect(arrived[signal], `${signal} did not resume`).toBeDefined();
      expect(arrived[signal]).toBeLessThanOrEqual(2 * INTERVAL_MS);
    }
    expect(service.child.exitCode).toBeNull();
  } finally {
    clearInterval(traffic);
  }
}, 60_000);
