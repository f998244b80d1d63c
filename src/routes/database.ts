// Database monitoring, from the client side: /db-query runs `SELECT pg_sleep($1)` through `pg`.
// - Jaeger: a `pg` client span (db.query.text, db.namespace, server.address) under the server span.
// - Prometheus: db_client_operation_duration_seconds (pg instrumentation) and
//   db_client_connection_count (pool state); the server side comes from postgres-exporter.
// The wait is a random 0.1-2.0 s, or ?duration_ms= (0-5000). At most MAX_CONCURRENT_QUERIES run at
// once (the pool's size); more get 429 at once rather than waiting for a connection.
import { Hono } from 'hono';
import { DatabaseUnavailableError } from '../db/database.js';
import { DEFAULT_POOL_LIMITS } from '../db/pool.js';
import type { AppDeps } from '../deps.js';
import { limitConcurrency } from '../http/concurrency.js';
import { jsonError } from '../http/errors.js';
import { integerParam } from '../http/query.js';

export const MAX_QUERY_MS = 5_000;
export const MAX_CONCURRENT_QUERIES = DEFAULT_POOL_LIMITS.max;

export function databaseRoutes({ db, logger, random = Math.random }: AppDeps): Hono {
  const app = new Hono();

  app.get('/db-query', limitConcurrency(MAX_CONCURRENT_QUERIES, 'database queries'), async (c) => {
    const requested =
      integerParam(c, 'duration_ms', { min: 0, max: MAX_QUERY_MS }) ?? Math.round(100 + random() * 1900);
    const started = performance.now();
    try {
      await db.query('SELECT pg_sleep($1)', [requested / 1000]);
    } catch (error) {
      if (!(error instanceof DatabaseUnavailableError)) throw error;
      logger.warn('database query failed', { error: error.message });
      return jsonError(c, 503, error.message);
    }
    const elapsed = Math.round((performance.now() - started) * 100) / 100;
    return c.json({ query: 'SELECT pg_sleep($1)', requested_ms: requested, elapsed_ms: elapsed, database: db.mode });
  });

  return app;
}
