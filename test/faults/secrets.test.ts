// The database password, from DATABASE_URL or from PGPASSWORD (how docker-compose.yml passes it),
// must appear in no log line, span attribute, metric label or resource attribute, including when
// connecting fails. Every byte the test receiver got, all of stdout and stderr, and /metrics are
// searched for it. The server checks the password (SCRAM), so the accepting cases also prove it
// was sent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFUSING_PORT, type ServiceProcess, startService } from '../../support/service.js';
import { OtlpReceiver } from '../support/otlp-receiver.js';
import { createOwnPostgres, type OwnPostgres, ownPostgresAvailable } from '../support/own-postgres.js';
import { REQUIRE_STACK } from '../support/stack.js';

// The characters that break a URL when not encoded, as a user may choose them.
const PASSWORD = 'Pw@9f3e:7c/1a#Never%LogMe';
// A token in a network-check target's query string and its credentials: as secret as the password.
const TOKEN = 'Tok-5d1e8b22-NeverLogMe';
const TARGET_PASSWORD = 'Tp-70c4-NeverLogMe';
// A webhook token in a target's path, and one as a query key with no value.
const PATH_TOKEN = 'Hook-2b9a-NeverLogMe';
const KEY_TOKEN = 'Key-8e3f-NeverLogMe';
// What a client sends in a query, under keys no list of secret-looking names would catch.
const INBOUND = ['Jwt-41c7-NeverLogMe', 'Code-0d5e-NeverLogMe'];

let database: OwnPostgres;
afterAll(async () => {
  await database?.destroy();
});

async function exercise(service: ServiceProcess): Promise<{ metrics: string; dbQueryStatus: number }> {
  let dbQueryStatus = 0;
  for (const path of [
    '/',
    '/db-query?duration_ms=5',
    '/readyz',
    '/network-check',
    '/log-test',
    '/simulate-error?rate=1',
    `/?jwt=${INBOUND[0]}&code=${INBOUND[1]}`,
  ]) {
    const res = await fetch(`${service.url}${path}`);
    await res.text();
    if (path.startsWith('/db-query')) dbQueryStatus = res.status;
  }
  return { metrics: await fetch(`${service.url}/metrics`).then((r) => r.text()), dbQueryStatus };
}

/** The server's URL without the password, which then travels in PGPASSWORD. */
function withoutPassword(url: string): string {
  const u = new URL(url);
  u.password = '';
  return u.href;
}

describe.skipIf(!ownPostgresAvailable && !REQUIRE_STACK)('the database password', () => {
  beforeAll(async () => {
    database = await createOwnPostgres(PASSWORD);
  }, 90_000);

  it.each([
    ['in DATABASE_URL, a server that accepts the connection', async () => ({ DATABASE_URL: database.url }), 200],
    [
      'in PGPASSWORD, a server that accepts the connection',
      async () => ({ DATABASE_URL: withoutPassword(database.url), PGPASSWORD: PASSWORD }),
      200,
    ],
    [
      'in DATABASE_URL, a server that cannot be reached',
      async () => ({
        DATABASE_URL: `postgres://postgres:${encodeURIComponent(PASSWORD)}@127.0.0.1:${REFUSING_PORT}/postgres`,
      }),
      503,
    ],
  ])(
    'never leaves the process: %s',
    async (_label, connection, dbQueryStatus) => {
      const sink = new OtlpReceiver();
      const service = await startService({
        ...(await connection()),
        OTEL_EXPORTER_OTLP_ENDPOINT: await sink.start(),
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        OTEL_BLRP_SCHEDULE_DELAY: '100',
        OTEL_METRIC_EXPORT_INTERVAL: '500',
        LOG_LEVEL: 'debug',
        NETWORK_CHECK_TARGETS: [
          `tokened=http://probe:${TARGET_PASSWORD}@127.0.0.1:${REFUSING_PORT}/x?token=${TOKEN}`,
          `hooked=http://127.0.0.1:${REFUSING_PORT}/hooks/${PATH_TOKEN}?${KEY_TOKEN}`,
        ].join(','),
      });
      try {
        const { metrics, dbQueryStatus: status } = await exercise(service);
        expect(status).toBe(dbQueryStatus);
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
        expect(everything).toContain('tokened');
        expect(everything).not.toContain(TOKEN);
        expect(everything).not.toContain(TARGET_PASSWORD);
        // The probe spans are there, and say nothing of the path or the value-less key.
        const probes = sink.spans().filter((s) => String(s.attributes['url.full'] ?? '').includes('/hooks'));
        expect(probes, 'probe spans keep no path').toEqual([]);
        expect(
          sink.spans().some((s) => s.attributes['url.full'] === `http://127.0.0.1:${REFUSING_PORT}/REDACTED?REDACTED`),
        ).toBe(true);
        for (const secret of [PATH_TOKEN, KEY_TOKEN, ...INBOUND]) expect(everything, secret).not.toContain(secret);
      } finally {
        await service.stop('SIGKILL');
        await sink.stop();
      }
    },
    60_000,
  );
});
