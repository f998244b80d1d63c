// The child of npm run bench:request-path: one variant's app, driven in this process through its
// fetch, with no socket, HTTP parser or load generator in the way, so what the telemetry adds to
// a request is not lost in the noise of the other processes on the machine. Bare Hono when
// BENCH_APP=bare, else the service's app from the checkout in the working directory, built as
// src/server.ts builds it (the hello route touches no database). It runs BENCH_REQUESTS requests
// after a warm-up and prints one JSON line: CPU (user + system, every thread: GC included) and
// wall time per request, and the measured window; then it flushes its telemetry.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { metrics, trace } from '@opentelemetry/api';
import { wholeNumber } from '../../support/env.js';
import { nowMicros } from '../cpu-profile.js';
import { bareApp } from './bare-app.js';

type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

const REQUESTS = wholeNumber('BENCH_REQUESTS', 100_000);
const WARMUP = Math.ceil(REQUESTS / 5);
const URL_ = 'http://127.0.0.1:3000/';
// What @hono/node-server passes as env.incoming, reduced to what the service reads from it: a
// stand-in, since a real IncomingMessage needs a socket.
const ENV = { incoming: { headers: { host: '127.0.0.1:3000' }, url: '/', httpVersion: '1.1', socket: {} } };

/** The service's fetch, and what flushes its telemetry at the end. */
async function service(): Promise<{ fetch: Fetch; flush(): Promise<void> }> {
  const load = (path: string) => import(pathToFileURL(join(process.cwd(), 'dist', path)).href);
  const [{ createApp }, { createLogger }, { createInstruments }, { telemetry }] = await Promise.all([
    load('src/app.js'),
    load('src/logger.js'),
    load('src/app-metrics.js'),
    load('otel/sdk.js'),
  ]);
  const meter = metrics.getMeter('otel-monitoring-service');
  const deps = {
    config: { port: 3000, networkTargets: [], networkTimeoutMs: 1000 },
    db: {},
    logger: createLogger({ level: 'warn', serviceName: 'otel-monitoring-service' }),
    tracer: trace.getTracer('otel-monitoring-service'),
    meter,
    instruments: createInstruments(meter),
    telemetry: telemetry(),
  };
  const app = createApp(deps);
  return { fetch: app.fetch, flush: () => telemetry().shutdown() };
}

// A turn of the event loop per request, as a server gets one per request read: without it, the
// loop runs on microtasks alone and the exporters' I/O never gets a turn, so spans pile up and
// are dropped.
const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

async function drive(fetch: Fetch, requests: number): Promise<void> {
  for (let i = 0; i < requests; i++) {
    await nextTurn();
    const response = await fetch(new Request(URL_, { headers: { host: '127.0.0.1:3000' } }), ENV);
    if (response.status !== 200) throw new Error(`GET / answered ${response.status}`);
    await response.text();
  }
}

const { fetch, flush } =
  process.env.BENCH_APP === 'bare' ? { fetch: bareApp().fetch, flush: async () => {} } : await service();
await drive(fetch, WARMUP);
// The measured window is read on the clock a --cpu-prof profile is stamped with.
const cpu0 = process.cpuUsage();
const fromUs = nowMicros();
await drive(fetch, REQUESTS);
const toUs = nowMicros();
const cpu = process.cpuUsage(cpu0);
console.log(
  JSON.stringify({
    cpuUsPerRequest: (cpu.user + cpu.system) / REQUESTS,
    wallUsPerRequest: (toUs - fromUs) / REQUESTS,
    fromUs,
    toUs,
  }),
);
// The sink counts what was exported: every span must have been sent, not just queued.
await flush();
process.exit(0);
