// The page's log records, rebuilt from its OTLP/JSON as the SDK's own ReadableLogRecord objects.
// The page sends one kind of record, the semantic conventions' browser.web_vital event: its name,
// rating and value must come from the Web Vitals' defined sets and ranges (the End user dashboard
// reads them), and its url.path must be a page the service serves, or it becomes `other`.
import type { AttributeValue, SpanContext } from '@opentelemetry/api';
import { TraceFlags } from '@opentelemetry/api';
import type { ReadableLogRecord } from '@opentelemetry/sdk-logs';
import { PAGE_PATHS, WEB_VITAL_EVENT } from '../ui/names.js';
import { hexId, type Json, keyValues, numberOf, RelayError, smallInt, stringOf } from './otlp-json.js';
import { LIMITS, pageItems, pageTime } from './page-rules.js';

/** Each vital's largest plausible value: CLS is a score, the others milliseconds. */
export const WEB_VITAL_MAX: Record<string, number> = {
  CLS: 100,
  FCP: 600_000,
  INP: 600_000,
  LCP: 600_000,
  TTFB: 600_000,
};
export const WEB_VITAL_RATINGS = ['good', 'needs-improvement', 'poor'];
const NAVIGATION_TYPES = ['navigate', 'reload', 'back-forward', 'back-forward-cache', 'prerender', 'restore'];
const OTHER_PATH = 'other';

function vitalAttributes(values: Map<string, Json>, where: string): Record<string, AttributeValue> {
  const name = stringOf(values.get('browser.web_vital.name'));
  const max = name === undefined ? undefined : WEB_VITAL_MAX[name];
  if (max === undefined)
    throw new RelayError(`${where}: browser.web_vital.name must be one of ${Object.keys(WEB_VITAL_MAX).join(', ')}`);
  const rating = stringOf(values.get('browser.web_vital.rating'));
  if (rating === undefined || !WEB_VITAL_RATINGS.includes(rating)) {
    throw new RelayError(`${where}: browser.web_vital.rating must be one of ${WEB_VITAL_RATINGS.join(', ')}`);
  }
  const value = numberOf(values.get('browser.web_vital.value'));
  if (value === undefined || value < 0 || value > max) {
    throw new RelayError(`${where}: browser.web_vital.value of ${name} must be a number from 0 to ${max}`);
  }
  const out: Record<string, AttributeValue> = {
    'browser.web_vital.name': name,
    'browser.web_vital.rating': rating,
    'browser.web_vital.value': value,
  };
  const delta = numberOf(values.get('browser.web_vital.delta'));
  if (delta !== undefined && Math.abs(delta) <= max) out['browser.web_vital.delta'] = delta;
  const id = stringOf(values.get('browser.web_vital.id'));
  if (id !== undefined && /^v\d{1,2}-\d{1,20}-\d{1,20}$/.test(id)) out['browser.web_vital.id'] = id;
  const navigation = stringOf(values.get('browser.web_vital.navigation_type'));
  if (navigation !== undefined && NAVIGATION_TYPES.includes(navigation))
    out['browser.web_vital.navigation_type'] = navigation;
  const path = stringOf(values.get('url.path'));
  out['url.path'] = path !== undefined && PAGE_PATHS.includes(path) ? path : OTHER_PATH;
  return out;
}

function spanContextOf(record: Json, where: string): SpanContext | undefined {
  if (record.traceId === undefined || record.traceId === '') return undefined;
  return {
    traceId: hexId(record.traceId, 16, `${where}.traceId`),
    spanId: hexId(record.spanId, 8, `${where}.spanId`),
    traceFlags: TraceFlags.SAMPLED,
  };
}

/** The log records to send on, from the text the page posted; a RelayError says what is wrong. */
export function pageLogs(text: string, nowMs: number): ReadableLogRecord[] {
  const shape = { resource: 'resourceLogs', scope: 'scopeLogs', items: 'logRecords' } as const;
  return pageItems(text, shape, (record, where, scope, resource, count): ReadableLogRecord => {
    if (record.eventName !== WEB_VITAL_EVENT)
      throw new RelayError(`${where}.eventName: the page sends ${WEB_VITAL_EVENT} events only`);
    const hrTime = pageTime(record.timeUnixNano, `${where}.timeUnixNano`, nowMs);
    const observed =
      record.observedTimeUnixNano === undefined
        ? hrTime
        : pageTime(record.observedTimeUnixNano, `${where}.observedTimeUnixNano`, nowMs);
    const values = keyValues(record, where, LIMITS.attributes, count);
    const attributes = vitalAttributes(values, where);
    const severityNumber = smallInt(record.severityNumber, `${where}.severityNumber`, 0, 24, 0);
    return {
      hrTime,
      hrTimeObserved: observed,
      spanContext: spanContextOf(record, where),
      severityNumber: severityNumber === 0 ? undefined : severityNumber,
      eventName: WEB_VITAL_EVENT,
      resource,
      instrumentationScope: scope,
      attributes,
      droppedAttributesCount: [...values.keys()].filter((key) => !(key in attributes)).length,
    };
  });
}
