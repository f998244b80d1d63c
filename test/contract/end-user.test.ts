// End-user monitoring in a real browser: Debian's Chromium, driven by playwright-core, opens the
// service's page, clicks the database button, and the OTLP receiver gets one trace from the click
// to PostgreSQL: the page's click span, its fetch span, the server span GET /db-query as the
// fetch span's child, and the pg span under that. The page's Web Vitals arrive as
// browser.web_vital events. All of it through the service's relay (/ui/v1/*), as a browser in
// compose or Kubernetes sends it. Screenshots of the page after a click go to .cache/: with a
// Collector (end-user-page.png) and without (end-user-page-no-collector.png).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DATABASE_ENV,
  eventually,
  REFUSING_PORT,
  ROOT,
  type ServiceProcess,
  startService,
  waitReady,
} from '../../support/service.js';
import { CHROMIUM, clickEndpoint, hasChromium, launchChromium } from '../support/browser.js';
import { startExporting } from '../support/exporting-service.js';
import type { OtlpReceiver, OtlpSpan } from '../support/otlp-receiver.js';

if (!hasChromium && process.env.REQUIRE_STACK) throw new Error(`REQUIRE_STACK is set but ${CHROMIUM} is missing`);

const SERVER = 2;
const JAEGER = 'http://jaeger.test:16686';
const CLIENT = 3;

/**
 * The spans of a click on the database button, once all have arrived: the click, its fetch (the
 * server span's parent, exported a batch after the click), the server span and the pg span.
 */
function clickTrace(receiver: OtlpReceiver, traceId: string): Promise<OtlpSpan[]> {
  return eventually(
    async () => {
      const spans = receiver.spans().filter((s) => s.traceId === traceId);
      const server = spans.find((s) => s.kind === SERVER);
      const complete =
        spans.some((s) => s.name === 'click db') &&
        spans.some((s) => s.spanId === server?.parentSpanId) &&
        spans.some((s) => s.parentSpanId === server?.spanId && s.name.startsWith('pg.query'));
      return complete ? spans : undefined;
    },
    20_000,
    'every span of the click: click, fetch, server and pg',
  );
}

