// Debian's Chromium, driven by playwright-core: never a browser download. The flags are what a
// closed network needs (no background requests, no component updates); playwright-core gives
// each launch a fresh, empty profile directory.
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/**
 * Clicks the page's button for endpoint `id` (src/ui/endpoints.ts), waits for the answer, and
 * returns its HTTP status and the trace id the page shows for the click.
 */
export async function clickEndpoint(page: Page, id: string): Promise<{ status: string; traceId: string }> {
  await page.click(`#call-${id}`);
  await page.waitForFunction(
    () => {
      const status = document.getElementById('answer')?.dataset.status;
      return status !== undefined && status !== 'pending';
    },
    null,
    { timeout: 15_000 },
  );
  const status = (await page.getAttribute('#answer', 'data-status')) ?? '';
  const traceId = (await page.getAttribute('#trace', 'data-trace-id')) ?? '';
  return { status, traceId };
}
