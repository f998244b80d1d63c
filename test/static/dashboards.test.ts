// Every provisioned dashboard is valid, references only provisioned data sources, and every
// PromQL expression parses with the Prometheus project's own PromQL grammar (lezer-promql).
// Whether each query returns data is checked against a live Prometheus by the stack test.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readText, readYaml } from '../support/config-files.js';
import { logqlErrors } from '../support/logql.js';
import { interpolate, promqlErrors } from '../support/promql.js';

const DIR = 'deploy/grafana/dashboards';
const datasources = readYaml('deploy/grafana/provisioning/datasources/datasources.yaml').datasources as Array<{
  uid: string;
  type: string;
}>;
const uids = new Map(datasources.map((d) => [d.uid, d.type]));

// biome-ignore lint/suspicious/noExplicitAny: dashboard JSON
type Panel = any;

const files = readdirSync(`${DIR}`).filter((f) => f.endsWith('.json'));

it('provisions the six dashboards', () => {
  expect(files.sort()).toEqual([
    'application.json',
    'database.json',
    'end-user.json',
    'infrastructure.json',
    'logs.json',
    'network.json',
  ]);
});

describe.each(files)('%s', (file) => {
  const dashboard = JSON.parse(readText(`${DIR}/${file}`));
  const panels: Panel[] = dashboard.panels.flatMap((p: Panel) => [p, ...(p.panels ?? [])]);
  const queryPanels = panels.filter((p) => p.type !== 'row');

  it('has a uid, a title and unique panel ids', () => {
    expect(dashboard.uid).toMatch(/^otel-/);
    expect(dashboard.title).toBeTruthy();
    const ids = panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('has a service variable', () => {
    const service = dashboard.templating.list.find((v: { name: string }) => v.name === 'service');
    expect(service?.datasource?.uid).toBe('prometheus');
    expect(promqlErrors(service.query.query.replace(/^label_values\((.*), \w+\)$/, '$1'))).toEqual([]);
  });

  it('uses only provisioned data sources, of the right type', () => {
    for (const panel of queryPanels) {
      for (const ref of [panel.datasource, ...panel.targets.map((t: Panel) => t.datasource)]) {
        expect(uids.get(ref.uid), `${panel.title}: ${ref.uid}`).toBe(ref.type);
      }
    }
  });

  it('has LogQL that parses', () => {
    const exprs = queryPanels.flatMap((p) =>
      p.targets.filter((t: Panel) => t.datasource.type === 'loki').map((t: Panel) => [p.title, t.expr]),
    );
    for (const [title, expr] of exprs) {
      const query = expr.replaceAll('$__auto', '1m').replaceAll('$__range', '1h').replaceAll('$service', '.+');
      expect(logqlErrors(query), `${title}: ${expr}`).toEqual([]);
    }
  });

  it('has PromQL that parses', () => {
    const exprs = queryPanels.flatMap((p) =>
      p.targets.filter((t: Panel) => t.datasource.type === 'prometheus').map((t: Panel) => [p.title, t.expr]),
    );
    for (const [title, expr] of exprs) {
      expect(promqlErrors(interpolate(expr)), `${title}: ${expr}`).toEqual([]);
    }
  });
});

it('catches a broken expression (the parser is not lenient)', () => {
  expect(
    promqlErrors(interpolate('sum(rate(http_server_request_duration_seconds_count[$__rate_interval])')),
  ).not.toEqual([]);
});
