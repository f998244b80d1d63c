// Which database the service runs: the one DATABASE_URL names, else the embedded one.
import type { Logger } from 'winston';
import type { Database } from './database.js';
import { createEmbeddedDatabase } from './embedded-database.js';
import { createExternalDatabase } from './external-database.js';
import { DEFAULT_POOL_LIMITS, type PoolLimits } from './pool.js';

export function createDatabase(
  databaseUrl: string | undefined,
  logger: Logger,
  limits: PoolLimits = DEFAULT_POOL_LIMITS,
): Database {
  return databaseUrl ? createExternalDatabase(databaseUrl, logger, limits) : createEmbeddedDatabase(logger, limits);
}
