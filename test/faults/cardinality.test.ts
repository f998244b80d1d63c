// 10,000 distinct unknown paths. No raw path may become a label value or a span
// name: the number of series at /metrics stays the same, and every such server span is named
// just `GET`, without http.route.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DATABASE_ENV, eventually, type ServiceProcess, startService } from '../../support/service.js';
import { OtlpReceiver } from '../support/otlp-receiver.js';
import { rawRequest } from '../support/raw-request.js';

const PATHS = 10_000;
let service: ServiceProcess;
const sink = new OtlpReceiver();

/**
 * The HTTP series at /metrics (each sample line without its value): the only families whose labels
 * come from requests. Others gain bounded series on their own (a GC kind first seen, the SDK's
 * first collection); the whole text is still checked for the raw paths.
 */
async function series(): Promise<{ keys: Set<string>; text: string }> {
  const text = await (await fetch(`${service.url}/metrics`)).text();
  const lines = text.split('\n').filter((l) => l.startsWith('http_'));
  return { keys: new Set(lines.map((l) => l.slice(0, l.lastIndexOf(' ')))), text };
}

beforeAll(async () => {
  service = await startService({
    ...DATABASE_ENV,
    OTEL_EXPORTER_OTLP_ENDPOINT: await sink.start(),
    OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
    OTEL_BSP_SCHEDULE_DELAY: '200',
    OTEL_BSP_MAX_QUEUE_SIZE: '20000',
    OTEL_METRICS_EXPORTER: 'none',
    OTEL_LOGS_EXPORTER: 'none',
  });
});

afterAll(async () => {
  await service?.stop();
  await sink.stop();
});

it(`keeps the series count and span names fixed across ${PATHS} unknown paths`, async () => {
  // Warm-up: the first 404 creates its (route-less) series once.
  for (let i = 0; i < 20; i++) await rawRequest(service.url, { path: `/warm-up/${i}` });
  const before = await series();

  const queue = Array.from({ length: PATHS }, (_, i) => `/unknown/${i}/${Math.random().toString(36).slice(2)}?q=${i}`);
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      for (let path = queue.pop(); path; path = queue.pop()) {
        const res = await rawRequest(service.url, { path });
        expect(res.status).toBe(404);
      }
    }),
  );
  const after = await series();
  console.log(JSON.stringify({ unknown_paths: PATHS, series_before: before.keys.size, series_after: after.keys.size }));
  expect(before.keys.size).toBeGreaterThan(0);
  expect([...after.keys].filter((k) => !before.keys.has(k))).toEqual([]);
  expect(after.text).not.toContain('/unknown/');

  const spans = await eventually(
    () => {
      const server = sink.spans().filter((s) => s.kind === 2);
      return server.length >= PATHS ? server : undefined;
    },
    30_000,
    'the server spans of every unknown path',
  );
  expect(new Set(spans.map((s) => s.name))).toEqual(new Set(['GET']));
  expect(spans.some((s) => s.attributes['http.route'] !== undefined)).toBe(false);
}, 120_000);
