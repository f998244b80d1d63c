// PostgreSQL stops, then returns. On a PostgreSQL of the test's own (another port
// and data directory): while it is down only the database routes fail, with 503 JSON, and
// /readyz says so; once it is back (pg_ctl has seen it accept connections) the service recovers
// by itself within a few requests, without a restart; the process neither crashes nor reports
// an unhandled rejection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type ServiceProcess, startService } from '../../support/service.js';
import { createOwnPostgres, type OwnPostgres, ownPostgresAvailable } from '../support/own-postgres.js';
import { REQUIRE_STACK } from '../support/stack.js';

let pg: OwnPostgres;
let service: ServiceProcess;

async function status(path: string) {
  const res = await fetch(`${service.url}${path}`);
  return { status: res.status, body: await res.json().catch(() => null) };
}

describe.skipIf(!ownPostgresAvailable && !REQUIRE_STACK)('PostgreSQL outage', () => {
  beforeAll(async () => {
    pg = await createOwnPostgres();
    service = await startService({ DATABASE_URL: pg.url, OTEL_SDK_DISABLED: 'true' });
  }, 90_000);

  afterAll(async () => {
    await service?.stop();
    await pg?.destroy();
  });

  it('fails only the database routes while down, and recovers by itself when back', async () => {
    expect((await status('/db-query?duration_ms=10')).status).toBe(200);
    expect((await status('/readyz')).status).toBe(200);

    await pg.stop();
    const down = await status('/db-query?duration_ms=10');
    expect(down.status).toBe(503);
    expect(down.body.error).toMatch(/^database unavailable: /);
    const ready = await status('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.error).toMatch(/database unavailable/);
    for (const path of ['/', '/simulate-load?iterations=1000', '/log-test', '/healthz', '/simulate-error?rate=0']) {
      expect((await status(path)).status, path).toBe(200);
    }

    await pg.start();
    const back = Date.now();
    let attempts = 0;
    await eventually(
      async () => {
        attempts += 1;
        const query = await status('/db-query?duration_ms=1');
        return query.status === 200 && (await status('/readyz')).status === 200 ? true : undefined;
      },
      10_000,
      'the service to use the database again',
    );
    console.log(JSON.stringify({ postgres_recovery_ms: Date.now() - back, attempts }));
    // Counted in requests, not seconds: the pool drops the dead connections and opens new ones on
    // demand, so the first or second request after the server is back succeeds, however slow
    // the machine (5 allows for a connection that dies only when first used).
    expect(attempts).toBeLessThanOrEqual(5);

    expect(service.child.exitCode).toBeNull();
    const all = JSON.stringify(service.lines) + service.stderr.join('');
    expect(all).not.toMatch(/unhandled|uncaught/i);
  }, 60_000);
});
