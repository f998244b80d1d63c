// An anonymous client flooding the slow endpoints, and one sending its headers too slowly. The
// service runs as `npm start` runs it. What must hold:
// - 30 concurrent maximal /simulate-load calls: the excess is refused at once (429, Retry-After)
//   and /healthz, polled throughout, answers within 500 ms (the Docker healthcheck allows 3 s);
// - 25 concurrent 3 s /db-query calls: the excess is refused at once and /readyz stays 200, with
//   the embedded database and with the external one;
// - a client that never finishes its headers is cut between 10 and 12 s (headersTimeout 10 s,
//   checked every second), not the 10-40 s Node's default checking interval allows.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DATABASE_ENV, type ServiceProcess, startService, waitReady } from '../support/service.js';

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

async function flood(url: string, count: number): Promise<Answer[]> {
  const started = performance.now();
  return Promise.all(
    Array.from({ length: count }, async () => {
      const res = await fetch(url);
      await res.arrayBuffer();
      return { status: res.status, ms: performance.now() - started, retryAfter: res.headers.get('retry-after') };
    }),
  );
}

/** Polls `url` every 50 ms until `until` settles; returns the status and latency of each poll. */
async function pollDuring(url: string, until: Promise<unknown>): Promise<Array<{ status: number; ms: number }>> {
  let done = false;
  void until.finally(() => {
    done = true;
  });
  const polls: Array<{ status: number; ms: number }> = [];
  while (!done) {
    const started = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    polls.push({ status: res.status, ms: performance.now() - started });
    await new Promise((r) => setTimeout(r, 50));
  }
  return polls;
}

it('keeps /healthz under 500 ms while 30 clients ask for the longest /simulate-load', async () => {
  service = await startService({ ...DATABASE_ENV, OTEL_SDK_DISABLED: 'true' });
  const loads = flood(`${service.url}/simulate-load?iterations=50000000`, 30);
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
    }),
  );
  expect(answers.every((a) => a.status === 200 || a.status === 429)).toBe(true);
  expect(refused.length).toBeGreaterThan(0);
  for (const r of refused) expect(r.retryAfter).toBe('1');
  expect(polls.length).toBeGreaterThan(0);
  expect(polls.every((p) => p.status === 200)).toBe(true);
  expect(worst).toBeLessThan(500);
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
          readyz_polls: polls.length,
          readyz_not_200: polls.filter((p) => p.status !== 200).length,
        }),
      );
      expect(refused).toHaveLength(15);
      for (const r of refused) {
        expect(r.ms).toBeLessThan(1_000);
        expect(r.retryAfter).toBe('1');
      }
      expect(polls.length).toBeGreaterThan(5);
      expect(polls.filter((p) => p.status !== 200)).toEqual([]);
    },
    60_000,
  );
});

it('cuts a client that never finishes its headers 10-12 s in, with a 408', async () => {
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
  expect(seconds).toBeGreaterThanOrEqual(9.5);
  expect(seconds).toBeLessThan(12);
  expect(answer).toMatch(/^HTTP\/1\.1 408/);
}, 30_000);
