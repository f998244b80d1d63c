// npm run bench:ab -- <variant> <variant> …: is a change worth keeping? Runs the service on the
// hello route in alternating rounds (A B A B …, a fresh server each time) and prints, per variant,
// the medians of req/s, server CPU µs per request, p99 and steady RSS, and the median of the
// per-round CPU ratios against the first variant. Ratios within one round share the machine's
// mood, which matters on a noisy machine more than any absolute figure.
//
// A variant is one argument: space-separated NAME=value environment settings for the service,
// `bare` for bare Hono, `-` for the service as it is, DIR=<checkout> to run another built checkout
// (a git worktree after npm run build, with node_modules), which is how a code change is compared
// with the code before it, and FLAGS=<node flag> (repeatable) for a node or V8 flag placed after
// npm start's own, so it wins over them (NODE_OPTIONS cannot: the command line wins over it).
//
// Settings (environment): BENCH_ROUNDS (5), BENCH_DURATION s (8), BENCH_WARMUP s (2),
// BENCH_CONNECTIONS (50); DATABASE_URL as in npm run bench. BENCH_PROFILE=1: where the CPU goes.
// After the rounds each variant runs once more under `node --cpu-prof`, under the same load; only
// the samples taken while the load ran count (the profile's clock is the monotonic one
// process.hrtime reads, so start-up and shutdown are cut off), summed per function and per package
// and divided by the requests served, so the service's rows can be set against bare Hono's. The
// profiles stay in .cache/profiles/ for Chrome DevTools or speedscope.
import { once } from 'node:events';
import autocannon from 'autocannon';

import { wholeNumber } from '../support/env.js';
import { CountingSink } from '../support/sink.js';
import { freshProfileDir, nowMicros, summarizeProfile } from './cpu-profile.js';
import { median, parseVariant, runOnce, type Sample, type Settings, startVariant, type Variant } from './run-once.js';

const ROUNDS = wholeNumber('BENCH_ROUNDS', 5);
const SETTINGS: Settings = {
  port: 18510,
  durationS: wholeNumber('BENCH_DURATION', 8),
  warmupS: wholeNumber('BENCH_WARMUP', 2, 0),
  connections: wholeNumber('BENCH_CONNECTIONS', 50),
};

const fixed = (n: number, digits = 1) => n.toFixed(digits);

/** One run of a variant under `node --cpu-prof` and the load: its top functions and packages. */
async function profileOnce(variant: Variant, sinkUrl: string): Promise<string> {
  const dir = freshProfileDir(variant.name.replace(/\W+/g, '-').slice(0, 80));
  const { child, url } = await startVariant(variant, sinkUrl, SETTINGS.port, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
  const from = nowMicros();
  const result = await autocannon({ url, connections: SETTINGS.connections, duration: SETTINGS.durationS });
  const to = nowMicros();
  const exited = once(child, 'exit');
  child.kill('SIGTERM'); // the service exits normally, and Node writes the profile
  await exited;
  const title = `${variant.name}: ${Math.round(result.requests.average)} req/s under the profiler`;
  return summarizeProfile(dir, from, to, result.requests.total, title);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args.length < 2) {
    console.error("usage: npm run bench:ab -- <variant> <variant> … (e.g. - 'OTEL_SDK_DISABLED=true' bare)");
    process.exit(2);
  }
  const variants = args.map(parseVariant);
  const sink = new CountingSink();
  const sinkUrl = await sink.start();
  const samples: Sample[][] = variants.map(() => []);
  for (let round = 1; round <= ROUNDS; round++) {
    for (const [i, variant] of variants.entries()) {
      const sample = await runOnce(variant, sink, sinkUrl, SETTINGS);
      samples[i]?.push(sample);
      console.error(
        `[round ${round}/${ROUNDS}] ${variant.name}: ${Math.round(sample.rps)} req/s, ` +
          `${fixed(sample.cpuUsPerRequest)} µs/req, p99 ${sample.p99} ms`,
      );
    }
  }
  const base = samples[0] ?? [];
  console.log(
    `${ROUNDS} alternating rounds of ${SETTINGS.durationS} s, -c ${SETTINGS.connections}, Node ${process.version}`,
  );
  console.log('');
  console.log('| variant | req/s | CPU µs/req | CPU × first (median of rounds) | p99 ms | steady RSS MiB |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const [i, variant] of variants.entries()) {
    const s = samples[i] ?? [];
    const ratios = s.map((x, round) => x.cpuUsPerRequest / (base[round]?.cpuUsPerRequest ?? Number.NaN));
    console.log(
      `| ${variant.name} | ${Math.round(median(s.map((x) => x.rps)))} | ${fixed(median(s.map((x) => x.cpuUsPerRequest)))} | ` +
        `${fixed(median(ratios), 3)} (${fixed(Math.min(...ratios), 2)}–${fixed(Math.max(...ratios), 2)}) | ` +
        `${median(s.map((x) => x.p99))} | ${Math.round(median(s.map((x) => x.steadyMiB)))} |`,
    );
  }
  if (process.env.BENCH_PROFILE === '1') {
    for (const variant of variants) console.log(`\n${await profileOnce(variant, sinkUrl)}`);
  }
  await sink.stop();
}

await main();
