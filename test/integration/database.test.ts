// Real PostgreSQL, both modes: the server named by DATABASE_URL (CI: the machine's server at
// 127.0.0.1:5432, database `test`) and the embedded PGlite the service starts without one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type ServiceProcess, startService } from '../../support/service.js';

const externalUrl = process.env.DATABASE_URL;

async function readyz(service: ServiceProcess) {
  return eventually(
    async () => {
      const res = await fetch(`${service.url}/readyz`);
      return res.status === 200 ? res.json() : undefined;
    },
    20_000,
    '/readyz 200',
  );
}

async function timedQuery(service: ServiceProcess, ms: number) {
  const started = performance.now();
  const res = await fetch(`${service.url}/db-query?duration_ms=${ms}`);
  return { res, body: await res.json(), wall: performance.now() - started };
}

describe.each([
  ['external (DATABASE_URL)', externalUrl],
  ['embedded (PGlite)', undefined],
])('/db-query against a real %s', (_label, databaseUrl) => {
  let service: ServiceProcess;
  beforeAll(async () => {
    service = await startService({ DATABASE_URL: databaseUrl ?? '', OTEL_SDK_DISABLED: 'true' });
  });
  afterAll(async () => {
    await service?.stop();
  });

  it.skipIf(_label.startsWith('external') && !externalUrl)('really waits on the server', async () => {
    expect((await readyz(service)).database).toBe(databaseUrl ? 'external' : 'embedded');
    const { res, body, wall } = await timedQuery(service, 400);
    expect(res.status).toBe(200);
    expect(body.requested_ms).toBe(400);
    expect(body.elapsed_ms).toBeGreaterThanOrEqual(400);
    expect(wall).toBeGreaterThanOrEqual(400);
  });

  it.skipIf(_label.startsWith('external') && !externalUrl)(
    'keeps serving other requests while a query sleeps',
    async () => {
      // Not a time limit: `/` keeps answering while the 1 s query sleeps. If the query blocked the
      // service, at most one `/` could come back before it did; a free service answers dozens
      // (each takes a few ms, so even a machine 100 times slower passes).
      let slowDone = false;
      const slow = timedQuery(service, 1000).finally(() => {
        slowDone = true;
      });
      const statuses: number[] = [];
      while (!slowDone) statuses.push((await fetch(`${service.url}/`)).status);
      expect(statuses.length).toBeGreaterThanOrEqual(3);
      expect(statuses.every((s) => s === 200)).toBe(true);
      expect((await slow).res.status).toBe(200);
    },
  );

  // Passwords are searched for in everything the process emits in test/faults/secrets.test.ts.
  it.skipIf(_label.startsWith('external') && !externalUrl)(
    'logs which mode runs, and where, without the user',
    async () => {
      const mode = service.lines.find((l) => l.message === 'database mode');
      expect(mode?.['app.database.mode']).toBe(databaseUrl ? 'external' : 'embedded');
      if (databaseUrl) {
        const u = new URL(databaseUrl);
        expect(mode?.['app.database.target']).toBe(`${u.hostname}:${u.port || 5432}${u.pathname}`);
      } else {
        expect(mode?.['app.database.target']).toBe('embedded PGlite on a private Unix socket');
      }
    },
  );
});

describe('an unreachable database', () => {
  let service: ServiceProcess;
  beforeAll(async () => {
    // Port 1 on loopback: nothing listens, the connection is refused at once.
    service = await startService({
      DATABASE_URL: 'postgres://app:s3cret-pw@127.0.0.1:1/app',
      OTEL_SDK_DISABLED: 'true',
    });
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('answers 503 JSON on /db-query and /readyz, keeps serving the rest, leaks no password', async () => {
    const db = await fetch(`${service.url}/db-query?duration_ms=10`);
    expect(db.status).toBe(503);
    expect((await db.json()).error).toBe('database unavailable: cannot connect to the database');
    const ready = await fetch(`${service.url}/readyz`);
    expect(ready.status).toBe(503);
    expect((await ready.json()).error).toMatch(/database unavailable/);
    expect((await fetch(`${service.url}/`)).status).toBe(200);
    expect(service.child.exitCode).toBeNull();
    expect(JSON.stringify(service.lines) + service.stderr.join('')).not.toContain('s3cret-pw');
  });
});

// What an anonymous client is told of a database failure is its kind; who the service logs in
// as, which database and where stay in the service's log line (with the trace id).
describe.skipIf(!externalUrl)('a database that refuses the service', () => {
  let service: ServiceProcess;
  beforeAll(async () => {
    const url = new URL(externalUrl as string);
    url.username = 'app_admin_7c1e';
    url.pathname = '/ledger_9d2a';
    service = await startService({ DATABASE_URL: url.href });
  });
  afterAll(async () => {
    await service?.stop();
  });

  it('tells clients the kind of failure, not the user, the database or the host', async () => {
    const host = new URL(externalUrl as string).hostname;
    for (const path of ['/db-query?duration_ms=10', '/readyz']) {
      const res = await fetch(`${service.url}${path}`);
      expect(res.status, path).toBe(503);
      const { error } = await res.json();
      expect(error, path).toMatch(/^database unavailable: the database refused the service's login$/);
      for (const secret of ['app_admin_7c1e', 'ledger_9d2a', host]) expect(error, path).not.toContain(secret);
    }
    const logged = service.lines.find((l) => l.message === 'database query failed');
    expect(String(logged?.error)).toContain('app_admin_7c1e');
    expect(logged?.trace_id).toMatch(/^[0-9a-f]{32}$/);
  });
});
