// The relay's rules, one behaviour per case, on the functions that build what is sent on:
// a span or record keeps what the page makes, and what it does not make is refused, folded or
// dropped; the budget admits whole batches within its rates and remembers the traces it saw.
import { SpanKind } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { RELAY_BUDGET, RelayBudget } from '../../src/relay/budget.js';
import { MAX_ELEMENTS, RelayError } from '../../src/relay/otlp-json.js';
import { pageLogs } from '../../src/relay/page-logs.js';
import { LIMITS, MAX_URL_LENGTH } from '../../src/relay/page-rules.js';
import { OTHER_SPAN_NAME, PAGE_SPAN_NAMES, pageSpans } from '../../src/relay/page-spans.js';
import { ENDPOINTS } from '../../src/ui/endpoints.js';
import { WEB_SERVICE_NAME } from '../../src/ui/names.js';

const NOW = Date.UTC(2026, 11, 6, 12);
const ns = (ms: number) => String(BigInt(ms) * 1_000_000n);
const TRACE = '0af7651916cd43dd8448eb211c80319c';

const span = (over: Record<string, unknown> = {}) => ({
  traceId: TRACE,
  spanId: 'b7ad6b7169203331',
  name: 'GET',
  kind: 3,
  startTimeUnixNano: ns(NOW - 2_000),
  endTimeUnixNano: ns(NOW - 1_000),
  ...over,
});
const traces = (spans: unknown[], resource: unknown[] = [], scope = 'otel-monitoring-web') =>
  JSON.stringify({
    resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ scope: { name: scope }, spans }] }],
  });
const refusal = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    if (error instanceof RelayError) return error.message;
    throw error;
  }
  throw new Error('not refused');
};

