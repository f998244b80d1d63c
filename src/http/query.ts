// Query-string parameters checked strictly: one value, the expected syntax, inside the bounds.
// Anything else is a 400 that says what was expected, never NaN flowing into the handler.
import type { Context } from 'hono';
import { badRequest } from './errors.js';

function single(c: Context, name: string): string | undefined {
  const values = c.req.queries(name);
  if (!values || values.length === 0) return undefined;
  if (values.length > 1) throw badRequest(`"${name}" must be given once, got ${values.length} values`);
  return values[0];
}

function show(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

/** A whole number in [min, max]; undefined when absent. */
export function integerParam(c: Context, name: string, bounds: { min: number; max: number }): number | undefined {
  const raw = single(c, name);
  if (raw === undefined) return undefined;
  const value = /^\d{1,16}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(value) || value < bounds.min || value > bounds.max) {
    throw badRequest(`"${name}" must be an integer from ${bounds.min} to ${bounds.max}, got ${show(raw)}`);
  }
  return value;
}

/** A decimal number in [min, max]; undefined when absent. */
export function numberParam(c: Context, name: string, bounds: { min: number; max: number }): number | undefined {
  const raw = single(c, name);
  if (raw === undefined) return undefined;
  const value = /^\d{0,16}(\.\d{0,16})?$/.test(raw) && raw !== '.' && raw !== '' ? Number(raw) : Number.NaN;
  if (!Number.isFinite(value) || value < bounds.min || value > bounds.max) {
    throw badRequest(`"${name}" must be a number from ${bounds.min} to ${bounds.max}, got ${show(raw)}`);
  }
  return value;
}
