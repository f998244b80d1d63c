// Polling, written once for the tests and the benchmarks: wait for a condition, never sleep a
// fixed time.
import type { ChildProcess } from 'node:child_process';

/**
 * Polls until fn returns a value other than undefined, then returns it; fails after timeoutMs
 * naming `what`. `intervalMs` is the pause between attempts.
 */
export async function eventually<T>(
  fn: () => Promise<T | undefined> | T | undefined,
  timeoutMs = 15_000,
  what = 'condition',
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await fn();
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

/** Milliseconds until url answers 2xx; fails at once if the server process exits first. */
export async function waitUp(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<number> {
  const started = performance.now();
  await eventually(
    async () => {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      return (await fetch(url).catch(() => undefined))?.ok ? true : undefined;
    },
    timeoutMs,
    `${url} to answer`,
    20,
  );
  return performance.now() - started;
}

/** One answer of pollDuring: its HTTP status (0 when it failed or timed out) and its latency. */
export interface Poll {
  status: number;
  ms: number;
}

/**
 * Asks `url` every 50 ms, one request at a time, until `until` settles: what a client waiting on
 * the service sees while something else loads it. With `timeoutMs`, a request still open then
 * ends as status 0.
 */
export async function pollDuring(url: string, until: Promise<unknown>, timeoutMs?: number): Promise<Poll[]> {
  let done = false;
  const stop = () => {
    done = true;
  };
  until.then(stop, stop);
  const polls: Poll[] = [];
  while (!done) {
    const started = performance.now();
    let status = 0;
    try {
      const res = await fetch(url, { signal: timeoutMs === undefined ? undefined : AbortSignal.timeout(timeoutMs) });
      await res.arrayBuffer();
      status = res.status;
    } catch {
      // refused, reset or timed out: status 0
    }
    polls.push({ status, ms: performance.now() - started });
    await new Promise((r) => setTimeout(r, 50));
  }
  return polls;
}
