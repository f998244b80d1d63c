// Which of the SDK's own metrics (OTEL_NODE_EXPERIMENTAL_SDK_METRICS, on by default here) are
// kept. Kept: what tells a user their telemetry is being lost, counted per batch or per
// collection: otel.sdk.processor.* (queue size and capacity, processed by error.type),
// otel.sdk.exporter.*, otel.sdk.metric_reader.*; and otel.sdk.log.created, once per log record
// (the service logs far less often than it serves).
// Dropped: otel.sdk.span.started and otel.sdk.span.live, three counter updates on every span,
// each hashing its attributes; nothing reads them (no dashboard, alert or the doctor), and the
// processor's per-batch counters tell the same story. The views halve their cost (the SDK still
// calls them); bench/NOTES.md ("Where the CPU goes") has the profile.
import { AggregationType, createAllowListAttributesProcessor, type ViewOptions } from '@opentelemetry/sdk-metrics';

const PER_SPAN_INSTRUMENTS = ['otel.sdk.span.started', 'otel.sdk.span.live'];

// The empty allow-list matters as much as DROP: without attributes, the metrics SDK skips the
// hashing that a dropped stream would still pay for.
export const SDK_SELF_METRIC_VIEWS: ViewOptions[] = PER_SPAN_INSTRUMENTS.map((instrumentName) => ({
  instrumentName,
  meterName: '@opentelemetry/sdk-trace',
  aggregation: { type: AggregationType.DROP },
  attributesProcessors: [createAllowListAttributesProcessor([])],
}));
