// The hops of the pipeline, in the order data travels them, each checked from outside over HTTP
// (nothing of the service or of the SDK is imported), so the same checks run against `npm start`,
// compose and a cluster. A check returns what it saw and, when it fails, the likeliest cause and fix.
import type { Backend, Found } from './found.js';
import { type Answer, AnswerTooLarge, request } from './http.js';
import { has, parseSamples, type Sample, sum } from './prometheus-text.js';

export interface Endpoints {
  service: string;
  collectorHealth: string;
  collectorMetrics: string;
  prometheus: string;
  jaeger: string;
  loki: string;
  alertmanager: string;
  mailpit: string;
  serviceName: string;
}

export interface HopResult {
  id: string;
  /** true: passes; false: broken; null: skipped (its endpoint was set empty). */
  ok: boolean | null;
  detail: string;
  hint: string | null;
}

interface Hop {
  id: string;
  /** Which endpoint it needs; an empty one skips the hop. */
  needs: keyof Endpoints;
  /** What it reads from: once one hop has said that this does not answer, the others skip. */
  backend: Backend;
  /** The fix to print when its endpoint does not answer, if more can be said than its flag. */
  whenUnreachable?: string;
  /** Why to skip it with these endpoints, if it must be. */
  skip?(e: Endpoints): string | undefined;
  check(e: Endpoints, context: Context): Promise<Omit<HopResult, 'id'>>;
}

/** What several hops share: the SDK counters read at the start, to see what moved since. */
export interface Context {
  sdkAtStart: Sample[] | undefined;
  /** The Collector's own metrics at the start, to tell an exporter that stopped sending. */
  collectorAtStart: Sample[] | undefined;
  startedAt: number;
  /** How long the SDK's export counters are watched for new failures. */
  windowMs: number;
}

/** How long a /metrics page may lag a request: the service caches it for 1 s (otel/prometheus.ts). */
const METRICS_CACHE_WAIT_MS = 2_500;

// biome-ignore lint/suspicious/noExplicitAny: the backends' JSON answers, read defensively
type Json = any;

const get = (url: string): Promise<Answer> => request(url);

async function getJson(url: string): Promise<{ status: number; body: Json }> {
  const { status, text } = await get(url);
  try {
    return { status, body: JSON.parse(text) };
  } catch {
    return { status, body: undefined };
  }
}

const pass = (detail: string) => ({ ok: true, detail, hint: null });
const fail = (detail: string, hint: string) => ({ ok: false, detail, hint });

function unreachable(url: string, error: unknown): string {
  if (error instanceof AnswerTooLarge) return `${url}: ${error.message}`;
  const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).name;
  return `${url} unreachable (${cause})`;
}

const EXPORTER_BACKENDS: Record<string, string> = { jaeger: 'Jaeger', loki: 'Loki', prometheus: 'Prometheus' };
function backendOf(exporter: string): string {
  const known = Object.keys(EXPORTER_BACKENDS).find((k) => exporter.includes(k));
  return known ? `${EXPORTER_BACKENDS[known]} (${exporter})` : exporter;
}

/** The components the Collector's component-status health page (`/status?verbose`) reports as anything but StatusOK, per pipeline. */
function failingComponents(body: Json): Array<{ pipeline: string; name: string; status: string; error?: string }> {
  return Object.entries(body?.components ?? {}).flatMap(([pipeline, p]: [string, Json]) =>
    Object.entries(p.components ?? {})
      .filter(([, c]: [string, Json]) => c.status !== 'StatusOK')
      .map(([name, c]: [string, Json]) => ({ pipeline, name, status: c.status, error: c.error })),
  );
}

/** The Collector's own metrics now, and as the doctor found them at its start. */
async function collectorSince(e: Endpoints, context: Context): Promise<[Sample[], Sample[]]> {
  return [parseSamples((await get(`${e.collectorMetrics}/metrics`)).text), context.collectorAtStart ?? []];
}

