// Issue row: "Secrets". The database password from DATABASE_URL must appear in no log line,
// span attribute, metric label or resource attribute, including when connecting fails. Every
// byte the test receiver got, all of stdout and stderr, and /metrics are searched for it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OtlpReceiver } from '../support/otlp-receiver.js';
import { createOwnPostgres, type OwnPostgres, ownPostgresAvailable } from '../support/own-postgres.js';
import { freePort, type ServiceProcess, startService } from '../support/service.js';
import { REQUIRE_STACK } from '../support/stack.js';

const PASSWORD = 'Pw-9f3e7c1a-NeverLogMe';

let database: OwnPostgres;
afterAll(async () => {
  await database?.destroy();
});

async function exercise(service: ServiceProcess): Promise<string> {
  for (const path of [
    '/',
    '/db-query?duration_ms=5',
    '/readyz',
    '/network-check',
    '/log-test',
    '/simulate-error?rate=1',
  ]) {
    await fetch(`${service.url}${path}`).then((r) => r.text());
  }
  return fetch(`${service.url}/metrics`).then((r) => r.text());
}

describe.skipIf(!ownPostgresAvailable && !REQUIRE_STACK)('the database password', () => {
  beforeAll(async () => {
    database = await createOwnPostgres(PASSWORD);
  }, 90_000);

  it.each([
    ['a server that accepts the connection', () => database.url],
    [
      'a server that cannot be reached',
      async () => `postgres://postgres:${encodeURIComponent(PASSWORD)}@127.0.0.1:${await freePort()}/postgres`,
    ],
  ])(
    'never leaves the process, with %s',
    async (_label, url) => {
      const sink = new OtlpReceiver();
      const service = await startService({
        DATABASE_URL: await url(),
        OTEL_EXPORTER_OTLP_ENDPOINT: await sink.start(),
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_BLRP_SCHEDULE_DELAY: '100',
        OTEL_METRIC_EXPORT_INTERVAL: '500',
        LOG_LEVEL: 'debug',
      });
      try {
        const metrics = await exercise(service);
        await service.stop();
        const everything = [
          JSON.stringify(sink.requests),
          JSON.stringify(service.lines),
          service.stderr.join(''),
          metrics,
        ].join('\n');
        // The check can fail: the exported data is there and mentions the database.
        expect(sink.spans().length).toBeGreaterThan(0);
        expect(everything).toContain('127.0.0.1');
        expect(everything).not.toContain(PASSWORD);
        expect(everything).not.toContain(encodeURIComponent(PASSWORD));
      } finally {
        await service.stop('SIGKILL');
        await sink.stop();
      }
    },
    60_000,
  );
});
