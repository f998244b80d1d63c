// A Collector that drips: it takes each trace export and answers one byte every 500 ms, never a
// whole response. The OTLP exporter's timeout is an idle timeout, which every byte resets, so
// without a deadline on the whole export each one stays in flight for as long as the dripping
// goes on; past 30 in flight the exporter refuses every new export ("Concurrency Limit
// reached"), and no trace arrives after the Collector recovers. With one, each
// stuck export ends at OTEL_EXPORTER_OTLP_TIMEOUT and the next batch goes through. The bound:
// traces from requests made after the recovery arrive within two export timeouts (one for a
// stuck export to end, one for the next batch's delay and round trip, which fit many times).
import { afterAll, expect, it } from 'vitest';
import { DATABASE_ENV, eventually, type ServiceProcess, startService } from '../../support/service.js';
import { OtlpReceiver } from '../support/otlp-receiver.js';

const TIMEOUT_MS = 2_000;

let service: ServiceProcess | undefined;
let receiver: OtlpReceiver | undefined;

afterAll(async () => {
  await service?.stop('SIGKILL');
  await receiver?.stop();
});

it('resumes trace export within two export timeouts of a dripping Collector recovering', async () => {
  receiver = new OtlpReceiver();
  receiver.trickle = { signal: 'traces', everyMs: 500 };
  const endpoint = await receiver.start();
  service = await startService({
    ...DATABASE_ENV,
    OTEL_EXPORTER_OTLP_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_EXPORTER_OTLP_TIMEOUT: String(TIMEOUT_MS),
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
    SHUTDOWN_FLUSH_TIMEOUT_MS: '500',
  });
  const svc = service;
  // More stuck exports than the exporter lets run at once (30 in OTel JS 3.x): a batch every
  // 200 ms for 8 s. Past that limit every new export is refused before it is sent.
  const dripUntil = Date.now() + 8_000;
  while (Date.now() < dripUntil) {
    await fetch(`${svc.url}/?during=drip`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  expect(receiver.spans()).toEqual([]);

  receiver.trickle = undefined;
  const recovered = Date.now();
  const traffic = setInterval(() => void fetch(`${svc.url}/simulate-error?rate=0`).catch(() => {}), 100);
  try {
    await eventually(
      async () => (receiver?.spans().some((s) => s.attributes['http.route'] === '/simulate-error') ? true : undefined),
      10 * TIMEOUT_MS,
      'a trace sent after the recovery',
    );
  } finally {
    clearInterval(traffic);
  }
  const resumedAfter = Date.now() - recovered;
  console.log(
    JSON.stringify({ case: 'collector trickles', export_timeout_ms: TIMEOUT_MS, resumed_after_ms: resumedAfter }),
  );
  expect(resumedAfter).toBeLessThanOrEqual(2 * TIMEOUT_MS);
}, 60_000);
