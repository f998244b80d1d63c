// Every setting of the service, read once from the environment and checked. A bad value stops
// the start with a message naming the variable, never a stack trace. OTEL_* variables are not
// here: the SDK reads them itself (otel/).
import { isIP } from 'node:net';
import { type ProbeTarget, parseTargets } from './network/targets.js';

export interface Config {
  port: number;
  host: string;
  logLevel: string;
  /** PostgreSQL connection string; unset means the embedded database. */
  databaseUrl: string | undefined;
  /** Targets from NETWORK_CHECK_TARGETS; unset means the defaults (this service, the database). */
  networkTargets: ProbeTarget[] | undefined;
  networkTimeoutMs: number;
  /** How long SIGTERM waits for in-flight requests before closing anyway. */
  shutdownGraceMs: number;
  /** How long shutdown waits for the last telemetry to be exported (a dead Collector would hold it). */
  flushTimeoutMs: number;
  /**
   * The host names the service answers for (a Host header naming another is refused: DNS
   * rebinding); IP literals are always served. `*` turns the check off.
   */
  allowedHosts: string[];
  /** Requests a second the relay accepts from all pages together (twice that in a burst). */
  uiRelayRate: number;
  /** Jaeger's UI as a browser reaches it, for the page's link to a click's trace; unset: no link. */
  jaegerUiUrl: string | undefined;
  /** The flagd flag-definition file of the incident scenarios (src/incidents/). */
  incidentFlagsFile: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** An absolute http(s) URL without credentials or query (it is shown to every visitor of the page). */
function publicUrl(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(raw);
  } catch {
    url = undefined;
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || url.username || url.password || url.search) {
    throw new ConfigError(
      `${name} must be an http:// or https:// URL without credentials or query, e.g. http://localhost:16686`,
    );
  }
  return url.href.replace(/\/$/, '');
}

/** Requests a second the browser relay takes from all pages together, unless UI_RELAY_RATE says. */
export const DEFAULT_RELAY_RATE = 20;

/** Where the incident flags are, unless FLAGD_OFFLINE_FLAG_SOURCE_PATH (the flagd provider's name) says. */
export const DEFAULT_INCIDENT_FLAGS_FILE = 'deploy/flags/incidents.flagd.json';

const LOG_LEVELS = ['error', 'warn', 'info', 'http', 'verbose', 'debug', 'silly'];

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number) {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return Number(raw);
}

function targetsOrConfigError(list: string): ProbeTarget[] {
  try {
    return parseTargets(list, 'NETWORK_CHECK_TARGETS');
  } catch (error) {
    throw new ConfigError((error as Error).message);
  }
}

/**
 * DATABASE_URL, refused at start when `pg` could not use it, with a message that shows neither
 * the user nor the password. A password with a lone `%` would otherwise pass start, then fail
 * to decode at the first query, which also turns off its redaction.
 */
function databaseUrl(raw: string | undefined): string | undefined {
  if (!raw) return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL is not a URL (expected postgres://user@host:5432/database)');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new ConfigError(`DATABASE_URL must start with postgres:// or postgresql://, not ${url.protocol}//`);
  }
  for (const [part, value] of [
    ['user', url.username],
    ['password', url.password],
  ] as const) {
    try {
      decodeURIComponent(value);
    } catch {
      throw new ConfigError(
        `DATABASE_URL: the ${part} has a % that is not followed by two hex digits (write a literal % as %25, or pass the password in PGPASSWORD)`,
      );
    }
  }
  return raw;
}

/**
 * ALLOWED_HOSTS, after localhost and HOST when it is a name: comma-separated host names, `.example.com` for that domain and
 * every subdomain, or `*` alone for any host (behind a proxy that checks Host itself).
 */
function allowedHosts(raw: string | undefined, host: string): string[] {
  const names = (raw ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (names.includes('*')) return ['*'];
  for (const name of names) {
    if (!/^\.?[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/.test(name)) {
      throw new ConfigError(`ALLOWED_HOSTS must be host names (a leading dot for every subdomain) or *, got "${name}"`);
    }
  }
  const own = isIP(host) === 0 ? [host.toLowerCase()] : [];
  return [...new Set(['localhost', ...own, ...names])];
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  }
  const targets = env.NETWORK_CHECK_TARGETS;
  const host = env.HOST || '0.0.0.0';
  return {
    port: integer(env, 'PORT', 8080, 0, 65535),
    host,
    allowedHosts: allowedHosts(env.ALLOWED_HOSTS, host),
    logLevel,
    databaseUrl: databaseUrl(env.DATABASE_URL),
    networkTargets: targets ? targetsOrConfigError(targets) : undefined,
    networkTimeoutMs: integer(env, 'NETWORK_CHECK_TIMEOUT_MS', 2000, 1, 60_000),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    flushTimeoutMs: integer(env, 'SHUTDOWN_FLUSH_TIMEOUT_MS', 5_000, 0, 600_000),
    uiRelayRate: integer(env, 'UI_RELAY_RATE', DEFAULT_RELAY_RATE, 1, 100_000),
    jaegerUiUrl: publicUrl(env, 'JAEGER_UI_URL'),
    incidentFlagsFile: env.FLAGD_OFFLINE_FLAG_SOURCE_PATH || DEFAULT_INCIDENT_FLAGS_FILE,
  };
}
