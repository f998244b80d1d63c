// What routes need from PostgreSQL: run a query, check it answers, say where it is. Two
// implementations (external-database.ts for DATABASE_URL, embedded-database.ts for PGlite),
// chosen by create-database.ts. Every failure is a DatabaseUnavailableError: its message, for the
// service's log, has the password redacted (redactSecrets); its publicMessage, for clients, says
// only what kind of failure it was: never the user, the database's name or its host.
import type pg from 'pg';

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

const UNAVAILABLE = 'database unavailable';

export class DatabaseUnavailableError extends Error {
  override name = 'DatabaseUnavailableError';
  /** What a client is told: `database unavailable`, and the kind of failure when it is known. */
  readonly publicMessage: string;
  constructor(message: string, kind?: string) {
    super(message);
    this.publicMessage = kind ? `${UNAVAILABLE}: ${kind}` : UNAVAILABLE;
  }
}

// Node's socket errors that mean the server could not be reached at all (ENOENT: its Unix
// socket is gone, as when it stops).
const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOENT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
]);

/** The kind of a pg or socket failure, by its SQLSTATE or errno code, in words that name nothing. */
export function failureKind(error: unknown): string | undefined {
  const { code = '', message = '' } = error as { code?: string; message?: string };
  if (code.startsWith('28')) return "the database refused the service's login";
  if (code === '3D000') return 'the database the service is configured for does not exist';
  if (code.startsWith('57P')) return 'the database is shutting down or starting up';
  if (code.startsWith('53')) return 'the database is out of resources (connections, memory or disk)';
  if (UNREACHABLE.has(code)) return 'cannot connect to the database';
  if (/timeout|timed out/i.test(message)) return 'the database did not answer in time';
  if (/connection terminated/i.test(message)) return 'the database closed the connection';
  return undefined;
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
export function passwordsOf(url: string | undefined): string[] {
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

/** `message` with every secret in it replaced by ***. */
export function redactSecrets(message: string, secrets: string[]): string {
  return secrets.reduce((text, secret) => text.split(secret).join('***'), message);
}

/** What pg reads as the password besides the URL's: PGPASSWORD (docker-compose.yml passes it). */
export function secretsOf(databaseUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): string[] {
  return [...passwordsOf(databaseUrl), ...(env.PGPASSWORD ? [env.PGPASSWORD] : [])];
}

/** A failure as routes take it: DatabaseUnavailableError, secrets redacted, its kind for clients. */
export function unavailable(error: unknown, secrets: string[]): DatabaseUnavailableError {
  return new DatabaseUnavailableError(
    redactSecrets(`${UNAVAILABLE}: ${(error as Error).message}`, secrets),
    failureKind(error),
  );
}
