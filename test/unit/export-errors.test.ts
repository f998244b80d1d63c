import { describe, expect, it } from 'vitest';
import { createExportErrorReporter } from '../../otel/export-errors.js';

describe('export error reporter', () => {
  it('writes one line per window and counts what it folded in', () => {
    const lines: string[] = [];
    let clock = 0;
    const reporter = createExportErrorReporter(
      'svc',
      1000,
      (l) => lines.push(l),
      () => clock,
    );
    reporter.report(new Error('connect ECONNREFUSED 127.0.0.1:4318'));
    for (let i = 0; i < 50; i++) {
      clock += 10;
      reporter.report(new Error('again'));
    }
    expect(lines).toHaveLength(1);
    clock = 1000;
    reporter.report('Timeout');
    expect(lines).toHaveLength(2);
    const [first, second] = lines.map((l) => JSON.parse(l));
    expect(first).toMatchObject({
      level: 'warn',
      message: 'telemetry export failing',
      error: 'connect ECONNREFUSED 127.0.0.1:4318',
      suppressed_since_last: 0,
      'service.name': 'svc',
    });
    expect(second).toMatchObject({ error: 'Timeout', suppressed_since_last: 50 });
  });
});
