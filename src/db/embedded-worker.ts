// Runs in a worker thread: PGlite (PostgreSQL compiled to WASM) behind a wire-protocol socket
// server on a Unix socket in a directory only this process's user can enter (embedded.ts). PGlite executes on the thread that owns it and blocks that thread
// for the whole query (pg_sleep(2) blocks for 2 s), so it must not live on the event loop that
// serves HTTP. The main thread reaches it through the same `pg` Pool as a real server.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

interface Options {
  /** The socket file, named as PostgreSQL names its own, so `pg` finds it from the directory. */
  path: string;
  maxConnections: number;
}

const { path, maxConnections } = workerData as Options;
const db = await PGlite.create();
const server = new PGLiteSocketServer({ db, path, maxConnections });
await server.start();
parentPort?.postMessage({ type: 'ready' });

parentPort?.on('message', async (message: { type: string }) => {
  if (message.type !== 'stop') return;
  await server.stop();
  await db.close();
  parentPort?.postMessage({ type: 'stopped' });
  parentPort?.close();
});
