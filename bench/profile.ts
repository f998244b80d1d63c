// npm run bench:profile: where the service's CPU goes on the hello route, under load, with every
// request traced and with 10% sampling, beside bare Hono. Each variant runs once under
// `node --cpu-prof`, exporting to the counting sink. Only the samples taken while the load ran
// count (the profile's clock is the monotonic one process.hrtime reads, so start-up and shutdown
// are cut off), and their self time is summed per function (name, file, line) and per package,
// then divided by the requests served: the tables say how many µs of each request go where, so
// the service's rows can be set against bare Hono's. The profiles stay in .cache/profiles/ for
// Chrome DevTools or speedscope.
//
// Variants: npm run bench:profile -- <variant> …, as for bench:ab; by default bare Hono and the
// service at 100% and 10% sampling.
// Settings (environment): BENCH_DURATION s (8), BENCH_CONNECTIONS (50), DATABASE_URL as in bench.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import { wholeNumber } from '../support/env.js';
import { waitUp } from '../support/poll.js';
import { CountingSink } from '../support/sink.js';
import { freshProfileDir, nowMicros, summarizeProfile } from './cpu-profile.js';
import { parseVariant, ROOT, type Variant } from './run-once.js';

const DURATION = wholeNumber('BENCH_DURATION', 8);
const CONNECTIONS = wholeNumber('BENCH_CONNECTIONS', 50);
const PORT = 18520;

// The variants: as given on the command line (npm run bench:profile -- bare 'NAME=value …'; see
// parseVariant), else bare Hono and the service at 100% and at 10% sampling.
const ARGS = process.argv.slice(2);
const VARIANTS: Variant[] = (
  ARGS.length > 0 ? ARGS : ['bare', '-', 'OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1']
).map(parseVariant);

async function profileOnce(variant: Variant, sinkUrl: string): Promise<string> {
  const { name, args } = variant;
  const dir = freshProfileDir(name.replace(/\W+/g, '-').slice(0, 80));
  const child = spawn(process.execPath, ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...args], {
    cwd: variant.cwd ?? ROOT,
    env: { ...process.env, PORT: String(PORT), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...variant.env?.(sinkUrl) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${PORT}/`;
  await waitUp(url, child);
  const from = nowMicros();
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION });
  const to = nowMicros();
  const exited = once(child, 'exit');
  child.kill('SIGTERM'); // the service exits normally, and Node writes the profile
  await exited;
  return summarizeProfile(
    dir,
    from,
    to,
    result.requests.total,
    `${name}: ${Math.round(result.requests.average)} req/s`,
  );
}

const sink = new CountingSink();
const sinkUrl = await sink.start();
const sections: string[] = [];
for (const variant of VARIANTS) sections.push(await profileOnce(variant, sinkUrl));
await sink.stop();
console.log(sections.join('\n\n'));
