// What routes need from PostgreSQL: run a query, check it answers, say where it is. Hides which
// mode runs (DATABASE_URL or embedded) and turns every failure into DatabaseUnavailableError,
// whose message is safe to show: it never contains the password.
import type pg from 'pg';
import type { Logger } from 'winston';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded.js';
import { createPool, DEFAULT_POOL_LIMITS, type PoolLimits } from './pool.js';

export type DatabaseMode = 'external' | 'embedded';

export interface Database {
  readonly mode: DatabaseMode;
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  /** Resolves when a trivial query succeeds within timeoutMs; rejects with the reason otherwise. */
  ping(timeoutMs: number): Promise<void>;
  /** host and port of the server, once known (the embedded one picks a free port). */
  address(): { host: string; port: number } | undefined;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
}

/** Host, port and database of a connection string, for logs: never the user or password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return '(unparsable DATABASE_URL)';
  }
}

function passwordOf(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password || undefined;
  } catch {
    return undefined;
  }
}

function redact(message: string, secret: string | undefined): string {
  return secret ? message.split(secret).join('***') : message;
}

export function createDatabase(
  databaseUrl: string | undefined,
  logger: Logger,
  limits: PoolLimits = DEFAULT_POOL_LIMITS,
): Database {
  // pg reads PGPASSWORD itself when the URL carries none (docker-compose.yml passes it that way).
  const secret = passwordOf(databaseUrl) ?? (process.env.PGPASSWORD || undefined);
  const unavailable = (error: unknown) =>
    new DatabaseUnavailableError(redact(`database unavailable: ${(error as Error).message}`, secret));
  const onIdleClientError = (error: Error) =>
    logger.warn('idle database connection lost', { error: redact(error.message, secret) });

  let pool: pg.Pool | undefined;
  let address: { host: string; port: number } | undefined;
  let embedded: Promise<EmbeddedPostgres> | undefined;
  let startError: Error | undefined;

  if (databaseUrl) {
    pool = createPool({ connectionString: databaseUrl }, limits, onIdleClientError);
    try {
      const u = new URL(databaseUrl);
      address = { host: u.hostname || '127.0.0.1', port: Number(u.port) || 5432 };
    } catch {
      address = undefined;
    }
  } else {
    // Start in the background: the HTTP server listens at once, database routes answer 503
    // "starting" for the second or two PGlite needs.
    embedded = startEmbeddedPostgres(limits.max + 2);
    embedded.then(
      (db) => {
        address = { host: db.host, port: db.port };
        pool = createPool(
          { host: db.host, port: db.port, user: 'postgres', database: 'postgres' },
          limits,
          onIdleClientError,
        );
      },
      (error: Error) => {
        startError = error;
        logger.error('embedded PostgreSQL failed to start', { error: error.message });
      },
    );
  }

  function ready(): pg.Pool {
    if (pool) return pool;
    throw new DatabaseUnavailableError(
      startError ? `embedded database failed to start: ${startError.message}` : 'embedded database is starting',
    );
  }

  return {
    mode: databaseUrl ? 'external' : 'embedded',
    async query(text, values) {
      const p = ready();
      try {
        return await p.query(text, values);
      } catch (error) {
        throw unavailable(error);
      }
    },
    async ping(timeoutMs) {
      const p = ready();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      try {
        await Promise.race([p.query('SELECT 1'), timeout]);
      } catch (error) {
        throw unavailable(error);
      } finally {
        clearTimeout(timer);
      }
    },
    address: () => address,
    async close() {
      await pool?.end();
      if (embedded) await (await embedded.catch(() => undefined))?.stop();
    },
  };
}
