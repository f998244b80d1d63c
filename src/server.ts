// The life of the process, top to bottom: configuration, dependencies, app, the server
// (src/http-server.ts lists its stages in request order), crash handlers, listen, shutdown.
// Started by `npm start` with `--import ./dist/otel/register.js` (scripts/service-command.ts has
// the whole command line), so the OTel SDK is running, and pg, winston and fetch patched, before
// this file imports them.

import { type AddressInfo, isIPv6 } from 'node:net';
import { metrics, trace } from '@opentelemetry/api';
import { ATTR_URL_FULL } from '@opentelemetry/semantic-conventions';
import { describeTargets } from '../otel/export-targets.js';
import { INSTRUMENTATION_SCOPE, serviceName } from '../otel/identity.js';
import { telemetry } from '../otel/sdk.js';
import { throttled } from '../otel/throttled.js';
import { createApp } from './app.js';
import { createInstruments } from './app-metrics.js';
import { ConfigError, loadConfig } from './config.js';
import { createDatabase } from './db/create-database.js';
import { describeUrl } from './db/database.js';
import { settlesWithin } from './deadline.js';
import { MAX_PIPELINED, PIPELINING_WARN_EVERY_MS } from './hardening/pipelining.js';
import { createHttpServer } from './http-server.js';
import { startIncidents } from './incidents/flags.js';
import { createLogger } from './logger.js';
import { createRelayExporters } from './relay/exporters.js';
import {
  ATTR_APP_CONNECTIONS_CLOSED,
  ATTR_APP_DATABASE_MODE,
  ATTR_APP_DATABASE_TARGET,
  ATTR_APP_REQUESTS_IN_FLIGHT,
  ATTR_APP_SHUTDOWN_DEADLINE_MS,
  ATTR_APP_SHUTDOWN_GRACE_MS,
  ATTR_APP_SHUTDOWN_SIGNAL,
  ATTR_APP_SHUTDOWN_TIMEOUT_MS,
  ATTR_APP_TELEMETRY_STATUS,
} from './semconv.js';
import { trackInFlight } from './shutdown.js';
import { loadUiAssets } from './ui-assets.js';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${JSON.stringify({ level: 'error', message: `invalid configuration: ${error.message}` })}\n`);
  process.exit(1);
}

const logger = createLogger({ level: config.logLevel, serviceName: serviceName() });
const db = createDatabase(config.databaseUrl, logger);
logger.info('database mode', {
  [ATTR_APP_DATABASE_MODE]: db.mode,
  [ATTR_APP_DATABASE_TARGET]: config.databaseUrl
    ? describeUrl(config.databaseUrl)
    : 'embedded PGlite on a private Unix socket',
});
if (telemetry().status === 'not-loaded') {
  logger.warn('OpenTelemetry SDK not loaded: start with `node --import ./dist/otel/register.js` (npm start does)');
}

// The browser relay's own exporters, beside the SDK's (src/relay/exporters.ts says why).
const relay = telemetry().status === 'started' ? createRelayExporters() : undefined;
/** Flushes and stops every exporter, the SDK's and the relay's. */
const flushTelemetry = () => Promise.all([telemetry().shutdown(), relay?.shutdown()]);

const incidents = await startIncidents(config.incidentFlagsFile, logger);

const meter = metrics.getMeter(INSTRUMENTATION_SCOPE);
const deps = {
  config,
  db,
  logger,
  tracer: trace.getTracer(INSTRUMENTATION_SCOPE),
  meter,
  instruments: createInstruments(meter),
  telemetry: telemetry(),
  relay,
  ui: loadUiAssets(new URL('../ui/', import.meta.url)),
  incidents,
};
const app = createApp(deps);

const server = createHttpServer(app, {
  host: config.host,
  allowedHosts: config.allowedHosts,
  onPipeliningClosed: throttled(PIPELINING_WARN_EVERY_MS, (count) =>
    logger.warn(`closed ${count} connection(s) with more than ${MAX_PIPELINED} requests waiting`, {
      [ATTR_APP_CONNECTIONS_CLOSED]: count,
    }),
  ),
});
// A port that cannot be had is a configuration problem: say which, in one line, and stop.
server.on('error', (error: NodeJS.ErrnoException) => {
  const reasons: Record<string, string> = { EADDRINUSE: 'is already in use', EACCES: 'needs more privileges' };
  const reason = reasons[error.code ?? ''];
  if (!reason) return void crash('server error', error);
  logger.error(`cannot listen: port ${config.port} on ${config.host} ${reason}`, {
    'error.type': error.code,
    'server.port': config.port,
  });
  void exitAfterFlush(1);
});
const inFlight = trackInFlight(server);

/** The page's address as a browser on this machine reaches it. */
function pageUrl(address: string, port: number): string {
  const host = address === '0.0.0.0' || address === '::' ? 'localhost' : isIPv6(address) ? `[${address}]` : address;
  return `http://${host}:${port}/ui/`;
}

