// The database of DATABASE_URL: a pg pool for the routes and a one-connection pool of its own for
// readiness, so `SELECT 1` never queues behind user queries.
import type { Logger } from 'winston';
import { withDeadline } from '../deadline.js';
import { type Database, redactSecrets, secretsOf, unavailable } from './database.js';
import { createPool, type PoolLimits } from './pool.js';

export function createExternalDatabase(databaseUrl: string, logger: Logger, limits: PoolLimits): Database {
  const secrets = secretsOf(databaseUrl);
  const onIdleClientError = (error: Error) =>
    logger.warn('idle database connection lost', { error: redactSecrets(error.message, secrets) });
  const pool = createPool({ connectionString: databaseUrl }, limits, onIdleClientError);
  const healthPool = createPool({ connectionString: databaseUrl }, { ...limits, max: 1 }, onIdleClientError);
  let address: { host: string; port: number } | undefined;
  try {
    const u = new URL(databaseUrl);
    address = { host: u.hostname || '127.0.0.1', port: Number(u.port) || 5432 };
  } catch {
    address = undefined;
  }

  return {
    mode: 'external',
    async query(text, values) {
      try {
        return await pool.query(text, values);
      } catch (error) {
        throw unavailable(error, secrets);
      }
    },
    async ping(timeoutMs) {
      try {
        await withDeadline(healthPool.query('SELECT 1'), timeoutMs, 'SELECT 1');
      } catch (error) {
        throw unavailable(error, secrets);
      }
    },
    address: () => address,
    async close() {
      await Promise.all([pool.end(), healthPool.end()]);
    },
  };
}
