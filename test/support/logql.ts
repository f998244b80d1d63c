// LogQL as Loki would read it, for the stack test's Loki stand-in (Loki itself cannot be built
// here): parsed with Grafana's own LogQL grammar (@grafana/lezer-logql), then the equality
// matchers of the stream selector and of the label filters evaluated on the OTLP records that
// reached the Loki endpoint, with the labels Loki gives an OTLP record.
import { parser } from '@grafana/lezer-logql';
import { syntaxErrors } from './grammar.js';
import type { OtlpLog } from './otlp-receiver.js';

export function logqlErrors(query: string): string[] {
  return syntaxErrors(parser, query);
}

/** Every `name="value"` matcher of the query; any other operator is refused (the links use none). */
export function equalityMatchers(query: string): Array<{ name: string; value: string }> {
  const matchers: Array<{ name: string; value: string }> = [];
  parser.parse(query).iterate({
    enter: (node) => {
      if (node.type.name !== 'Matcher') return;
      const [name, op, value] = [node.node.firstChild, node.node.firstChild?.nextSibling, node.node.lastChild];
      if (!name || !op || !value || op.type.name !== 'Eq') {
        throw new Error(`only name="value" matchers are evaluated: ${query.slice(node.from, node.to)}`);
      }
      matchers.push({ name: query.slice(name.from, name.to), value: JSON.parse(query.slice(value.from, value.to)) });
    },
  });
  return matchers;
}

/**
 * The labels Loki's OTLP endpoint gives a record: resource attributes with `.` turned into `_`
 * (stream labels or structured metadata), the trace and span ids as structured metadata, and the
 * record's own attributes.
 */
export function lokiLabels(record: OtlpLog): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...record.resource, ...record.attributes })) {
    if (value !== undefined) labels[key.replace(/[^a-zA-Z0-9_]/g, '_')] = String(value);
  }
  if (record.traceId) labels.trace_id = record.traceId;
  if (record.spanId) labels.span_id = record.spanId;
  return labels;
}

/** The records a query of equality matchers selects. */
export function selectLogs(query: string, records: OtlpLog[]): OtlpLog[] {
  const matchers = equalityMatchers(query);
  return records.filter((record) => {
    const labels = lokiLabels(record);
    return matchers.every((m) => labels[m.name] === m.value);
  });
}
