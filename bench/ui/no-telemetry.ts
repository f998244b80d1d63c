// The page without its instrumentation, for bench/page-load.ts: what src/ui/telemetry.ts
// exports, doing nothing but running the click's work (bundled in its place by esbuild).
interface NoSpan {
  spanContext(): { traceId: string; spanId: string; traceFlags: number };
}

const noSpan: NoSpan = { spanContext: () => ({ traceId: '', spanId: '', traceFlags: 0 }) };

export function startPageTelemetry() {
  return { click: <T>(_label: string, work: (span: NoSpan) => Promise<T>): Promise<T> => work(noSpan) };
}
