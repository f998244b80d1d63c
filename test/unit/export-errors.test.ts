import { describe, expect, it } from 'vitest';
import { createExportErrorReporter, kindOf } from '../../otel/workarounds/export-errors.js';

/** The reporter with a hand-driven clock and timer queue. */
function harness(windowMs = 1000) {
  const lines: Array<Record<string, unknown>> = [];
  let clock = 0;
  const timers: Array<{ at: number; fn: () => void }> = [];
  const reporter = createExportErrorReporter(
    'svc',
    windowMs,
    (l) => lines.push(JSON.parse(l)),
    () => clock,
    (fn, ms) => timers.push({ at: clock + ms, fn }),
  );
  const advanceTo = (t: number) => {
    clock = t;
    for (let due = timers.findIndex((x) => x.at <= t); due !== -1; due = timers.findIndex((x) => x.at <= t)) {
      const [timer] = timers.splice(due, 1);
      timer?.fn();
    }
  };
  return { reporter, lines, advanceTo, pending: () => timers.length };
}

describe('export error reporter', () => {
  it('writes the first failure at once, then one line per window with what it folded in', () => {
    const h = harness();
    h.reporter.report(new Error('connect ECONNREFUSED 127.0.0.1:4318'));
    for (let i = 1; i <= 50; i++) {
      h.advanceTo(i * 10);
      h.reporter.report(new Error('connect ECONNREFUSED 127.0.0.1:4318 again'));
    }
    expect(h.lines).toHaveLength(1);
    h.advanceTo(1000);
    expect(h.lines).toHaveLength(2);
    expect(h.lines[0]).toMatchObject({
      level: 'warn',
      message: 'telemetry export failing',
      error: 'connect ECONNREFUSED 127.0.0.1:4318',
      count: 1,
      'service.name': 'svc',
    });
    expect(h.lines[1]).toMatchObject({ error: 'connect ECONNREFUSED 127.0.0.1:4318 again', count: 50 });
  });

  it("reports the last window's count even when no failure follows it, then goes quiet", () => {
    const h = harness();
    h.reporter.report(new Error('Request timed out'));
    h.advanceTo(500);
    h.reporter.report(new Error('Request timed out'));
    h.advanceTo(1000);
    expect(h.lines.map((l) => l.count)).toEqual([1, 1]);
    h.advanceTo(2000); // a window with nothing in it closes without a line
    h.advanceTo(5000);
    expect(h.lines).toHaveLength(2);
    expect(h.pending()).toBe(0);
    h.reporter.report(new Error('Request timed out'));
    expect(h.lines).toHaveLength(3);
  });

  it('names other SDK errors for what they are, in a window of their own', () => {
    const h = harness();
    h.reporter.report(new Error('connect ECONNREFUSED 127.0.0.1:4318'));
    h.reporter.report(new TypeError("Cannot read properties of undefined (reading 'x')"));
    expect(h.lines.map((l) => l.message)).toEqual(['telemetry export failing', 'OpenTelemetry SDK error']);
  });

  it.each([
    [Object.assign(new Error('Bad Request'), { name: 'OTLPExporterError', code: 400 }), 'telemetry export failing'],
    [Object.assign(new Error('socket closed'), { code: 'ECONNRESET' }), 'telemetry export failing'],
    ['Timeout', 'telemetry export failing'],
    [
      new Error('12 UNIMPLEMENTED: unknown service opentelemetry.proto.collector.logs.v1.LogsService'),
      'telemetry export failing',
    ],
    // Out of file descriptors: on a socket call an export failing (test/faults/file-descriptors.test.ts
    // sees the real one), on a file read something else.
    [
      Object.assign(new Error('connect EMFILE 127.0.0.1:4318 - Local (undefined:undefined)'), {
        code: 'EMFILE',
        syscall: 'connect',
      }),
      'telemetry export failing',
    ],
    [
      Object.assign(new Error("EMFILE: too many open files, open '/proc/stat'"), { code: 'EMFILE', syscall: 'open' }),
      'OpenTelemetry SDK error',
    ],
    [new RangeError('Invalid array length'), 'OpenTelemetry SDK error'],
  ])('classifies %s', (error, kind) => {
    expect(kindOf(error)).toBe(kind);
  });
});
