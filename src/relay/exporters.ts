// Exporters for what the service relays from its web page (this folder): the same exporter classes
// the SDK builds for its own traces and logs, so the relay sends with the same protocol,
// endpoint, headers, timeout, compression and certificates, read by the exporters themselves from
// the standard OTEL_EXPORTER_OTLP_* variables, and with the same deadline agent
// (otel/workarounds/export-deadline.ts). Their own instances, beside the SDK's batch processors: a page's batch
// neither waits behind the server's queue nor takes room in it. A signal the SDK does not export
// over OTLP (exportsOtlp in otel/export-targets.ts) is not relayed either.
import { type ExportResult, ExportResultCode } from '@opentelemetry/core';
import { OTLPLogExporter as LogsGrpc } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as LogsJson } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as LogsProto } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPTraceExporter as TracesGrpc } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as TracesJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as TracesProto } from '@opentelemetry/exporter-trace-otlp-proto';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';
import { exportsOtlp, otlpProtocol } from '../../otel/export-targets.js';
import { deadlineOptions } from '../../otel/workarounds/export-deadline.js';

/** Sends a batch on; rejects with the exporter's error when the Collector did not take it. */
export type Send<T> = (items: T[]) => Promise<void>;

export interface RelayExporters {
  traces?: Send<ReadableSpan>;
  logs?: Send<ReadableLogRecord>;
  shutdown(): Promise<void>;
}

interface Exporter<T> {
  export(items: T[], done: (result: ExportResult) => void): void;
  shutdown(): Promise<void>;
}

function sender<T>(exporter: Exporter<T>): Send<T> {
  return (items) =>
    new Promise((resolve, reject) =>
      exporter.export(items, (result) =>
        result.code === ExportResultCode.SUCCESS ? resolve() : reject(result.error ?? new Error('export failed')),
      ),
    );
}

function traceExporter(): Exporter<ReadableSpan> {
  const protocol = otlpProtocol('TRACES');
  if (protocol === 'grpc') return new TracesGrpc();
  const options = deadlineOptions('TRACES') ?? {};
  return protocol === 'http/json' ? new TracesJson(options) : new TracesProto(options);
}

function logExporter(): Exporter<ReadableLogRecord> {
  const protocol = otlpProtocol('LOGS');
  if (protocol === 'grpc') return new LogsGrpc();
  const options = deadlineOptions('LOGS') ?? {};
  return protocol === 'http/json' ? new LogsJson(options) : new LogsProto(options);
}

export function createRelayExporters(): RelayExporters {
  const traces = exportsOtlp('TRACES') ? traceExporter() : undefined;
  const logs = exportsOtlp('LOGS') ? logExporter() : undefined;
  return {
    traces: traces && sender(traces),
    logs: logs && sender(logs),
    shutdown: async () => {
      await Promise.all([traces?.shutdown(), logs?.shutdown()]);
    },
  };
}
