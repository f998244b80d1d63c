// What the relay admits a second, for all pages together, sized to what people clicking make:
// a click is a trace of two spans, a page load a trace of a handful of spans and a few Web
// Vitals. Two budgets, because two things downstream can be exhausted:
// - items (spans and log records): the Collector's and the backends' work and storage;
// - new trace ids: Jaeger's memory store keeps a ring of traces (max_traces in
//   deploy/jaeger/config.yaml) and drops the oldest as new ones come, so every new trace id a
//   client sends pushes a real one out. Spans of a trace already seen cost no new-trace token.
// And a cap of spans per trace, so a client cannot grow one trace without bound instead.
// A batch is admitted whole or refused whole (429 with Retry-After, which the page's exporter
// honours), so a person's telemetry is delayed in a burst, not lost.
import { TokenBucket } from '../http/rate-limit.js';

export const RELAY_BUDGET = {
  itemsPerSecond: 100,
  itemsBurst: 1_000,
  newTracesPerSecond: 0.5,
  newTracesBurst: 60,
  spansPerTrace: 64,
  /** Trace ids remembered as seen: far more than the traces a burst of clicks makes. */
  tracesRemembered: 4_096,
} as const;

export type Verdict = { admitted: true } | { admitted: false; retryAfterS: number; reason: string };

export class RelayBudget {
  private readonly items: TokenBucket;
  private readonly newTraces: TokenBucket;
  /** Trace id -> spans admitted for it, oldest first (a Map keeps insertion order). */
  private readonly seen = new Map<string, number>();

  constructor(now = () => performance.now()) {
    this.items = new TokenBucket(RELAY_BUDGET.itemsPerSecond, RELAY_BUDGET.itemsBurst, now);
    this.newTraces = new TokenBucket(RELAY_BUDGET.newTracesPerSecond, RELAY_BUDGET.newTracesBurst, now);
  }

  /** Admits a batch of `items` items whose spans have these trace ids (one entry per span). */
  admit(items: number, spanTraceIds: string[]): Verdict {
    const perTrace = new Map<string, number>();
    for (const id of spanTraceIds) perTrace.set(id, (perTrace.get(id) ?? 0) + 1);
    for (const [id, n] of perTrace) {
      if ((this.seen.get(id) ?? 0) + n > RELAY_BUDGET.spansPerTrace) {
        return {
          admitted: false,
          retryAfterS: 60,
          reason: `more than ${RELAY_BUDGET.spansPerTrace} spans for one trace`,
        };
      }
    }
    const fresh = [...perTrace.keys()].filter((id) => !this.seen.has(id)).length;
    const itemWait = this.items.take(items);
    if (itemWait > 0) return { admitted: false, retryAfterS: itemWait, reason: 'spans and log records' };
    const traceWait = fresh > 0 ? this.newTraces.take(fresh) : 0;
    if (traceWait > 0) {
      this.items.refund(items);
      return { admitted: false, retryAfterS: traceWait, reason: 'new traces' };
    }
    for (const [id, n] of perTrace) {
      const before = this.seen.get(id) ?? 0;
      this.seen.delete(id);
      this.seen.set(id, before + n);
    }
    while (this.seen.size > RELAY_BUDGET.tracesRemembered) this.seen.delete(this.seen.keys().next().value as string);
    return { admitted: true };
  }
}
