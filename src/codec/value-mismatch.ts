import { LakefnError, quoteValue } from '../errors/index.ts';
import { JsonNumberLiteral } from './exact-json-parser.ts';

/** What a converter found wrong; `path` grows (innermost first) as the error leaves nested converters. */
export interface MismatchDetails {
  readonly expected: string;
  readonly shown: string;
  readonly detail: string | undefined;
  readonly path: string[];
}

const SHOWN_LENGTH = 80;

/** quoteValue without scanning all of a long text (replies and values may be megabytes). */
export function quoteShort(text: string, maxLength = SHOWN_LENGTH): string {
  if (text.length <= maxLength) return quoteValue(text, maxLength);
  return `${quoteValue(text.slice(0, maxLength), maxLength).slice(0, -1)}…(${text.length} chars)'`;
}

/** A short, safe rendering of any value for error messages (truncated, control characters visible). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return quoteShort(value);
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value instanceof JsonNumberLiteral) return quoteShort(value.text).slice(1, -1);
  if (value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (value instanceof Map) return `Map(${value.size})`;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : `Date(${value.toISOString()})`;
  if (typeof value === 'function' || typeof value === 'symbol') return typeof value;
  let text: string;
  try {
    text = JSON.stringify(value, (_key, inner: unknown) => (typeof inner === 'bigint' ? `${inner}n` : inner instanceof JsonNumberLiteral ? inner.text : inner)) ?? typeof value;
  } catch {
    text = Object.prototype.toString.call(value);
  }
  return quoteShort(text).slice(1, -1);
}

/**
 * The error a converter throws when a value does not fit a type. It never leaves the codec as is: the codec turns
 * it into E_BAD_ROW (arguments) or E_TYPE_COERCION (results) with the argument, path and row.
 */
export function valueMismatch(expected: string, value: unknown, detail?: string): LakefnError {
  const details: MismatchDetails = { expected, shown: describeValue(value), detail, path: [] };
  return new LakefnError('E_TYPE_COERCION', `expected ${expected}, got ${details.shown}`, { data: { mismatch: details } });
}

/** The mismatch carried by `error`, if it is one. */
export function mismatchDetails(error: unknown): MismatchDetails | undefined {
  if (!LakefnError.isInstance(error)) return undefined;
  const details = error.data?.['mismatch'];
  return typeof details === 'object' && details !== null && Array.isArray((details as MismatchDetails).path) ? (details as MismatchDetails) : undefined;
}

/** Records that the mismatch happened inside `segment` (e.g. `[3]`, `.name`, `['key']`), then rethrows. */
export function rethrowWithinPath(error: unknown, segment: string): never {
  mismatchDetails(error)?.path.unshift(segment);
  throw error;
}

/** `expected DATE, got '2023-02-30' (not a calendar date)`, with ` at x[2].a` when nested. */
export function describeMismatch(details: MismatchDetails, root: string): string {
  const at = details.path.length > 0 ? ` at ${root}${details.path.join('')}` : '';
  const detail = details.detail === undefined ? '' : ` (${details.detail})`;
  return `${at}: expected ${details.expected}, got ${details.shown}${detail}`;
}
