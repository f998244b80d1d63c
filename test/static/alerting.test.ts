// From an alert to a person: every rule links to a runbook that exists and a dashboard that is
// provisioned, Alertmanager routes every severity the rules use and accepts its own config
// (amtool, built at the image's version), and the incident flags the service reacts to are the
// ones the flag file defines, all off as shipped.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_INCIDENT_FLAGS_FILE } from '../../src/config.js';
import { INCIDENT_FLAGS } from '../../src/incidents/flags.js';
import { ROOT } from '../../support/service.js';
import { readText, readYaml } from '../support/config-files.js';
import { run, stackBin } from '../support/stack.js';

const RULE_FILE = 'deploy/prometheus/rules/alerts.yml';
const RUNBOOKS = 'docs/runbooks';
const ALERTMANAGER_CONFIG = 'deploy/alertmanager/alertmanager.yml';

interface AlertRule {
  alert: string;
  labels: { severity: string };
  annotations: Record<string, string>;
}

const rules: AlertRule[] = readYaml(RULE_FILE).groups.flatMap((g: { rules: AlertRule[] }) => g.rules);
const alertNames = rules.map((r) => r.alert);
const dashboardUids = readdirSync(join(ROOT, 'deploy/grafana/dashboards')).map(
  (file) => JSON.parse(readText(`deploy/grafana/dashboards/${file}`)).uid as string,
);

describe.each(rules.map((r) => [r.alert, r] as const))('alert %s', (_name, rule) => {
  it('links to a runbook of this repository that names the alert', () => {
    const runbook = rule.annotations.runbook_url;
    expect(runbook, 'runbook_url').toMatch(new RegExp(`^${RUNBOOKS}/[a-z0-9-]+\\.md$`));
    expect(existsSync(join(ROOT, runbook as string)), `${runbook} exists`).toBe(true);
    expect(readText(runbook as string)).toMatch(new RegExp(`^# ${rule.alert}\\n`));
  });

  it('links to a provisioned dashboard', () => {
    const uid = /^\/d\/([\w-]+)$/.exec(rule.annotations.dashboard_url ?? '')?.[1];
    expect(uid, 'dashboard_url is /d/<uid>').toBeDefined();
    expect(dashboardUids).toContain(uid);
  });
});

it('has a runbook only for alerts that exist, each listed in the runbooks README', () => {
  const pages = readdirSync(join(ROOT, RUNBOOKS)).filter((f) => f !== 'README.md');
  const linked = rules.map((r) => (r.annotations.runbook_url as string).slice(RUNBOOKS.length + 1));
  expect(pages.sort()).toEqual([...linked].sort());
  const index = readText(`${RUNBOOKS}/README.md`);
  for (const rule of rules)
    expect(index).toContain(`[${rule.alert}](${rule.annotations.runbook_url?.slice(RUNBOOKS.length + 1)})`);
});

describe('Alertmanager', () => {
  const config = readYaml(ALERTMANAGER_CONFIG);

  it('routes every severity the rules use to a receiver of its own', () => {
    const routed = new Map<string, string>();
    for (const route of config.route.routes as Array<{ matchers: string[]; receiver: string }>) {
      const severity = route.matchers.map((m) => /^severity="(\w+)"$/.exec(m)?.[1]).find(Boolean);
      if (severity) routed.set(severity, route.receiver);
    }
    for (const severity of new Set(rules.map((r) => r.labels.severity))) {
      expect(routed.get(severity), `a route for severity ${severity}`).toBeDefined();
    }
  });

  it('inhibits only alerts that exist', () => {
    const named = (config.inhibit_rules as Array<Record<string, string[]>>).flatMap((rule) =>
      [...(rule.source_matchers ?? []), ...(rule.target_matchers ?? [])].flatMap((m) => {
        const match = /^alertname(=~|=|!=)"([^"]+)"$/.exec(m);
        return match ? (match[2] as string).split('|') : [];
      }),
    );
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((name) => !alertNames.includes(name))).toEqual([]);
  });

  it('e-mails resolved alerts too, with the subject and body of its template', () => {
    for (const receiver of config.receivers as Array<{ email_configs: Array<Record<string, unknown>> }>) {
      for (const email of receiver.email_configs) {
        expect(email.send_resolved).toBe(true);
        expect((email.headers as Record<string, string>).Subject).toContain('template "alert.subject"');
        expect(email.text).toContain('template "alert.text"');
      }
    }
  });

  const amtool = stackBin('amtool');
  it.skipIf(!amtool)('is accepted by amtool check-config, templates included', async () => {
    const { stdout } = await run(amtool as string, ['check-config', ALERTMANAGER_CONFIG], { cwd: ROOT });
    expect(stdout).toContain('SUCCESS');
    expect(stdout).toMatch(/1 templates/);
  });
});

describe('incident flags', () => {
  const flags = JSON.parse(readText(DEFAULT_INCIDENT_FLAGS_FILE)).flags as Record<
    string,
    { state: string; variants: Record<string, unknown>; defaultVariant: string; metadata: Record<string, string> }
  >;

  it('defines exactly the scenarios the service reacts to', () => {
    expect(Object.keys(flags).sort()).toEqual([...INCIDENT_FLAGS].sort());
  });

  it.each(Object.entries(flags))('%s is off as shipped, a boolean with a description', (_name, flag) => {
    expect(flag.state).toBe('ENABLED');
    expect(flag.variants).toEqual({ on: true, off: false });
    expect(flag.defaultVariant).toBe('off');
    expect(flag.metadata.description?.length).toBeGreaterThan(20);
  });

  it.each(Object.entries(flags))('%s names alerts that exist', (_name, flag) => {
    const named = flag.metadata.alerts?.match(/\b[A-Z]\w+/g) ?? [];
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((name) => !alertNames.includes(name))).toEqual([]);
  });
});
