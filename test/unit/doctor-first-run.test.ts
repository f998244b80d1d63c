// The doctor's first run with `npm start` alone: its settings come from one table and one tested
// function, its first lines say what answers and what to do, and a backend that is not there is
// one failure, not one per hop that reads it. The service here is a loopback server with a
// /metrics page shaped like the real one; every backend is a refusing port.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { find, summary } from '../../scripts/doctor/found.js';
import { runHops } from '../../scripts/doctor/hops.js';
import { resolveSettings, SETTINGS, SettingsError } from '../../scripts/doctor/settings.js';

let server: Server | undefined;
afterEach(() => {
  server?.close();
  server = undefined;
});

const METRICS = [
  'http_server_request_duration_seconds_count{http_route="/log-test",service_name="svc"} 1',
  'otel_sdk_processor_span_processed_total{error_type="Error"} 3',
  'otel_sdk_processor_log_processed_total{error_type="Error"} 4',
  'otel_sdk_exporter_metric_data_point_exported_total{error_type="export_failed"} 9',
].join('\n');

async function serviceAlone(): Promise<string> {
  server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path === '/healthz') res.end('{"status":"ok"}');
    else if (path === '/readyz') res.end('{"status":"ready","database":"embedded","telemetry":"started"}');
    else if (path === '/metrics') res.end(METRICS);
    else if (path === '/ui/v1/traces') res.writeHead(503).end('{"error":"the Collector is unreachable: ECONNREFUSED"}');
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('settings', () => {
  it('takes a flag over its variable over the default, for every setting', () => {
    for (const { key, flag, env, fallback } of SETTINGS) {
      expect(resolveSettings([], {}).endpoints[key]).toBe(fallback);
      expect(resolveSettings([], { [env]: 'http://from-env' }).endpoints[key]).toBe('http://from-env');
      expect(resolveSettings([`--${flag}=http://from-flag/`], { [env]: 'http://from-env' }).endpoints[key]).toBe(
        'http://from-flag',
      );
    }
  });

  it('--preset service empties every backend, and a flag still sets one', () => {
    const { endpoints } = resolveSettings(['--preset', 'service', '--jaeger=http://j:16686'], {});
    expect(endpoints).toMatchObject({
      service: 'http://localhost:8080',
      collectorHealth: '',
      collectorMetrics: '',
      prometheus: '',
      loki: '',
      jaeger: 'http://j:16686',
    });
  });

  it.each([
    [['--window', 'abc'], 'must be a number of seconds from 0 to 600, not "abc"'],
    [['--window=-1'], 'not "-1"'],
    [['--window', ''], 'not ""'],
    [['--preset', 'cluster'], '--preset must be one of stack, service, not "cluster"'],
    [['--no-such-flag'], "Unknown option '--no-such-flag'"],
  ])('refuses %j with a message saying what it takes', (args, message) => {
    expect(() => resolveSettings(args, {})).toThrow(SettingsError);
    expect(() => resolveSettings(args, {})).toThrow(message);
  });

  it('reads DOCTOR_WINDOW as seconds', () => {
    expect(resolveSettings([], { DOCTOR_WINDOW: '2.5' }).windowMs).toBe(2500);
  });
});

describe('npm start alone', () => {
  it('says first that the service runs without a Collector, and what to do next', async () => {
    const { endpoints } = resolveSettings([`--service=${await serviceAlone()}`, '--service-name=svc'], {
      DOCTOR_COLLECTOR_HEALTH: 'http://127.0.0.1:0',
      DOCTOR_COLLECTOR_METRICS: 'http://127.0.0.1:0',
      DOCTOR_PROMETHEUS: 'http://127.0.0.1:0',
      DOCTOR_JAEGER: 'http://127.0.0.1:0',
      DOCTOR_LOKI: 'http://127.0.0.1:0',
      DOCTOR_ALERTMANAGER: 'http://127.0.0.1:0',
      DOCTOR_MAILPIT: 'http://127.0.0.1:0',
    });
    const found = await find(endpoints);
    expect(found).toEqual({
      service: true,
      collector: false,
      prometheus: false,
      jaeger: false,
      loki: false,
      alertmanager: false,
      mailpit: false,
    });
    const [first, next] = summary(found, endpoints);
    expect(first).toMatch(/^found: the service \(http:\/\/127\.0\.0\.1:\d+\); nothing answers for a Collector/);
    expect(next).toContain('the service runs alone');
    expect(next).toContain('--preset service');

    const results = await runHops(
      endpoints,
      { sdkAtStart: undefined, collectorAtStart: undefined, startedAt: 0, windowMs: 0 },
      () => {},
      found,
    );
    const byId = Object.fromEntries(results.map((r) => [r.id, r]));
    // The export line carries the same totals as /metrics, and its fix follows from them.
    expect(byId['sdk-export']?.detail).toContain('spans exported 0, failed 3; log records exported 0, failed 4');
    expect(byId['sdk-export']?.hint).toContain('cannot reach the Collector');
    // One failure per missing backend: the first hop that reads it; the rest say why they skip.
    expect(results.filter((r) => r.ok === false).map((r) => r.id)).toEqual([
      'sdk-export',
      'collector',
      'prometheus-scrape',
      'jaeger',
      'loki',
      'alertmanager',
    ]);
    expect(byId['alert-receiver']?.ok).toBeNull(); // Alertmanager's absence, already reported
    expect(byId['browser-relay']?.ok).toBeNull(); // the Collector's absence, already reported
    expect(byId['collector-receive']).toMatchObject({
      ok: null,
      detail: 'skipped: collector does not answer (see collector)',
    });
  });

  it('--preset service checks only the hops that exist, and passes', async () => {
    const { endpoints } = resolveSettings(
      [`--service=${await serviceAlone()}`, '--service-name=svc', '--preset=service'],
      {},
    );
    const found = await find(endpoints);
    expect(summary(found, endpoints)).toHaveLength(1);
    const results = await runHops(
      endpoints,
      { sdkAtStart: undefined, collectorAtStart: undefined, startedAt: 0, windowMs: 0 },
      () => {},
      found,
    );
    expect(results.filter((r) => r.ok !== null).map((r) => [r.id, r.ok])).toEqual([
      ['service', true],
      ['service-metrics', true],
    ]);
  });
});
