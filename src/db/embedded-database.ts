// The embedded database (PGlite, embedded.ts) when there is no DATABASE_URL. It starts in the
// background: the HTTP server listens at once, and database routes answer 503 "starting" for
// the second or two PGlite needs. Readiness does not query it: PGlite runs one query at a time
// for every connection, so a query would wait for a running pg_sleep; it checks that the worker
// is alive and its socket accepts instead.
import { connect } from 'node:net';
import { join } from 'node:path';
import type pg from 'pg';
import type { Logger } from 'winston';
import { type Database, DatabaseUnavailableError, redactSecrets, secretsOf, unavailable } from './database.js';
import { EMBEDDED_SOCKET_PORT, startEmbeddedPostgres } from './embedded.js';
import { createPool, type PoolLimits } from './pool.js';

/** Resolves once a Unix socket accepts a connection, else throws DatabaseUnavailableError. */
function socketAccepts(path: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ path });
    const fail = (reason: string) => {
      socket.destroy();
      reject(
        new DatabaseUnavailableError(`database unavailable: ${reason}`, 'cannot connect to the embedded database'),
      );
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

/** Where the embedded database is: starting, serving on its socket, or stopped with a reason. */
type State =
  | { kind: 'starting' }
  | { kind: 'serving'; pool: pg.Pool; socketPath: string }
  | { kind: 'stopped'; reason: string };

export function createEmbeddedDatabase(logger: Logger, limits: PoolLimits): Database {
  const secrets = secretsOf(undefined);
  const onIdleClientError = (error: Error) =>
    logger.warn('idle database connection lost', { error: redactSecrets(error.message, secrets) });
  let state: State = { kind: 'starting' };
  /** The pool once made, to end at close whatever happened since. */
  let created: pg.Pool | undefined;
  const embedded = startEmbeddedPostgres(limits.max + 2, (error) => {
    // Queries fail from here on; say why, and let readiness report it.
    state = { kind: 'stopped', reason: `embedded database stopped: ${error.message}` };
    logger.error('embedded PostgreSQL crashed', { error: error.message });
  });
  embedded.then(
    (db) => {
      // No address: the socket is private to this process (embedded.ts), nothing to disclose.
      const pool = createPool(
        { host: db.socketDir, port: EMBEDDED_SOCKET_PORT, user: 'postgres', database: 'postgres' },
        limits,
        onIdleClientError,
      );
      created = pool;
      if (state.kind === 'starting') {
        state = { kind: 'serving', pool, socketPath: join(db.socketDir, `.s.PGSQL.${EMBEDDED_SOCKET_PORT}`) };
      }
    },
    (error: Error) => {
      state = { kind: 'stopped', reason: `embedded database failed to start: ${error.message}` };
      logger.error('embedded PostgreSQL failed to start', { error: error.message });
    },
  );

  function serving(): Extract<State, { kind: 'serving' }> {
    if (state.kind === 'serving') return state;
    if (state.kind === 'stopped') throw new DatabaseUnavailableError(state.reason, 'the embedded database has stopped');
    throw new DatabaseUnavailableError('embedded database is starting', 'the embedded database is starting');
  }

  return {
    mode: 'embedded',
    async query(text, values) {
      const { pool } = serving();
      try {
        return await pool.query(text, values);
      } catch (error) {
        throw unavailable(error, secrets);
      }
    },
    async ping(timeoutMs) {
      await socketAccepts(serving().socketPath, timeoutMs);
    },
    address: () => undefined,
    async close() {
      await created?.end();
      await (await embedded.catch(() => undefined))?.stop();
    },
  };
}
