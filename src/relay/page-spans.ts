// The page's spans, rebuilt from its OTLP/JSON as the SDK's own ReadableSpan objects, which the
// SDK's exporter then sends on in whatever protocol the service exports in. A span keeps its ids
// and times; its name is one the page makes or `other` (span names become metric labels in the
// Collector's span metrics); its kind is internal or client (a page serves nothing); its
// attributes and events are those the rules of page-rules.ts allow.
import { type HrTime, SpanKind, SpanStatusCode, TraceFlags } from '@opentelemetry/api';
import type { ReadableSpan, TimedEvent } from '@opentelemetry/sdk-trace';
import { CLICK_SPAN_NAMES } from '../ui/names.js';
import {
  allowed,
  type ElementCount,
  hexId,
  isObject,
  type Json,
  keyValues,
  list,
  parentId,
  RelayError,
  smallInt,
} from './otlp-json.js';
import { LIMITS, pageItems, pageTime, SPAN_EVENT_NAMES, SPAN_RULES } from './page-rules.js';

// The span names the page makes, each with the kind it has: its fetches are client spans, its
// clicks and document-load spans internal. A name and kind are metric labels of the span
// metrics, so a span's kind follows from its name; only `other` keeps the kind it was sent with.
const FETCH_SPAN_NAMES = ['GET', 'POST', 'HEAD'];
const INTERNAL_SPAN_NAMES = [...CLICK_SPAN_NAMES, 'documentLoad', 'documentFetch', 'resourceFetch'];
export const PAGE_SPAN_NAMES = new Set([...FETCH_SPAN_NAMES, ...INTERNAL_SPAN_NAMES]);
export const OTHER_SPAN_NAME = 'other';

/** The longest a page's span may last: a slow page load, not a session. */
export const MAX_SPAN_MS = 5 * 60_000;

// OTLP's SpanKind numbers (1 internal, 3 client) as the API's enum; 0 is "unspecified".
const PAGE_KINDS: Record<number, SpanKind> = { 0: SpanKind.INTERNAL, 1: SpanKind.INTERNAL, 3: SpanKind.CLIENT };
const MAX_STATUS_MESSAGE = 256;

const nanos = ([s, ns]: HrTime) => BigInt(s) * 1_000_000_000n + BigInt(ns);
const hrTime = (ns: bigint): HrTime => [Number(ns / 1_000_000_000n), Number(ns % 1_000_000_000n)];

function events(span: Json, where: string, start: HrTime, end: HrTime, count: ElementCount) {
  const kept: TimedEvent[] = [];
  let dropped = 0;
  // Timings a little before the span's start or after its end happen (they come from the
  // browser's performance entries); far outside, they are not the span's.
  const [from, to] = [nanos(start) - 60_000_000_000n, nanos(end) + 60_000_000_000n];
  for (const [i, event] of list(span, 'events', where, LIMITS.events, count).entries()) {
    const at = `${where}.events[${i}]`;
    const time =
      typeof event.timeUnixNano === 'string' && /^\d{1,20}$/.test(event.timeUnixNano)
        ? BigInt(event.timeUnixNano)
        : undefined;
    count.add(Array.isArray(event.attributes) ? event.attributes.length : 0, at);
    if (
      typeof event.name !== 'string' ||
      !SPAN_EVENT_NAMES.has(event.name) ||
      time === undefined ||
      time < from ||
      time > to
    ) {
      dropped += 1;
      continue;
    }
    kept.push({ name: event.name, time: hrTime(time), attributes: {}, droppedAttributesCount: 0 });
  }
  return { kept, dropped };
}

function pageSpan(
  span: Json,
  where: string,
  nowMs: number,
  scope: ReadableSpan['instrumentationScope'],
  resource: ReadableSpan['resource'],
  count: ElementCount,
): ReadableSpan {
  const traceId = hexId(span.traceId, 16, `${where}.traceId`);
  const spanId = hexId(span.spanId, 8, `${where}.spanId`);
  const parentSpanId = parentId(span.parentSpanId, `${where}.parentSpanId`);
  const sentKind = PAGE_KINDS[smallInt(span.kind, `${where}.kind`, 0, 5, 0)];
  if (sentKind === undefined)
    throw new RelayError(`${where}.kind: a page makes internal (1) and client (3) spans only`);
  const name = typeof span.name === 'string' && PAGE_SPAN_NAMES.has(span.name) ? span.name : OTHER_SPAN_NAME;
  const kind = FETCH_SPAN_NAMES.includes(name)
    ? SpanKind.CLIENT
    : name === OTHER_SPAN_NAME
      ? sentKind
      : SpanKind.INTERNAL;
  const startTime = pageTime(span.startTimeUnixNano, `${where}.startTimeUnixNano`, nowMs);
  const endTime = pageTime(span.endTimeUnixNano, `${where}.endTimeUnixNano`, nowMs);
  const duration = nanos(endTime) - nanos(startTime);
  if (duration < 0n || duration > BigInt(MAX_SPAN_MS) * 1_000_000n) {
    throw new RelayError(
      `${where}: the end time must follow the start time, by at most ${MAX_SPAN_MS / 60_000} minutes`,
    );
  }
  const status = isObject(span.status) ? span.status : {};
  const code = smallInt(status.code, `${where}.status.code`, 0, 2, 0) as SpanStatusCode;
  const message =
    code === SpanStatusCode.ERROR && typeof status.message === 'string'
      ? status.message.slice(0, MAX_STATUS_MESSAGE)
      : undefined;
  const { attributes, dropped } = allowed(keyValues(span, where, LIMITS.attributes, count), SPAN_RULES);
  const timed = events(span, where, startTime, endTime, count);
  // A page makes no links; they count toward the request's elements and are not sent on.
  const links = Array.isArray(span.links) ? span.links.length : 0;
  count.add(links, `${where}.links`);
  return {
    name,
    kind,
    spanContext: () => ({ traceId, spanId, traceFlags: TraceFlags.SAMPLED }),
    parentSpanContext: parentSpanId
      ? { traceId, spanId: parentSpanId, traceFlags: TraceFlags.SAMPLED, isRemote: false }
      : undefined,
    startTime,
    endTime,
    duration: hrTime(duration),
    status: message === undefined ? { code } : { code, message },
    attributes,
    links: [],
    events: timed.kept,
    ended: true,
    resource,
    instrumentationScope: scope,
    droppedAttributesCount: dropped,
    droppedEventsCount: timed.dropped,
    droppedLinksCount: links,
  };
}

/** The spans to send on, from the text the page posted; a RelayError says what is wrong, for a 400. */
export function pageSpans(text: string, nowMs: number): ReadableSpan[] {
  return pageItems(
    text,
    { resource: 'resourceSpans', scope: 'scopeSpans', items: 'spans' },
    (span, where, scope, resource, count) => pageSpan(span, where, nowMs, scope, resource, count),
  );
}
