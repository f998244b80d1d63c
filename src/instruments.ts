// The service's own instruments: only what no semantic convention or instrumentation covers
// (docs/architecture.md, "Naming"), one of each instrument kind (Counter, UpDownCounter, Histogram, Gauge). Names live under `app.`; in
// Prometheus they appear with unit suffixes (app_simulated_load_duration_seconds, …).
//
// | instrument                      | kind          | recorded by          |
// | ------------------------------- | ------------- | -------------------- |
// | app.simulated_load.duration     | Histogram     | GET /simulate-load   |
// | app.simulated_errors            | Counter       | GET /simulate-error  |
// | http.server.active_requests     | UpDownCounter | every request (src/http/server-telemetry.ts) |
// | app.network.probe.duration      | Histogram     | GET /network-check   |
// | app.network.probe.up            | Gauge         | GET /network-check   |
import type { Counter, Gauge, Histogram, Meter } from '@opentelemetry/api';

export interface Instruments {
  simulatedLoadDuration: Histogram;
  simulatedErrors: Counter;
  probeDuration: Histogram;
  probeUp: Gauge;
}

export function createInstruments(meter: Meter): Instruments {
  return {
    simulatedLoadDuration: meter.createHistogram('app.simulated_load.duration', {
      description: 'Wall time of the CPU work done by /simulate-load.',
      unit: 's',
      advice: {
        explicitBucketBoundaries: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      },
    }),
    simulatedErrors: meter.createCounter('app.simulated_errors', {
      description: 'Errors raised on purpose by /simulate-error.',
      unit: '{error}',
    }),
    probeDuration: meter.createHistogram('app.network.probe.duration', {
      description: 'Time to reach a network-check destination (connect, or response headers).',
      unit: 's',
      advice: {
        explicitBucketBoundaries: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      },
    }),
    probeUp: meter.createGauge('app.network.probe.up', {
      description: '1 when the last probe of a destination succeeded, 0 when it failed.',
    }),
  };
}
