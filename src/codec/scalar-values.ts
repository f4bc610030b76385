import { normalizeTimestampText, timestampTextFromDate, validateDateText } from './calendar-text.ts';
import { type DecimalParts, decimalFitProblem, decimalToBigInt, formatDecimal, parseDecimalText, parseIntegerText } from './decimal-text.ts';
import { JsonNumberLiteral } from './exact-json-parser.ts';
import { valueMismatch } from './value-mismatch.ts';

// Canonical conversions shared by the encoders (JS value → wire) and decoders (wire value → JS). Each throws
// valueMismatch(expected, value, why) when the value does not fit; `expected` is the type text for messages.

export const INT_MIN = -2_147_483_648;
export const INT_MAX = 2_147_483_647;
export const BIGINT_MIN = -(2n ** 63n);
export const BIGINT_MAX = 2n ** 63n - 1n;
export const SAFE_INTEGER_MAX = BigInt(Number.MAX_SAFE_INTEGER);
/** Largest finite single-precision value. */
export const FLOAT_MAX = 3.4028234663852886e38;

/** An exact numeric JS or wire value (number, bigint, decimal text, exact JSON literal) as decimal parts. */
function decimalPartsOf(value: unknown, expected: string): DecimalParts {
  let text: string | undefined;
  if (typeof value === 'string') text = value;
  else if (value instanceof JsonNumberLiteral) text = value.text;
  else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
  else if (typeof value === 'bigint') text = String(value);
  if (text === undefined) throw valueMismatch(expected, value);
  const parts = parseDecimalText(text);
  if (parts === undefined) throw valueMismatch(expected, value, 'not a decimal number');
  return parts;
}

/** INT from a number, a bigint or an exact JSON literal; -0 becomes 0. */
export function toInt(value: unknown, expected: string): number {
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw valueMismatch(expected, value, 'not an integer');
    if (value < INT_MIN || value > INT_MAX) throw valueMismatch(expected, value, 'outside the 32-bit range');
    return value === 0 ? 0 : value;
  }
  if (typeof value === 'bigint' || value instanceof JsonNumberLiteral) {
    const integer = typeof value === 'bigint' ? value : decimalToBigInt(decimalPartsOf(value, expected));
    if (integer === undefined) throw valueMismatch(expected, value, 'not an integer');
    if (integer < BigInt(INT_MIN) || integer > BigInt(INT_MAX)) throw valueMismatch(expected, value, 'outside the 32-bit range');
    return Number(integer);
  }
  throw valueMismatch(expected, value);
}

/** BIGINT from a bigint, a safe-integer number, integer text, or an exact JSON literal. */
export function toBigInt(value: unknown, expected: string): bigint {
  let integer: bigint | undefined;
  if (typeof value === 'bigint') {
    integer = value;
  } else if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw valueMismatch(expected, value, 'not an integer');
    if (!Number.isSafeInteger(value)) throw valueMismatch(expected, value, 'a number beyond ±(2^53−1) is not exact; use a bigint or a string');
    integer = BigInt(value);
  } else if (typeof value === 'string') {
    integer = parseIntegerText(value);
    if (integer === undefined) throw valueMismatch(expected, value, 'not integer text');
  } else if (value instanceof JsonNumberLiteral) {
    integer = decimalToBigInt(decimalPartsOf(value, expected));
    if (integer === undefined) throw valueMismatch(expected, value, 'not an integer');
  } else {
    throw valueMismatch(expected, value);
  }
  if (integer < BIGINT_MIN || integer > BIGINT_MAX) throw valueMismatch(expected, value, 'outside the 64-bit range');
  return integer;
}

/**
 * FLOAT/DOUBLE from a parsed wire value: a number, an exact JSON literal, or 'NaN' / 'Infinity' / '-Infinity'.
 * JSON has no infinite number, so an infinite parsed number came from an overflowing literal such as 1e400.
 */
export function toFloatingPoint(value: unknown, expected: string, isFloat: boolean): number {
  let number: number;
  if (typeof value === 'number' || value instanceof JsonNumberLiteral) {
    number = typeof value === 'number' ? value : Number(value.text);
    if (!Number.isFinite(number)) throw valueMismatch(expected, value, `outside the ${expected} range`);
  } else if (value === 'NaN') {
    return Number.NaN;
  } else if (value === 'Infinity') {
    return Number.POSITIVE_INFINITY;
  } else if (value === '-Infinity') {
    return Number.NEGATIVE_INFINITY;
  } else {
    throw valueMismatch(expected, value);
  }
  if (isFloat && Number.isFinite(number) && Math.abs(number) > FLOAT_MAX) throw valueMismatch(expected, value, 'outside the FLOAT range');
  return number;
}

/** JSON text of a FLOAT/DOUBLE; NaN and infinities travel as the strings "NaN", "Infinity", "-Infinity". */
export function floatingPointJson(number: number): string {
  if (Number.isNaN(number)) return '"NaN"';
  if (number === Number.POSITIVE_INFINITY) return '"Infinity"';
  if (number === Number.NEGATIVE_INFINITY) return '"-Infinity"';
  return Object.is(number, -0) ? '-0' : String(number);
}

/** Canonical DECIMAL(precision, scale) text (exactly `scale` fractional digits); rejects values that do not fit. */
export function toDecimalText(value: unknown, expected: string, precision: number, scale: number): string {
  const parts = decimalPartsOf(value, expected);
  const problem = decimalFitProblem(parts, precision, scale);
  if (problem !== undefined) throw valueMismatch(expected, value, problem);
  return formatDecimal(parts, scale);
}

export function toDateText(value: unknown, expected: string): string {
  if (typeof value !== 'string') throw valueMismatch(expected, value, value instanceof Date ? "pass a 'YYYY-MM-DD' string" : undefined);
  const result = validateDateText(value);
  if (typeof result !== 'string') throw valueMismatch(expected, value, result.problem);
  return result;
}

/** Normalised UTC TIMESTAMP text from ISO-8601 text with a zone (or, when `acceptDate`, a Date). */
export function toTimestampText(value: unknown, expected: string, acceptDate: boolean): string {
  let result;
  if (typeof value === 'string') result = normalizeTimestampText(value);
  else if (acceptDate && value instanceof Date) result = timestampTextFromDate(value);
  else throw valueMismatch(expected, value);
  if (typeof result !== 'string') throw valueMismatch(expected, value, result.problem);
  return result;
}

/** Standard base64, padded or not; one character class, so linear. */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export function bytesFromBase64(value: unknown, expected: string): Uint8Array {
  if (typeof value !== 'string') throw valueMismatch(expected, value, 'binary travels as a base64 string');
  const padded = value.endsWith('=');
  if (!BASE64.test(value) || value.length % 4 === 1 || (padded && value.length % 4 !== 0)) throw valueMismatch(expected, value, 'not base64');
  const buffer = Buffer.from(value, 'base64');
  // A plain Uint8Array copy: not a Buffer, and not a view that pins Buffer's shared pool.
  return new Uint8Array(buffer);
}

export function base64FromBytes(value: unknown, expected: string): string {
  if (!(value instanceof Uint8Array)) throw valueMismatch(expected, value, 'pass a Uint8Array');
  return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
}
