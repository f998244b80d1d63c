// Runs in a worker thread: PGlite (PostgreSQL compiled to WASM) behind a wire-protocol socket
// server on a loopback port. PGlite executes on the thread that owns it and blocks that thread
// for the whole query (pg_sleep(2) blocks for 2 s), so it must not live on the event loop that
// serves HTTP. The main thread reaches it through the same `pg` Pool as a real server.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

interface Options {
  host: string;
  maxConnections: number;
}

const { host, maxConnections } = workerData as Options;
const db = await PGlite.create();
const server = new PGLiteSocketServer({ db, host, port: 0, maxConnections });
await server.start();
const port = Number(server.getServerConn().split(':').pop());
parentPort?.postMessage({ type: 'ready', host, port });

parentPort?.on('message', async (message: { type: string }) => {
  if (message.type !== 'stop') return;
  await server.stop();
  await db.close();
  parentPort?.postMessage({ type: 'stopped' });
  parentPort?.close();
});