describe('pageSpans', () => {
  it('knows every click span the page makes', () => {
    for (const { id } of ENDPOINTS) expect(PAGE_SPAN_NAMES.has(`click ${id}`), id).toBe(true);
  });

  it("keeps the page's span names and folds any other into one", () => {
    const names = ['click db', 'GET', 'documentLoad', 'click x1', 'GET /a/b/c'];
    const out = pageSpans(traces(names.map((name, i) => span({ name, spanId: `b7ad6b716920333${i}` }))), NOW);
    expect(out.map((s) => s.name)).toEqual(['click db', 'GET', 'documentLoad', OTHER_SPAN_NAME, OTHER_SPAN_NAME]);
  });

  it('keeps ids, times, kind and the allowed attributes; the resource is the web service', () => {
    const [out] = pageSpans(
      traces(
        [
          span({
            parentSpanId: '00f067aa0ba902b7',
            attributes: [
              { key: 'http.response.status_code', value: { intValue: '503' } },
              { key: 'http.route', value: { stringValue: '/minted' } },
              { key: 'url.full', value: { stringValue: `http://localhost/ui/${'a'.repeat(2000)}?t=1` } },
            ],
            events: [
              { name: 'fetchStart', timeUnixNano: ns(NOW - 1_900) },
              { name: 'minted', timeUnixNano: ns(NOW - 1_900) },
            ],
            links: [{ traceId: TRACE, spanId: '00f067aa0ba902b7' }],
          }),
        ],
        [
          { key: 'service.name', value: { stringValue: 'otel-monitoring-service' } },
          { key: 'service.instance.id', value: { stringValue: 'i-1' } },
          { key: 'browser.language', value: { stringValue: 'de-CH' } },
        ],
      ),
      NOW,
    );
    expect(out?.spanContext().traceId).toBe(TRACE);
    expect(out?.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
    expect(out?.kind).toBe(SpanKind.CLIENT);
    expect(out?.resource.attributes).toEqual({ 'service.name': WEB_SERVICE_NAME, 'browser.language': 'de-CH' });
    expect(out?.attributes['http.response.status_code']).toBe(503);
    expect(out?.attributes['http.route']).toBeUndefined();
    expect(String(out?.attributes['url.full']).length).toBe(MAX_URL_LENGTH);
    expect(out?.droppedAttributesCount).toBe(1);
    expect(out?.events.map((e) => e.name)).toEqual(['fetchStart']);
    expect(out?.droppedEventsCount).toBe(1);
    expect(out?.links).toEqual([]);
    expect(out?.droppedLinksCount).toBe(1);
  });

  it('gives a span the kind its name has, and takes only the status codes the page can see', () => {
    const out = pageSpans(
      traces([
        span({ name: 'click db', kind: 3 }),
        span({ name: 'GET', kind: 1, spanId: 'b7ad6b7169203332' }),
        span({ name: 'minted', kind: 3, spanId: 'b7ad6b7169203333' }),
        span({
          spanId: 'b7ad6b7169203334',
          attributes: [{ key: 'http.response.status_code', value: { intValue: 299 } }],
        }),
      ]),
      NOW,
    );
    expect(out.map((s) => s.kind)).toEqual([SpanKind.INTERNAL, SpanKind.CLIENT, SpanKind.CLIENT, SpanKind.CLIENT]);
    expect(out[3]?.attributes['http.response.status_code']).toBeUndefined();
  });

  it.each([
    ['a server span', span({ kind: 2 }), /kind/],
    ['a malformed trace id', span({ traceId: 'xyz' }), /traceId/],
    ['an all-zero span id', span({ spanId: '0000000000000000' }), /spanId/],
    ['a time in 1970', span({ startTimeUnixNano: '1', endTimeUnixNano: '2' }), /time/],
    ['a time in 2058', span({ startTimeUnixNano: ns(NOW + 10 * 365 * 86_400_000) }), /time/],
    [
      'an end before the start',
      span({ startTimeUnixNano: ns(NOW - 1_000), endTimeUnixNano: ns(NOW - 2_000) }),
      /end time/,
    ],
    ['a ten-minute span', span({ startTimeUnixNano: ns(NOW - 600_000), endTimeUnixNano: ns(NOW) }), /end time/],
  ])('refuses %s', (_, bad, message) => {
    expect(refusal(() => pageSpans(traces([bad]), NOW))).toMatch(message);
  });

  it('refuses a scope the page does not have, and bodies past the limits on any element', () => {
    expect(refusal(() => pageSpans(traces([span()], [], 'minted'), NOW))).toMatch(/scope/);
    const resources = JSON.stringify({ resourceSpans: Array.from({ length: LIMITS.resources + 1 }, () => ({})) });
    expect(refusal(() => pageSpans(resources, NOW))).toMatch(/more than 4/);
    const attributes = Array.from({ length: LIMITS.attributes }, (_, i) => ({
      key: `k${i}`,
      value: { stringValue: '' },
    }));
    const many = Array.from({ length: 200 }, () => span({ attributes }));
    expect(refusal(() => pageSpans(traces(many), NOW))).toContain(`more than ${MAX_ELEMENTS} elements`);
  });

  it('reads only the OTLP/JSON spelling: a snake_case twin carries nothing through', () => {
    const body = JSON.stringify({
      resourceSpans: [
        {
          resource_spans: [{}],
          scopeSpans: [{ scope: { name: 'otel-monitoring-web' }, spans: [{ ...span(), string_value: 'x' }] }],
        },
      ],
      resource_spans: [{ scope_spans: [{ spans: [span({ name: 'click db' })] }] }],
    });
    const out = pageSpans(body, NOW);
    expect(out).toHaveLength(1);
    expect(JSON.stringify(out)).not.toContain('string_value');
  });
});

describe('pageLogs', () => {
  const vital = (attributes: Record<string, unknown>, over: Record<string, unknown> = {}) =>
    JSON.stringify({
      resourceLogs: [
        {
          scopeLogs: [
            {
              scope: { name: 'otel-monitoring-web' },
              logRecords: [
                {
                  timeUnixNano: ns(NOW - 500),
                  eventName: 'browser.web_vital',
                  attributes: Object.entries(attributes).map(([key, value]) => ({ key, value })),
                  ...over,
                },
              ],
            },
          ],
        },
      ],
    });
  const good = {
    'browser.web_vital.name': { stringValue: 'CLS' },
    'browser.web_vital.rating': { stringValue: 'poor' },
    'browser.web_vital.value': { doubleValue: 0.31 },
    'url.path': { stringValue: '/ui/' },
  };

  it('keeps a Web Vital from the defined sets, and folds a foreign page path into other', () => {
    const [record] = pageLogs(vital(good), NOW);
    expect(record?.eventName).toBe('browser.web_vital');
    expect(record?.attributes).toEqual({
      'browser.web_vital.name': 'CLS',
      'browser.web_vital.rating': 'poor',
      'browser.web_vital.value': 0.31,
      'url.path': '/ui/',
    });
    const [elsewhere] = pageLogs(vital({ ...good, 'url.path': { stringValue: '/secret' } }), NOW);
    expect(elsewhere?.attributes['url.path']).toBe('other');
  });

  it.each([
    ['an unknown vital', { ...good, 'browser.web_vital.name': { stringValue: 'FPS' } }, {}, /name/],
    ['an unknown rating', { ...good, 'browser.web_vital.rating': { stringValue: 'ok' } }, {}, /rating/],
    ['a CLS of 1000', { ...good, 'browser.web_vital.value': { doubleValue: 1000 } }, {}, /value/],
    ['a negative value', { ...good, 'browser.web_vital.value': { doubleValue: -1 } }, {}, /value/],
    ['another event', good, { eventName: 'app.login' }, /eventName/],
    ['a time in 1970', good, { timeUnixNano: '5' }, /time/],
  ])('refuses %s', (_, attributes, over, message) => {
    expect(refusal(() => pageLogs(vital(attributes, over), NOW))).toMatch(message);
  });
});

describe('RelayBudget', () => {
  const ids = (n: number, from = 0) => Array.from({ length: n }, (_, i) => (i + from).toString(16).padStart(32, 'a'));

  it('admits new traces up to its burst, then at its rate', () => {
    let now = 0;
    const budget = new RelayBudget(() => now);
    expect(budget.admit(RELAY_BUDGET.newTracesBurst, ids(RELAY_BUDGET.newTracesBurst)).admitted).toBe(true);
    const refused = budget.admit(1, ids(1, 1_000));
    expect(refused).toMatchObject({ admitted: false, reason: 'new traces' });
    now += 1_000 / RELAY_BUDGET.newTracesPerSecond;
    expect(budget.admit(1, ids(1, 1_000)).admitted).toBe(true);
  });

  it('takes no new-trace token for a trace it has seen, up to its spans-per-trace cap', () => {
    let now = 0;
    const budget = new RelayBudget(() => now);
    const one = ids(1);
    expect(budget.admit(2, [...one, ...one]).admitted).toBe(true);
    for (let i = 0; i < RELAY_BUDGET.spansPerTrace - 2; i++) {
      now += 1_000;
      expect(budget.admit(1, one).admitted).toBe(true);
    }
    expect(budget.admit(1, one)).toMatchObject({ admitted: false, reason: /spans for one trace/ });
  });

  it('bounds items a second, for log records too, and gives back what a refused batch took', () => {
    const now = 0;
    const budget = new RelayBudget(() => now);
    expect(budget.admit(RELAY_BUDGET.itemsBurst, []).admitted).toBe(true);
    expect(budget.admit(1, [])).toMatchObject({ admitted: false, reason: 'spans and log records' });
  });
});
