// A bound on how fast requests of one kind are accepted, for the whole process: a token bucket
// of `burst` tokens refilled at `perSecond`. Beyond it, 429 with Retry-After at once. It bounds
// what the browser relay can push into the Collector, whoever sends; telling one client from
// another is an edge proxy's job, where the client's address is known.
import type { MiddlewareHandler } from 'hono';
import { jsonError } from './errors.js';

export function limitRate(
  perSecond: number,
  burst: number,
  what: string,
  now = () => performance.now(),
): MiddlewareHandler {
  let tokens = burst;
  let last = now();
  return async (c, next) => {
    const t = now();
    tokens = Math.min(burst, tokens + ((t - last) / 1000) * perSecond);
    last = t;
    if (tokens < 1) {
      const wait = Math.ceil((1 - tokens) / perSecond);
      c.header('Retry-After', String(wait));
      return jsonError(c, 429, `too many ${what} (at most ${perSecond} a second); retry in ${wait} s`);
    }
    tokens -= 1;
    await next();
  };
}
