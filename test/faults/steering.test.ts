// What an anonymous client can steer through the headers it sends.
// - Baggage: the service propagates W3C trace context only, so a client's `baggage` header is
//   not sent on to the network-check destinations (the trace context is).
// - Sampling: under the SDK's default parent-based sampler a client that sends a sampled
//   `traceparent` has every one of its requests recorded, whatever the ratio (the documented
//   behaviour). OTEL_TRACES_SAMPLER=traceidratio decides on the trace id, which the client
//   also chose: honest random ids get the ratio, chosen ones get recorded every time. Only with
//   no trace context taken in (OTEL_PROPAGATORS=none) does the service's own ratio decide: the
//   configuration for an internet-facing edge, and test/README.md's security section says why.
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_ENV, type ServiceProcess, startService } from '../../support/service.js';
import { OtlpReceiver } from '../support/otlp-receiver.js';

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const SAMPLED = `00-${TRACE_ID}-00f067aa0ba902b7-01`;

describe('a client baggage header', () => {
  const seen: IncomingHttpHeaders[] = [];
  const target = createServer((req, res) => {
    seen.push(req.headers);
    res.end('ok');
  });
  const receiver = new OtlpReceiver();
  let service: ServiceProcess;

  beforeAll(async () => {
    target.listen(0, '127.0.0.1');
    await once(target, 'listening');
    const { port } = target.address() as { port: number };
    service = await startService({
      ...DATABASE_ENV,
      OTEL_EXPORTER_OTLP_ENDPOINT: await receiver.start(),
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      NETWORK_CHECK_TARGETS: `echo=http://127.0.0.1:${port}/`,
    });
  });

  afterAll(async () => {
    await service?.stop();
    await receiver.stop();
    target.close();
  });

  it('is not forwarded to the network-check destinations; the trace context is', async () => {
    const res = await fetch(`${service.url}/network-check`, {
      headers: { traceparent: SAMPLED, baggage: 'user.id=alice,session=Sess-9e1f-NeverForward' },
    });
    expect(res.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(seen[0]?.baggage).toBeUndefined();
  });
});

/**
 * Trace ids a client may send. `random` as an honest client makes them. `chosen`, all alike but
 * for their last digits: the ratio sampler decides on a hash of the trace id (its 8-digit parts
 * XORed together), which these keep near 0, under any ratio's bound. A client picks them freely.
 */
const TRACE_IDS = {
  random: () => randomBytes(16).toString('hex'),
  chosen: (i: number) => i.toString(16).padStart(32, 'a'),
};

describe.each([
  ['parentbased_traceidratio', 'tracecontext', 'random', 'all', 'the client decides: all it marks sampled'],
  ['traceidratio', 'tracecontext', 'random', 'ratio', 'the ratio decides, for random trace ids'],
  ['traceidratio', 'tracecontext', 'chosen', 'all', 'the client decides again, with trace ids it chose'],
  ['traceidratio', 'none', 'chosen', 'ratio', 'the service decides, with no trace context taken in'],
] as const)(
  'OTEL_TRACES_SAMPLER=%s at 0.1, OTEL_PROPAGATORS=%s, %s client trace ids',
  (sampler, propagators, ids, expected, outcome) => {
    const REQUESTS = 200;

    it(outcome, async () => {
      const receiver = new OtlpReceiver();
      const service = await startService({
        ...DATABASE_ENV,
        OTEL_EXPORTER_OTLP_ENDPOINT: await receiver.start(),
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_TRACES_SAMPLER: sampler,
        OTEL_TRACES_SAMPLER_ARG: '0.1',
        OTEL_PROPAGATORS: propagators,
        OTEL_BSP_SCHEDULE_DELAY: '100',
      });
      try {
        for (let i = 0; i < REQUESTS; i++) {
          const traceparent = `00-${TRACE_IDS[ids](i)}-00f067aa0ba902b7-01`;
          await (await fetch(`${service.url}/`, { headers: { traceparent } })).text();
        }
        await service.stop(); // flushes every span before it exits
        const recorded = receiver.spans().filter((s) => s.name === 'GET /').length;
        console.log(JSON.stringify({ sampler, propagators, ids, requests: REQUESTS, recorded }));
        if (expected === 'all') expect(recorded).toBe(REQUESTS);
        // 10% of 200 is 20, with a standard deviation of about 4: 0 and 100 are far outside chance.
        else expect(recorded).toBeGreaterThan(0);
        if (expected === 'ratio') expect(recorded).toBeLessThan(REQUESTS / 2);
      } finally {
        await service.stop('SIGKILL');
        await receiver.stop();
      }
    });
  },
);
