// npm run bench:request-path -- <variant> …: what the telemetry adds to one request, in µs of CPU,
// measured in process (bench/servers/in-process.ts drives each variant's fetch directly). No
// socket, HTTP parser or load generator shares the two cores, so the differences between
// variants are much steadier than under autocannon, and small levers can be told apart; the
// HTTP work every variant shares is left out, so the ratios here are not those of npm run bench.
// Variants as for bench:ab (`bare`, `-`, NAME=value …, DIR=<checkout>, FLAGS=<node flag>); by
// default bare Hono and the service at 100% and 10% sampling, exporting to the counting sink.
// Rounds alternate.
// Settings (environment): BENCH_ROUNDS (5), BENCH_REQUESTS per round (100000); BENCH_PROFILE=1
// adds one more run of each variant under `node --cpu-prof` and prints its top ten functions and
// packages by self time, per request, in the measured window only (.cache/profiles/request-path/).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { wholeNumber } from '../support/env.js';
import { CountingSink } from '../support/sink.js';
import { freshProfileDir, summarizeProfile } from './cpu-profile.js';
import { median, parseVariant, type Variant } from './run-once.js';

const ROUNDS = wholeNumber('BENCH_ROUNDS', 5);
const REQUESTS = wholeNumber('BENCH_REQUESTS', 100_000);
// The child serves a fifth more as warm-up, and exports those spans too.
const SERVED = REQUESTS + Math.ceil(REQUESTS / 5);
const CHILD = new URL('./servers/in-process.js', import.meta.url).pathname;

const ARGS = process.argv.slice(2);
const VARIANTS: Variant[] = (
  ARGS.length > 0 ? ARGS : ['bare', '-', 'OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1']
).map(parseVariant);

interface Round {
  cpuUsPerRequest: number;
  wallUsPerRequest: number;
  fromUs: number;
  toUs: number;
  spans: number;
}

/** One round of one variant: the service's node flags and --import, with the child in place of the server. */
async function runOnce(variant: Variant, sink: CountingSink, sinkUrl: string, profileDir?: string): Promise<Round> {
  const bare = variant.name === 'bare';
  const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const args = [...profile, ...(bare ? [CHILD] : [...variant.args.slice(0, -1), CHILD])];
  sink.reset();
  const child = spawn(process.execPath, args, {
    cwd: variant.cwd ?? process.cwd(),
    env: {
      ...process.env,
      ...variant.env?.(sinkUrl),
      BENCH_APP: bare ? 'bare' : 'service',
      BENCH_REQUESTS: String(REQUESTS),
      OTEL_METRIC_EXPORT_INTERVAL: '5000',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk) => {
    out += chunk;
  });
  const [code] = await once(child, 'exit');
  const line = out.split('\n').find((l) => l.startsWith('{"cpuUsPerRequest"'));
  if (code !== 0 || !line)
    throw new Error(`${variant.name}: exited ${code}, printed ${JSON.stringify(out.slice(0, 500))}`);
  return { ...JSON.parse(line), spans: sink.counts().spans };
}

const sink = new CountingSink();
const sinkUrl = await sink.start();
const rounds: Round[][] = VARIANTS.map(() => []);
for (let round = 1; round <= ROUNDS; round++) {
  for (const [i, variant] of VARIANTS.entries()) {
    const result = await runOnce(variant, sink, sinkUrl);
    rounds[i]?.push(result);
    console.error(
      `round ${round}/${ROUNDS} ${variant.name}: ${result.cpuUsPerRequest.toFixed(2)} µs CPU/req, ` +
        `${(result.spans / SERVED).toFixed(3)} spans/req exported`,
    );
  }
}

// Per round, each variant's CPU against the first variant's in the same round.
const first = rounds[0] ?? [];
console.log(`\nIn process, ${REQUESTS} requests × ${ROUNDS} alternating rounds (medians), Node ${process.version}.\n`);
console.log(
  `| variant | CPU µs/req | + µs/req vs ${VARIANTS[0]?.name} (rounds' range) | × ${VARIANTS[0]?.name} CPU | spans/req exported |`,
);
console.log('| --- | --- | --- | --- | --- |');
for (const [i, variant] of VARIANTS.entries()) {
  const own = rounds[i] ?? [];
  const cpu = median(own.map((r) => r.cpuUsPerRequest));
  const added = own.map((r, k) => r.cpuUsPerRequest - (first[k]?.cpuUsPerRequest ?? 0));
  const ratio = median(own.map((r, k) => (first[k]?.cpuUsPerRequest ?? 0) / r.cpuUsPerRequest));
  const spans = variant.exports ? (median(own.map((r) => r.spans)) / SERVED).toFixed(3) : '–';
  // The range of the per-round differences says how far apart two medians must be to mean anything.
  const spread = `${Math.min(...added).toFixed(1)} to ${Math.max(...added).toFixed(1)}`;
  console.log(
    `| ${variant.name} | ${cpu.toFixed(2)} | ${median(added).toFixed(2)} (${spread}) | ${ratio.toFixed(2)} | ${spans} |`,
  );
}

if (process.env.BENCH_PROFILE === '1') {
  for (const [i, variant] of VARIANTS.entries()) {
    const dir = freshProfileDir('request-path', String(i));
    const { fromUs, toUs, cpuUsPerRequest } = await runOnce(variant, sink, sinkUrl, dir);
    const title = `${variant.name}: ${cpuUsPerRequest.toFixed(2)} µs CPU/req under the profiler`;
    console.log(`\n${summarizeProfile(dir, fromUs, toUs, REQUESTS, title)}`);
  }
}
await sink.stop();
