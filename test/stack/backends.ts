// Starts the natively built backends as child processes for the stack test, each with its
// output in .cache/stack-logs/<name>.log (printed by .ci/run on failure), and stops every one
// of them by PID, whatever happens.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { eventually, ROOT } from '../../support/service.js';

export const LOG_DIR = join(ROOT, '.cache', 'stack-logs');

export interface Backend {
  name: string;
  child: ChildProcess;
  log: string;
}

const started: Backend[] = [];
const logsOfThisProcess = new Set<string>();

export function startBackend(name: string, command: string, args: string[], env: NodeJS.ProcessEnv = {}): Backend {
  mkdirSync(LOG_DIR, { recursive: true });
  const log = join(LOG_DIR, `${name}.log`);
  const out = createWriteStream(log);
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.pipe(out);
  child.stderr?.pipe(out);
  const backend = { name, child, log };
  started.push(backend);
  logsOfThisProcess.add(log);
  return backend;
}

/** Stops one backend (signal, SIGTERM by default, then SIGKILL after 10 s) and waits for it to exit. */
export async function stopBackend({ child }: Backend, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

export async function stopAll(): Promise<void> {
  await Promise.all(started.splice(0).map((backend) => stopBackend(backend)));
}

/** Fails at once, naming the port, when something else already listens there. */
export async function assertPortFree(port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', () => reject(new Error(`port ${port} is in use: the stack test needs it free`)));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  await new Promise((resolve) => server.close(resolve));
}

/** Whether the log of any backend this process started matches: why one exited, for example. */
export function backendLogsSay(pattern: RegExp): boolean {
  return [...logsOfThisProcess].some((log) => pattern.test(readFileSync(log, 'utf8')));
}

/**
 * Waits until url answers 2xx (or one of `statuses`, for a server with no health page), or the
 * backend exits, or timeoutMs passes.
 */
export async function waitHealthy(
  backend: Backend,
  url: string,
  timeoutMs = 30_000,
  statuses: number[] = [],
): Promise<void> {
  await eventually(
    async () => {
      if (backend.child.exitCode !== null) {
        throw new Error(`${backend.name} exited (${backend.child.exitCode}); see ${backend.log}`);
      }
      const res = await fetch(url).catch(() => undefined);
      return res && (res.ok || statuses.includes(res.status)) ? true : undefined;
    },
    timeoutMs,
    `${backend.name} to be healthy at ${url} (its log: ${backend.log})`,
  );
}
