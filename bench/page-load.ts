// npm run bench:scenario -- page: what the page's instrumentation costs the user. The service
// serves /ui/ as npm start does; Chromium (Debian's, driven by playwright-core) loads the page in a
// fresh browser context each time, alternating between the instrumented bundle and the same page
// built without src/ui/telemetry.ts (bench/ui/no-telemetry.ts in its place), and reads the
// browser's own timings: the navigation's DOMContentLoaded and load events and First Contentful
// Paint. Prints the medians over the rounds and both bundles' sizes, gzipped.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { launchChromium } from '../support/chromium.js';
import { wholeNumber } from '../support/env.js';
import { startService } from '../support/service.js';
import { CountingSink } from '../support/sink.js';
import { ROOT } from './run-once.js';

const ROUNDS = wholeNumber('BENCH_PAGE_ROUNDS', 15);

async function bareBundle(): Promise<Buffer> {
  const result = await build({
    entryPoints: [`${ROOT}src/ui/main.ts`],
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'warning',
    plugins: [
      {
        name: 'no-telemetry',
        setup(b) {
          b.onResolve({ filter: /\/telemetry\.js$/ }, () => ({ path: `${ROOT}bench/ui/no-telemetry.ts` }));
        },
      },
    ],
  });
  return Buffer.from(result.outputFiles[0]?.contents ?? []);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main() {
  const instrumented = readFileSync(`${ROOT}dist/ui/app.js`);
  const bare = await bareBundle();
  const sink = new CountingSink();
  const service = await startService({ OTEL_EXPORTER_OTLP_ENDPOINT: await sink.start() });
  const browser = await launchChromium();
  const timings: Record<'instrumented' | 'bare', Array<{ dcl: number; load: number; fcp: number }>> = {
    instrumented: [],
    bare: [],
  };
  try {
    for (let round = 0; round < ROUNDS + 1; round++) {
      for (const variant of ['instrumented', 'bare'] as const) {
        const context = await browser.newContext();
        if (variant === 'bare') {
          await context.route('**/ui/app.js', (route) =>
            route.fulfill({ body: bare, contentType: 'text/javascript; charset=utf-8' }),
          );
        }
        const page = await context.newPage();
        await page.goto(`${service.url}/ui/`, { waitUntil: 'load' });
        // First Contentful Paint can come after the load event: wait for it (buffered).
        const t = await page.evaluate(
          () =>
            new Promise<{ dcl: number; load: number; fcp: number }>((resolve) => {
              const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
              const done = (fcp: number) => resolve({ dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd, fcp });
              new PerformanceObserver((list) => {
                const entry = list.getEntriesByName('first-contentful-paint')[0];
                if (entry) done(entry.startTime);
              }).observe({ type: 'paint', buffered: true });
              setTimeout(() => done(Number.NaN), 5_000);
            }),
        );
        await context.close();
        if (round > 0) timings[variant].push(t); // round 0 warms the server and the browser
      }
    }
  } finally {
    await browser.close();
    service.child.kill('SIGTERM');
    await once(service.child, 'exit');
    await sink.stop();
  }
  const kib = (b: Buffer) =>
    `${(b.length / 1024).toFixed(1)} KiB (${(gzipSync(b).length / 1024).toFixed(1)} KiB gzipped)`;
  console.log(`page bundle: instrumented ${kib(instrumented)}, bare ${kib(bare)}`);
  console.log(`median of ${ROUNDS} alternating loads each, ms (fresh context per load):`);
  console.log('| variant | DOMContentLoaded | load | First Contentful Paint |');
  console.log('| --- | --- | --- | --- |');
  for (const variant of ['bare', 'instrumented'] as const) {
    const t = timings[variant];
    const row = [median(t.map((x) => x.dcl)), median(t.map((x) => x.load)), median(t.map((x) => x.fcp))];
    console.log(`| ${variant} | ${row.map((v) => v.toFixed(1)).join(' | ')} |`);
  }
}

await main();
