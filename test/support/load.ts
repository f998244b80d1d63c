// Load for the fault tests: autocannon against the child process, with the child's RSS
// (from /proc) and its V8 heap in use (from its own /metrics) sampled every second.
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import { prometheusSamples } from './prometheus-samples.js';

export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]);
  return Math.round((kib / 1024) * 10) / 10;
}

/** The V8 heap in use, all spaces, as the service's runtime instrumentation reports it on /metrics. */
export async function heapUsedMiB(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const heap = prometheusSamples(text).filter((s) => s.name === 'v8js_memory_heap_used_bytes');
  if (!heap.length) throw new Error('/metrics has no v8js_memory_heap_used_bytes');
  const bytes = heap.reduce((sum, s) => sum + s.value, 0);
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}

export interface LoadResult {
  requests: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  p50: number;
  p99: number;
  rps: number;
  rssCurve: Array<{ at: number; requests: number; rssMiB: number }>;
  heapCurve: Array<{ at: number; heapMiB: number }>;
}

/** Sends `amount` requests (a number), or keeps sending for `{ seconds }`; at most ratePerSecond if given. */
export async function load(
  url: string,
  paths: string[],
  amount: number | { seconds: number },
  pid: number,
  ratePerSecond?: number,
): Promise<LoadResult> {
  let done = 0;
  const rssCurve: LoadResult['rssCurve'] = [];
  const started = Date.now();
  const heapCurve: LoadResult['heapCurve'] = [];
  const heapSamples: Promise<unknown>[] = [];
  let sampleError: unknown;
  const sampler = setInterval(() => {
    const at = Date.now() - started;
    rssCurve.push({ at, requests: done, rssMiB: rssMiB(pid) });
    heapSamples.push(
      heapUsedMiB(url).then(
        (heapMiB) => heapCurve.push({ at, heapMiB }),
        (error) => {
          sampleError ??= error;
        },
      ),
    );
  }, 1000);
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: 20,
        ...(typeof amount === 'number' ? { amount } : { duration: amount.seconds }),
        timeout: 10,
        ...(ratePerSecond ? { overallRate: ratePerSecond } : {}),
        requests: paths.map((path) => ({ method: 'GET' as const, path })),
      },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', () => {
      done++;
    });
  });
  clearInterval(sampler);
  await Promise.all(heapSamples);
  if (sampleError) throw sampleError;
  rssCurve.push({ at: Date.now() - started, requests: done, rssMiB: rssMiB(pid) });
  return {
    requests: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    p50: result.latency.p50,
    p99: result.latency.p99,
    rps: Math.round(result.requests.average),
    rssCurve,
    heapCurve,
  };
}

/**
 * The retained level of RSS or heap over the last `seconds` of a run: its lowest sample. Under load the
 * V8 old space is a sawtooth (garbage piles up between major collections, then is freed), so a
 * single sample lands anywhere on a 40 MiB tooth; the troughs, right after collections, are what
 * a leak would push up.
 */
export function trough<K extends string>(
  curve: Array<{ at: number } & Record<K, number>>,
  key: K,
  seconds: number,
): number {
  const end = curve.at(-1)?.at ?? 0;
  return Math.min(...curve.filter((p) => p.at >= end - seconds * 1000).map((p) => p[key]));
}
