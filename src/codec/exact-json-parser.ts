import { LakefnError } from '../errors/index.ts';

/**
 * A JSON number whose literal a double may not carry exactly (an integer beyond ±(2^53−1), or 16 or more digits, or
 * an exponent beyond ±250). Kept as text so BIGINT and DECIMAL results stay exact. Every other literal becomes a
 * number whose shortest text (String(n)) has the literal's exact decimal value.
 */
export class JsonNumberLiteral {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/**
 * Deepest nesting of arrays and objects accepted, in a parsed document and in an encoded value: bounds the work a
 * hostile document can cause downstream (and stops reference cycles when encoding).
 */
export const MAX_JSON_DEPTH = 1000;

/** A double reproduces every decimal of up to 15 significant digits (DBL_DIG) when formatted back. */
const EXACT_DIGITS = 15;
/** Exponents up to this size keep a ≤15-digit literal far inside the normal double range. */
const EXACT_EXPONENT = 250;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const DOT = 0x2e;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const LOWER_E = 0x65;
const UPPER_E = 0x45;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

// One character class, no quantifier nesting: linear.
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f]/;

const ESCAPES: Readonly<Record<string, string>> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

function isDigit(code: number): boolean {
  return code >= DIGIT_0 && code <= DIGIT_9;
}

function isWhitespace(code: number): boolean {
  return code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;
}

/**
 * Index of the quote closing the string that opens at `openQuote`, or -1. Linear over a whole document:
 * each run of backslashes is counted once, for the quote right after it.
 */
export function findClosingQuote(text: string, openQuote: number): number {
  let quote = text.indexOf('"', openQuote + 1);
  while (quote !== -1) {
    let backslashes = 0;
    while (text.charCodeAt(quote - 1 - backslashes) === BACKSLASH) backslashes++;
    if (backslashes % 2 === 0) return quote;
    quote = text.indexOf('"', quote + 1);
  }
  return -1;
}

/**
 * True when `text` may hold a number literal that JSON.parse would not keep exactly (16+ digits or an exponent).
 * Conservative and linear; string contents are skipped with indexOf, so replies of strings cost little.
 */
export function mayHoldInexactNumber(text: string): boolean {
  const length = text.length;
  for (let index = 0; index < length; index++) {
    const code = text.charCodeAt(index);
    if (code === QUOTE) {
      const closing = findClosingQuote(text, index);
      if (closing === -1) return false;
      index = closing;
    } else if (isDigit(code)) {
      let digits = 0;
      let end = index;
      for (; end < length; end++) {
        const next = text.charCodeAt(end);
        if (isDigit(next)) digits++;
        else if (next === LOWER_E || next === UPPER_E) return true;
        else if (next !== DOT) break;
      }
      if (digits > EXACT_DIGITS) return true;
      index = end - 1;
    }
  }
  return false;
}

function setProperty(target: Record<string, unknown>, key: string, value: unknown): void {
  // A plain assignment to "__proto__" would replace the prototype; JSON.parse makes it an own property.
  if (key === '__proto__') Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
  else target[key] = value;
}

/**
 * Recursive-descent-free JSON reader: containers live on an explicit stack. Stricter than JSON.parse where JSON.parse
 * would silently pick a meaning: an object with the same key twice is refused (JSON.parse keeps the last value), and
 * so is nesting deeper than MAX_JSON_DEPTH.
 */
class ExactJsonReader {
  private readonly text: string;
  private readonly keepNumberLiterals: boolean;
  private position = 0;
  /**
   * Position of the next backslash at or after the string being read (-1: none left; -2: not searched yet),
   * cached so that the searches only move forward and stay linear.
   */
  private nextBackslash = -2;

  constructor(text: string, keepNumberLiterals: boolean) {
    this.text = text;
    this.keepNumberLiterals = keepNumberLiterals;
  }

  read(): unknown {
    const containers: (unknown[] | Record<string, unknown>)[] = [];
    const keys: string[] = [];
    for (;;) {
      let value: unknown;
      const code = this.skipWhitespace();
      if (code === OPEN_BRACE || code === OPEN_BRACKET) {
        if (containers.length >= MAX_JSON_DEPTH) this.fail(`nested deeper than ${MAX_JSON_DEPTH} levels of arrays and objects`, this.position, 'depth');
        this.position++;
        const isArray = code === OPEN_BRACKET;
        const closing = this.skipWhitespace();
        if (closing === (isArray ? CLOSE_BRACKET : CLOSE_BRACE)) {
          this.position++;
          value = isArray ? [] : {};
        } else {
          containers.push(isArray ? [] : {});
          keys.push(isArray ? '' : this.readKey());
          continue;
        }
      } else {
        value = this.readScalar(code);
      }
      // Attach the value to its container, closing every container that ends here.
      for (;;) {
        const container = containers.at(-1);
        if (container === undefined) {
          if (this.skipWhitespace() !== -1) this.fail('unexpected text after the JSON value');
          return value;
        }
        const isArray = Array.isArray(container);
        if (isArray) container.push(value);
        else setProperty(container, keys.at(-1) ?? '', value);
        const next = this.skipWhitespace();
        if (next === COMMA) {
          this.position++;
          if (!isArray) keys[keys.length - 1] = this.readNewKey(container);
          break;
        }
        if (next !== (isArray ? CLOSE_BRACKET : CLOSE_BRACE)) this.fail(isArray ? "expected ',' or ']'" : "expected ',' or '}'");
        this.position++;
        value = containers.pop();
        keys.pop();
      }
    }
  }

  /** Skips whitespace; returns the next character code, or -1 at the end. */
  private skipWhitespace(): number {
    const text = this.text;
    let position = this.position;
    while (position < text.length && isWhitespace(text.charCodeAt(position))) position++;
    this.position = position;
    return position < text.length ? text.charCodeAt(position) : -1;
  }

