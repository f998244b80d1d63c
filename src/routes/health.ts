// Liveness and readiness for orchestrators and compose healthchecks, plus the Prometheus
// scrape endpoint. None of these is traced or measured (POLLED_PATHS in src/app.ts).
// - /healthz: the process answers.
// - /readyz: the database answers within a second and the telemetry SDK runs (or was switched
//   off on purpose with OTEL_SDK_DISABLED); 503 with the reason otherwise.
// - /metrics: every instrument in Prometheus text format, same names as the Collector exports.
import { Hono } from 'hono';
import { PROMETHEUS_CONTENT_TYPE } from '../../otel/sdk.js';
import { throttled } from '../../otel/throttled.js';
import { DatabaseUnavailableError } from '../db/database.js';
import type { AppDeps } from '../deps.js';
import { jsonError } from '../http/errors.js';
import { ATTR_APP_READINESS_FAILURES } from '../semconv.js';

const READY_DB_TIMEOUT_MS = 1_000;
/** Probes ask every few seconds: one log line per this long at most says why they fail. */
const NOT_READY_LOG_MS = 30_000;

export function healthRoutes({ db, telemetry, logger }: AppDeps): Hono {
  const app = new Hono();
  const notReady = throttled(NOT_READY_LOG_MS, (count, reason: string) =>
    logger.warn(`not ready: ${reason}`, { [ATTR_APP_READINESS_FAILURES]: count }),
  );

  app.get('/healthz', (c) => c.json({ status: 'ok' }));

  app.get('/readyz', async (c) => {
    if (telemetry.status === 'not-loaded') {
      return jsonError(c, 503, 'telemetry SDK not started: run with --import ./dist/otel/register.js (npm start does)');
    }
    try {
      await db.ping(READY_DB_TIMEOUT_MS);
    } catch (error) {
      notReady((error as Error).message);
      return jsonError(
        c,
        503,
        error instanceof DatabaseUnavailableError ? error.publicMessage : 'database unavailable',
      );
    }
    return c.json({ status: 'ready', database: db.mode, telemetry: telemetry.status });
  });

  app.get('/metrics', async (c) => {
    const body = await telemetry.scrape();
    return c.body(body, 200, { 'content-type': PROMETHEUS_CONTENT_TYPE });
  });

  return app;
}
