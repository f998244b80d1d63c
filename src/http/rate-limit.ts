// A bound on how fast requests of one kind are accepted, for the whole process: a token bucket
// of `burst` tokens refilled at `perSecond`. Beyond it, 429 with Retry-After at once. It bounds
// what the browser relay can push into the Collector, whoever sends; telling one client from
// another is an edge proxy's job, where the client's address is known.
import type { MiddlewareHandler } from 'hono';
import { jsonError } from './errors.js';

/** `burst` tokens, refilled at `perSecond`; taken whole or not at all. */
export class TokenBucket {
  private tokens: number;
  private last: number;
  constructor(
    readonly perSecond: number,
    readonly burst: number,
    private readonly now = () => performance.now(),
  ) {
    this.tokens = burst;
    this.last = now();
  }

  /** Takes `n` tokens and returns 0, or takes none and returns the whole seconds until `n` are there. */
  take(n = 1): number {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.perSecond);
    this.last = t;
    if (this.tokens >= n) {
      this.tokens -= n;
      return 0;
    }
    return Math.max(1, Math.ceil((n - this.tokens) / this.perSecond));
  }

  /** Gives back tokens taken for work that did not happen. */
  refund(n: number): void {
    this.tokens = Math.min(this.burst, this.tokens + n);
  }
}

export function limitRate(
  perSecond: number,
  burst: number,
  what: string,
  now = () => performance.now(),
): MiddlewareHandler {
  const bucket = new TokenBucket(perSecond, burst, now);
  return async (c, next) => {
    const wait = bucket.take();
    if (wait > 0) {
      c.header('Retry-After', String(wait));
      return jsonError(c, 429, `too many ${what} (at most ${perSecond} a second); retry in ${wait} s`);
    }
    await next();
  };
}
