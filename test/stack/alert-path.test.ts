// From an incident to an inbox, with the real programs: the service with a copy of the shipped
// flag file, the built Prometheus with the shipped prometheus.yml and rules, the built
// Alertmanager with the shipped config and templates, and the built Mailpit, each with its
// docker-compose.yml flags and environment. The scenario is switched on with the command users
// run (npm run incident's script); the test waits for the alert to fire in Prometheus and for its
// e-mail in Mailpit (through Mailpit's API), checks what the e-mail says and links to, switches
// the scenario off and waits for the resolved e-mail.
//
// What differs from compose: addresses (loopback, the test's ports) and one scrape. There is no
// Collector here, so Prometheus scrapes the service's own /metrics where compose scrapes the
// Collector's exporter: the same names and labels (prometheus.yml says so), so the same rules.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, ROOT, type ServiceProcess, startService } from '../../support/service.js';
import { type ComposeService, nativeArgs, resolveCompose } from '../support/compose-command.js';
import { readYaml } from '../support/config-files.js';
import { REQUIRE_STACK, stackBin } from '../support/stack.js';
import { copyIncidentFlags, runDoctor, runIncident } from '../support/user-commands.js';
import { withAlertmanagerOverlay } from './alertmanager-overlay.js';
import { backendLogsSay, startBackend, stopAll, waitHealthy } from './backends.js';
import { composeTargetPorts, DEFAULT_STACK_PORT_BASE, type StackPorts, stackPorts } from './ports.js';
import { withPrometheusOverlay } from './prometheus-overlay.js';

const bins = {
  prometheus: stackBin('prometheus'),
  alertmanager: stackBin('alertmanager'),
  mailpit: stackBin('mailpit'),
  composeCheck: stackBin('compose-check'),
};
const haveStack = Object.values(bins).every(Boolean);
if (REQUIRE_STACK && !haveStack) throw new Error(`the alert-path test needs ${Object.keys(bins).join(', ')}`);

const SCENARIO = 'error-burst';
const ALERT = 'ErrorBudgetFastBurn';
const SERVICE_NAME = 'otel-monitoring-service';
// Its own block of ports, clear of the pipeline test's.
const PORT_BLOCK = DEFAULT_STACK_PORT_BASE + 200;

// biome-ignore lint/suspicious/noExplicitAny: Prometheus and Mailpit API answers
type Json = any;

let ports: StackPorts;
let service: ServiceProcess;
let flagFile: string;
let traffic: NodeJS.Timeout | undefined;
/** Requests to / among all the test sends, in each round: raised after the incident so it resolves. */
let healthyPerRound = 4;

const prometheusUrl = () => `http://127.0.0.1:${ports.prometheus}`;
const mailpitUrl = () => `http://127.0.0.1:${ports.mailpitHttp}`;

async function incident(state: 'on' | 'off'): Promise<string> {
  return (await runIncident(flagFile, SCENARIO, state)).stdout;
}

/** One round of traffic: one request to /, where the scenario strikes, and healthy ones elsewhere. */
async function round(): Promise<void> {
  const paths = ['/', ...Array.from({ length: healthyPerRound }, () => '/simulate-error?rate=0')];
  await Promise.all(paths.map((p) => fetch(`${service.url}${p}`).then((r) => r.arrayBuffer())));
}

async function alertState(name: string): Promise<string | undefined> {
  const body: Json = await (await fetch(`${prometheusUrl()}/api/v1/alerts`)).json();
  return body.data.alerts.find((a: Json) => a.labels.alertname === name)?.state;
}

interface Mail {
  ID: string;
  Subject: string;
  Text: string;
}

/** The first e-mail whose subject starts with `[status` and names the alert. */
async function waitForMail(status: 'FIRING' | 'RESOLVED', timeoutMs: number): Promise<Mail> {
  return eventually(
    async () => {
      const list: Json = await (await fetch(`${mailpitUrl()}/api/v1/messages?limit=100`)).json();
      const found = list.messages.find(
        (m: Json) => m.Subject.startsWith(`[${status}`) && m.Subject.includes(` ${ALERT} `),
      );
      if (!found) return undefined;
      return (await fetch(`${mailpitUrl()}/api/v1/message/${found.ID}`)).json() as Promise<Mail>;
    },
    timeoutMs,
    `a ${status} e-mail for ${ALERT} in Mailpit`,
    1_000,
  );
}

