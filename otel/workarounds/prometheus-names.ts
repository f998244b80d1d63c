// Works around: the JS Prometheus exporter leaves the unit out of metric names
// (https://github.com/open-telemetry/opentelemetry-js/issues/3466, and the translation
// strategies of https://github.com/open-telemetry/opentelemetry-js/issues/5830).
// Delete when: @opentelemetry/exporter-prometheus names `http_server_request_duration_seconds`
// as the Collector does (test/unit/prometheus-names.test.ts says which names must come out).
//
// The app's /metrics must expose the same names as the Collector's Prometheus exporter, so one
// dashboard serves both paths (docs/architecture.md, "Naming"). The JS
// exporter appends `_total` to counters but, unlike the Collector, never the unit: this module
// adds the unit suffix the Collector's translator adds (`s` -> `_seconds`, `By` -> `_bytes`,
// `1` on a gauge -> `_ratio`, `{request}` -> nothing, `By/s` -> `_bytes_per_second`).
import { DataPointType, type MetricData, type ResourceMetrics } from '@opentelemetry/sdk-metrics';

const UNITS: Record<string, string> = {
  d: 'days',
  h: 'hours',
  min: 'minutes',
  s: 'seconds',
  ms: 'milliseconds',
  us: 'microseconds',
  ns: 'nanoseconds',
  By: 'bytes',
  KiBy: 'kibibytes',
  MiBy: 'mebibytes',
  GiBy: 'gibibytes',
  TiBy: 'tibibytes',
  KBy: 'kilobytes',
  MBy: 'megabytes',
  GBy: 'gigabytes',
  TBy: 'terabytes',
  m: 'meters',
  V: 'volts',
  A: 'amperes',
  J: 'joules',
  W: 'watts',
  g: 'grams',
  Cel: 'celsius',
  Hz: 'hertz',
  '%': 'percent',
};

const PER_UNITS: Record<string, string> = {
  s: 'second',
  m: 'minute',
  h: 'hour',
  d: 'day',
  w: 'week',
  mo: 'month',
  y: 'year',
};

/** The Prometheus unit words for an OTel unit, e.g. `By/s` -> `bytes_per_second`; '' for none. */
export function unitSuffix(unit: string, isGauge: boolean): string {
  const withoutAnnotations = unit.replace(/\{[^}]*\}/g, '').trim();
  if (withoutAnnotations === '1') return isGauge ? 'ratio' : '';
  const [main = '', per = ''] = withoutAnnotations.split('/', 2);
  const words: string[] = [];
  const mainWord = UNITS[main] ?? main;
  if (mainWord) words.push(mainWord);
  const perWord = PER_UNITS[per] ?? per;
  if (perWord) words.push('per', perWord);
  return words.join('_').replace(/[^a-zA-Z0-9_]/g, '_');
}

/** The metric name with its unit suffix, unless the name already carries it. */
export function nameWithUnit(name: string, unit: string, isGauge: boolean): string {
  const suffix = unitSuffix(unit, isGauge);
  if (!suffix) return name;
  const tokens = name.split(/[^a-zA-Z0-9]+/);
  return tokens.includes(suffix) || name.endsWith(`_${suffix}`) ? name : `${name}_${suffix}`;
}

function renamed(metric: MetricData): MetricData {
  const isGauge = metric.dataPointType === DataPointType.GAUGE;
  const name = nameWithUnit(metric.descriptor.name, metric.descriptor.unit, isGauge);
  if (name === metric.descriptor.name) return metric;
  return { ...metric, descriptor: { ...metric.descriptor, name } } as MetricData;
}

/** A copy of a collection whose metric names carry Prometheus unit suffixes. */
export function withUnitSuffixes(resourceMetrics: ResourceMetrics): ResourceMetrics {
  return {
    resource: resourceMetrics.resource,
    scopeMetrics: resourceMetrics.scopeMetrics.map((scope) => ({
      scope: scope.scope,
      metrics: scope.metrics.map(renamed),
    })),
  };
}
