// npm run bench:profile: where the service's CPU goes on the hello route, under load, with every
// request traced and with 10% sampling. Each variant runs once under `node --cpu-prof`, exporting
// to the counting sink, and the profile's self time is summed per function (name, file, line) and
// per package; the top ten of each are printed as Markdown. The profiles stay in
// .cache/profiles/ for Chrome DevTools or speedscope.
//
// Settings (environment): BENCH_DURATION s (8), BENCH_CONNECTIONS (50), DATABASE_URL as in bench.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { CountingSink } from './sink.js';
import { waitUp } from './wait-up.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DURATION = Number(process.env.BENCH_DURATION ?? 8);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const PORT = 18520;

const VARIANTS: Array<{ name: string; env: NodeJS.ProcessEnv }> = [
  { name: '100% sampled', env: {} },
  { name: '10% sampled', env: { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' } },
];

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per key (µs), from the sample stream: each delta belongs to the sample it precedes. */
function selfTimes(profile: CpuProfile, keyOf: (node: ProfileNode) => string): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const totals = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const key = keyOf(node);
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0));
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

function table(title: string, totals: Map<string, number>, all: number): string {
  const rows = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
  return [
    `| ${title} | self ms | share |`,
    '| --- | --- | --- |',
    ...rows.map(([key, us]) => `| \`${key}\` | ${Math.round(us / 1000)} | ${((us / all) * 100).toFixed(1)}% |`),
  ].join('\n');
}

async function profileOnce(name: string, env: NodeJS.ProcessEnv, sinkUrl: string): Promise<string> {
  const dir = join(ROOT, '.cache', 'profiles', name.replace(/\W+/g, '-'));
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const child = spawn(
    process.execPath,
    ['--cpu-prof', `--cpu-prof-dir=${dir}`, '--import', './dist/otel/register.js', 'dist/src/server.js'],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        PORT: String(PORT),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'warn',
        OTEL_EXPORTER_OTLP_ENDPOINT: sinkUrl,
        DATABASE_URL: process.env.DATABASE_URL ?? '',
        ...env,
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${PORT}/`;
  await waitUp(url, child);
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION });
  const exited = once(child, 'exit');
  child.kill('SIGTERM'); // the service exits normally, and Node writes the profile
  await exited;
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  const profile: CpuProfile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const all = profile.timeDeltas.reduce((a, b) => a + b, 0);
  const byFunction = selfTimes(profile, functionKey);
  const busy = all - (byFunction.get('((idle))') ?? 0) - (byFunction.get('((program))') ?? 0);
  byFunction.delete('((idle))');
  return [
    `### ${name}: ${Math.round(result.requests.average)} req/s; ${Math.round(busy / 1000)} ms busy of ${Math.round(all / 1000)} ms profiled`,
    '',
    table('function (self time)', byFunction, all),
    '',
    table('package (self time)', selfTimes(profile, packageKey), all),
  ].join('\n');
}

const sink = new CountingSink();
const sinkUrl = await sink.start();
const sections: string[] = [];
for (const { name, env } of VARIANTS) sections.push(await profileOnce(name, env, sinkUrl));
await sink.stop();
console.log(sections.join('\n\n'));
