// The SDK defaults this service changes, in one place. Each is a standard OTEL_* variable, set
// only when the user has not set it, because NodeSDK builds the span processor and reads the
// self-metrics switch from the environment and has no constructor option for either short of
// replacing its exporter selection (OTEL_TRACES_EXPORTER, the protocol, the endpoint) by hand.
// - OTEL_NODE_EXPERIMENTAL_SDK_METRICS=true: the SDK's own health (otel.sdk.*: spans and log
//   records processed and dropped, queue size, metric export) is off by default in OTel JS 3.x;
//   on here, so a user sees their telemetry being lost.
// - OTEL_BSP_MAX_EXPORT_BATCH_SIZE=128 (SDK: 512): the batch span processor serializes a full
//   batch inside the span.end() that fills it, on a request's own turn of the event loop; a
//   smaller batch keeps that pause short (measured in bench/README.md, "Batches of 128 spans").

export const SDK_DEFAULTS: Readonly<Record<string, string>> = {
  OTEL_NODE_EXPERIMENTAL_SDK_METRICS: 'true',
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '128',
};

/** Sets each default the environment does not already set; returns the ones it set. */
export function applySdkDefaults(env: NodeJS.ProcessEnv = process.env): string[] {
  const applied: string[] = [];
  for (const [name, value] of Object.entries(SDK_DEFAULTS)) {
    if (env[name] === undefined) {
      env[name] = value;
      applied.push(name);
    }
  }
  return applied;
}
