// Grafana's trace links (the Jaeger data source's trace-to-logs and trace-to-metrics) expanded
// the way Grafana expands them, so the stack test can follow each one into Loki and Prometheus.
// Written by hand because that code lives in Grafana's frontend, which does not run here:
// - `${__span.*}` and `${__trace.*}` come from one Jaeger span; `__span.tags` holds its process
//   tags and then its own tags (a span tag wins), and nothing else: Jaeger keeps `service.name`
//   out of the process tags, so a link built on it has nothing to expand;
// - `$__tags` becomes `label="value", …` for each configured tag the span has, the others left out.
// A variable with no value is an error here, as Grafana then hides the link.

interface JaegerTag {
  key: string;
  value: unknown;
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  processID: string;
  tags: JaegerTag[];
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, { serviceName: string; tags: JaegerTag[] }>;
}

export interface LinkTag {
  key: string;
  value?: string;
}

function spanTags(trace: JaegerTrace, span: JaegerSpan): Map<string, string> {
  const tags = new Map<string, string>();
  for (const tag of [...(trace.processes[span.processID]?.tags ?? []), ...span.tags])
    tags.set(tag.key, String(tag.value));
  return tags;
}

/** A link's query with every variable replaced from `span` of `trace`; throws on one without a value. */
export function expandTraceLink(query: string, trace: JaegerTrace, span: JaegerSpan, linkTags: LinkTag[] = []): string {
  const tags = spanTags(trace, span);
  const values: Record<string, string> = {
    '__span.name': span.operationName,
    '__span.spanId': span.spanID,
    '__span.traceId': span.traceID,
    '__trace.traceId': trace.traceID,
  };
  const labels = linkTags
    .filter((t) => tags.has(t.key))
    .map((t) => `${t.value || t.key}="${tags.get(t.key)}"`)
    .join(', ');
  return query
    .replace(/\$__tags\b/g, labels)
    .replace(
      /\$\{(__span|__trace)\.(\w+)(?:\["([^"]+)"\])?\}/g,
      (whole, scope: string, field: string, tag?: string) => {
        const value = tag !== undefined && field === 'tags' ? tags.get(tag) : values[`${scope}.${field}`];
        if (value === undefined) throw new Error(`${whole} has no value for span "${span.operationName}"`);
        return value;
      },
    );
}
