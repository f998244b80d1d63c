// The end-user page driven in Debian's Chromium (support/chromium.ts launches it).
import type { Page } from 'playwright-core';

export { CHROMIUM, hasChromium, launchChromium } from '../../support/chromium.js';

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
