// Names the service emits that the semantic conventions mark deprecated or do not define, each
// from a library that still uses it, with what replaces it. The conformance test (in
// test/contract/telemetry.test.ts) accepts exactly these; anything else must be a current
// convention or under `app.`. Attribute keys cannot be renamed by SDK views, only dropped, and
// the dashboards read these, so they stay until the libraries move.
export const SEMCONV_EXCEPTIONS: Record<string, string> = {
  'system.cpu.state': '@opentelemetry/host-metrics 0.39 on system.cpu.*; cpu.mode replaces it',
  'process.cpu.state': '@opentelemetry/host-metrics 0.39 on process.cpu.*; cpu.mode replaces it',
  'system.cpu.logical_number': '@opentelemetry/host-metrics 0.39; cpu.logical_number replaces it',
  'system.network.dropped': '@opentelemetry/host-metrics 0.39; system.network.packet.dropped replaces it',
  'system.device': '@opentelemetry/host-metrics 0.39 on system.network.*; network.interface.name replaces it',
  'db.client.connection.max': '@opentelemetry/instrumentation-pg 0.77; db.client.connection.limit replaces it',
  'db.postgresql.idle.timeout.millis': '@opentelemetry/instrumentation-pg 0.77, on its pool spans; no convention',
};
