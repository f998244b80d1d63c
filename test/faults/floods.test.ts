// An anonymous client flooding the slow endpoints, and one sending its headers too slowly. The
// service runs as `npm start` runs it. What must hold, in terms that do not depend on how fast
// the machine is (each check compares with a baseline taken in the same test, or with the order
// in which answers come back):
// - 30 concurrent maximal /simulate-load calls: the excess is refused (429, Retry-After), and
//   /healthz, polled throughout, never waits as long as one such load takes alone, measured just
//   before: the work yields between slices, so health waits for a few slices, not a whole load;
// - 25 concurrent 3 s /db-query calls: every refusal comes back before the first admitted query
//   does (refused at once, not queued), and /readyz stays 200, with the embedded database and
//   with the external one;
// - a client that never finishes its headers is cut after headersTimeout (SERVER_LIMITS in
//   src/http/limits.ts), well before the 30 s or more Node's defaults would allow.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { SERVER_LIMITS } from '../../src/http/limits.js';
import { pollDuring } from '../../support/poll.js';
import { DATABASE_ENV, type ServiceProcess, startService, waitReady } from '../../support/service.js';
import { prometheusSamples } from '../support/prometheus-samples.js';

let service: ServiceProcess | undefined;
afterEach(async () => {
  await service?.stop('SIGKILL');
  service = undefined;
});

interface Answer {
  status: number;
  ms: number;
  retryAfter: string | null;
}

/** `count` requests at once; each answer as it comes. */
function floodEach(url: string, count: number): Array<Promise<Answer>> {
  const started = performance.now();
  return Array.from({ length: count }, async () => {
    const res = await fetch(url);
    await res.arrayBuffer();
    return { status: res.status, ms: performance.now() - started, retryAfter: res.headers.get('retry-after') };
  });
}

async function flood(url: string, count: number): Promise<Answer[]> {
  return Promise.all(floodEach(url, count));
}

it('answers /healthz sooner than one longest /simulate-load takes, while 30 clients ask for it', async () => {
  service = await startService({ ...DATABASE_ENV, OTEL_SDK_DISABLED: 'true' });
  const longest = `${service.url}/simulate-load?iterations=50000000`;
  // Baseline: one longest load, alone (the second of two, so the code is warm).
  await (await fetch(longest)).arrayBuffer();
  const alone = (await flood(longest, 1))[0]?.ms as number;
  const each = floodEach(longest, 30);
  const loads = Promise.all(each);
  // Poll from the first refusal on: by then the burst of 30 has been taken in and refused, and
  // the admitted loads are running, so each poll measures waiting behind the work, not behind
  // the burst (which the client side of this test shares too).
  await Promise.any(each.map((p) => p.then((a) => (a.status === 429 ? a : Promise.reject()))));
  const polls = await pollDuring(`${service.url}/healthz`, loads);
  const answers = await loads;
  const refused = answers.filter((a) => a.status === 429);
  const worst = Math.max(...polls.map((p) => p.ms));
  console.log(
    JSON.stringify({
      loads: 30,
      served: 30 - refused.length,
      refused: refused.length,
      healthz_polls: polls.length,
      healthz_worst_ms: Math.round(worst),
      one_load_alone_ms: Math.round(alone),
    }),
  );
  expect(answers.every((a) => a.status === 200 || a.status === 429)).toBe(true);
  expect(refused.length).toBeGreaterThan(0);
  for (const r of refused) expect(r.retryAfter).toBe('1');
  expect(polls.length).toBeGreaterThan(0);
  expect(polls.every((p) => p.status === 200)).toBe(true);
  // Four loads run at once, each yielding every 1/50 of its work: health waits for about four
  // slices, some 8% of a whole load. Without the slicing the first poll would wait for all four
  // loads to finish, about four whole loads (the figures: bench/README.md, "What the fault tests
  // print").
  expect(worst).toBeLessThan(alone);
}, 60_000);

