// Where the stack test's backends listen: one block of ports from a base, so the whole set moves
// together, away from the ports a running compose stack publishes (4317, 9090, 16686, ...).
// STACK_PORT_BASE chooses the block; when a port of it is taken, a backend fails to bind and the
// test starts everything again on the next block (the backends cannot bind port 0 and report it
// back, so a busy block is found by trying it, never by probing with a socket first).

export const DEFAULT_STACK_PORT_BASE = 24_000;

export function stackPorts(base: number) {
  return {
    collectorOtlpGrpc: base + 17,
    collectorOtlpHttp: base + 18,
    collectorHealth: base + 33,
    collectorTelemetry: base + 88,
    collectorPrometheus: base + 89,
    jaegerOtlpGrpc: base + 47,
    jaegerMetrics: base + 48,
    jaegerHealth: base + 34,
    jaegerQueryHttp: base + 86,
    jaegerQueryGrpc: base + 85,
    lokiStandin: base + 10,
    postgresExporter: base + 87,
    prometheus: base + 90,
    alertmanager: base + 93,
    mailpitSmtp: base + 25,
    mailpitHttp: base + 26,
    /** The second, misconfigured Prometheus of the wrong-port doctor case. */
    wrongPrometheus: base + 91,
    /** A port of the block that nothing is started on: where the misconfigured scrape goes. */
    nothing: base + 99,
  };
}

export type StackPorts = ReturnType<typeof stackPorts>;

/** The compose port each Prometheus target names -> where that backend listens in the test. */
export function composeTargetPorts(ports: StackPorts): Record<string, string> {
  return {
    '8889': String(ports.collectorPrometheus),
    '8888': String(ports.collectorTelemetry),
    '9187': String(ports.postgresExporter),
    '9090': String(ports.prometheus),
    '9093': String(ports.alertmanager),
  };
}
