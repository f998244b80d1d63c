// What each incident scenario does to a request, as Hono middleware on the routes it affects.
// Each effect is bounded: a fixed wait (a timer, no CPU) or an immediate error answer, and it
// ends with the flag.
import type { MiddlewareHandler } from 'hono';
import { jsonError } from '../http/errors.js';
import type { Incidents } from './flags.js';

/** How long slow-route holds each request: past the 1 s p99 target of the HighP99Latency rule. */
export const SLOW_ROUTE_DELAY_MS = 1_500;

export function incidentEffects(incidents: Pick<Incidents, 'anyOn' | 'isOn'> | undefined): MiddlewareHandler {
  const strike: MiddlewareHandler = async (c, next) => {
    const [slow, failing] = await Promise.all([incidents?.isOn('slow-route'), incidents?.isOn('error-burst')]);
    if (slow) await new Promise((resolve) => setTimeout(resolve, SLOW_ROUTE_DELAY_MS));
    if (failing) return jsonError(c, 500, 'incident scenario error-burst is on');
    return next();
  };
  // No scenario on: straight on, without a promise of its own.
  return (c, next) => (incidents?.anyOn() ? strike(c, next) : next());
}
