// How each signal is exported, read from the standard variables as the SDK reads them: whether
// it goes over OTLP and with which protocol (for the exporters built in otel/ and src/relay/),
// and, for the line the service logs at start, the URL, `console`, or off. OTLP/HTTP URLs come
// from the exporters' own resolver (@opentelemetry/otlp-exporter-base), so a signal-specific
// endpoint is taken as it is and the common one gets `/v1/<signal>`, exactly as they send.
// The gRPC exporter has no such public resolver; its rule (the signal's endpoint, else the common
// one, else localhost:4317, with no path) is short enough to state here. A URL is shown without
// credentials or query, which may hold a token.
import { getStringFromEnv, getStringListFromEnv } from '@opentelemetry/core';
import { convertLegacyHttpOptions } from '@opentelemetry/otlp-exporter-base/node-http';

export type Signal = 'traces' | 'metrics' | 'logs';

/** The OTLP protocol the standard variables give a signal: its own, the common one, http/protobuf. */
export function otlpProtocol(signal: 'TRACES' | 'METRICS' | 'LOGS'): string {
  return (
    getStringFromEnv(`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`) ??
    getStringFromEnv('OTEL_EXPORTER_OTLP_PROTOCOL') ??
    'http/protobuf'
  );
}

/**
 * True when a signal is pushed over OTLP, read as the SDK reads OTEL_<SIGNAL>_EXPORTER: `otlp`
 * when unset, and `none` anywhere in the list switches the signal off.
 */
export function exportsOtlp(signal: 'TRACES' | 'METRICS' | 'LOGS'): boolean {
  const listed = getStringListFromEnv(`OTEL_${signal}_EXPORTER`) ?? [];
  const exporters = listed.length > 0 ? listed : ['otlp'];
  return exporters.includes('otlp') && !exporters.includes('none');
}

export interface ExportTarget {
  signal: Signal;
  /** `grpc`, `http/protobuf`, `http/json` or `console`; absent when the signal is not pushed. */
  protocol?: string;
  /** Where OTLP goes, credentials and query left out. */
  endpoint?: string;
}

/** A URL as it may be logged: scheme, host, port and path. */
function shown(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '(not a URL)';
  }
}

function otlpEndpoint(signal: Signal, protocol: string): string {
  const upper = signal.toUpperCase() as 'TRACES' | 'METRICS' | 'LOGS';
  if (protocol === 'grpc') {
    return shown(
      getStringFromEnv(`OTEL_EXPORTER_OTLP_${upper}_ENDPOINT`) ??
        getStringFromEnv('OTEL_EXPORTER_OTLP_ENDPOINT') ??
        'http://localhost:4317',
    );
  }
  return shown(convertLegacyHttpOptions({}, upper, `v1/${signal}`, {}).url);
}

/** Each signal's destination, as the SDK started by sdk.ts sends it. */
export function exportTargets(): ExportTarget[] {
  return (['traces', 'metrics', 'logs'] as const).map((signal) => {
    const upper = signal.toUpperCase() as 'TRACES' | 'METRICS' | 'LOGS';
    if (exportsOtlp(upper)) {
      const protocol = otlpProtocol(upper);
      return { signal, protocol, endpoint: otlpEndpoint(signal, protocol) };
    }
    const exporters = getStringListFromEnv(`OTEL_${upper}_EXPORTER`) ?? [];
    return exporters.includes('console') && !exporters.includes('none') ? { signal, protocol: 'console' } : { signal };
  });
}

/** One phrase per signal: `traces: http/protobuf to http://…/v1/traces`, `logs: off`. */
export function describeTargets(targets: ExportTarget[]): string {
  return targets
    .map(({ signal, protocol, endpoint }) =>
      !protocol ? `${signal}: off` : endpoint ? `${signal}: ${protocol} to ${endpoint}` : `${signal}: ${protocol}`,
    )
    .join('; ');
}
