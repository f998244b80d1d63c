// SIGTERM (and SIGINT) while requests are in flight. The server stops accepting,
// lets the in-flight requests finish, flushes traces, metrics and logs (batch delays are set to
// a minute, so only the shutdown flush can deliver them), closes the pool and exits 0.
import { once } from 'node:events';
import { request } from 'node:http';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startService } from '../../support/service.js';
import { OtlpReceiver } from '../support/otlp-receiver.js';
import { createOwnPostgres, type OwnPostgres, ownPostgresAvailable } from '../support/own-postgres.js';
import { REQUIRE_STACK } from '../support/stack.js';

let database: OwnPostgres;

async function serviceConnections(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query(
    "SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'otel-monitoring-service'",
  );
  await client.end();
  return rows[0].n;
}

describe.skipIf(!ownPostgresAvailable && !REQUIRE_STACK)('graceful shutdown', () => {
  beforeAll(async () => {
    database = await createOwnPostgres();
  }, 90_000);
  afterAll(async () => {
    await database?.destroy();
  });

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'on %s finishes in-flight requests, flushes every signal, closes the pool, exits 0',
    async (signal) => {
      const sink = new OtlpReceiver();
      const service = await startService({
        DATABASE_URL: database.url,
        OTEL_EXPORTER_OTLP_ENDPOINT: await sink.start(),
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '60000',
        OTEL_BLRP_SCHEDULE_DELAY: '60000',
        OTEL_METRIC_EXPORT_INTERVAL: '60000',
        SHUTDOWN_GRACE_MS: '5000',
      });
      try {
        const logTest = await (await fetch(`${service.url}/log-test`)).json();
        const inFlight = Array.from({ length: 3 }, () =>
          fetch(`${service.url}/db-query?duration_ms=1500`).then(async (r) => ({
            status: r.status,
            body: await r.json(),
          })),
        );
        await eventually(
          async () => ((await serviceConnections(database.url)) > 0 ? true : undefined),
          5_000,
          'the queries to hold connections',
        );
        const exited = once(service.child, 'exit');
        const signalledAt = Date.now();
        service.child.kill(signal);
        // The server stops accepting in the same tick as it logs this line.
        await eventually(
          () => (service.lines.some((l) => l.message === 'shutting down') ? true : undefined),
          5_000,
          'the shutdown to begin',
        );
        // A new connection (fetch would reuse the one /log-test left open, which is answered:
        // shutdown-keepalive.test.ts).
        const refused = await new Promise<string>((resolve) =>
          request(`${service.url}/`, { agent: false }, (res) => {
            res.resume();
            resolve('answered');
          })
            .on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message))
            .end(),
        );

        const answers = await Promise.all(inFlight);
        const [code] = await exited;
        const exitMs = Date.now() - signalledAt;
        console.log(JSON.stringify({ signal, exit_code: code, exit_ms: exitMs, new_connection: refused }));

        expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
        expect(refused).toBe('ECONNREFUSED');
        expect(code).toBe(0);
        const dbSpans = sink.spans().filter((s) => s.name === 'GET /db-query');
        expect(dbSpans).toHaveLength(3);
        const logs = sink.logs().filter((l) => l.traceId === logTest.trace_id);
        expect(logs).toHaveLength(3);
        expect(sink.metrics().some((m) => m.name === 'http.server.request.duration')).toBe(true);
        expect(await serviceConnections(database.url)).toBe(0);
        expect(service.lines.some((l) => l.message === 'shutting down' && l['app.shutdown.signal'] === signal)).toBe(
          true,
        );
      } finally {
        await service.stop('SIGKILL');
        await sink.stop();
      }
    },
    60_000,
  );
});
