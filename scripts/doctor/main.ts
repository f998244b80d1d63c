// npm run doctor: walks the telemetry pipeline hop by hop (service, SDK export, Collector receive
// and export, Prometheus scrape and data, Jaeger, Loki), prints a line per hop as it goes, and
// names the first broken one with its likeliest cause and fix. Its first lines say what answers
// at all and what to do next. Exit 0 when every hop that ran passed, 1 otherwise, 2 on a bad
// flag. --json prints one JSON object and nothing else. It sends the service one GET /log-test,
// whose span and log records must reach the Collector within the window. Settings: settings.ts.
import { find, summary } from './found.js';
import { type HopResult, runHops } from './hops.js';
import { printable, request } from './http.js';
import { parseSamples } from './prometheus-text.js';
import { type DoctorSettings, resolveSettings, SettingsError, usage } from './settings.js';

let settings: DoctorSettings;
try {
  settings = resolveSettings(process.argv.slice(2), process.env);
} catch (error) {
  if (!(error instanceof SettingsError)) throw error;
  process.stderr.write(`doctor: ${error.message} (npm run doctor -- --help)\n`);
  process.exit(2);
}
const { endpoints, windowMs, json } = settings;
// Piped into head or less that quits early: stop quietly, as other command-line tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

if (settings.help) {
  process.stdout.write(usage());
  process.exit(0);
}

const MARK = { true: '✓', false: '✗', null: '–' } as const;
const print = (r: HopResult) => {
  if (json) return;
  // What a backend said is in detail and hint: escaped before it reaches the terminal.
  process.stdout.write(`${MARK[String(r.ok) as keyof typeof MARK]} ${r.id.padEnd(18)} ${printable(r.detail)}\n`);
  if (r.hint) process.stdout.write(`  ${' '.repeat(18)} fix: ${printable(r.hint)}\n`);
};

// The SDK's and the Collector's counters now, to see at their hops what moved since; and which
// of the service and the backends answer at all.
const startedAt = Date.now();
const scrape = (base: string) =>
  base
    ? request(`${base}/metrics`)
        .then((r) => parseSamples(r.text))
        .catch(() => undefined)
    : Promise.resolve(undefined);
const [sdkAtStart, collectorAtStart, found] = await Promise.all([
  scrape(endpoints.service),
  scrape(endpoints.collectorMetrics),
  find(endpoints),
]);
const headline = summary(found, endpoints);
if (!json) process.stdout.write(`${printable(headline.join('\n'))}\n\n`);
// Something to follow through the window: one request whose span and log records must travel.
if (endpoints.service) {
  await request(`${endpoints.service}/log-test`).catch(() => undefined);
}
const context = { sdkAtStart, collectorAtStart, startedAt, windowMs };

const results = await runHops(endpoints, context, print, found);

const firstBroken = results.find((r) => r.ok === false);
const ok = firstBroken ? false : results.some((r) => r.ok === true) ? true : null;
if (json) {
  process.stdout.write(
    `${JSON.stringify({ ok, first_broken: firstBroken?.id ?? null, found, summary: headline, hops: results })}\n`,
  );
} else {
  process.stdout.write(
    firstBroken
      ? `first broken hop: ${firstBroken.id}\n`
      : `every hop that ran passes (${results.filter((r) => r.ok).length} of ${results.length})\n`,
  );
}
process.exit(firstBroken ? 1 : 0);