/** Flushes telemetry (bounded) and exits: the last lines and spans before a failure matter most. */
async function exitAfterFlush(code: number): Promise<never> {
  await settlesWithin(flushTelemetry(), config.flushTimeoutMs);
  process.exit(code);
}

/** One log line for what nothing else caught, then out: the process state is unknown. */
function crash(what: string, error: unknown): void {
  const detail = error instanceof Error ? { error: error.message, stack: error.stack } : { error: String(error) };
  logger.error(what, detail);
  void exitAfterFlush(1);
}
process.on('uncaughtException', (error) => crash('uncaught exception', error));
process.on('unhandledRejection', (reason) => crash('unhandled promise rejection', reason));

// Where things are, once: the page, and where each signal goes.
server.listen(config.port, config.host, () => {
  const { address, port } = server.address() as AddressInfo;
  const page = pageUrl(address, port);
  logger.info('listening', {
    'server.address': address,
    'server.port': port,
    [ATTR_URL_FULL]: page,
    [ATTR_APP_TELEMETRY_STATUS]: telemetry().status,
  });
  logger.info(`the page: ${page}`);
  const { status, targets } = telemetry();
  if (status === 'started') logger.info(`telemetry: ${describeTargets(targets)}; metrics also at /metrics`);
  if (status === 'disabled') logger.info('telemetry: off (OTEL_SDK_DISABLED); /metrics is empty');
});

// After drain and flush, closing the database gets this long; the whole shutdown one deadline.
const DB_CLOSE_MS = 2_000;

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  const deadlineMs = config.shutdownGraceMs + config.flushTimeoutMs + DB_CLOSE_MS;
  setTimeout(() => {
    logger.error('shutdown deadline passed, exiting', { [ATTR_APP_SHUTDOWN_DEADLINE_MS]: deadlineMs });
    process.exit(1);
  }, deadlineMs).unref();
  logger.info('shutting down', {
    [ATTR_APP_SHUTDOWN_SIGNAL]: signal,
    [ATTR_APP_REQUESTS_IN_FLIGHT]: inFlight.count(),
  });
  // Stop accepting, let in-flight requests finish (up to the grace period), then flush every
  // signal and close the database, in that order, so the last request's telemetry leaves too.
  const drained = await inFlight.close(config.shutdownGraceMs);
  if (!drained)
    logger.warn('grace period over, closing remaining connections', {
      [ATTR_APP_SHUTDOWN_GRACE_MS]: config.shutdownGraceMs,
    });
  logger.info('stopped serving, flushing telemetry', { [ATTR_APP_SHUTDOWN_SIGNAL]: signal });
  const flushed = await settlesWithin(flushTelemetry(), config.flushTimeoutMs);
  if (!flushed)
    logger.warn('telemetry not flushed in time, exiting anyway', {
      [ATTR_APP_SHUTDOWN_TIMEOUT_MS]: config.flushTimeoutMs,
    });
  await incidents.close();
  if (!(await settlesWithin(db.close(), DB_CLOSE_MS)))
    logger.warn('database not closed in time', { [ATTR_APP_SHUTDOWN_TIMEOUT_MS]: DB_CLOSE_MS });
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
