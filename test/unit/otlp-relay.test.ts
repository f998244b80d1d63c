// What the relay sends on: the page's span names as they are, any other name folded into one,
// so an anonymous client cannot mint metric series through the span metrics.
import { expect, it } from 'vitest';
import { OTHER_SPAN_NAME, PAGE_SPAN_NAMES, relayBody } from '../../src/http/otlp-relay.js';
import { ENDPOINTS } from '../../src/ui/endpoints.js';

const traces = (names: string[]) =>
  JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: names.map((name) => ({ name })) }] }] });

it('knows every click span the page makes', () => {
  for (const { id } of ENDPOINTS) expect(PAGE_SPAN_NAMES.has(`click ${id}`), id).toBe(true);
});

it("keeps the page's span names and folds any other into one", () => {
  const out = JSON.parse(relayBody('traces', traces(['click db', 'GET', 'documentLoad', 'click x1', 'GET /a/b/c'])));
  expect(out.resourceSpans[0].scopeSpans[0].spans.map((s: { name: string }) => s.name)).toEqual([
    'click db',
    'GET',
    'documentLoad',
    OTHER_SPAN_NAME,
    OTHER_SPAN_NAME,
  ]);
});
