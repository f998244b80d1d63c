// npm run doctor: walks the telemetry pipeline hop by hop (service, SDK export, Collector receive
// and export, Prometheus scrape and data, Jaeger, Loki), prints a line per hop as it goes, and
// names the first broken one with its likeliest cause and fix. Exit 0 when every hop that ran
// passed, 1 otherwise. --json prints one JSON object and nothing else. It sends the service one
// GET /log-test, whose span and log records must reach the Collector within the window.
//
// Each endpoint is a flag or a variable; the defaults are the ports compose publishes on
// localhost. An empty value skips the hops that need it (e.g. --loki= when there is no Loki).
import { parseArgs } from 'node:util';
import { type Endpoints, type HopResult, runHops } from './hops.js';
import { parseSamples } from './prometheus-text.js';

const SETTINGS: Array<[keyof Endpoints, string, string, string]> = [
  ['service', 'service', 'DOCTOR_SERVICE', 'http://localhost:8080'],
  ['collectorHealth', 'collector-health', 'DOCTOR_COLLECTOR_HEALTH', 'http://localhost:13133'],
  ['collectorMetrics', 'collector-metrics', 'DOCTOR_COLLECTOR_METRICS', 'http://localhost:8888'],
  ['prometheus', 'prometheus', 'DOCTOR_PROMETHEUS', 'http://localhost:9090'],
  ['jaeger', 'jaeger', 'DOCTOR_JAEGER', 'http://localhost:16686'],
  ['loki', 'loki', 'DOCTOR_LOKI', 'http://localhost:3100'],
  ['serviceName', 'service-name', 'DOCTOR_SERVICE_NAME', 'otel-monitoring-service'],
];

const { values } = parseArgs({
  options: {
    ...Object.fromEntries(SETTINGS.map(([, flag]) => [flag, { type: 'string' as const }])),
    window: { type: 'string' },
    json: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  const lines = SETTINGS.map(([, flag, env, fallback]) => `  --${flag} (${env}), default ${fallback}`);
  process.stdout.write(
    `npm run doctor -- [--json] [--window seconds]\n${lines.join('\n')}\nAn empty value skips the hops that need it.\n`,
  );
  process.exit(0);
}

const endpoints = Object.fromEntries(
  SETTINGS.map(([key, flag, env, fallback]) => {
    const value = (values as unknown as Record<string, string | undefined>)[flag] ?? process.env[env] ?? fallback;
    return [key, value.replace(/\/+$/, '')];
  }),
) as unknown as Endpoints;
const windowMs = Number(values.window ?? process.env.DOCTOR_WINDOW ?? 5) * 1000;

const MARK = { true: '✓', false: '✗', null: '–' } as const;
const print = (r: HopResult) => {
  if (values.json) return;
  process.stdout.write(`${MARK[String(r.ok) as keyof typeof MARK]} ${r.id.padEnd(18)} ${r.detail}\n`);
  if (r.hint) process.stdout.write(`  ${' '.repeat(18)} fix: ${r.hint}\n`);
};

// The SDK's and the Collector's counters now, to see at their hops what moved since.
const startedAt = Date.now();
const scrape = (base: string) =>
  base
    ? fetch(`${base}/metrics`, { signal: AbortSignal.timeout(3_000) })
        .then(async (r) => parseSamples(await r.text()))
        .catch(() => undefined)
    : Promise.resolve(undefined);
const [sdkAtStart, collectorAtStart] = await Promise.all([
  scrape(endpoints.service),
  scrape(endpoints.collectorMetrics),
]);
// Something to follow through the window: one request whose span and log records must travel.
if (endpoints.service) {
  await fetch(`${endpoints.service}/log-test`, { signal: AbortSignal.timeout(3_000) }).catch(() => undefined);
}
const context = { sdkAtStart, collectorAtStart, startedAt, windowMs };

const results = await runHops(endpoints, context, (r) => {
  print(r);
});

const firstBroken = results.find((r) => r.ok === false);
const ok = firstBroken ? false : results.some((r) => r.ok === true) ? true : null;
if (values.json) {
  process.stdout.write(`${JSON.stringify({ ok, first_broken: firstBroken?.id ?? null, hops: results })}\n`);
} else {
  process.stdout.write(
    firstBroken
      ? `first broken hop: ${firstBroken.id}\n`
      : `every hop that ran passes (${results.filter((r) => r.ok).length} of ${results.length})\n`,
  );
}
process.exit(firstBroken ? 1 : 0);