describe.skipIf(!haveStack)('the alert path: incident flag -> Prometheus -> Alertmanager -> inbox', () => {
  async function startBackends(compose: Record<string, ComposeService>, servicePort: number): Promise<void> {
    const composeServices = new Set(Object.keys(compose));
    const at = (port: number) => `127.0.0.1:${port}`;
    const mailpit = startBackend('mailpit', bins.mailpit as string, nativeArgs(compose.mailpit), {
      ...compose.mailpit.environment,
      MP_SMTP_BIND_ADDR: at(ports.mailpitSmtp),
      MP_UI_BIND_ADDR: at(ports.mailpitHttp),
    });
    await waitHealthy(mailpit, `${mailpitUrl()}/readyz`);
    const alertmanager = startBackend('alertmanager', bins.alertmanager as string, [
      ...withAlertmanagerOverlay(nativeArgs(compose.alertmanager), composeServices, ports.mailpitSmtp),
      `--web.listen-address=${at(ports.alertmanager)}`,
    ]);
    await waitHealthy(alertmanager, `http://${at(ports.alertmanager)}/-/ready`);
    // The Collector's exporter port is where the service's /metrics is scraped instead; the other
    // targets of prometheus.yml (Collector, postgres-exporter) are left to a port with nothing on it.
    const prometheus = startBackend('prometheus', bins.prometheus as string, [
      ...withPrometheusOverlay(nativeArgs(compose.prometheus), composeServices, {
        ...composeTargetPorts(ports),
        '8889': String(servicePort),
        '8888': String(ports.nothing),
        '9187': String(ports.nothing),
      }),
      `--web.listen-address=${at(ports.prometheus)}`,
    ]);
    await waitHealthy(prometheus, `${prometheusUrl()}/-/ready`);
  }

  beforeAll(async () => {
    flagFile = copyIncidentFlags();
    service = await startService({
      DATABASE_URL: process.env.DATABASE_URL,
      FLAGD_OFFLINE_FLAG_SOURCE_PATH: flagFile,
      // No Collector here: Prometheus scrapes /metrics, nothing is pushed.
      OTEL_TRACES_EXPORTER: 'none',
      OTEL_METRICS_EXPORTER: 'none',
      OTEL_LOGS_EXPORTER: 'none',
    });
    const compose = await resolveCompose(bins.composeCheck as string);
    for (let attempt = 0; ; attempt++) {
      ports = stackPorts(PORT_BLOCK + attempt * 1000);
      try {
        await startBackends(compose, service.port);
        break;
      } catch (error) {
        await stopAll();
        if (attempt === 4 || !backendLogsSay(/address already in use/i)) throw error;
      }
    }
    traffic = setInterval(() => void round().catch(() => {}), 250);
    // Two scrapes of the service's requests before the incident starts.
    await eventually(
      async () => {
        const query = `count_over_time(http_server_request_duration_seconds_count{service_name="${SERVICE_NAME}"}[5m])`;
        const body: Json = await (
          await fetch(`${prometheusUrl()}/api/v1/query?${new URLSearchParams({ query })}`)
        ).json();
        return body.data?.result.some((r: Json) => Number(r.value[1]) >= 2) ? true : undefined;
      },
      90_000,
      'two scrapes of the service',
      1_000,
    );
  }, 180_000);

  afterAll(async () => {
    if (traffic) clearInterval(traffic);
    await service?.stop();
    await stopAll();
  });

  it('e-mails the alert when the scenario is switched on, and its resolution when it is switched off', async () => {
    const switchedOn = Date.now();
    expect(await incident('on')).toContain(`${SCENARIO} is on`);
    // The service answers 500 on / within the provider's re-read of the file.
    await eventually(
      async () => ((await fetch(`${service.url}/`)).status === 500 ? true : undefined),
      30_000,
      'the scenario to take effect',
      500,
    );
    await eventually(
      async () => ((await alertState(ALERT)) === 'firing' ? true : undefined),
      300_000,
      `${ALERT} firing`,
      2_000,
    );
    const firingAfter = (Date.now() - switchedOn) / 1000;
    const firing = await waitForMail('FIRING', 180_000);
    const mailedAfter = (Date.now() - switchedOn) / 1000;

    const labels = readYaml('deploy/prometheus/rules/alerts.yml')
      .groups.flatMap((g: Json) => g.rules)
      .find((r: Json) => r.alert === ALERT);
    expect(firing.Subject).toBe(`[FIRING:1] ${ALERT} (${labels.labels.severity}, ${SERVICE_NAME})`);
    expect(firing.Text).toContain(`FIRING: ${SERVICE_NAME} is burning its error budget 14x too fast`);
    const runbook = /^Runbook: (\S+)$/m.exec(firing.Text)?.[1];
    expect(runbook).toBe(labels.annotations.runbook_url);
    expect(existsSync(join(ROOT, runbook as string)), `${runbook} exists`).toBe(true);
    expect(firing.Text).toMatch(
      new RegExp(`^Dashboard: http://localhost:3000${labels.annotations.dashboard_url}$`, 'm'),
    );
    expect(firing.Text).toMatch(new RegExp(`^Traces: http://localhost:16686/search\\?service=${SERVICE_NAME}&`, 'm'));
    expect(firing.Text).toMatch(/^Silence or see all alerts: http:\/\/localhost:9093/m);

    // Recovery: the scenario off and the healthy share of traffic raised, so the 5-minute error
    // ratio falls under the threshold in well under 5 minutes.
    const switchedOff = Date.now();
    expect(await incident('off')).toContain(`${SCENARIO} is off`);
    healthyPerRound = 40;
    const resolved = await waitForMail('RESOLVED', 420_000);
    const resolvedAfter = (Date.now() - switchedOff) / 1000;
    expect(resolved.Subject).toBe(`[RESOLVED] ${ALERT} (${labels.labels.severity}, ${SERVICE_NAME})`);
    expect(resolved.Text).toMatch(/^RESOLVED: /m);

    // npm run doctor's alert hops against the same parts, the data path's backends left out.
    const { report } = await runDoctor({
      service: service.url,
      prometheus: prometheusUrl(),
      alertmanager: `http://127.0.0.1:${ports.alertmanager}`,
      mailpit: mailpitUrl(),
      'collector-health': '',
      'collector-metrics': '',
      jaeger: '',
      loki: '',
      window: '0',
    });
    const alertHops = report.hops.filter((h) => ['alert-rules', 'alertmanager', 'alert-receiver'].includes(h.id));
    expect(alertHops.map((h) => [h.id, h.ok])).toEqual([
      ['alert-rules', true],
      ['alertmanager', true],
      ['alert-receiver', true],
    ]);

    console.log(
      JSON.stringify({
        scenario: SCENARIO,
        alert: ALERT,
        flag_on_to_firing_s: firingAfter,
        flag_on_to_email_s: mailedAfter,
        flag_off_to_resolved_email_s: resolvedAfter,
        firing_email: { subject: firing.Subject, text: firing.Text },
        doctor: alertHops.map((h) => `${h.id}: ${h.detail}`),
      }),
    );
  }, 900_000);
});
