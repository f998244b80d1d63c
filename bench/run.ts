// npm run bench: overhead of full instrumentation against bare Hono and the usual alternatives,
// on the hello route, on this machine, in one run. Variants alternate (A B C A B C …), each run
// on a fresh server after a warm-up; loopback only, bounded in time. Prints a Markdown table,
// writes bench/results/latest.{json,md}.
//
// Settings (environment): BENCH_ROUNDS (3), BENCH_DURATION s (10), BENCH_WARMUP s (3),
// BENCH_CONNECTIONS (50). DATABASE_URL is passed to the service when set (else it embeds PGlite).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { resultSvg } from '../support/chart.js';
import { wholeNumber } from '../support/env.js';
import { waitUp } from '../support/poll.js';
import { CountingSink } from '../support/sink.js';
import { measureScrape } from './metrics-scrape.js';
import {
  BARE_HONO,
  median,
  ROOT,
  runOnce,
  type Sample,
  SERVICE,
  type Settings,
  serviceEnv,
  type Variant,
} from './run-once.js';

const ROUNDS = wholeNumber('BENCH_ROUNDS', 3);
const DURATION = wholeNumber('BENCH_DURATION', 10);
const WARMUP = wholeNumber('BENCH_WARMUP', 3, 0);
const CONNECTIONS = wholeNumber('BENCH_CONNECTIONS', 50);
const PORT = 18500;
const SETTINGS: Settings = { port: PORT, durationS: DURATION, warmupS: WARMUP, connections: CONNECTIONS };

const VARIANTS: Variant[] = [
  { name: 'bare Hono', args: BARE_HONO },
  { name: 'service, 100% sampled, all signals', args: SERVICE, env: serviceEnv({}), exports: true },
  {
    name: 'service, 10% sampled',
    args: SERVICE,
    env: serviceEnv({ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }),
    exports: true,
  },
  {
    name: 'stock NodeSDK + auto-instrumentations, 100% sampled',
    args: ['--import', './dist/bench/servers/stock-register.js', 'dist/bench/servers/bare-hono.js'],
    env: (sink) => ({ OTEL_EXPORTER_OTLP_ENDPOINT: sink, OTEL_SERVICE_NAME: 'bench-stock' }),
    exports: true,
  },
  { name: 'Hono + @hono/prometheus (metrics only)', args: ['dist/bench/servers/hono-prometheus.js'] },
  { name: 'Express 5 + prom-client (metrics only)', args: ['dist/bench/servers/express-prom.js'] },
];

async function startupTimes(runs = 3): Promise<{ firstResponseMs: number; readyMs: number }> {
  const first: number[] = [];
  const ready: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const child = spawn(process.execPath, SERVICE, {
      cwd: ROOT,
      // As a newcomer's `npm start` runs it: embedded database, no Collector.
      env: {
        ...process.env,
        PORT: String(PORT),
        HOST: '127.0.0.1',
        DATABASE_URL: '',
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1',
      },
      stdio: 'ignore',
    });
    await waitUp(`http://127.0.0.1:${PORT}/`, child);
    first.push(performance.now() - started);
    await waitUp(`http://127.0.0.1:${PORT}/readyz`, child);
    ready.push(performance.now() - started);
    child.kill('SIGKILL');
    await once(child, 'exit');
  }
  return { firstResponseMs: Math.round(median(first)), readyMs: Math.round(median(ready)) };
}

async function main(): Promise<void> {
  const sink = new CountingSink();
  const sinkUrl = await sink.start();
  const samples = new Map<string, Sample[]>(VARIANTS.map((v) => [v.name, []]));
  const total = ROUNDS * VARIANTS.length;
  let n = 0;
  for (let round = 1; round <= ROUNDS; round++) {
    for (const variant of VARIANTS) {
      n++;
      const sample = await runOnce(variant, sink, sinkUrl, SETTINGS);
      samples.get(variant.name)?.push(sample);
      console.error(
        `[${n}/${total}] round ${round} ${variant.name}: ${Math.round(sample.rps)} req/s, p99 ${sample.p99} ms`,
      );
    }
  }
  await sink.stop();
  console.error('measuring /metrics with 10,000 series and the start-up time…');
  const scrape = await measureScrape();
  const startup = await startupTimes();

  const bare = median(samples.get('bare Hono')?.map((s) => s.rps) ?? [1]);
  const rows = VARIANTS.map((v) => {
    const s = samples.get(v.name) ?? [];
    const rps = median(s.map((x) => x.rps));
    const requests = s.reduce((a, x) => a + x.requests, 0);
    return {
      variant: v.name,
      rps: Math.round(rps),
      ratio: Math.round((rps / bare) * 100) / 100,
      p50_ms: median(s.map((x) => x.p50)),
      p99_ms: median(s.map((x) => x.p99)),
      steady_rss_mib: Math.round(median(s.map((x) => x.steadyMiB))),
      peak_rss_mib: Math.round(Math.max(...s.map((x) => x.peakMiB))),
      cpu_us_per_request: Math.round(median(s.map((x) => x.cpuUsPerRequest)) * 10) / 10,
      spans_per_request: v.exports ? Math.round((s.reduce((a, x) => a + x.spans, 0) / requests) * 1000) / 1000 : null,
      log_records: v.exports ? s.reduce((a, x) => a + x.logRecords, 0) : null,
    };
  });
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim()}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  const result = {
    date: new Date().toISOString(),
    machine,
    settings: {
      rounds: ROUNDS,
      duration_s: DURATION,
      warmup_s: WARMUP,
      connections: CONNECTIONS,
      database: process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded PGlite',
    },
    variants: rows,
    metrics_scrape: scrape,
    startup,
  };
  const table = [
    `Hello route, autocannon -c ${CONNECTIONS} -d ${DURATION}, ${ROUNDS} alternating rounds (medians), ${machine}, ${result.date.slice(0, 10)}.`,
    '',
    '| variant | req/s | × bare | p50 ms | p99 ms | steady RSS MiB | peak RSS MiB | CPU µs/req | spans/req exported |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.variant} | ${r.rps} | ${r.ratio.toFixed(2)} | ${r.p50_ms} | ${r.p99_ms} | ${r.steady_rss_mib} | ${r.peak_rss_mib} | ${r.cpu_us_per_request} | ${r.spans_per_request ?? '–'} |`,
    ),
    '',
    `/metrics with ${scrape.series} series: ${scrape.medianMs} ms median (p90 ${scrape.p90Ms} ms), ${Math.round(scrape.bytes / 1024)} KiB.`,
    `Start-up (embedded PGlite, no Collector): first 200 after ${startup.firstResponseMs} ms, ready after ${startup.readyMs} ms.`,
  ].join('\n');
  const dir = join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(dir, 'latest.md'), `${table}\n`);
  writeFileSync(join(dir, 'latest.svg'), resultSvg(result));
  console.log(table);
}

await main();
