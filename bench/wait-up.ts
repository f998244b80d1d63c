// Waits for a benchmarked server to answer: polls url every 20 ms until it answers 2xx, and
// fails at once if the server process exits first.
import type { ChildProcess } from 'node:child_process';

/** Milliseconds until url answered. */
export async function waitUp(url: string, child: ChildProcess): Promise<number> {
  const started = performance.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if ((await fetch(url).catch(() => undefined))?.ok) return performance.now() - started;
    await new Promise((r) => setTimeout(r, 20));
  }
}
