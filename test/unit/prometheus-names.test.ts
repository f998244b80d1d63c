import { describe, expect, it } from 'vitest';
import { nameWithUnit, unitSuffix } from '../../otel/workarounds/prometheus-names.js';

// The Collector's Prometheus exporter appends these suffixes by default; the app's /metrics
// must produce the same names (docs/architecture.md, "Naming").
describe('unit suffixes', () => {
  it.each([
    ['s', false, 'seconds'],
    ['ms', false, 'milliseconds'],
    ['By', false, 'bytes'],
    ['By/s', false, 'bytes_per_second'],
    ['1', true, 'ratio'],
    ['1', false, ''],
    ['{request}', false, ''],
    ['{packet}/s', false, 'per_second'],
    ['', false, ''],
  ])('%s (gauge: %s) -> %s', (unit, gauge, suffix) => {
    expect(unitSuffix(unit, gauge)).toBe(suffix);
  });

  it('appends the unit once', () => {
    expect(nameWithUnit('http.server.request.duration', 's', false)).toBe('http.server.request.duration_seconds');
    expect(nameWithUnit('nodejs.eventloop.time', 's', false)).toBe('nodejs.eventloop.time_seconds');
    expect(nameWithUnit('queue_seconds', 's', false)).toBe('queue_seconds');
    expect(nameWithUnit('app.network.probe.up', '', true)).toBe('app.network.probe.up');
    expect(nameWithUnit('system.filesystem.utilization', '1', true)).toBe('system.filesystem.utilization_ratio');
  });
});
