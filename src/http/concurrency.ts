// A bound on how many requests of one kind run at once. Beyond it the request is answered at
// once with 429 and Retry-After instead of queueing: a queue behind slow work (a 5 s query, a
// long CPU loop) is what lets one anonymous client starve readiness checks and everyone else.
import type { MiddlewareHandler } from 'hono';
import { jsonError } from './errors.js';

export function limitConcurrency(max: number, what: string, retryAfterSeconds = 1): MiddlewareHandler {
  let running = 0;
  return async (c, next) => {
    if (running >= max) {
      c.header('Retry-After', String(retryAfterSeconds));
      return jsonError(c, 429, `too many ${what} at once (at most ${max}); retry in ${retryAfterSeconds} s`);
    }
    running++;
    try {
      await next();
    } finally {
      running--;
    }
  };
}
