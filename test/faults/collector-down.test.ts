// No Collector at all, and a Collector that accepts connections but never answers.
// The service runs as `npm start` runs it, 15 s of warm-up then 100,000 requests per case. Every
// request must succeed, export failures must be logged at most once per export interval, and
// what the process retains must stay bounded. Heap and RSS are sampled every second; what is
// compared is their trough (the lowest sample) over the last 5 s of warm-up and the last 10 s
// (RSS) or 15 s (heap) of load, because the peaks are the V8 sawtooth (see trough).
// - The V8 heap in use is the leak detector: it may not grow by more than 30 MiB.
// - RSS also holds what V8 reserves and does not return: on Node 24 its young generation and
//   freed pages add a plateau that settles only after this load has run for longer than the test
//   runs it, while the heap troughs stay flat. RSS may grow by at most 120 MiB, which still
//   catches native memory growing with every request.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { DATABASE_ENV, REFUSING_PORT, ROOT, type ServiceProcess, startService } from '../../support/service.js';
import { load, trough } from '../support/load.js';

// Long enough for V8 to size its heap for this load in this failure mode.
const WARM_UP = { seconds: 15 };
// A steady production-like rate rather than saturation (the benchmarks measure saturation).
const RATE = 5_000;
const SUSTAINED = 100_000;
const EXPORT_INTERVAL_MS = 5_000;
const PATHS = ['/', '/log-test', '/simulate-load?iterations=1000', '/simulate-error?rate=0'];

/** A Collector that accepts connections and then never answers (a hung proxy, a full queue). */
async function blackHole(): Promise<{ port: number; server: Server; sockets: Set<Socket> }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => {}); // read and discard, never write
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server, sockets };
}

let service: ServiceProcess | undefined;
let hole: Awaited<ReturnType<typeof blackHole>> | undefined;

afterAll(async () => {
  await service?.stop('SIGKILL');
  for (const socket of hole?.sockets ?? []) socket.destroy();
  hole?.server.close();
});

describe.each([
  ['no Collector listening', 'refused'],
  ['a Collector that never answers', 'black-hole'],
] as const)('with %s', (_label, kind) => {
  it(`serves ${SUSTAINED} requests, logs export failures sparingly, keeps RSS bounded`, async () => {
    let port: number;
    if (kind === 'refused') {
      port = REFUSING_PORT;
    } else {
      hole = await blackHole();
      port = hole.port;
    }
    service = await startService({
      ...DATABASE_ENV,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
      OTEL_METRIC_EXPORT_INTERVAL: String(EXPORT_INTERVAL_MS),
      LOG_LEVEL: 'warn', // keep 3 lines per /log-test off the test's pipe; the records still export
      SHUTDOWN_FLUSH_TIMEOUT_MS: '500',
    });
    const pid = service.child.pid as number;
    const started = Date.now();
    const warm = await load(service.url, PATHS, WARM_UP, pid, RATE);
    const baseline = trough(warm.rssCurve, 'rssMiB', 5);
    const heapBaseline = trough(warm.heapCurve, 'heapMiB', 5);
    const sustained = await load(service.url, PATHS, SUSTAINED, pid, RATE);
    const final = trough(sustained.rssCurve, 'rssMiB', 10);
    // Over 15 of the 20 s: the young generation fills and empties within seconds, so a shorter
    // window can miss every trough and read a sawtooth peak as growth.
    const heapFinal = trough(sustained.heapCurve, 'heapMiB', 15);
    const elapsedMs = Date.now() - started;

    const failures = service.lines.filter((l) => l.message === 'telemetry export failing');
    const peak = Math.max(...sustained.rssCurve.map((p) => p.rssMiB));
    const figures = {
      case: kind,
      requests: sustained.requests,
      rps: sustained.rps,
      p50_ms: sustained.p50,
      p99_ms: sustained.p99,
      rss_after_warmup_mib: baseline,
      rss_peak_mib: peak,
      rss_final_mib: final,
      rss_growth_mib: Math.round((final - baseline) * 10) / 10,
      heap_after_warmup_mib: heapBaseline,
      heap_final_mib: heapFinal,
      heap_growth_mib: Math.round((heapFinal - heapBaseline) * 10) / 10,
      export_failure_lines: failures.length,
      elapsed_s: Math.round(elapsedMs / 1000),
      rss_curve: sustained.rssCurve,
    };
    mkdirSync(`${ROOT}/.cache/faults`, { recursive: true });
    writeFileSync(`${ROOT}/.cache/faults/collector-${kind}.json`, JSON.stringify(figures, null, 2));
    console.log(JSON.stringify({ ...figures, rss_curve: sustained.rssCurve.filter((_, i) => i % 5 === 0) }));

    expect(sustained.requests).toBeGreaterThanOrEqual(SUSTAINED);
    expect(sustained.errors + sustained.timeouts + sustained.non2xx).toBe(0);
    expect(warm.errors + warm.timeouts + warm.non2xx).toBe(0);
    expect(heapFinal - heapBaseline).toBeLessThanOrEqual(30);
    expect(final - baseline).toBeLessThanOrEqual(120);
    // At most one line per interval, plus one for the window already open at the start.
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.length).toBeLessThanOrEqual(Math.ceil(elapsedMs / EXPORT_INTERVAL_MS) + 1);
    expect(service.child.exitCode).toBeNull();
    await service.stop('SIGKILL');
    service = undefined;
  }, 240_000);
});
