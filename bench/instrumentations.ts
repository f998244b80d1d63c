// npm run bench:instrumentations: what each of the service's four instrumentations costs, by
// switching one off at a time (OTEL_NODE_DISABLED_INSTRUMENTATIONS) and comparing, in one run:
// - CPU per request and req/s on the route that instrumentation works on (undici: /network-check
//   probing the service's own /healthz; pg: /db-query?duration_ms=0; winston: /log-test;
//   runtime-node: /, since it measures the event loop whatever the route);
// - start-up time to /readyz and RSS once ready.
// The service runs as `npm start` runs it, exporting to a counting OTLP sink, with DATABASE_URL
// when set. Variants alternate, BENCH_ROUNDS (2) rounds of BENCH_DURATION s (5) at 8 connections
// (the routes' concurrency limits are 10 and 4 per kind). Prints a Markdown table.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import { serviceArgs } from '../scripts/service-command.js';
import { wholeNumber } from '../support/env.js';
import { waitUp } from '../support/poll.js';
import { cpuMicros, memory } from '../support/process-stats.js';
import { ROOT } from '../support/service.js';
import { CountingSink } from '../support/sink.js';

const ROUNDS = wholeNumber('BENCH_ROUNDS', 2);
const DURATION = wholeNumber('BENCH_DURATION', 5);
const PORT = 18510;
const CONNECTIONS = 8;

const ROUTES: Record<string, string> = {
  undici: '/network-check',
  pg: '/db-query?duration_ms=0',
  winston: '/log-test',
  'runtime-node': '/',
};

interface Measure {
  rps: number;
  cpuUsPerRequest: number;
  readyMs: number;
  readyRssMiB: number;
}

async function measure(route: string, disabled: string, sinkUrl: string): Promise<Measure> {
  const started = performance.now();
  const child = spawn(process.execPath, serviceArgs(), {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(PORT),
      HOST: '127.0.0.1',
      DATABASE_URL: process.env.DATABASE_URL ?? '',
      OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
      OTEL_NODE_DISABLED_INSTRUMENTATIONS: disabled,
      NETWORK_CHECK_TARGETS: `self=http://127.0.0.1:${PORT}/healthz`,
    },
    stdio: 'ignore',
  });
  try {
    await waitUp(`http://127.0.0.1:${PORT}/readyz`, child);
    const readyMs = performance.now() - started;
    const pid = child.pid as number;
    const readyRssMiB = memory(pid).rssMiB;
    const url = `http://127.0.0.1:${PORT}${route}`;
    const run = (seconds: number) =>
      new Promise<autocannon.Result>((resolve, reject) =>
        autocannon({ url, connections: CONNECTIONS, duration: seconds }, (e, r) => (e ? reject(e) : resolve(r))),
      );
    await run(2);
    const cpuBefore = cpuMicros(pid);
    const result = await run(DURATION);
    if (result.non2xx > 0) throw new Error(`${route}: ${result.non2xx} answers were not 2xx`);
    const cpu = cpuMicros(pid) - cpuBefore;
    return { rps: result.requests.average, cpuUsPerRequest: cpu / result.requests.total, readyMs, readyRssMiB };
  } finally {
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const sink = new CountingSink();
const sinkUrl = await sink.start();
const samples = new Map<string, Measure[]>();
for (let round = 1; round <= ROUNDS; round++) {
  for (const [name, route] of Object.entries(ROUTES)) {
    for (const disabled of ['', name]) {
      const key = `${name}|${disabled}`;
      const m = await measure(route, disabled, sinkUrl);
      samples.set(key, [...(samples.get(key) ?? []), m]);
      console.error(`round ${round} ${route} ${disabled ? `without ${name}` : 'all on'}: ${Math.round(m.rps)} req/s`);
    }
  }
}
await sink.stop();

const rows = Object.entries(ROUTES).map(([name, route]) => {
  const on = samples.get(`${name}|`) ?? [];
  const off = samples.get(`${name}|${name}`) ?? [];
  const pick = (xs: Measure[], f: (m: Measure) => number) => median(xs.map(f));
  const cpuOn = pick(on, (m) => m.cpuUsPerRequest);
  const cpuOff = pick(off, (m) => m.cpuUsPerRequest);
  return `| ${name} | \`${route}\` | ${Math.round(pick(on, (m) => m.rps))} / ${Math.round(pick(off, (m) => m.rps))} | ${cpuOn.toFixed(1)} / ${cpuOff.toFixed(1)} (${(cpuOn - cpuOff).toFixed(1)}) | ${Math.round(pick(on, (m) => m.readyMs) - pick(off, (m) => m.readyMs))} | ${(pick(on, (m) => m.readyRssMiB) - pick(off, (m) => m.readyRssMiB)).toFixed(1)} |`;
});
console.log(
  [
    `Node ${process.version}, ${ROUNDS} rounds of ${DURATION} s at ${CONNECTIONS} connections, medians; "with / without" the instrumentation, the rest on.`,
    '',
    '| instrumentation | route | req/s with / without | CPU µs/req with / without (cost) | start-up cost ms | RSS cost at ready MiB |',
    '| --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n'),
);
