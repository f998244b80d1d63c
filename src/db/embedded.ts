// The embedded PostgreSQL used when DATABASE_URL is unset, so `npm start` needs nothing
// installed. See embedded-worker.ts for why it runs on its own thread.
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';

/**
 * PGlite has one user, `postgres`, a superuser with no password. On a loopback TCP port any local
 * process could connect as it and hold every connection; so it listens on a Unix socket in a
 * fresh directory that mkdtemp creates with mode 0700: only this process's user can reach it,
 * and there is no port to find or disclose.
 */
export const EMBEDDED_SOCKET_PORT = 5432;

export interface EmbeddedPostgres {
  /** The socket's directory: `pg` takes it as `host`, with EMBEDDED_SOCKET_PORT naming the file. */
  socketDir: string;
  /** The thread PGlite runs on (the crash test ends it the hard way). */
  worker: Worker;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;

/**
 * Starts the worker and resolves once it listens. `onCrash` hears of the worker dying after that
 * (an error inside PGlite, memory exhausted), which would otherwise go unnoticed.
 */
export async function startEmbeddedPostgres(
  maxConnections = 8,
  onCrash: (error: Error) => void = () => {},
): Promise<EmbeddedPostgres> {
  const socketDir = mkdtempSync(join(tmpdir(), 'otel-monitoring-pglite-'));
  const path = join(socketDir, `.s.PGSQL.${EMBEDDED_SOCKET_PORT}`);
  // execArgv: [] keeps `--import ./dist/otel/register.js` from starting a second SDK in the worker.
  const worker = new Worker(new URL('./embedded-worker.js', import.meta.url), {
    workerData: { path, maxConnections },
    execArgv: [],
  });
  const ready = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('embedded PostgreSQL did not start in time')), START_TIMEOUT_MS);
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`embedded PostgreSQL exited during start (code ${code})`));
    });
    worker.on('message', (message: { type: string }) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  try {
    await ready;
  } catch (error) {
    await worker.terminate();
    rmSync(socketDir, { recursive: true, force: true });
    throw error;
  }
  worker.unref();
  // The start-up listeners have done their job; from here on an exit is a crash unless stop() asked.
  worker.removeAllListeners('error');
  worker.removeAllListeners('exit');
  let stopping = false;
  worker.on('error', (error) => onCrash(error));
  worker.once('exit', (code) => {
    if (!stopping) onCrash(new Error(`embedded PostgreSQL stopped (exit code ${code})`));
  });
  return {
    socketDir,
    worker,
    async stop() {
      stopping = true;
      const exited = once(worker, 'exit');
      worker.postMessage({ type: 'stop' });
      const timeout = setTimeout(() => void worker.terminate(), 5_000);
      await exited;
      clearTimeout(timeout);
      rmSync(socketDir, { recursive: true, force: true });
    },
  };
}
