// The Collector comes back. The service starts with its OTLP endpoint resetting every
// connection (a receiver that holds the port but is "down"), runs for a while with every export
// failing, then the receiver comes up on that very port. Traces, metrics and logs must all flow
// again within two export intervals, without a restart of the service. The bound is the export
// design (an interval to notice, one to send), not a speed: the timers and a loopback round trip
// fit in it with a whole interval to spare.
import { afterAll, expect, it } from 'vitest';
import { DATABASE_ENV, eventually, type ServiceProcess, startService } from '../../support/service.js';
import { OtlpReceiver } from '../support/otlp-receiver.js';
import { prometheusSamples } from '../support/prometheus-samples.js';

const INTERVAL_MS = 3_000; // metric interval, span and log batch delay, and export timeout alike

let service: ServiceProcess | undefined;
let receiver: OtlpReceiver | undefined;

afterAll(async () => {
  await service?.stop('SIGKILL');
  await receiver?.stop();
});

it('resumes exporting every signal within two intervals of the Collector returning', async () => {
  receiver = new OtlpReceiver();
  receiver.down = true;
  const endpoint = await receiver.start();
  service = await startService({
    ...DATABASE_ENV,
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
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
        const failed = prometheusSamples(text)
          .filter((s) => s.name === 'otel_sdk_processor_span_processed_total' && s.labels.error_type)
          .reduce((total, s) => total + s.value, 0);
        if (failed > (failedRounds.at(-1) ?? 0)) failedRounds.push(failed);
        return failedRounds.length >= 3 ? true : undefined;
      },
      10 * INTERVAL_MS,
      'three failed export rounds',
    );
    expect(service.lines.some((l) => l.message === 'telemetry export failing')).toBe(true);

    const up = receiver;
    up.down = false;
    const back = Date.now();
    const arrived: Record<string, number> = {};
    await eventually(
      () => {
        for (const signal of ['traces', 'metrics', 'logs'] as const) {
          if (!arrived[signal] && up.requests[signal].length > 0) arrived[signal] = Date.now() - back;
        }
        return Object.keys(arrived).length === 3 ? true : undefined;
      },
      2 * INTERVAL_MS + 1_000,
      'every signal to arrive',
    ).catch(() => undefined);
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
