// npm run bench:page: what the page's instrumentation costs the user. The service serves /ui/
// as npm start does; Chromium (Debian's, driven by playwright-core) loads the page in a fresh
// browser context each time, alternating between the instrumented bundle and the same page
// built without src/ui/telemetry.ts (bench/ui/no-telemetry.ts in its place), and reads the
// browser's own timings: the navigation's DOMContentLoaded and load events and First
// Contentful Paint. Prints the medians over the rounds and both bundles' sizes, gzipped.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { serviceArgs } from '../scripts/service-command.js';
import { launchChromium } from './chromium.js';
import { wholeNumber } from './env.js';
import { CountingSink } from './sink.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
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

/** Starts the service on a port of the kernel's choosing and reads it from the listening line. */
async function startService(otlp: string) {
  const child = spawn(process.execPath, serviceArgs(), {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', OTEL_EXPORTER_OTLP_ENDPOINT: otlp, LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let buffered = '';
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the service exited with ${code}`)));
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const line = buffered.split('\n').find((l) => l.includes('"listening"'));
      if (line) resolve(JSON.parse(line)['server.port']);
    });
  });
  return { child, url: `http://127.0.0.1:${port}` };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main() {
  const instrumented = readFileSync(`${ROOT}dist/ui/app.js`);
  const bare = await bareBundle();
  const sink = new CountingSink();
  const service = await startService(await sink.start());
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
