// The database dashboard and alert rules against the postgres-exporter that compose ships.
// The stack test proves them end to end against Debian's postgres-exporter 0.11.1, the only
// build available here (the Go module proxy does not serve prometheus-community/postgres_exporter).
// compose runs v0.20.1, so every pg_* name and label used is checked against what v0.20.1 exposes,
// as read from its source.
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readText } from '../support/config-files.js';

const COMPOSE_IMAGE = 'quay.io/prometheuscommunity/postgres-exporter:v0.20.1';

/** Metric -> labels, in postgres_exporter v0.20.1. */
const V0_20_1: Record<string, { labels: string[]; source: string }> = {
  pg_up: { labels: [], source: 'exporter/postgres_exporter.go: namespace pg, name up (moved from cmd/ in v0.20)' },
  pg_settings_max_connections: {
    labels: [],
    source: 'collector/pg_setting.go: pg_settings_<name>, a unit suffix only for settings with a unit',
  },
  ...Object.fromEntries(
    ['numbackends', 'xact_commit', 'xact_rollback', 'blks_read', 'blks_hit', 'tup_returned', 'tup_fetched'].map(
      (column) => [
        `pg_stat_database_${column}`,
        { labels: ['datid', 'datname'], source: 'collector/pg_stat_database.go: labels datid, datname' },
      ],
    ),
  ),
};

function queryTexts(): string[] {
  const dashboards = readdirSync('deploy/grafana/dashboards').map((f) => readText(`deploy/grafana/dashboards/${f}`));
  const rules = readdirSync('deploy/prometheus/rules').map((f) => readText(`deploy/prometheus/rules/${f}`));
  return [...dashboards, ...rules];
}

describe(`the pg_* metrics of the dashboards and rules, against ${COMPOSE_IMAGE}`, () => {
  it('is the image compose runs', () => {
    expect(readText('docker-compose.yml')).toContain(`image: ${COMPOSE_IMAGE}`);
  });

  it('uses only metric names that version exposes', () => {
    const used = new Set(queryTexts().flatMap((text) => text.match(/\bpg_[a-z_]+/g) ?? []));
    expect(used.size).toBeGreaterThan(0);
    expect([...used].filter((name) => !(name in V0_20_1))).toEqual([]);
  });

  it('groups and filters pg_* series only by labels that version sets', () => {
    const known = new Set(['instance', 'job', ...Object.values(V0_20_1).flatMap((m) => m.labels)]);
    for (const text of queryTexts()) {
      for (const [, name, selector] of text.matchAll(/\b(pg_[a-z_]+)\{([^}]*)\}/g)) {
        for (const [, label] of (selector ?? '').matchAll(/(\w+)\s*[!=]~?/g)) {
          expect(known.has(label as string), `${name}{${label}}`).toBe(true);
        }
      }
      for (const [, labels] of text.matchAll(/by \(([^)]*)\)[^\n]*pg_/g)) {
        for (const label of (labels ?? '').split(',').map((l) => l.trim())) {
          expect(known.has(label), `by (${label})`).toBe(true);
        }
      }
    }
  });
});
