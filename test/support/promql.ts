// PromQL as Grafana sends it: dashboard variables replaced, then parsed with the Prometheus
// project's own grammar (lezer-promql).
import { parser } from '@prometheus-io/lezer-promql';
import { syntaxErrors } from './grammar.js';

/** Grafana's variables replaced by values of the same syntax, as Grafana does before querying. */
export function interpolate(expr: string, rangeWindow = '1m'): string {
  return expr.replace(/\$__(rate_interval|interval|range|auto)\b/g, rangeWindow).replace(/\$\{?service\}?/g, '.+');
}

export function promqlErrors(expr: string): string[] {
  return syntaxErrors(parser, expr);
}
