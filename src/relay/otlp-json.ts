// Reading the page's OTLP/JSON, one field at a time: only the fields a page's SDK writes, in the
// one spelling it writes them (lowerCamelCase, the OTLP/JSON mapping's), each checked as it is
// read. Nothing is copied from the body as a whole, so a key in another spelling (the Collector
// also reads snake_case) or one that no rule names can never be sent on. Every list read counts
// toward one budget of elements per request, so no shape of body (thousands of empty resources,
// empty scopes, attributes) costs more than its size says. Hand-written: the SDK has a writer of
// OTLP/JSON and no reader.
import type { AttributeValue } from '@opentelemetry/api';

/** A body the relay will not send on; the message says what is wrong, for a 400. */
export class RelayError extends Error {}

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The body as a JSON object, or a RelayError. */
export function parse(text: string): Json {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RelayError('body is not JSON: the page sends OTLP/JSON');
  }
  if (!isObject(body)) throw new RelayError('body must be a JSON object');
  return body;
}

/** The elements (resources, scopes, items, events, links, attributes) one request may hold. */
export const MAX_ELEMENTS = 4096;

/** Counts the elements of one request as they are read; past MAX_ELEMENTS, a RelayError. */
export class ElementCount {
  private total = 0;
  add(n: number, where: string): void {
    this.total += n;
    if (this.total > MAX_ELEMENTS)
      throw new RelayError(`more than ${MAX_ELEMENTS} elements in one request (at ${where})`);
  }
}

/** parent[key] as a list of objects of at most `max` entries (absent: empty). */
export function list(parent: Json, key: string, where: string, max: number, count: ElementCount): Json[] {
  const value = parent[key] ?? [];
  if (!Array.isArray(value)) throw new RelayError(`${where}.${key} must be a list`);
  if (value.length > max) throw new RelayError(`${where}.${key} has ${value.length} entries, more than ${max}`);
  count.add(value.length, `${where}.${key}`);
  if (!value.every(isObject)) throw new RelayError(`${where}.${key} must be a list of objects`);
  return value;
}

/** An attribute list as key -> OTLP AnyValue object; the first of a repeated key wins. */
export function keyValues(parent: Json, where: string, max: number, count: ElementCount): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const entry of list(parent, 'attributes', where, max, count)) {
    if (typeof entry.key !== 'string' || !isObject(entry.value)) {
      throw new RelayError(`${where}.attributes must be a list of {key, value}`);
    }
    if (!out.has(entry.key)) out.set(entry.key, entry.value);
  }
  return out;
}

/** A trace id (16 bytes) or span id (8 bytes) in hex, as OTLP/JSON writes them; not all zeros. */
export function hexId(value: unknown, bytes: 8 | 16, where: string): string {
  if (typeof value !== 'string' || value.length !== bytes * 2 || !/^[0-9a-fA-F]+$/.test(value) || /^0+$/.test(value)) {
    throw new RelayError(`${where} must be ${bytes * 2} hex digits, not all zero`);
  }
  return value.toLowerCase();
}

/** A parentSpanId: absent or empty for a root span. */
export function parentId(value: unknown, where: string): string | undefined {
  return value === undefined || value === '' ? undefined : hexId(value, 8, where);
}

/** A *UnixNano field: a decimal string (OTLP/JSON's 64-bit form) or a safe integer. */
export function unixNano(value: unknown, where: string): bigint {
  if (typeof value === 'string' && /^\d{1,20}$/.test(value)) return BigInt(value);
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  throw new RelayError(`${where} must be a time in Unix nanoseconds`);
}

/** A small integer field (kind, status code, severity), absent meaning `fallback`. */
export function smallInt(value: unknown, where: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new RelayError(`${where} must be an integer from ${min} to ${max}`);
  }
  return value;
}

// The AnyValue readers: each gives the value when it has that type, else undefined.

export const stringOf = (v: Json | undefined): string | undefined =>
  typeof v?.stringValue === 'string' ? v.stringValue : undefined;

export const boolOf = (v: Json | undefined): boolean | undefined =>
  typeof v?.boolValue === 'boolean' ? v.boolValue : undefined;

/** intValue (a decimal string or a number in OTLP/JSON), as a safe integer. */
export function intOf(v: Json | undefined): number | undefined {
  const raw = v?.intValue;
  const n = typeof raw === 'string' && /^-?\d{1,16}$/.test(raw) ? Number(raw) : raw;
  return typeof n === 'number' && Number.isSafeInteger(n) ? n : undefined;
}

/** doubleValue, or an intValue: a finite number. */
export function numberOf(v: Json | undefined): number | undefined {
  const d = v?.doubleValue;
  if (typeof d === 'number' && Number.isFinite(d)) return d;
  return intOf(v);
}

/** An arrayValue of strings, one level deep, of at most `max` entries. */
export function stringsOf(v: Json | undefined, max: number): string[] | undefined {
  const array = v?.arrayValue;
  if (!isObject(array) || !Array.isArray(array.values) || array.values.length > max) return undefined;
  const out: string[] = [];
  for (const item of array.values) {
    const s = isObject(item) ? stringOf(item) : undefined;
    if (s === undefined) return undefined;
    out.push(s);
  }
  return out;
}

/** An attribute rule: the value to send on, or undefined when the value breaks the rule. */
export type Rule = (value: Json) => AttributeValue | undefined;

/**
 * The attributes that have a rule, each as its rule gives it; `dropped` counts the rest (no rule,
 * or a value that breaks it), for the item's droppedAttributesCount.
 */
export function allowed(
  values: Map<string, Json>,
  rules: Record<string, Rule>,
): { attributes: Record<string, AttributeValue>; dropped: number } {
  const attributes: Record<string, AttributeValue> = {};
  let dropped = 0;
  for (const [key, value] of values) {
    const rule = Object.hasOwn(rules, key) ? rules[key] : undefined;
    const out = rule?.(value);
    if (out === undefined) dropped += 1;
    else attributes[key] = out;
  }
  return { attributes, dropped };
}
