// End-user monitoring in a real browser: Debian's Chromium, driven by playwright-core, opens the
// service's page, clicks the database button, and the OTLP receiver gets one trace from the click
// to PostgreSQL: the page's click span, its fetch span, the server span GET /db-query as the
// fetch span's child, and the pg span under that. The page's Web Vitals arrive as
// browser.web_vital events. All of it through the service's relay (/ui/v1/*), as a browser in
// compose or Kubernetes sends it. A screenshot of the page goes to .cache/end-user-page.png.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM, clickEndpoint, hasChromium, launchChromium } from '../support/browser.js';
import { startExporting } from '../support/exporting-service.js';
import type { OtlpReceiver, OtlpSpan } from '../support/otlp-receiver.js';
import { DATABASE_ENV, eventually, ROOT, type ServiceProcess } from '../support/service.js';

if (!hasChromium && process.env.REQUIRE_STACK) throw new Error(`REQUIRE_STACK is set but ${CHROMIUM} is missing`);

const SERVER = 2;
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

  beforeAll(async () => {
    ({ receiver, service } = await startExporting(DATABASE_ENV));
    browser = await launchChromium();
    page = await browser.newPage();
    await page.goto(`${service.url}/ui/?user=ada`);
    const click = await clickEndpoint(page, 'db');
    expect(click.status).toBe('200');
    traceId = click.traceId;
    mkdirSync(join(ROOT, '.cache'), { recursive: true });
    await page.screenshot({ path: join(ROOT, '.cache', 'end-user-page.png'), fullPage: true });
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
