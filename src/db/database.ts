// What routes need from PostgreSQL: run a query, check it answers, say where it is. Hides which
// mode runs (DATABASE_URL or embedded) and turns every failure into DatabaseUnavailableError,
// whose message is safe to show: it never contains the password.
import { connect } from 'node:net';
import { join } from 'node:path';
import type pg from 'pg';
import type { Logger } from 'winston';
import { withDeadline } from '../deadline.js';
import { EMBEDDED_SOCKET_PORT, type EmbeddedPostgres, startEmbeddedPostgres } from './embedded.js';
import { createPool, DEFAULT_POOL_LIMITS, type PoolLimits } from './pool.js';

export type DatabaseMode = 'external' | 'embedded';

export interface Database {
  readonly mode: DatabaseMode;
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
  /**
   * Resolves when the database is reachable within timeoutMs, without queueing behind user
   * queries; rejects with the reason otherwise. External: `SELECT 1` on a connection of its own.
   * Embedded: PGlite runs one query at a time for every connection, so a query would wait for a
   * running pg_sleep; the ping checks that its worker is alive and its socket accepts instead.
   */
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

/** The URL's password in every form a message could show it: as written, and decoded. */
function passwordsOf(url: string | undefined): string[] {
  if (!url) return [];
  let raw: string;
  try {
    raw = new URL(url).password;
  } catch {
    return [];
  }
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // loadConfig refuses such a URL; redact what is written all the same.
  }
  return [...new Set([raw, decoded])].filter(Boolean);
}

/** Resolves once a Unix socket accepts a connection, else throws DatabaseUnavailableError. */
function socketAccepts(path: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path });
    const fail = (reason: string) => {
      socket.destroy();
      reject(new DatabaseUnavailableError(`database unavailable: ${reason}`));
    };
    const timer = setTimeout(() => fail('timeout'), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      fail(error.code ?? error.message);
    });
  });
}

function redact(message: string, secrets: string[]): string {
  return secrets.reduce((text, secret) => text.split(secret).join('***'), message);
}

export function createDatabase(
  databaseUrl: string | undefined,
  logger: Logger,
  limits: PoolLimits = DEFAULT_POOL_LIMITS,
): Database {
  // pg reads PGPASSWORD itself when the URL carries none (docker-compose.yml passes it that way).
  const secret = [...passwordsOf(databaseUrl), ...(process.env.PGPASSWORD ? [process.env.PGPASSWORD] : [])];
  const unavailable = (error: unknown) =>
    new DatabaseUnavailableError(redact(`database unavailable: ${(error as Error).message}`, secret));
  const onIdleClientError = (error: Error) =>
    logger.warn('idle database connection lost', { error: redact(error.message, secret) });

  let pool: pg.Pool | undefined;
  let address: { host: string; port: number } | undefined;
  /** The embedded database's Unix socket, once it listens. */
  let socketPath: string | undefined;
  let embedded: Promise<EmbeddedPostgres> | undefined;
  /** Why the embedded database cannot answer: it failed to start, or crashed since. */
  let failure: string | undefined;

  let healthPool: pg.Pool | undefined;
  if (databaseUrl) {
    pool = createPool({ connectionString: databaseUrl }, limits, onIdleClientError);
    healthPool = createPool({ connectionString: databaseUrl }, { ...limits, max: 1 }, onIdleClientError);
    try {
      const u = new URL(databaseUrl);
      address = { host: u.hostname || '127.0.0.1', port: Number(u.port) || 5432 };
    } catch {
      address = undefined;
    }
  } else {
    // Start in the background: the HTTP server listens at once, database routes answer 503
    // "starting" for the second or two PGlite needs.
    embedded = startEmbeddedPostgres(limits.max + 2, (error) => {
      // Queries fail from here on; say why, and let readiness report it.
      failure = `embedded database stopped: ${error.message}`;
      pool = undefined;
      logger.error('embedded PostgreSQL crashed', { error: error.message });
    });
    embedded.then(
      (db) => {
        // No address: the socket is private to this process (embedded.ts), nothing to disclose.
        socketPath = join(db.socketDir, `.s.PGSQL.${EMBEDDED_SOCKET_PORT}`);
        pool = createPool(
          { host: db.socketDir, port: EMBEDDED_SOCKET_PORT, user: 'postgres', database: 'postgres' },
          limits,
          onIdleClientError,
        );
      },
      (error: Error) => {
        failure = `embedded database failed to start: ${error.message}`;
        logger.error('embedded PostgreSQL failed to start', { error: error.message });
      },
    );
  }

  function ready(): pg.Pool {
    if (pool) return pool;
    throw new DatabaseUnavailableError(failure ?? 'embedded database is starting');
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
      ready();
      if (!healthPool) {
        // Embedded: a query would queue behind a running one (PGlite runs one at a time), so
        // readiness checks that the socket accepts a connection.
        await socketAccepts(socketPath as string, timeoutMs);
        return;
      }
      try {
        await withDeadline(healthPool.query('SELECT 1'), timeoutMs, 'SELECT 1');
      } catch (error) {
        throw unavailable(error);
      }
    },
    address: () => address,
    async close() {
      await Promise.all([pool?.end(), healthPool?.end()]);
      if (embedded) await (await embedded.catch(() => undefined))?.stop();
    },
  };
}
