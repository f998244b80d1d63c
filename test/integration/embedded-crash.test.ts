// The embedded database's worker dying after start-up (an error inside PGlite, memory exhausted)
// must be heard: the start-up listeners are gone by then, and a crash nobody hears leaves
// readiness green over a database that is not there.
import { expect, it } from 'vitest';
import type { startEmbeddedPostgres as Start } from '../../src/db/embedded.js';

// The built module: its worker script exists only compiled, next to it in dist/ (npm test builds).
const { startEmbeddedPostgres }: { startEmbeddedPostgres: typeof Start } = await import(
  new URL('../../dist/src/db/embedded.js', import.meta.url).href
);

it('reports a crash of the running worker, and not a requested stop', async () => {
  const crashes: Error[] = [];
  const db = await startEmbeddedPostgres(2, (error) => crashes.push(error));
  await db.worker.terminate();
  expect(crashes.map((e) => e.message)).toEqual([
    expect.stringMatching(/^embedded PostgreSQL stopped \(exit code \d+\)$/),
  ]);

  const calm: Error[] = [];
  const other = await startEmbeddedPostgres(2, (error) => calm.push(error));
  await other.stop();
  expect(calm).toEqual([]);
}, 60_000);