export const HOPS: Hop[] = [
  {
    id: 'service',
    backend: 'service',
    needs: 'service',
    whenUnreachable: 'start the service (npm start, or docker compose up app); --service sets its URL',
    async check(e) {
      const health = await get(`${e.service}/healthz`);
      const ready = await getJson(`${e.service}/readyz`);
      if (health.status === 200 && ready.status === 200) {
        return pass(`/healthz 200, /readyz 200 (database ${ready.body?.database}, telemetry ${ready.body?.telemetry})`);
      }
      return fail(
        `/healthz ${health.status}, /readyz ${ready.status}: ${ready.body?.error ?? 'no reason given'}`,
        'read the reason above: a database that is down or starting, or the SDK not loaded (start with npm start)',
      );
    },
  },
  {
    id: 'service-metrics',
    backend: 'service',
    needs: 'service',
    async check(e) {
      // The doctor's own GET /log-test must reach the request histogram, by route: the pull path
      // needs no Collector. The service caches its page for a second, so poll a little longer.
      const count = (samples: Sample[]) =>
        sum(
          samples,
          /^http_server_request_duration_seconds_count$/,
          (l) => l.http_route === '/log-test' && l.service_name === e.serviceName,
        );
      const deadline = Date.now() + METRICS_CACHE_WAIT_MS;
      let now = parseSamples((await get(`${e.service}/metrics`)).text);
      while (count(now) === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        now = parseSamples((await get(`${e.service}/metrics`)).text);
      }
      const requests = count(now);
      const detail = `/metrics: ${now.length} samples; ${requests} requests of /log-test for ${e.serviceName}`;
      return requests > 0
        ? pass(detail)
        : fail(
            detail,
            `no /log-test requests of ${e.serviceName} on /metrics: is this that service (--service-name), started with npm start (the SDK loaded first)?`,
          );
    },
  },
  {
    id: 'sdk-export',
    backend: 'service',
    needs: 'service',
    skip: (e) =>
      e.collectorHealth || e.collectorMetrics ? undefined : 'skipped: no Collector given, so no export to check',
    async check(e, context) {
      // Failures are counted over a window from the doctor's start: exports happen in batches.
      const wait = context.startedAt + context.windowMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      const now = parseSamples((await get(`${e.service}/metrics`)).text);
      if (!has(now, /^otel_sdk_/)) {
        return fail(
          '/metrics has no otel_sdk_* metrics',
          'unset OTEL_NODE_EXPERIMENTAL_SDK_METRICS=false: the SDK reports its exports only with it on',
        );
      }
      // The same sums /metrics shows: exported is every outcome without error.type, failed every
      // outcome with one (queue_full included), so each figure can be found on the page.
      const outcome = (samples: Sample[], name: RegExp, failed: boolean) =>
        sum(samples, name, (l) => Boolean(l.error_type) === failed);
      const SIGNALS: Array<[string, RegExp]> = [
        ['spans', /^otel_sdk_processor_span_processed_total$/],
        ['log records', /^otel_sdk_processor_log_processed_total$/],
        ['metric points', /^otel_sdk_exporter_metric_data_point_exported_total$/],
      ];
      const counts = SIGNALS.map(([label, name]) => ({
        label,
        exported: outcome(now, name, false),
        failed: outcome(now, name, true),
        newFailures: outcome(now, name, true) - outcome(context.sdkAtStart ?? now, name, true),
      }));
      const newFailures = counts.reduce((total, c) => total + c.newFailures, 0);
      const detail = `${counts.map((c) => `${c.label} exported ${c.exported}, failed ${c.failed}`).join('; ')}; new failures in the last ${context.windowMs / 1000} s: ${newFailures}`;
      if (newFailures > 0 || counts.some((c) => c.failed > 0 && c.exported === 0)) {
        return fail(
          detail,
          'the SDK cannot reach the Collector: start it (docker compose up), or set OTEL_EXPORTER_OTLP_ENDPOINT to yours (http://otel-collector:4318 in compose, http://localhost:4318 natively); the service log says "telemetry export failing"',
        );
      }
      const idle = counts.filter((c) => c.exported === 0).map((c) => c.label);
      if (idle.length) {
        return fail(
          detail,
          `nothing exported yet for ${idle.join(', ')}, and nothing failed yet: an export to an address that does not answer is retried for up to OTEL_EXPORTER_OTLP_TIMEOUT (10 s) before it counts as failed, so check OTEL_EXPORTER_OTLP_ENDPOINT; or the first batch is still waiting (metric points go every OTEL_METRIC_EXPORT_INTERVAL, 60 s by default: run again with a longer --window); or that signal is off (OTEL_*_EXPORTER=none)`,
        );
      }
      return pass(detail);
    },
  },
  {
    id: 'collector',
    backend: 'collector',
    needs: 'collectorHealth',
    whenUnreachable:
      'the Collector is not running or not on this address: docker compose ps otel-collector; --collector-health sets it (port 13133)',
    async check(e) {
      const { status, body } = await getJson(`${e.collectorHealth}/status?verbose`);
      const failing = failingComponents(body);
      // A failing exporter is the next hop's to name; anything else failing is the Collector's.
      const own = failing.filter((f) => !f.name.startsWith('exporter:'));
      const listed = failing.map((f) => `${f.pipeline} ${f.name}: ${f.status}`).join('; ');
      const detail = `status ${status}, ${body?.status ?? 'no status'}${listed ? `; ${listed}` : ''}`;
      return body && own.length === 0
        ? pass(detail)
        : fail(detail, 'a component is failing: read the Collector log (docker compose logs otel-collector)');
    },
  },
  {
    id: 'collector-receive',
    backend: 'collector',
    needs: 'collectorMetrics',
    async check(e, context) {
      const [s, before] = await collectorSince(e, context);
      const accepted = (samples: Sample[], signal: string) =>
        sum(samples, new RegExp(`^otelcol_receiver_accepted_${signal}(_total)?$`));
      // The doctor sent one /log-test at its start: its span and log records must arrive within
      // the window. Metric points arrive once per export interval (60 s by default), so for them
      // having arrived at all is what can be asked.
      const rising = ['spans', 'log_records'].map((x) => [x, accepted(s, x) - accepted(before, x)] as const);
      const points = accepted(s, 'metric_points');
      const refused = sum(s, /^otelcol_receiver_refused_.+/);
      const detail = `accepted in the last ${context.windowMs / 1000} s: ${rising.map(([x, n]) => `${x} +${n}`).join(', ')}; metric_points ${points} in all; refused ${refused}`;
      const flat = rising.filter(([, n]) => n <= 0).map(([x]) => x);
      if (points === 0) flat.push('metric_points');
      if (flat.length) {
        return fail(
          detail,
          `nothing arriving for ${flat.join(', ')}: the service exports elsewhere (OTEL_EXPORTER_OTLP_ENDPOINT) or has that signal off (OTEL_*_EXPORTER=none)`,
        );
      }
      if (refused > 0)
        return fail(
          detail,
          'the Collector refuses data: memory_limiter is refusing under memory pressure; read its log',
        );
      return pass(detail);
    },
  },
  {
    id: 'collector-export',
    backend: 'collector',
    needs: 'collectorMetrics',
    async check(e, context) {
      const [s, before] = await collectorSince(e, context);
      const exporters = [...new Set(s.filter((x) => x.labels.exporter).map((x) => x.labels.exporter as string))];
      const problems: string[] = [];
      const seen: string[] = [];
      for (const exporter of exporters) {
        const mine = (l: Record<string, string>) => l.exporter === exporter;
        const sent = sum(s, /^otelcol_exporter_sent_.+/, mine);
        const failed = sum(s, /^otelcol_exporter_(send|enqueue)_failed_.+/, mine);
        const queued = sum(s, /^otelcol_exporter_queue_size$/, mine);
        // Items waiting at the start and now, and nothing sent in between: the backend is not taking them.
        const stalled =
          queued > 0 &&
          sum(before, /^otelcol_exporter_queue_size$/, mine) > 0 &&
          sent === sum(before, /^otelcol_exporter_sent_.+/, mine);
        seen.push(`${backendOf(exporter)} sent ${sent}`);
        if (failed > 0) problems.push(`${backendOf(exporter)} failed ${failed}`);
        else if (stalled || (sent === 0 && queued > 0)) {
          problems.push(`${backendOf(exporter)} queues ${queued} without sending`);
        } else if (sent === 0 && exporter !== 'prometheus') problems.push(`${backendOf(exporter)} has sent nothing`);
      }
      // The component-status health page also reports an exporter in a recoverable error before any counter moves.
      if (e.collectorHealth) {
        const { body } = await getJson(`${e.collectorHealth}/status?verbose`).catch(() => ({ body: undefined }));
        for (const f of failingComponents(body).filter((c) => c.name.startsWith('exporter:'))) {
          problems.push(`${backendOf(f.name.slice('exporter:'.length))} ${f.status}${f.error ? `: ${f.error}` : ''}`);
        }
      }
      if (exporters.length === 0)
        return fail(
          'no exporter metrics on :8888',
          'the Collector exposes no exporter telemetry: check service.telemetry.metrics in otel-collector.yaml',
        );
      const unique = [...new Set(problems)];
      return unique.length
        ? fail(
            unique.join('; '),
            'the named backend is down or unreachable from the Collector: check it runs and the exporter endpoint in otel-collector.yaml (LOKI_OTLP_ENDPOINT, JAEGER_OTLP_ENDPOINT)',
          )
        : pass(seen.join(', '));
    },
  },
  {
    id: 'browser-relay',
    backend: 'collector',
    needs: 'service',
    skip: (e) =>
      e.collectorHealth || e.collectorMetrics ? undefined : 'skipped: no Collector given, so no relay to check',
    async check(e) {
      // An empty batch, as the page would post it: the service relays it to the Collector.
      const res = await request(`${e.service}/ui/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: new URL(e.service).origin },
        body: JSON.stringify({ resourceSpans: [{ resource: {}, scopeSpans: [] }] }),
      });
      const text = res.text;
      let error = text.slice(0, 200);
      try {
        error = JSON.parse(text).error ?? error;
      } catch {
        // not JSON: show it as it came
      }
      if (res.status === 200) return pass("POST /ui/v1/traces 200: the page's telemetry reaches the Collector");
      if (res.status === 404) {
        return fail(`POST /ui/v1/traces 404`, 'this service has no browser relay: is it this project, up to date?');
      }
      return fail(
        `POST /ui/v1/traces ${res.status}: ${error}`,
        res.status === 503
          ? "the service cannot hand the page's telemetry to the Collector: check its OTEL_EXPORTER_OTLP_ENDPOINT and the service log's 'browser telemetry' lines"
          : res.status === 429
            ? 'the relay is at its rate or budget (UI_RELAY_RATE, src/relay/budget.ts): many pages open, or a client flooding it'
            : 'the relay refused a valid empty batch: read the service log',
      );
    },
  },
  {
    id: 'prometheus-scrape',
    backend: 'prometheus',
    needs: 'prometheus',
    async check(e) {
      const { body } = await getJson(`${e.prometheus}/api/v1/targets?state=active`);
      const targets: Json[] = body?.data?.activeTargets ?? [];
      const wanted = targets.filter((t) => /otel-collector|postgres-exporter/.test(t.labels?.job ?? ''));
      const down = wanted.filter((t) => t.health !== 'up');
      const detail =
        wanted.map((t) => `${t.labels.job} ${t.health}`).join(', ') || 'no Collector or postgres-exporter target';
      if (wanted.length === 0)
        return fail(detail, 'prometheus.yml has no such job: compare it with the one in this repository');
      return down.length
        ? fail(detail, `Prometheus cannot scrape ${down.map((t) => `${t.scrapeUrl} (${t.lastError})`).join(', ')}`)
        : pass(detail);
    },
  },
  {
    id: 'prometheus-data',
    backend: 'prometheus',
    needs: 'prometheus',
    async check(e) {
      const query = `sum(http_server_request_duration_seconds_count{service_name="${e.serviceName}"})`;
      const { body } = await getJson(`${e.prometheus}/api/v1/query?${new URLSearchParams({ query })}`);
      const value = Number(body?.data?.result?.[0]?.value?.[1] ?? 0);
      return value > 0
        ? pass(`${query} = ${value}`)
        : fail(
            `${query} has no samples`,
            'a young stack needs about a minute (two scrapes 15 s apart, metrics pushed every 10-60 s) before this fills; after that: no request reached the service, or OTEL_SERVICE_NAME differs (--service-name sets the name to look for)',
          );
    },
  },
  {
    id: 'jaeger',
    backend: 'jaeger',
    needs: 'jaeger',
    async check(e) {
      const services: string[] = (await getJson(`${e.jaeger}/api/services`)).body?.data ?? [];
      if (!services.includes(e.serviceName)) {
        return fail(
          `services: ${services.join(', ') || 'none'}`,
          `no trace of ${e.serviceName} reached Jaeger: see collector-export for the Jaeger exporter`,
        );
      }
      const params = new URLSearchParams({ service: e.serviceName, lookback: '15m', limit: '1' });
      const traces: Json[] = (await getJson(`${e.jaeger}/api/traces?${params}`)).body?.data ?? [];
      return traces.length
        ? pass(`${e.serviceName} listed, a trace from the last 15 minutes (${traces[0].traceID})`)
        : fail(
            `${e.serviceName} listed, but no trace in the last 15 minutes`,
            'send a request (curl /log-test); the traces may be sampled away (OTEL_TRACES_SAMPLER)',
          );
    },
  },
  {
    id: 'loki',
    backend: 'loki',
    needs: 'loki',
    async check(e) {
      const ready = await get(`${e.loki}/ready`);
      if (ready.status !== 200)
        return fail(
          `/ready ${ready.status}: ${ready.text.trim()}`,
          'Loki is starting or unwell: docker compose logs loki',
        );
      const params = new URLSearchParams({ query: `{service_name="${e.serviceName}"}`, limit: '1', since: '15m' });
      const { body } = await getJson(`${e.loki}/loki/api/v1/query_range?${params}`);
      const lines = (body?.data?.result ?? []).length;
      return lines
        ? pass(`ready; log lines of ${e.serviceName} in the last 15 minutes`)
        : fail(
            `ready, but no log line of ${e.serviceName} in the last 15 minutes`,
            'see collector-export for the Loki exporter; send a request (curl /log-test)',
          );
    },
  },
  // The alert path, after the data: rules evaluated, alerts handed to Alertmanager, e-mails
  // delivered to the inbox.
  {
    id: 'alert-rules',
    backend: 'prometheus',
    needs: 'prometheus',
    async check(e) {
      const { body } = await getJson(`${e.prometheus}/api/v1/rules?type=alert`);
      const rules: Json[] = (body?.data?.groups ?? []).flatMap((g: Json) => g.rules ?? []);
      if (rules.length === 0) {
        return fail(
          'no alert rules loaded',
          "prometheus.yml's rule_files finds no file: in compose, deploy/prometheus/rules is mounted beside it",
        );
      }
      const broken = rules.filter((r) => r.health !== 'ok');
      const count = (state: string) => rules.filter((r) => r.state === state).length;
      const detail = `${rules.length} alert rules, ${count('firing')} firing, ${count('pending')} pending`;
      return broken.length
        ? fail(
            `${detail}; failing to evaluate: ${broken.map((r) => `${r.name} (${r.lastError})`).join(', ')}`,
            'a rule refers to what this Prometheus cannot evaluate: promtool check rules, and its lastError',
          )
        : pass(detail);
    },
  },
  {
    id: 'alertmanager',
    backend: 'alertmanager',
    needs: 'alertmanager',
    whenUnreachable:
      'Alertmanager is not running or not on this address: docker compose ps alertmanager; --alertmanager sets it (port 9093)',
    async check(e) {
      const status = await getJson(`${e.alertmanager}/api/v2/status`);
      if (status.status !== 200 || !status.body?.config) {
        return fail(`/api/v2/status ${status.status}`, 'this is not an Alertmanager, or it is starting');
      }
      const sent: Json[] = e.prometheus
        ? ((await getJson(`${e.prometheus}/api/v1/alertmanagers`)).body?.data?.activeAlertmanagers ?? [])
        : [];
      const received = sum(
        parseSamples((await get(`${e.alertmanager}/metrics`)).text),
        /^alertmanager_alerts_received_total$/,
      );
      if (e.prometheus && sent.length === 0) {
        return fail(
          `Prometheus sends alerts to no Alertmanager; ${received} alerts received`,
          "prometheus.yml has no alerting section, or its target does not resolve: compare it with this repository's",
        );
      }
      return pass(
        `Prometheus sends to ${sent.map((a) => a.url).join(', ') || '(not checked)'}; ${received} alerts received`,
      );
    },
  },
  {
    id: 'alert-receiver',
    backend: 'alertmanager',
    needs: 'alertmanager',
    async check(e) {
      const samples = parseSamples((await get(`${e.alertmanager}/metrics`)).text);
      const email = (labels: Record<string, string>) => labels.integration === 'email';
      const sent = sum(samples, /^alertmanager_notifications_total$/, email);
      const failed = sum(samples, /^alertmanager_notifications_failed_total$/, email);
      if (failed > 0) {
        return fail(
          `${failed} of ${sent} e-mails failed`,
          "Alertmanager cannot hand e-mail to its smarthost (deploy/alertmanager/alertmanager.yml): is Mailpit up (docker compose ps mailpit)? Alertmanager's log says why",
        );
      }
      if (!e.mailpit) return pass(`${sent} e-mails sent, none failed`);
      const inbox = await getJson(`${e.mailpit}/api/v1/messages?limit=1`);
      const total = inbox.body?.total;
      return typeof total === 'number'
        ? pass(`${sent} e-mails sent, none failed; the inbox holds ${total} (${e.mailpit})`)
        : fail(
            `${e.mailpit}/api/v1/messages ${inbox.status}`,
            'this is not a Mailpit: --mailpit sets its web address (port 8025)',
          );
    },
  },
];

/**
 * Runs every hop in order. A hop whose endpoint is empty is skipped; so is one whose backend an
 * earlier hop found not answering (`found` says which answered at the start), so a missing
 * backend is one failure, not one per hop that reads it.
 */
export async function runHops(
  e: Endpoints,
  context: Context,
  onResult: (r: HopResult) => void,
  found?: Found,
): Promise<HopResult[]> {
  const results: HopResult[] = [];
  const reported = new Map<Backend, string>();
  for (const hop of HOPS) {
    let result: HopResult;
    const skipped = !e[hop.needs] ? 'skipped: no endpoint given' : hop.skip?.(e);
    const downSince = found?.[hop.backend] === false ? reported.get(hop.backend) : undefined;
    if (skipped) {
      result = { id: hop.id, ok: null, detail: skipped, hint: null };
    } else if (downSince) {
      result = {
        id: hop.id,
        ok: null,
        detail: `skipped: ${hop.backend} does not answer (see ${downSince})`,
        hint: null,
      };
    } else {
      try {
        result = { id: hop.id, ...(await hop.check(e, context)) };
      } catch (error) {
        result = {
          id: hop.id,
          ok: false,
          detail: unreachable(String(e[hop.needs]), error),
          hint:
            hop.whenUnreachable ??
            `is it running? its address: --${hop.needs.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`,
        };
      }
      if (result.ok === false && found?.[hop.backend] === false) reported.set(hop.backend, hop.id);
    }
    results.push(result);
    onResult(result);
  }
  return results;
}
