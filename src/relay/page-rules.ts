// What a page may say, as rules: the resource the server gives its telemetry, the attributes of
// its spans and their events, and the time window around the server's clock. Each rule names a
// value set or a bound, so nothing an anonymous client writes can mint a new metric series, pose
// as another service, or store more than its size (docs/architecture.md, "Browser telemetry").
import type { AttributeValue } from '@opentelemetry/api';
import type { InstrumentationScope } from '@opentelemetry/core';
import { type Resource, resourceFromAttributes } from '@opentelemetry/resources';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { redactedPageUrl } from '../../otel/url-redaction.js';
import { PAGE_SCOPE, WEB_SERVICE_NAME } from '../ui/names.js';
import {
  allowed,
  boolOf,
  ElementCount,
  intOf,
  type Json,
  keyValues,
  list,
  parse,
  RelayError,
  type Rule,
  stringOf,
  stringsOf,
  unixNano,
} from './otlp-json.js';

/** Resources, scopes and items (spans or log records) one request may carry. */
export const LIMITS = { resources: 4, scopes: 16, items: 512, attributes: 32, events: 32 } as const;

/** How far a time may be from the server's clock: a page exports within seconds of the event. */
export const WINDOW = { pastMs: 15 * 60_000, futureMs: 2 * 60_000 } as const;

const printable =
  (max: number, pattern = /^[\x20-\x7e]+$/): Rule =>
  (v) => {
    const s = stringOf(v);
    return s !== undefined && s.length <= max && pattern.test(s) ? s : undefined;
  };
const integer =
  (min: number, max: number): Rule =>
  (v) => {
    const n = intOf(v);
    return n !== undefined && n >= min && n <= max ? n : undefined;
  };
const oneOf =
  (values: readonly string[]): Rule =>
  (v) => {
    const s = stringOf(v);
    return s !== undefined && values.includes(s) ? s : undefined;
  };

/** The longest url.full sent on: a page's own URLs are far shorter. */
export const MAX_URL_LENGTH = 1024;

/** url.full of the page's requests: query values redacted (otel/url-redaction.ts), then bounded. */
const pageUrl: Rule = (v) => {
  const s = stringOf(v);
  return s === undefined ? undefined : redactedPageUrl(s).slice(0, MAX_URL_LENGTH);
};

const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH', '_OTHER'];

/**
 * The statuses the service answers its page with, and the usual ones in between: the span
 * metrics take http.response.status_code as a dimension, so any other number is dropped.
 */
export const PAGE_STATUS_CODES = [
  200, 204, 301, 302, 304, 400, 403, 404, 405, 408, 413, 414, 415, 421, 429, 431, 500, 501, 502, 503, 504,
];
const statusCode: Rule = (v) => {
  const n = intOf(v);
  return n !== undefined && PAGE_STATUS_CODES.includes(n) ? n : undefined;
};

/** The attributes the fetch and document-load instrumentations set on the page's spans. */
export const SPAN_RULES: Record<string, Rule> = {
  'http.request.method': oneOf(HTTP_METHODS),
  'url.full': pageUrl,
  'http.response.status_code': statusCode,
  'http.request.body.size': integer(0, 2 ** 31),
  'http.response.body.size': integer(0, 2 ** 31),
  'server.address': printable(253, /^[A-Za-z0-9.:[\]-]+$/),
  'server.port': integer(1, 65535),
  'error.type': printable(64, /^[\w. -]+$/),
  'user_agent.original': printable(512),
};

/** The span events the page's instrumentations add: resource and navigation timings, paints. */
export const SPAN_EVENT_NAMES = new Set([
  'fetchStart',
  'domainLookupStart',
  'domainLookupEnd',
  'connectStart',
  'secureConnectionStart',
  'connectEnd',
  'requestStart',
  'responseStart',
  'responseEnd',
  'redirectStart',
  'redirectEnd',
  'unloadEventStart',
  'unloadEventEnd',
  'domInteractive',
  'domContentLoadedEventStart',
  'domContentLoadedEventEnd',
  'domComplete',
  'loadEventStart',
  'loadEventEnd',
  'firstPaint',
  'firstContentfulPaint',
]);

/** The scopes the page's spans and records come from; any other name is refused. */
export const PAGE_SCOPES = new Set([
  PAGE_SCOPE,
  '@opentelemetry/instrumentation-fetch',
  '@opentelemetry/instrumentation-document-load',
]);
const scopeVersion = printable(32, /^[\w.+-]+$/);

