// The embedded PostgreSQL used when DATABASE_URL is unset, so `npm start` needs nothing
// installed. See embedded-worker.ts for why it runs on its own thread.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

export interface EmbeddedPostgres {
  host: string;
  port: number;
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
  const host = '127.0.0.1';
  // execArgv: [] keeps `--import ./dist/otel/register.js` from starting a second SDK in the worker.
  const worker = new Worker(new URL('./embedded-worker.js', import.meta.url), {
    workerData: { host, maxConnections },
    execArgv: [],
  });
  const ready = new Promise<{ port: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('embedded PostgreSQL did not start in time')), START_TIMEOUT_MS);
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`embedded PostgreSQL exited during start (code ${code})`));
    });
    worker.on('message', (message: { type: string; port?: number }) => {
      if (message.type === 'ready' && message.port) {
        clearTimeout(timer);
        resolve({ port: message.port });
      }
    });
  });
  let port: number;
  try {
    ({ port } = await ready);
  } catch (error) {
    await worker.terminate();
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
    host,
    port,
    worker,
    async stop() {
      stopping = true;
      const exited = once(worker, 'exit');
      worker.postMessage({ type: 'stop' });
      const timeout = setTimeout(() => void worker.terminate(), 5_000);
      await exited;
      clearTimeout(timeout);
    },
  };
}
