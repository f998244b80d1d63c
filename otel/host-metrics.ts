// Infrastructure monitoring without node-exporter. `@opentelemetry/host-metrics` gives
// system.cpu.*, system.memory.*, system.network.* and process.*; the runtime instrumentation
// gives the event loop. Two things neither has are observed here:
// - disk usage of the data path: system.filesystem.usage / .limit (UpDownCounter, bytes, by
//   system.filesystem.state) and system.filesystem.utilization (Gauge, ratio), the names of the
//   semantic conventions (and of the Collector's hostmetrics receiver);
// - load average: app.load_average.1m / 5m / 15m (Gauge), under app. since no convention
//   defines it.
import { statfsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import type { Meter, MeterProvider } from '@opentelemetry/api';
import { HostMetrics } from '@opentelemetry/host-metrics';
import { INSTRUMENTATION_SCOPE } from './identity.js';

export const HOST_METER_NAME = `${INSTRUMENTATION_SCOPE}/host`;

function observeDisk(meter: Meter, path: string): void {
  const mountpoint = resolve(path);
  const usage = meter.createObservableUpDownCounter('system.filesystem.usage', {
    description: 'Bytes of the filesystem holding the data path, by state.',
    unit: 'By',
  });
  const limit = meter.createObservableUpDownCounter('system.filesystem.limit', {
    description: 'Total size of the filesystem holding the data path.',
    unit: 'By',
  });
  const utilization = meter.createObservableGauge('system.filesystem.utilization', {
    description: 'Fraction of the filesystem holding the data path that is used.',
    unit: '1',
  });
  meter.addBatchObservableCallback(
    (result) => {
      let stats: ReturnType<typeof statfsSync>;
      try {
        stats = statfsSync(mountpoint);
      } catch {
        return; // path gone: report nothing rather than zeros that look like an empty disk
      }
      const used = (stats.blocks - stats.bfree) * stats.bsize;
      const free = stats.bavail * stats.bsize;
      const reserved = (stats.bfree - stats.bavail) * stats.bsize;
      const base = { 'system.filesystem.mountpoint': mountpoint };
      result.observe(usage, used, { ...base, 'system.filesystem.state': 'used' });
      result.observe(usage, free, { ...base, 'system.filesystem.state': 'free' });
      result.observe(usage, reserved, { ...base, 'system.filesystem.state': 'reserved' });
      result.observe(limit, stats.blocks * stats.bsize, base);
      result.observe(utilization, used + free > 0 ? used / (used + free) : 0, base);
    },
    [usage, limit, utilization],
  );
}

function observeLoadAverage(meter: Meter): void {
  const windows = ['1m', '5m', '15m'] as const;
  const gauges = windows.map((window) =>
    meter.createObservableGauge(`app.load_average.${window}`, {
      description: `Average number of runnable threads over ${window}.`,
      unit: '{thread}',
    }),
  );
  meter.addBatchObservableCallback((result) => {
    const averages = loadavg();
    gauges.forEach((gauge, i) => {
      result.observe(gauge, averages[i] ?? 0);
    });
  }, gauges);
}

export function startHostMetrics(meterProvider: MeterProvider, dataPath: string): void {
  new HostMetrics({ meterProvider, name: HOST_METER_NAME }).start();
  const meter = meterProvider.getMeter(HOST_METER_NAME);
  observeDisk(meter, dataPath);
  observeLoadAverage(meter);
}
