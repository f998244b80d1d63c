// OTEL_EXPORTER_OTLP_PROTOCOL=grpc must hold for every signal, metrics included (NodeSDK builds
// them apart, in otel/metric-readers.ts). The natively built Collector listens
// on gRPC only; the service exports to it; traces come out as span metrics and metrics as
// themselves on its Prometheus exporter, logs on an OTLP/HTTP receiver of the test.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type ServiceProcess, startService } from '../../support/service.js';
import { assertPortFree, startBackend, stopAll, waitHealthy } from '../stack/backends.js';
import { composeCollectorFeatureGates } from '../support/compose-command.js';
import { OtlpReceiver } from '../support/otlp-receiver.js';
import { stackBin } from '../support/stack.js';

const otelcol = stackBin('otelcol');
const GRPC_PORT = 14417;
const PROM_PORT = 14889;
const HEALTH_PORT = 14134;

let service: ServiceProcess | undefined;
const logSink = new OtlpReceiver();

describe.skipIf(!otelcol)('OTLP over gRPC', () => {
  beforeAll(async () => {
    for (const port of [GRPC_PORT, PROM_PORT, HEALTH_PORT]) await assertPortFree(port);
    const config = join(mkdtempSync(join(tmpdir(), 'grpc-otelcol-')), 'config.yaml');
    writeFileSync(
      config,
      `extensions:
  health_check: { http: { endpoint: 127.0.0.1:${HEALTH_PORT}, status: { enabled: true, path: /status } } }
receivers:
  otlp: { protocols: { grpc: { endpoint: 127.0.0.1:${GRPC_PORT} } } }
connectors:
  span_metrics: { metrics_flush_interval: 1s }
exporters:
  prometheus: { endpoint: 127.0.0.1:${PROM_PORT} }
  otlp_http/test: { endpoint: ${await logSink.start()}, encoding: json }
service:
  extensions: [health_check]
  telemetry: { metrics: { level: none } }
  pipelines:
    traces: { receivers: [otlp], exporters: [span_metrics] }
    metrics: { receivers: [otlp, span_metrics], exporters: [prometheus] }
    logs: { receivers: [otlp], exporters: [otlp_http/test] }
`,
    );
    const collector = startBackend('otelcol-grpc', otelcol as string, [
      `--config=${config}`,
      ...composeCollectorFeatureGates(),
    ]);
    await waitHealthy(collector, `http://127.0.0.1:${HEALTH_PORT}/status`);
    service = await startService({
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${GRPC_PORT}`,
      OTEL_METRIC_EXPORT_INTERVAL: '500',
      OTEL_BSP_SCHEDULE_DELAY: '100',
      OTEL_BLRP_SCHEDULE_DELAY: '100',
    });
  }, 60_000);

  afterAll(async () => {
    await service?.stop();
    await stopAll();
    await logSink.stop();
  });

  it('delivers traces, metrics and logs', async () => {
    const { trace_id } = await (await fetch(`${service?.url}/log-test`)).json();
    const scrape = () => fetch(`http://127.0.0.1:${PROM_PORT}/metrics`).then((r) => r.text());
    const text = await eventually(
      async () => {
        const body = await scrape();
        return /^http_server_request_duration_seconds_count\{/m.test(body) &&
          /^traces_span_metrics_calls_total\{[^}]*span_name="GET \/log-test"/m.test(body)
          ? body
          : undefined;
      },
      20_000,
      'metrics and span metrics through the gRPC receiver',
    );
    expect(text).toMatch(/http_route="\/log-test"/);
    const logs = await eventually(
      () => {
        const found = logSink.logs().filter((l) => l.traceId === trace_id);
        return found.length >= 3 ? found : undefined;
      },
      20_000,
      'the /log-test records through the gRPC receiver',
    );
    expect(logs).toHaveLength(3);
  }, 60_000);
});
