// What each incident scenario does to a request, as Hono middleware on the routes it affects.
// Each effect is bounded: a fixed wait (a timer, no CPU) or an immediate error answer, and it
// ends with the flag.
import type { MiddlewareHandler } from 'hono';
import { jsonError } from '../http/errors.js';
import { ATTR_FEATURE_FLAG_KEY } from '../semconv.js';
import type { Incidents } from './flags.js';

/** How long slow-route holds each request: past the 1 s p99 target of the HighP99Latency rule. */
export const SLOW_ROUTE_DELAY_MS = 1_500;

/**
 * An error-burst answer is logged like a real failure (with the request's trace id, which the
 * logger adds), so the runbook's way from a failed trace to its log lines works during a drill.
 */
export function incidentEffects(
  incidents: Pick<Incidents, 'anyOn' | 'isOn'> | undefined,
  logger: { error(message: string, meta: Record<string, unknown>): unknown },
): MiddlewareHandler {
  const strike: MiddlewareHandler = async (c, next) => {
    const [slow, failing] = await Promise.all([incidents?.isOn('slow-route'), incidents?.isOn('error-burst')]);
    if (slow) await new Promise((resolve) => setTimeout(resolve, SLOW_ROUTE_DELAY_MS));
    if (failing) {
      logger.error('incident scenario error-burst is on: answering 500', { [ATTR_FEATURE_FLAG_KEY]: 'error-burst' });
      return jsonError(c, 500, 'incident scenario error-burst is on');
    }
    return next();
  };
  // No scenario on: straight on, without a promise of its own.
  return (c, next) => (incidents?.anyOn() ? strike(c, next) : next());
}
