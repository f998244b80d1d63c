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
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { parseVariant, ROOT, type Variant } from './run-once.js';
import { CountingSink } from './sink.js';
import { waitUp } from './wait-up.js';

const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const PORT = 18520;

// The variants: as given on the command line (npm run bench:profile -- bare 'NAME=value …'; see
// parseVariant), else bare Hono and the service at 100% and at 10% sampling.
const ARGS = process.argv.slice(2);
const VARIANTS: Variant[] = (
  ARGS.length > 0 ? ARGS : ['bare', '-', 'OTEL_TRACES_SAMPLER=parentbased_traceidratio OTEL_TRACES_SAMPLER_ARG=0.1']
).map(parseVariant);

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Monotonic clock in µs, the one V8 stamps profiles with. */
const nowMicros = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Self time per key (µs) of the samples taken in [from, to]: each delta belongs to the sample it
 * precedes, and a sample's time is the profile's start plus the deltas so far.
 */
function selfTimes(
  profile: CpuProfile,
  keyOf: (node: ProfileNode) => string,
  from: number,
  to: number,
): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  let time = profile.startTime;
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i] ?? 0;
    time += delta;
    const node = byId.get(id);
    if (!node || time < from || time > to) return;
    const key = keyOf(node);
    totals.set(key, (totals.get(key) ?? 0) + delta);
  });
  return totals;
}

function shortUrl(url: string): string {
  const modules = url.lastIndexOf('node_modules/');
  if (modules !== -1) return url.slice(modules + 'node_modules/'.length);
  return url.replace(/^file:\/\//, '').replace(ROOT, '');
}

function functionKey({ callFrame: f }: ProfileNode): string {
  if (!f.url) return `(${f.functionName || 'native'})`;
  return `${f.functionName || '(anonymous)'} ${shortUrl(f.url)}:${f.lineNumber + 1}`;
}

function packageKey({ callFrame: f }: ProfileNode): string {
  if (!f.url) return f.functionName.startsWith('(') ? f.functionName : '(native)';
  if (f.url.startsWith('node:')) return 'node core';
  const path = shortUrl(f.url);
  const match = /^(@[^/]+\/[^/]+|[^/]+)/.exec(path);
  return f.url.includes('node_modules/') ? (match?.[1] ?? path) : `project: ${path.split('/')[0]}/`;
}

function table(title: string, totals: Map<string, number>, busy: number, requests: number): string {
  const rows = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
  return [
    `| ${title} | self µs/req | share of busy |`,
    '| --- | --- | --- |',
    ...rows.map(([key, us]) => `| \`${key}\` | ${(us / requests).toFixed(2)} | ${((us / busy) * 100).toFixed(1)}% |`),
  ].join('\n');
}

async function profileOnce(variant: Variant, sinkUrl: string): Promise<string> {
  const { name, args } = variant;
  const dir = join(ROOT, '.cache', 'profiles', name.replace(/\W+/g, '-').slice(0, 80));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
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
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  const profile: CpuProfile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const byFunction = selfTimes(profile, functionKey, from, to);
  const all = [...byFunction.values()].reduce((a, b) => a + b, 0);
  const idle = byFunction.get('((idle))') ?? 0;
  byFunction.delete('((idle))');
  const byPackage = selfTimes(profile, packageKey, from, to);
  byPackage.delete('(idle)');
  const requests = result.requests.total;
  const busy = all - idle;
  return [
    `### ${name}: ${Math.round(result.requests.average)} req/s; ${(busy / requests).toFixed(1)} µs busy per request ` +
      `(${Math.round(busy / 1000)} ms busy of ${Math.round(all / 1000)} ms under load)`,
    '',
    table('function (self time)', byFunction, busy, requests),
    '',
    table('package (self time)', byPackage, busy, requests),
  ].join('\n');
}

const sink = new CountingSink();
const sinkUrl = await sink.start();
const sections: string[] = [];
for (const variant of VARIANTS) sections.push(await profileOnce(variant, sinkUrl));
await sink.stop();
console.log(sections.join('\n\n'));