  private readKey(): string {
    if (this.skipWhitespace() !== QUOTE) this.fail('expected a string key');
    const key = this.readString();
    if (this.skipWhitespace() !== COLON) this.fail("expected ':'");
    this.position++;
    return key;
  }

  /** The next key of `object`, which already holds every earlier member: the same key twice is refused. */
  private readNewKey(object: Record<string, unknown>): string {
    const start = this.skipWhitespace() === QUOTE ? this.position : -1;
    const key = this.readKey();
    if (Object.hasOwn(object, key)) {
      this.fail(`object with the key ${JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key)} twice (which value is meant is ambiguous)`, start, 'duplicate');
    }
    return key;
  }

  private readScalar(code: number): unknown {
    if (code === QUOTE) return this.readString();
    if (code === MINUS || isDigit(code)) return this.readNumber();
    if (this.text.startsWith('true', this.position)) return this.literal(4, true);
    if (this.text.startsWith('false', this.position)) return this.literal(5, false);
    if (this.text.startsWith('null', this.position)) return this.literal(4, null);
    return this.fail(code === -1 ? 'unexpected end of input' : 'unexpected character');
  }

  private literal(length: number, value: boolean | null): boolean | null {
    this.position += length;
    return value;
  }

  private readString(): string {
    const text = this.text;
    const start = this.position + 1;
    const end = findClosingQuote(text, this.position);
    if (end === -1) this.fail('unterminated string');
    if (this.nextBackslash === -2 || (this.nextBackslash !== -1 && this.nextBackslash < start)) this.nextBackslash = text.indexOf('\\', start);
    this.position = end + 1;
    if (this.nextBackslash === -1 || this.nextBackslash > end) {
      const value = text.slice(start, end);
      if (CONTROL_CHARACTER.test(value)) this.fail('control character in string', start);
      return value;
    }
    return this.readEscapedString(start, end);
  }

  private readEscapedString(start: number, end: number): string {
    const text = this.text;
    let value = '';
    let chunkStart = start;
    let index = start;
    while (index < end) {
      const code = text.charCodeAt(index);
      if (code < 0x20) this.fail('control character in string', index);
      if (code !== BACKSLASH) {
        index++;
        continue;
      }
      value += text.slice(chunkStart, index);
      const escape = text[index + 1] ?? '';
      if (escape === 'u') {
        const hex = text.slice(index + 2, index + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('bad \\u escape', index);
        value += String.fromCharCode(Number.parseInt(hex, 16));
        index += 6;
      } else {
        const replacement = ESCAPES[escape];
        if (replacement === undefined) this.fail('bad escape', index);
        value += replacement;
        index += 2;
      }
      chunkStart = index;
    }
    this.nextBackslash = text.indexOf('\\', end);
    return value + text.slice(chunkStart, end);
  }

  private readNumber(): number | JsonNumberLiteral {
    const text = this.text;
    const start = this.position;
    let position = start;
    if (text.charCodeAt(position) === MINUS) position++;
    const integerStart = position;
    if (text.charCodeAt(position) === DIGIT_0) {
      position++;
    } else {
      while (isDigit(text.charCodeAt(position))) position++;
      if (position === integerStart) this.fail('bad number', position);
    }
    let digits = position - integerStart;
    let integral = true;
    if (text.charCodeAt(position) === DOT) {
      integral = false;
      const fractionStart = ++position;
      while (isDigit(text.charCodeAt(position))) position++;
      if (position === fractionStart) this.fail('bad number: no digits after the decimal point', position);
      digits += position - fractionStart;
    }
    let exponent = 0;
    const marker = text.charCodeAt(position);
    if (marker === LOWER_E || marker === UPPER_E) {
      integral = false;
      position++;
      const sign = text.charCodeAt(position);
      if (sign === PLUS || sign === MINUS) position++;
      const exponentStart = position;
      while (isDigit(text.charCodeAt(position))) {
        if (exponent <= EXACT_EXPONENT) exponent = exponent * 10 + text.charCodeAt(position) - DIGIT_0;
        position++;
      }
      if (position === exponentStart) this.fail('bad number: no digits in the exponent', position);
    }
    this.position = position;
    const literal = text.slice(start, position);
    if (!this.keepNumberLiterals || (digits <= EXACT_DIGITS && exponent <= EXACT_EXPONENT)) return Number(literal);
    if (integral) {
      const value = Number(literal);
      if (Number.isSafeInteger(value)) return value;
    }
    return new JsonNumberLiteral(literal);
  }

  private fail(problem: string, at: number = this.position, kind: 'syntax' | 'duplicate' | 'depth' = 'syntax'): never {
    throw new LakefnError('E_BAD_RESPONSE', kind === 'syntax' ? `not valid JSON: ${problem} at character ${at}` : `JSON ${problem}, at character ${at}`);
  }
}

export interface ExactJsonOptions {
  /**
   * Keep number literals a double cannot carry exactly as JsonNumberLiteral; false reads every number as JSON.parse
   * does (cheaper, for values that become doubles anyway). @default true
   */
  readonly keepNumberLiterals?: boolean;
}

/**
 * Parses JSON text like JSON.parse, except that number literals a double cannot carry exactly become
 * JsonNumberLiteral (so `Number(literal.text)` is what JSON.parse would give). Linear time. Throws LakefnError
 * E_BAD_RESPONSE on malformed text, on an object with a duplicate key and on nesting deeper than MAX_JSON_DEPTH; the
 * message says which and where (callers put it in context: a reply, a request body, an input line).
 */
export function parseJsonExact(text: string, options: ExactJsonOptions = {}): unknown {
  return new ExactJsonReader(text, options.keepNumberLiterals ?? true).read();
}
