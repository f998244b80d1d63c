// Database monitoring, from the client side: /db-query runs `SELECT pg_sleep($1)` through `pg`.
// - Jaeger: a `pg` client span (db.query.text, db.namespace, server.address) under the server span.
// - Prometheus: db_client_operation_duration_seconds (pg instrumentation) and
//   db_client_connection_count (pool state); the server side comes from postgres-exporter.
// The wait is a random 0.1-2.0 s, or ?duration_ms= (0-5000). At most MAX_CONCURRENT_QUERIES run at
// once (the pool's size); more get 429 at once rather than waiting for a connection. The embedded
// database runs one query at a time, so there a query is admitted only while the queries ahead
// of it add up to less than a request may wait to be served (the pool's connection timeout):
// the rest get 429 at once too, instead of 503 after waiting for a turn that never came.
import { Hono } from 'hono';
import { DatabaseUnavailableError } from '../db/database.js';
import { DEFAULT_POOL_LIMITS } from '../db/pool.js';
import type { AppDeps } from '../deps.js';
import { limitConcurrency } from '../http/concurrency.js';
import { jsonError } from '../http/errors.js';
import { integerParam } from '../http/query.js';

export const MAX_QUERY_MS = 5_000;
export const MAX_CONCURRENT_QUERIES = DEFAULT_POOL_LIMITS.max;

/** Milliseconds of queries admitted and not yet answered: the wait a new one would have in PGlite. */
function serialQueue(budgetMs: number) {
  let aheadMs = 0;
  return {
    /** The wait ahead, or undefined when the query is admitted (and counted). */
    refuse(ms: number): number | undefined {
      if (aheadMs >= budgetMs) return aheadMs;
      aheadMs += ms;
      return undefined;
    },
    done(ms: number): void {
      aheadMs -= ms;
    },
  };
}

export function databaseRoutes({ db, logger, random = Math.random }: AppDeps): Hono {
  const app = new Hono();
  const budgetMs = DEFAULT_POOL_LIMITS.connectionTimeoutMs;
  const serial = db.mode === 'embedded' ? serialQueue(budgetMs) : undefined;

  app.get('/db-query', limitConcurrency(MAX_CONCURRENT_QUERIES, 'database queries'), async (c) => {
    const requested =
      integerParam(c, 'duration_ms', { min: 0, max: MAX_QUERY_MS }) ?? Math.round(100 + random() * 1900);
    const aheadMs = serial?.refuse(requested);
    if (aheadMs !== undefined) {
      const retryAfter = Math.max(1, Math.ceil(aheadMs / 1000));
      c.header('Retry-After', String(retryAfter));
      return jsonError(
        c,
        429,
        `the embedded database runs one query at a time and ${aheadMs} ms of queries are ahead of this one (a request waits at most ${budgetMs} ms); retry in ${retryAfter} s`,
      );
    }
    const started = performance.now();
    try {
      await db.query('SELECT pg_sleep($1)', [requested / 1000]);
    } catch (error) {
      if (!(error instanceof DatabaseUnavailableError)) throw error;
      // The detail (with the trace id) for the operator; the kind of failure for the client.
      logger.warn('database query failed', { error: error.message });
      return jsonError(c, 503, error.publicMessage);
    } finally {
      serial?.done(requested);
    }
    const elapsed = Math.round((performance.now() - started) * 100) / 100;
    return c.json({ query: 'SELECT pg_sleep($1)', requested_ms: requested, elapsed_ms: elapsed, database: db.mode });
  });

  return app;
}
