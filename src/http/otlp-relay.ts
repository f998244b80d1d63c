// What the service relays from its own web page to the Collector: OTLP/JSON traces and logs,
// checked and rewritten so that an anonymous client can neither pose as another service nor
// store a secret through it (docs/architecture.md, "Browser telemetry"):
// - only the two signals the page sends, as JSON objects of the OTLP shape, at most MAX_ITEMS
//   spans or log records per request (the body limit is the app's 64 KiB);
// - every resource's service.name becomes the web service's, whatever the client wrote;
// - every URL attribute keeps its path and loses its query values (otel/url-redaction.ts);
// - a span name the page does not make becomes OTHER_SPAN_NAME: span names become metric labels
//   (the Collector's span metrics), and an anonymous client must not mint new series at will.
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { redactedPageUrl } from '../../otel/url-redaction.js';

export type RelaySignal = 'traces' | 'logs';

/** The web page's service.name: its spans sit beside the server's in Jaeger, under this name. */
export const WEB_SERVICE_NAME = 'otel-monitoring-web';

/** Spans or log records one request may carry: a page's batch is far smaller. */
export const MAX_ITEMS = 512;

/**
 * The span names the page makes: a click per button (src/ui/endpoints.ts, whose ids a unit test
 * holds to this list), the fetch instrumentation's method names, the document-load spans.
 */
export const PAGE_SPAN_NAMES = new Set([
  ...['hello', 'load', 'error', 'db', 'logs', 'network'].map((id) => `click ${id}`),
  'GET',
  'POST',
  'HEAD',
  'documentLoad',
  'documentFetch',
  'resourceFetch',
]);
export const OTHER_SPAN_NAME = 'other';

const URL_ATTRIBUTES = new Set(['url.full', 'http.url', 'browser.document.url.full']);

const SHAPE: Record<RelaySignal, { resource: string; scope: string; items: string }> = {
  traces: { resource: 'resourceSpans', scope: 'scopeSpans', items: 'spans' },
  logs: { resource: 'resourceLogs', scope: 'scopeLogs', items: 'logRecords' },
};

export class RelayError extends Error {}

type Json = Record<string, unknown>;
interface KeyValue {
  key: string;
  value: { stringValue?: string } & Json;
}

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function list(parent: Json, key: string, where: string): Json[] {
  const value = parent[key] ?? [];
  if (!Array.isArray(value) || !value.every(isObject))
    throw new RelayError(`${where}.${key} must be a list of objects`);
  return value;
}

function attributes(parent: Json, where: string): KeyValue[] {
  const value = parent.attributes ?? [];
  if (!Array.isArray(value) || !value.every((a) => isObject(a) && typeof a.key === 'string' && isObject(a.value))) {
    throw new RelayError(`${where}.attributes must be a list of {key, value}`);
  }
  return value as KeyValue[];
}

function redactUrls(attrs: KeyValue[]): void {
  for (const a of attrs) {
    if (URL_ATTRIBUTES.has(a.key) && typeof a.value.stringValue === 'string') {
      a.value = { stringValue: redactedPageUrl(a.value.stringValue) };
    }
  }
}

/**
 * The body to send on, from the text the page posted: throws a RelayError that says what is
 * wrong with it, for a 400.
 */
export function relayBody(signal: RelaySignal, text: string): string {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RelayError('body is not JSON: the page sends OTLP/JSON');
  }
  if (!isObject(body)) throw new RelayError('body must be a JSON object');
  const shape = SHAPE[signal];
  const resources = list(body, shape.resource, 'body');
  if (resources.length === 0) throw new RelayError(`body has no ${shape.resource}`);
  let items = 0;
  for (const [i, entry] of resources.entries()) {
    const where = `${shape.resource}[${i}]`;
    const resource = isObject(entry.resource) ? entry.resource : {};
    const attrs = attributes(resource, `${where}.resource`).filter((a) => a.key !== ATTR_SERVICE_NAME);
    attrs.push({ key: ATTR_SERVICE_NAME, value: { stringValue: WEB_SERVICE_NAME } });
    entry.resource = { ...resource, attributes: attrs };
    for (const [j, scope] of list(entry, shape.scope, where).entries()) {
      for (const [k, item] of list(scope, shape.items, `${where}.${shape.scope}[${j}]`).entries()) {
        items += 1;
        if (signal === 'traces' && !PAGE_SPAN_NAMES.has(item.name as string)) item.name = OTHER_SPAN_NAME;
        redactUrls(attributes(item, `${where}.${shape.scope}[${j}].${shape.items}[${k}]`));
        for (const event of Array.isArray(item.events) ? item.events.filter(isObject) : []) {
          redactUrls(attributes(event, 'event'));
        }
      }
    }
  }
  if (items > MAX_ITEMS) throw new RelayError(`${items} ${shape.items} in one request, more than ${MAX_ITEMS}`);
  return JSON.stringify(body);
}
