// Incidents on demand: the service started with a copy of the shipped flag file, each scenario
// switched with the command users run (npm run incident's script), and what a person would see:
// the answer of GET /, the server span's status and its feature_flag.evaluation event, the log
// line that says the flags changed. Off again, / answers as before and the span has no event.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type ServiceProcess } from '../../support/service.js';
import { startExporting } from '../support/exporting-service.js';
import { attributes, type OtlpReceiver } from '../support/otlp-receiver.js';
import { copyIncidentFlags, runIncident } from '../support/user-commands.js';

const SERVER = 2; // SpanKind.SERVER in OTLP
const STATUS_ERROR = 2;

let receiver: OtlpReceiver;
let service: ServiceProcess;
let flagFile: string;

const incident = (...args: string[]) => runIncident(flagFile, ...args);

/** The server span of the answer, found by the trace id its traceresponse header names. */
async function serverSpanOf(res: Response) {
  const traceId = res.headers.get('traceresponse')?.split('-')[1];
  expect(traceId).toMatch(/^[0-9a-f]{32}$/);
  return eventually(
    () => receiver.spans().find((s) => s.traceId === traceId && s.kind === SERVER),
    10_000,
    'the server span',
  );
}

/** Polls GET / until `accept` takes its answer: the provider re-reads the file on its own timer. */
async function getHomeUntil(accept: (res: Response) => boolean, what: string): Promise<Response> {
  return eventually(
    async () => {
      const res = await fetch(`${service.url}/`);
      await res.arrayBuffer();
      return accept(res) ? res : undefined;
    },
    30_000,
    what,
    250,
  );
}

describe('incident scenarios', () => {
  beforeAll(async () => {
    flagFile = copyIncidentFlags();
    ({ receiver, service } = await startExporting({ FLAGD_OFFLINE_FLAG_SOURCE_PATH: flagFile }));
  });

  afterAll(async () => {
    await service?.stop();
    await receiver?.stop();
  });

  it('lists the scenarios, all off as shipped, and refuses an unknown one', async () => {
    const { stdout } = await incident();
    expect(stdout).toMatch(/error-burst\s+off/);
    expect(stdout).toMatch(/slow-route\s+off/);
    const refused = await incident('no-such-scenario', 'on').then(
      () => undefined,
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused?.code).toBe(2);
    expect(refused?.stderr).toContain('the scenarios are error-burst, slow-route');
  });

  it('error-burst: / answers 500, its span is an error with the flag on it, and back', async () => {
    const before = await fetch(`${service.url}/`);
    expect(before.status).toBe(200);
    expect((await serverSpanOf(before)).events ?? []).toEqual([]);

    await incident('error-burst', 'on');
    const failing = await getHomeUntil((res) => res.status === 500, '/ to answer 500');
    const span = await serverSpanOf(failing);
    expect(span.status?.code).toBe(STATUS_ERROR);
    const event = span.events?.find((e) => e.name === 'feature_flag.evaluation');
    expect(event, 'a feature_flag.evaluation event').toBeDefined();
    expect(attributes(event?.attributes)).toMatchObject({
      'feature_flag.key': 'error-burst',
      'feature_flag.result.variant': 'on',
      'feature_flag.provider.name': 'flagd',
    });
    expect(service.lines.some((l) => l.message === 'incident flags changed')).toBe(true);
    // The runbook's way from the failed trace to its log line: the line carries the trace id.
    const logged = await eventually(
      () => service.lines.find((l) => l.level === 'error' && l.trace_id === span.traceId),
      5_000,
      'the error line of the failed request',
    );
    expect(logged.message).toBe('incident scenario error-burst is on: answering 500');
    expect(logged['feature_flag.key']).toBe('error-burst');

    await incident('error-burst', 'off');
    const healed = await getHomeUntil((res) => res.status === 200, '/ to answer 200 again');
    expect((await serverSpanOf(healed)).events ?? []).toEqual([]);
  });

  it('slow-route: / takes longer than the 1 s latency target while on, and not after', async () => {
    await incident('slow-route', 'on');
    const timed = async () => {
      const started = performance.now();
      const res = await fetch(`${service.url}/`);
      await res.arrayBuffer();
      return { res, ms: performance.now() - started };
    };
    const slow = await eventually(
      async () => {
        const answer = await timed();
        return answer.ms > 1_000 ? answer : undefined;
      },
      30_000,
      'a slow /',
      250,
    );
    expect(slow.res.status).toBe(200);
    const span = await serverSpanOf(slow.res);
    expect(span.events?.map((e) => attributes(e.attributes)['feature_flag.key'])).toEqual(['slow-route']);

    await incident('slow-route', 'off');
    const fast = await eventually(
      async () => {
        const answer = await timed();
        return answer.ms < 1_000 ? answer : undefined;
      },
      30_000,
      'a fast / again',
      250,
    );
    expect(fast.res.status).toBe(200);
  });
});