describe.skipIf(!hasChromium)(`the page in Chromium (needs ${CHROMIUM}: apt-get install chromium)`, () => {
  let receiver: OtlpReceiver;
  let service: ServiceProcess;
  let browser: Browser;
  let page: Page;
  let traceId = '';
  // What a user would see in the browser's console: errors, and requests that failed or 404ed.
  const consoleTrouble: string[] = [];

  beforeAll(async () => {
    ({ receiver, service } = await startExporting({ ...DATABASE_ENV, JAEGER_UI_URL: JAEGER }));
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('console', (m) => m.type() === 'error' && consoleTrouble.push(m.text()));
    page.on('response', (r) => r.status() >= 400 && consoleTrouble.push(`${r.status()} ${r.url()}`));
    page.on('requestfailed', (r) => consoleTrouble.push(`failed ${r.url()}`));
    await page.goto(`${service.url}/ui/?user=ada`);
    // The link to Jaeger needs the page's settings, fetched as it starts.
    await page.waitForLoadState('networkidle');
    const click = await clickEndpoint(page, 'db');
    expect(click.status).toBe('200');
    traceId = click.traceId;
  }, 60_000);

  afterAll(async () => {
    await page?.close();
    await browser?.close();
    await service?.stop();
    await receiver?.stop();
  });

  it('records one trace from the click through the server span to the pg span', async () => {
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);
    const spans = await clickTrace(receiver, traceId);
    const click = spans.find((s) => s.name === 'click db') as OtlpSpan;
    const fetchSpan = spans.find((s) => s.kind === CLIENT && s.parentSpanId === click?.spanId) as OtlpSpan;
    const server = spans.find((s) => s.kind === SERVER) as OtlpSpan;
    const pg = spans.find((s) => s.parentSpanId === server?.spanId && s.name.startsWith('pg.query')) as OtlpSpan;
    expect(click.resource['service.name']).toBe('otel-monitoring-web');
    expect(fetchSpan.resource['service.name']).toBe('otel-monitoring-web');
    expect(server.name).toBe('GET /db-query');
    expect(server.parentSpanId).toBe(fetchSpan.spanId);
    expect(server.resource['service.name']).toBe('otel-monitoring-service');
    expect(pg.kind).toBe(CLIENT);
    console.log(
      `click-to-database trace ${traceId}:`,
      spans.map((s) => `${s.resource['service.name']} ${s.name}`),
    );
  });

  it("tells the user the click's telemetry was delivered, links its trace, and logs nothing in the console", async () => {
    await page.waitForSelector('#delivery[data-delivered="true"]', { timeout: 15_000 });
    expect(await page.textContent('#delivery')).toContain('reached the Collector');
    expect(await page.getAttribute('#trace-link', 'href')).toBe(`${JAEGER}/trace/${traceId}`);
    expect(consoleTrouble).toEqual([]);
    mkdirSync(join(ROOT, '.cache'), { recursive: true });
    await page.screenshot({ path: join(ROOT, '.cache', 'end-user-page.png'), fullPage: true });
  });

  it('shows an error answer unlike a success', async () => {
    const look = () => page.$eval('#answer', (el) => getComputedStyle(el).borderLeftColor);
    const success = await look();
    let status = '';
    for (let i = 0; i < 30 && status !== '500'; i++) ({ status } = await clickEndpoint(page, 'error'));
    expect(status).toBe('500');
    expect(await look()).not.toBe(success);
  });

  it('redacts query values of the page URL on the spans it relays', async () => {
    const load = await eventually(
      async () => receiver.spans().find((s) => s.name === 'documentLoad' || s.name === 'documentFetch'),
      20_000,
      'the document-load spans',
    );
    const urls = receiver
      .spans()
      .filter((s) => s.resource['service.name'] === 'otel-monitoring-web')
      .flatMap((s) => [s.attributes['url.full'], s.attributes['http.url']])
      .filter((u) => typeof u === 'string') as string[];
    expect(load).toBeDefined();
    expect(urls.some((u) => u.includes('/ui/?user=REDACTED'))).toBe(true);
    expect(urls.join(' ')).not.toContain('ada');
  });

  it('sends Web Vitals as browser.web_vital events with their names and the page', async () => {
    const vitals = await eventually(
      async () => {
        const found = receiver.logs().filter((l) => l.attributes['browser.web_vital.name'] !== undefined);
        const names = new Set(found.map((l) => l.attributes['browser.web_vital.name']));
        return names.has('FCP') && names.has('TTFB') && names.has('LCP') ? found : undefined;
      },
      20_000,
      'FCP, TTFB and LCP records',
    );
    for (const v of vitals) {
      expect(v.resource['service.name']).toBe('otel-monitoring-web');
      expect(typeof v.attributes['browser.web_vital.value']).toBe('number');
      expect(['good', 'needs-improvement', 'poor']).toContain(v.attributes['browser.web_vital.rating']);
      expect(v.attributes['url.path']).toBe('/ui/');
    }
  });

  it('loses nothing when the user leaves as soon as the answer shows', async () => {
    const vitalIds = (): Set<unknown> => new Set(receiver.logs().map((l) => l.attributes['browser.web_vital.id']));
    const earlier = vitalIds();
    const leaving = await browser.newPage();
    await leaving.goto(`${service.url}/ui/`);
    const click = await clickEndpoint(leaving, 'db');
    expect(click.status).toBe('200');
    // Gone at once: the fetch span ends only after the response (the fetch instrumentation then
    // waits for its resource timing), so the page must send it on its way out.
    await leaving.close({ runBeforeUnload: true });
    const mine = await clickTrace(receiver, click.traceId);
    expect(mine.filter((s) => s.resource['service.name'] === 'otel-monitoring-web')).toHaveLength(2);
    // And the page's Web Vitals, the ones reported as it was hidden (LCP) included.
    await eventually(
      async () => {
        const names = new Set(
          receiver
            .logs()
            .filter((l) => !earlier.has(l.attributes['browser.web_vital.id']))
            .map((l) => l.attributes['browser.web_vital.name']),
        );
        return names.has('FCP') && names.has('TTFB') && names.has('LCP') ? names : undefined;
      },
      20_000,
      "the leaving page's FCP, TTFB and LCP records",
    );
    expect(vitalIds().size).toBeGreaterThan(earlier.size);
  });
});

describe.skipIf(!hasChromium)(`the page with no Collector (needs ${CHROMIUM})`, () => {
  let service: ServiceProcess;
  let browser: Browser;

  beforeAll(async () => {
    service = await startService({
      ...DATABASE_ENV,
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${REFUSING_PORT}`,
      OTEL_BSP_SCHEDULE_DELAY: '100',
    });
    // Ready first: the embedded database (no DATABASE_URL) answers 503 while it starts.
    await waitReady(service);
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await service?.stop();
  });

  it('says the telemetry was not delivered, why, and what to do', { timeout: 60_000 }, async () => {
    const page = await browser.newPage();
    await page.goto(`${service.url}/ui/`);
    const click = await clickEndpoint(page, 'db');
    expect(click.status).toBe('200');
    const clicked = Date.now();
    await page.waitForSelector('#delivery[data-delivered="false"]', { timeout: 45_000 });
    console.log(`not-delivered shown ${Date.now() - clicked} ms after the answer`);
    const said = await page.textContent('#delivery');
    expect(said).toContain('(503)');
    expect(said).toContain('the Collector is unavailable');
    expect(said).toContain('start a Collector');
    expect(await page.$('#trace-link')).toBeNull();
    mkdirSync(join(ROOT, '.cache'), { recursive: true });
    await page.screenshot({ path: join(ROOT, '.cache', 'end-user-page-no-collector.png'), fullPage: true });
  });
});