/**
 * What the page may say of itself on the resource: its browser (browser.* conventions) and its
 * SDK. service.name is the server's, and nothing else is taken: service.instance.id,
 * service.namespace, k8s.* and the like would become labels and index keys downstream.
 */
const RESOURCE_RULES: Record<string, Rule> = {
  'browser.language': printable(35, /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/),
  'browser.platform': printable(32, /^[\w .-]+$/),
  'browser.mobile': (v) => boolOf(v),
  'browser.brands': (v) => {
    const brands = stringsOf(v, 8);
    return brands?.every((b) => b.length <= 64 && /^[\x20-\x7e]+$/.test(b)) ? brands : undefined;
  },
  'telemetry.sdk.language': oneOf(['webjs']),
  'telemetry.sdk.name': oneOf(['opentelemetry']),
  'telemetry.sdk.version': printable(32, /^\d+\.\d+\.\d+[\w.+-]*$/),
};

/** The resource a page's batch is sent on with: the web service's name and what RESOURCE_RULES allow. */
export function pageResource(entry: Json, where: string, count: ElementCount): Record<string, AttributeValue> {
  const resource = entry.resource;
  const values =
    resource && typeof resource === 'object'
      ? keyValues(resource as Json, `${where}.resource`, LIMITS.attributes, count)
      : new Map();
  return { ...allowed(values, RESOURCE_RULES).attributes, [ATTR_SERVICE_NAME]: WEB_SERVICE_NAME };
}

/** The scope of a list of items: one of the page's, and its version when it looks like one. */
export function pageScope(entry: Json, where: string): { name: string; version?: string } {
  const scope = (entry.scope ?? {}) as Json;
  const name = scope.name;
  if (typeof name !== 'string' || !PAGE_SCOPES.has(name)) {
    throw new RelayError(`${where}.scope.name must be one of the page's: ${[...PAGE_SCOPES].join(', ')}`);
  }
  const version = scopeVersion({ stringValue: scope.version });
  return typeof version === 'string' ? { name, version } : { name };
}

/** A time within WINDOW of `nowMs`, as [seconds, nanoseconds] (the SDK's HrTime). */
export function pageTime(value: unknown, where: string, nowMs: number): [number, number] {
  const ns = unixNano(value, where);
  const ms = Number(ns / 1_000_000n);
  if (ms < nowMs - WINDOW.pastMs || ms > nowMs + WINDOW.futureMs) {
    throw new RelayError(
      `${where}: the time is not within ${WINDOW.pastMs / 60_000} minutes before or ${WINDOW.futureMs / 60_000} after the server's clock`,
    );
  }
  return [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];
}

/** The three levels of an OTLP/JSON request, as one signal names them. */
export interface Shape {
  resource: 'resourceSpans' | 'resourceLogs';
  scope: 'scopeSpans' | 'scopeLogs';
  items: 'spans' | 'logRecords';
}

/**
 * Every item of the page's request, each built by `build` with the resource and scope it is sent
 * on with, within the limits on resources, scopes and items; a RelayError says what is wrong.
 */
export function pageItems<T>(
  text: string,
  shape: Shape,
  build: (item: Json, where: string, scope: InstrumentationScope, resource: Resource, count: ElementCount) => T,
): T[] {
  const body = parse(text);
  const count = new ElementCount();
  const out: T[] = [];
  let scopes = 0;
  for (const [i, entry] of list(body, shape.resource, 'body', LIMITS.resources, count).entries()) {
    const where = `${shape.resource}[${i}]`;
    const resource = resourceFromAttributes(pageResource(entry, where, count));
    const scopeList = list(entry, shape.scope, where, LIMITS.scopes, count);
    scopes += scopeList.length;
    if (scopes > LIMITS.scopes) throw new RelayError(`more than ${LIMITS.scopes} scopes in one request`);
    for (const [j, scoped] of scopeList.entries()) {
      const at = `${where}.${shape.scope}[${j}]`;
      const scope = pageScope(scoped, at);
      for (const [k, item] of list(scoped, shape.items, at, LIMITS.items, count).entries()) {
        out.push(build(item, `${at}.${shape.items}[${k}]`, scope, resource, count));
        if (out.length > LIMITS.items) throw new RelayError(`more than ${LIMITS.items} ${shape.items} in one request`);
      }
    }
  }
  return out;
}
