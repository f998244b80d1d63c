// The service's own instruments: only what no semantic convention or instrumentation covers
// (docs/architecture.md, "Naming"), names from src/semconv.ts. With the request-duration
// histogram and the in-flight UpDownCounter of otel/hono-telemetry.ts, the service uses
// each instrument kind once at least:
//
// | instrument                  | kind      | recorded by         |
// | --------------------------- | --------- | ------------------- |
// | app.simulated_load.duration | Histogram | GET /simulate-load  |
// | app.simulated_errors        | Counter   | GET /simulate-error |
// | app.network.probe.duration  | Histogram | GET /network-check  |
// | app.network.probe.up        | Gauge     | GET /network-check  |
import type { Counter, Gauge, Histogram, Meter } from '@opentelemetry/api';
import {
  METRIC_APP_NETWORK_PROBE_DURATION,
  METRIC_APP_NETWORK_PROBE_UP,
  METRIC_APP_SIMULATED_ERRORS,
  METRIC_APP_SIMULATED_LOAD_DURATION,
} from './semconv.js';

export interface Instruments {
  simulatedLoadDuration: Histogram;
  simulatedErrors: Counter;
  probeDuration: Histogram;
  probeUp: Gauge;
}

export function createInstruments(meter: Meter): Instruments {
  return {
    simulatedLoadDuration: meter.createHistogram(METRIC_APP_SIMULATED_LOAD_DURATION, {
      description: 'Wall time of the CPU work done by /simulate-load.',
      unit: 's',
      advice: {
        explicitBucketBoundaries: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
      },
    }),
    simulatedErrors: meter.createCounter(METRIC_APP_SIMULATED_ERRORS, {
      description: 'Errors raised on purpose by /simulate-error.',
      unit: '{error}',
    }),
    probeDuration: meter.createHistogram(METRIC_APP_NETWORK_PROBE_DURATION, {
      description: 'Time to reach a network-check destination (connect, or response headers).',
      unit: 's',
      advice: {
        explicitBucketBoundaries: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      },
    }),
    probeUp: meter.createGauge(METRIC_APP_NETWORK_PROBE_UP, {
      description: '1 when the last probe of a destination succeeded, 0 when it failed.',
    }),
  };
}
