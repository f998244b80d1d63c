// The one `pg` Pool, for a real server and the embedded one alike, so the pg instrumentation sees
// the same client either way. Every wait is bounded: a dead server costs a request at most
// connectionTimeoutMillis, a stuck query at most the statement timeout.
import pg from 'pg';
import { SERVICE_NAME } from '../../otel/identity.js';

export interface PoolLimits {
  max: number;
  connectionTimeoutMs: number;
  statementTimeoutMs: number;
}

export const DEFAULT_POOL_LIMITS: PoolLimits = {
  max: 10,
  connectionTimeoutMs: 2_000,
  statementTimeoutMs: 10_000,
};

export function createPool(
  connection: pg.PoolConfig,
  limits: PoolLimits,
  onIdleClientError: (error: Error) => void,
): pg.Pool {
  const pool = new pg.Pool({
    ...connection,
    max: limits.max,
    connectionTimeoutMillis: limits.connectionTimeoutMs,
    idleTimeoutMillis: 10_000,
    // statement_timeout is enforced by the server; query_timeout by the client, for a server
    // that stops answering altogether.
    statement_timeout: limits.statementTimeoutMs,
    query_timeout: limits.statementTimeoutMs + 1_000,
    application_name: SERVICE_NAME,
  });
  // An idle client whose server goes away emits 'error' on the pool; unhandled, that would
  // crash the process. The next query simply opens a new connection.
  pool.on('error', onIdleClientError);
  return pool;
}
