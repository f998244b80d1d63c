// PromQL as Grafana sends it: dashboard variables replaced, then parsed with the Prometheus
// project's own grammar (lezer-promql).
import { parser } from '@prometheus-io/lezer-promql';

/** Grafana's variables replaced by values of the same syntax, as Grafana does before querying. */
export function interpolate(expr: string, rangeWindow = '1m'): string {
  return expr.replace(/\$__(rate_interval|interval|range|auto)\b/g, rangeWindow).replace(/\$\{?service\}?/g, '.+');
}

export function promqlErrors(expr: string): string[] {
  const errors: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(`syntax error at ${node.from}: "${expr.slice(node.from, node.from + 20)}"`);
    },
  });
  return errors;
}
