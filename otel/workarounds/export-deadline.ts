// Works around: the OTLP/HTTP exporters' timeout is an idle timeout on the socket
// (https://github.com/open-telemetry/opentelemetry-js/pull/2738), while the specification means
// the whole export (https://github.com/open-telemetry/opentelemetry-specification/issues/2346).
// Delete when: test/faults/collector-trickles.test.ts passes without this file's agent.
//
// A deadline on each whole OTLP/HTTP export. The exporter's own timeout is an idle timeout
// (req.setTimeout): a Collector that drips a byte now and then keeps an export open for as long
// as it drips, and past 30 open exports the exporter refuses every new one, so traces stop for
// good while the Collector is sick and after it recovers (test/faults/collector-trickles.test.ts).
// The exporters take an agent factory; this agent ends any request still open at the deadline.
// It hooks Agent#addRequest, the one step every request of an agent goes through: Node does not
// document it, but it has been there since the first agent and the proxy agents of npm use it.
import type { Agent, AgentOptions, ClientRequest } from 'node:http';
import { getNumberFromEnv, getStringFromEnv, getStringListFromEnv } from '@opentelemetry/core';
import { OTLPTraceExporter as OTLPTraceExporterJson } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OTLPTraceExporterProto } from '@opentelemetry/exporter-trace-otlp-proto';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { otlpProtocol } from '../export-targets.js';

type AgentClass = new (options: AgentOptions) => Agent;
type Signal = 'TRACES' | 'METRICS' | 'LOGS';

const DEFAULT_TIMEOUT_MS = 10_000;

/** The export timeout the standard variables give a signal: its own, the common one, 10 s. */
export function exportTimeoutMs(signal: Signal): number {
  return (
    getNumberFromEnv(`OTEL_EXPORTER_OTLP_${signal}_TIMEOUT`) ??
    getNumberFromEnv('OTEL_EXPORTER_OTLP_TIMEOUT') ??
    DEFAULT_TIMEOUT_MS
  );
}

function agentWithDeadline(Base: AgentClass, deadlineMs: number): Agent {
  const agent = new Base({ keepAlive: true });
  const addRequest = (agent as unknown as { addRequest: (req: ClientRequest, options: unknown) => void }).addRequest;
  (agent as unknown as { addRequest: (req: ClientRequest, options: unknown) => void }).addRequest = function (
    req,
    options,
  ) {
    const timer = setTimeout(() => req.destroy(new Error(`export not finished within ${deadlineMs} ms`)), deadlineMs);
    timer.unref();
    req.once('close', () => clearTimeout(timer));
    addRequest.call(this, req, options);
  };
  return agent;
}

/**
 * The exporters' httpAgentOptions: a keep-alive agent, as theirs is, whose requests end at
 * `deadlineMs`. http and https are loaded when the exporter asks, not at start (the exporters
 * ask for it that way, so an http instrumentation could still patch them first).
 */
export function deadlineAgentFactory(deadlineMs: number): (protocol: string) => Promise<Agent> {
  return async (protocol) => {
    const { Agent: Base } = protocol === 'https:' ? await import('node:https') : await import('node:http');
    return agentWithDeadline(Base as unknown as AgentClass, deadlineMs);
  };
}

/**
 * The exporter options that give a signal's OTLP/HTTP exporter the deadline agent, or undefined
 * where the SDK's own agent must stay: gRPC (whose deadline is already the whole call), or an
 * https endpoint (the SDK's agent carries the OTEL_EXPORTER_OTLP_*CERTIFICATE settings, which an
 * agent made here would drop).
 */
export function deadlineOptions(
  signal: Signal,
): { httpAgentOptions: (protocol: string) => Promise<Agent> } | undefined {
  const endpoint =
    getStringFromEnv(`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`) ??
    getStringFromEnv('OTEL_EXPORTER_OTLP_ENDPOINT') ??
    'http://localhost:4318';
  if (otlpProtocol(signal) === 'grpc' || endpoint.startsWith('https:')) return undefined;
  return { httpAgentOptions: deadlineAgentFactory(exportTimeoutMs(signal)) };
}

/**
 * The OTLP/HTTP trace exporter the standard variables describe, with the deadline agent; or
 * undefined where NodeSDK should build it from the environment as usual (an exporter list other
 * than `otlp`, or no deadline to add, as deadlineOptions says). Logs keep the SDK's own exporter:
 * a log processor made here would not get the SDK's meter provider, and the otel.sdk.* counters
 * of log records the doctor reads would be lost.
 */
export function deadlineTraceExporter(): SpanExporter | undefined {
  const exporters = getStringListFromEnv('OTEL_TRACES_EXPORTER') ?? [];
  if (exporters.length > 0 && (exporters.length > 1 || exporters[0] !== 'otlp')) return undefined;
  const options = deadlineOptions('TRACES');
  if (!options) return undefined;
  return otlpProtocol('TRACES') === 'http/json'
    ? new OTLPTraceExporterJson(options)
    : new OTLPTraceExporterProto(options);
}
