// One measured run of one benchmark variant, shared by npm run bench and npm run bench:ab: a fresh
// server, a warm-up, then autocannon for a fixed time while the server's CPU time and resident
// memory are read from /proc; SIGTERM at the end so the service flushes what it still holds.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import { serviceArgs } from '../scripts/service-command.js';
import { waitUp } from '../support/poll.js';
import { cpuMicros, memory } from '../support/process-stats.js';
import { ROOT } from '../support/service.js';
import type { CountingSink } from '../support/sink.js';

export { ROOT };

export interface Variant {
  name: string;
  args: string[];
  env?: (sink: string) => NodeJS.ProcessEnv;
  /** Where to start it (a checkout with dist/ built); this one by default. */
  cwd?: string;
  /** True when the variant exports to the sink (its span and log counts are reported). */
  exports?: boolean;
}

export interface Settings {
  port: number;
  durationS: number;
  warmupS: number;
  connections: number;
}

export interface Sample {
  rps: number;
  p50: number;
  p99: number;
  peakMiB: number;
  steadyMiB: number;
  cpuUsPerRequest: number;
  requests: number;
  spans: number;
  logRecords: number;
}

/** Bare Hono, the baseline every ratio is against. */
export const BARE_HONO = ['dist/bench/servers/bare-hono.js'];

/** The service as npm start runs it, built into dist/ (scripts/service-command.ts). */
export const SERVICE = serviceArgs();

/** The service's environment: export to the sink, and the benchmark's database when one is set. */
export const serviceEnv = (extra: NodeJS.ProcessEnv) => (sink: string) => ({
  OTEL_EXPORTER_OTLP_ENDPOINT: sink,
  DATABASE_URL: process.env.DATABASE_URL ?? '',
  ...extra,
});

/**
 * A variant from a command-line argument (npm run bench:ab, bench:request-path): `bare` for bare Hono,
 * `-` for the service as it is, else space-separated NAME=value environment settings for the
 * service, where DIR=<checkout> runs another built checkout instead of this one and each
 * FLAGS=<node flag> is added after npm start's own flags (V8 takes the last of a repeated flag, so
 * FLAGS=--max-semi-space-size=32 replaces npm start's cap; NODE_OPTIONS could not, as the command
 * line wins over it).
 */
export function parseVariant(arg: string): Variant {
  if (arg === 'bare') return { name: 'bare', args: BARE_HONO };
  const env: NodeJS.ProcessEnv = {};
  let cwd: string | undefined;
  const flags: string[] = [];
  for (const setting of arg === '-' ? [] : arg.split(/\s+/).filter(Boolean)) {
    const eq = setting.indexOf('=');
    if (eq <= 0) throw new Error(`not NAME=value: ${JSON.stringify(setting)} (in ${JSON.stringify(arg)})`);
    const [name, value] = [setting.slice(0, eq), setting.slice(eq + 1)];
    if (name === 'DIR') cwd = value;
    else if (name === 'FLAGS') flags.push(value);
    else env[name] = value;
  }
  const name = arg === '-' ? 'service' : arg;
  return { name, args: serviceArgs(flags), env: serviceEnv(env), cwd, exports: true };
}

export const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
};

function cannon(url: string, seconds: number, connections: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon({ url, connections, duration: seconds }, (error, result) => (error ? reject(error) : resolve(result)));
  });
}

/**
 * A variant's server on `port`, once it answers: `nodeFlags` go before its own arguments (the
 * profiler's, for one). Killed if it never answers.
 */
export async function startVariant(
  variant: Variant,
  sinkUrl: string,
  port: number,
  nodeFlags: string[] = [],
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [...nodeFlags, ...variant.args], {
    cwd: variant.cwd ?? ROOT,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...variant.env?.(sinkUrl) },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}/`;
  try {
    await waitUp(url, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  return { child, url };
}

export async function runOnce(
  variant: Variant,
  sink: CountingSink,
  sinkUrl: string,
  settings: Settings,
): Promise<Sample> {
  const { child, url } = await startVariant(variant, sinkUrl, settings.port);
  try {
    await cannon(url, settings.warmupS, settings.connections);
    sink.reset();
    const pid = child.pid as number;
    const cpuBefore = cpuMicros(pid);
    const steady: number[] = [];
    const sampler = setInterval(() => steady.push(memory(pid).rssMiB), 1000);
    const result = await cannon(url, settings.durationS, settings.connections);
    clearInterval(sampler);
    const cpu = cpuMicros(pid) - cpuBefore;
    const { peakMiB } = memory(pid);
    const exited = once(child, 'exit');
    child.kill('SIGTERM'); // the service flushes what it still holds before exiting
    await exited;
    const exported = sink.counts();
    return {
      rps: result.requests.average,
      p50: result.latency.p50,
      p99: result.latency.p99,
      peakMiB,
      steadyMiB: median(steady.length > 0 ? steady : [0]),
      cpuUsPerRequest: cpu / result.requests.total,
      requests: result.requests.total,
      spans: exported.spans,
      logRecords: exported.logRecords,
    };
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
  }
}