describe.each([
  ['embedded', ''],
  ['external', process.env.DATABASE_URL],
])('/db-query flooded, %s database', (mode, databaseUrl) => {
  it.skipIf(databaseUrl === undefined)(
    'refuses the excess at once and stays ready',
    async () => {
      service = await startService({ DATABASE_URL: databaseUrl ?? '', OTEL_SDK_DISABLED: 'true' });
      await waitReady(service);
      const queries = flood(`${service.url}/db-query?duration_ms=3000`, 25);
      const polls = await pollDuring(`${service.url}/readyz`, queries);
      const answers = await queries;
      const refused = answers.filter((a) => a.status === 429);
      console.log(
        JSON.stringify({
          mode,
          queries: 25,
          refused: refused.length,
          refused_within_ms: Math.round(Math.max(...refused.map((r) => r.ms))),
          served: answers.filter((a) => a.status === 200).length,
          other: answers.filter((a) => a.status !== 200 && a.status !== 429).length,
          readyz_polls: polls.length,
          readyz_not_200: polls.filter((p) => p.status !== 200).length,
        }),
      );
      // Every query admitted is answered: none waits for a turn it cannot get and fails with 503.
      // External: the pool's 10 run side by side. Embedded: PGlite runs one at a time, and a 3 s
      // query ahead is more than a request may wait (2 s), so one runs and 24 are refused.
      expect(answers.filter((a) => a.status !== 200 && a.status !== 429)).toEqual([]);
      expect(refused).toHaveLength(mode === 'embedded' ? 24 : 15);
      // Refused at once: every refusal is back before the first admitted 3 s query is.
      const firstServed = Math.min(...answers.filter((a) => a.status === 200).map((a) => a.ms));
      for (const r of refused) {
        expect(r.ms).toBeLessThan(firstServed);
        expect(r.retryAfter).toBe(mode === 'embedded' ? '3' : '1');
      }
      expect(polls.length).toBeGreaterThan(5);
      expect(polls.filter((p) => p.status !== 200)).toEqual([]);
    },
    60_000,
  );
});

it('cuts a client that never finishes its headers after headersTimeout, with a 408', async () => {
  service = await startService({ ...DATABASE_ENV, OTEL_SDK_DISABLED: 'true' });
  const { hostname, port } = new URL(service.url);
  const socket = connect({ host: hostname, port: Number(port) });
  await new Promise((resolve) => socket.once('connect', resolve));
  const started = performance.now();
  socket.write('GET / HTTP/1.1\r\nHost: x\r\n'); // and never the blank line that ends the headers
  let answer = '';
  socket.on('data', (chunk) => {
    answer += chunk;
  });
  await new Promise((resolve) => socket.once('close', resolve));
  const seconds = (performance.now() - started) / 1000;
  console.log(JSON.stringify({ slow_headers_cut_after_s: Math.round(seconds * 10) / 10 }));
  // Not before headersTimeout (a timer cannot fire early); and well before the 30 s check interval
  // and 60 s timeout of Node's defaults, with room for a busy machine (the check that cuts it
  // runs up to a second after the bound).
  expect(seconds).toBeGreaterThanOrEqual(SERVER_LIMITS.headersTimeout / 1000 - 0.5);
  expect(seconds).toBeLessThan(20);
  expect(answer).toMatch(/^HTTP\/1\.1 408/);
}, 40_000);

// 30 clients scraping /metrics as fast as they can for 5 s. A collection runs every observable
// instrument (the host metrics start processes each time), so concurrent scrapes must share one
// and rapid ones reuse its page: the SDK's own count of collections may grow by at most one per
// second of flood (the page is reused for 1 s), plus the one under way at each end, however many
// scrapes there were. /healthz and /readyz keep answering 200 throughout.
it('shares one collection among concurrent /metrics scrapes, and stays healthy and ready', async () => {
  service = await startService({ ...DATABASE_ENV, OTEL_METRIC_EXPORT_INTERVAL: '600000' });
  await waitReady(service);
  const url = service.url;
  const collections = async () =>
    prometheusSamples(await (await fetch(`${url}/metrics`)).text())
      .filter((s) => s.name === 'otel_sdk_metric_reader_collection_duration_seconds_count')
      .reduce((total, s) => total + s.value, 0);
  const before = await collections();
  const FLOOD_MS = 5_000;
  let scrapes = 0;
  const started = performance.now();
  const flood = Promise.all(
    Array.from({ length: 30 }, async () => {
      while (performance.now() - started < FLOOD_MS) {
        await (await fetch(`${url}/metrics`)).arrayBuffer();
        scrapes += 1;
      }
    }),
  );
  const [health, ready] = await Promise.all([pollDuring(`${url}/healthz`, flood), pollDuring(`${url}/readyz`, flood)]);
  const seconds = (performance.now() - started) / 1000;
  // The next page after the flood, taken 1 s later so it is a fresh collection that counts all.
  await new Promise((r) => setTimeout(r, 1_100));
  const during = (await collections()) - before;
  console.log(
    JSON.stringify({
      scrapers: 30,
      scrapes,
      collections: during,
      flood_s: Math.round(seconds * 10) / 10,
      healthz_worst_ms: Math.round(Math.max(...health.map((p) => p.ms))),
      readyz_not_200: ready.filter((p) => p.status !== 200).length,
      // The process's high-water mark of resident memory, flood included.
      peak_rss_mib: Math.round(
        Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${service.child.pid}/status`, 'utf8'))?.[1]) / 1024,
      ),
    }),
  );
  expect(scrapes).toBeGreaterThan(100);
  expect(during).toBeLessThanOrEqual(Math.ceil(seconds) + 3);
  expect(health.every((p) => p.status === 200)).toBe(true);
  expect(ready.filter((p) => p.status !== 200)).toEqual([]);
}, 60_000);
