// Reading a `node --cpu-prof` profile, for BENCH_PROFILE=1 of npm run bench:ab and
// bench:request-path: the self time of the samples taken in a window (the profile's clock is the
// monotonic one process.hrtime reads, in every process, so start-up and shutdown can be cut off),
// summed per function (name, file, line) and per package, then divided by the requests served in
// that window.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './run-once.js';

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

/** An empty directory under .cache/profiles/ for one profile, named from `parts`. */
export function freshProfileDir(...parts: string[]): string {
  const dir = join(ROOT, '.cache', 'profiles', ...parts);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Monotonic clock in µs, the one V8 stamps profiles with. */
export const nowMicros = () => Number(process.hrtime.bigint() / 1000n);

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

/**
 * The markdown section for the one profile in `dir`: busy µs per request in [from, to], and the
 * top ten functions and packages by self time.
 */
export function summarizeProfile(dir: string, from: number, to: number, requests: number, title: string): string {
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no profile written in ${dir}`);
  const profile: CpuProfile = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  const byFunction = selfTimes(profile, functionKey, from, to);
  const all = [...byFunction.values()].reduce((a, b) => a + b, 0);
  const idle = byFunction.get('((idle))') ?? 0;
  byFunction.delete('((idle))');
  const byPackage = selfTimes(profile, packageKey, from, to);
  byPackage.delete('(idle)');
  const busy = all - idle;
  return [
    `### ${title}; ${(busy / requests).toFixed(1)} µs busy per request ` +
      `(${Math.round(busy / 1000)} ms busy of ${Math.round(all / 1000)} ms measured)`,
    '',
    table('function (self time)', byFunction, busy, requests),
    '',
    table('package (self time)', byPackage, busy, requests),
  ].join('\n');
}
