// How the tests read Prometheus text: one sample per line, as the format writes them, with the
// doctor's dependency-free parser (scripts/doctor/prometheus-text.ts), so the repository parses
// the format one way. The contract test holds that parser to the Prometheus project's own (expfmt,
// built as prom-samples by scripts/stack-install.sh) on the service's real /metrics. The npm
// parser that was used before folds the series of a labelled histogram into one, so it could not
// serve as the reference.
import { parseSamples, type Sample } from '../../scripts/doctor/prometheus-text.js';

export type { Sample };

export function prometheusSamples(text: string): Sample[] {
  return parseSamples(text);
}

/** The family names and types a page declares in its `# TYPE` lines. */
export function prometheusTypes(text: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) types.set(name as string, type as string);
  return types;
}
