/** An exact decimal value: (negative ? −1 : 1) × `integerDigits`.`fractionDigits`. */
export interface DecimalParts {
  readonly negative: boolean;
  /** Without leading zeros: '' when the integer part is zero. */
  readonly integerDigits: string;
  /** Without trailing zeros: '' when the value is integral. */
  readonly fractionDigits: string;
}

/** Longest decimal text accepted (checked before scanning). */
export const MAX_DECIMAL_TEXT_LENGTH = 400;
/** Larger exponents cannot describe any DECIMAL/BIGINT value unless the digits are all zero. */
const MAX_EXPONENT = 400;

function isDigitCode(code: number): boolean {
  return code >= 0x30 && code <= 0x39;
}

/** Index after the run of digits starting at `from`. */
function skipDigits(text: string, from: number): number {
  let index = from;
  while (isDigitCode(text.charCodeAt(index))) index++;
  return index;
}

/**
 * Parses `[+-]digits[.digits][(e|E)[+-]digits]` exactly (also `5.` and `.5`, as some languages print them).
 * Returns undefined when `text` is not such a number, is longer than MAX_DECIMAL_TEXT_LENGTH, or has an exponent
 * beyond ±400 with non-zero digits (no SQL exact-numeric value is that large or that precise).
 */
export function parseDecimalText(text: string): DecimalParts | undefined {
  if (text.length === 0 || text.length > MAX_DECIMAL_TEXT_LENGTH) return undefined;
  let index = 0;
  const sign = text.charCodeAt(0);
  const negative = sign === 0x2d;
  if (negative || sign === 0x2b) index++;
  const integerEnd = skipDigits(text, index);
  const integerText = text.slice(index, integerEnd);
  index = integerEnd;
  let fractionText = '';
  if (text.charCodeAt(index) === 0x2e) {
    const fractionEnd = skipDigits(text, index + 1);
    fractionText = text.slice(index + 1, fractionEnd);
    index = fractionEnd;
  }
  if (integerText.length + fractionText.length === 0) return undefined;
  let exponent = 0;
  const marker = text.charCodeAt(index);
  if (marker === 0x65 || marker === 0x45) {
    const exponentSign = text.charCodeAt(index + 1);
    const exponentStart = exponentSign === 0x2d || exponentSign === 0x2b ? index + 2 : index + 1;
    const exponentEnd = skipDigits(text, exponentStart);
    if (exponentEnd === exponentStart) return undefined;
    // Capped: the digits were length-checked, and a huge exponent is rejected below unless the value is zero.
    exponent = Math.min(Number(text.slice(exponentStart, exponentEnd)), MAX_EXPONENT + 1);
    if (exponentSign === 0x2d) exponent = -exponent;
    index = exponentEnd;
  }
  if (index !== text.length) return undefined;
  const allDigits = trimLeadingZeros(integerText + fractionText);
  if (allDigits === '') return { negative: false, integerDigits: '', fractionDigits: '' };
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined;
  // The decimal point sits `pointFromEnd` digits before the end of `allDigits`.
  const pointFromEnd = fractionText.length - exponent;
  let integerDigits: string;
  let fractionDigits: string;
  if (pointFromEnd <= 0) {
    integerDigits = allDigits + '0'.repeat(-pointFromEnd);
    fractionDigits = '';
  } else if (pointFromEnd >= allDigits.length) {
    integerDigits = '';
    fractionDigits = '0'.repeat(pointFromEnd - allDigits.length) + allDigits;
  } else {
    integerDigits = allDigits.slice(0, allDigits.length - pointFromEnd);
    fractionDigits = allDigits.slice(allDigits.length - pointFromEnd);
  }
  return { negative, integerDigits, fractionDigits: trimTrailingZeros(fractionDigits) };
}

function trimLeadingZeros(digits: string): string {
  let start = 0;
  while (digits.charCodeAt(start) === 0x30) start++;
  return digits.slice(start);
}

function trimTrailingZeros(digits: string): string {
  let end = digits.length;
  while (end > 0 && digits.charCodeAt(end - 1) === 0x30) end--;
  return digits.slice(0, end);
}

/** Why `parts` does not fit DECIMAL(precision, scale), or undefined when it fits. */
export function decimalFitProblem(parts: DecimalParts, precision: number, scale: number): string | undefined {
  if (parts.fractionDigits.length > scale) return `${parts.fractionDigits.length} fractional digits, at most ${scale} allowed`;
  if (parts.integerDigits.length > precision - scale) return `${parts.integerDigits.length} integer digits, at most ${precision - scale} allowed`;
  return undefined;
}

/** Canonical text with exactly `scale` fractional digits, e.g. `-12.50` for DECIMAL(10,2); zero is never negative. */
export function formatDecimal(parts: DecimalParts, scale: number): string {
  const isZero = parts.integerDigits === '' && parts.fractionDigits === '';
  const sign = parts.negative && !isZero ? '-' : '';
  const integer = parts.integerDigits === '' ? '0' : parts.integerDigits;
  return scale === 0 ? `${sign}${integer}` : `${sign}${integer}.${parts.fractionDigits.padEnd(scale, '0')}`;
}

/** The integer value of `parts`, or undefined when it has a fractional part. */
export function decimalToBigInt(parts: DecimalParts): bigint | undefined {
  if (parts.fractionDigits !== '') return undefined;
  if (parts.integerDigits === '') return 0n;
  const magnitude = BigInt(parts.integerDigits);
  return parts.negative ? -magnitude : magnitude;
}

/** Strict integer text `[+-]digits` (at most 40 characters) as a bigint, else undefined. */
export function parseIntegerText(text: string): bigint | undefined {
  if (text.length === 0 || text.length > 40) return undefined;
  const sign = text.charCodeAt(0);
  const start = sign === 0x2d || sign === 0x2b ? 1 : 0;
  if (start === text.length || skipDigits(text, start) !== text.length) return undefined;
  return BigInt(text);
}
