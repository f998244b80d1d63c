import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError } from '../../src/db/database.js';
import { MAX_CONCURRENT_QUERIES } from '../../src/routes/database.js';
import { createUnitHarness, serviceApp, stubDb } from '../support/unit-deps.js';

describe('GET /db-query input', () => {
  it.each(['abc', '-1', '5001', '1.5', '', 'NaN', '١٠٠'])(
    'answers 400 JSON for duration_ms=%s before touching the database',
    async (value) => {
      const { deps } = createUnitHarness();
      const res = await serviceApp(deps).request(`/db-query?duration_ms=${encodeURIComponent(value)}`);
      expect(res.status).toBe(400);
      expect((await res.json()).error).toContain('"duration_ms" must be an integer from 0 to 5000');
    },
  );

  it('answers 503 JSON with the reason when the database is unavailable', async () => {
    const down = stubDb({
      query: () =>
        Promise.reject(
          new DatabaseUnavailableError(
            'database unavailable: connect ECONNREFUSED 127.0.0.1:1',
            'cannot connect to the database',
          ),
        ),
    });
    const h = createUnitHarness({ db: down });
    const res = await serviceApp(h.deps).request('/db-query?duration_ms=10');
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: 'database unavailable: cannot connect to the database' });
    expect(h.logs.some((r) => r.level === 'warn')).toBe(true);
  });

  it('answers 500 JSON without details for an unexpected failure', async () => {
    const broken = stubDb({ query: () => Promise.reject(new TypeError('secret internals')) });
    const h = createUnitHarness({ db: broken });
    const res = await serviceApp(h.deps).request('/db-query?duration_ms=10');
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal error' });
    expect(h.logs.some((r) => r.level === 'error' && r.error === 'secret internals')).toBe(true);
  });
});

describe('GET /db-query concurrency', () => {
  it(`runs at most ${MAX_CONCURRENT_QUERIES} at once and answers the next with 429 and Retry-After at once`, async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started = 0;
    const slow = stubDb({
      query: async () => {
        started++;
        await gate;
        return { rows: [] } as never;
      },
    });
    const app = serviceApp(createUnitHarness({ db: slow }).deps);
    const running = Array.from({ length: MAX_CONCURRENT_QUERIES }, () => app.request('/db-query?duration_ms=10'));
    const extra = await app.request('/db-query?duration_ms=10');
    expect(extra.status).toBe(429);
    expect(extra.headers.get('retry-after')).toBe('1');
    expect((await extra.json()).error).toMatch(/too many database queries at once/);
    expect(started).toBe(MAX_CONCURRENT_QUERIES);
    release();
    expect((await Promise.all(running)).map((r) => r.status)).toEqual(Array(MAX_CONCURRENT_QUERIES).fill(200));
    // The slots are free again.
    expect((await app.request('/db-query?duration_ms=10')).status).toBe(200);
  });
});

describe('GET /readyz', () => {
  it('is ready when the database answers and telemetry runs', async () => {
    const ok = stubDb({ mode: 'embedded', ping: async () => {} });
    const { deps } = createUnitHarness({ db: ok });
    const res = await serviceApp(deps).request('/readyz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ready', database: 'embedded', telemetry: 'started' });
  });

  it('is 503 with the kind of failure when the database does not answer, the detail in the log', async () => {
    const refused = stubDb({
      ping: () =>
        Promise.reject(
          new DatabaseUnavailableError('role "app_admin" does not exist', "the database refused the service's login"),
        ),
    });
    const h = createUnitHarness({ db: refused });
    const res = await serviceApp(h.deps).request('/readyz');
    expect(res.status).toBe(503);
    expect((await res.json()).error).toBe("database unavailable: the database refused the service's login");
    expect(h.logs.map((l) => l.message)).toContain('not ready: role "app_admin" does not exist');
  });

  it('is 503 when the SDK was not loaded', async () => {
    const ok = stubDb({ mode: 'embedded', ping: async () => {} });
    const { deps } = createUnitHarness({ db: ok, telemetry: { status: 'not-loaded', scrape: async () => '' } });
    const res = await serviceApp(deps).request('/readyz');
    expect(res.status).toBe(503);
    expect((await res.json()).error).toContain('--import');
  });

  it('serves /healthz and /metrics with the Prometheus content type', async () => {
    const { deps } = createUnitHarness();
    const app = serviceApp(deps);
    expect(await (await app.request('/healthz')).json()).toEqual({ status: 'ok' });
    const metrics = await app.request('/metrics');
    expect(metrics.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await metrics.text()).toBe('# test\n');
  });
});
