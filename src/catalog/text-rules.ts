import type { ErrorCode, ErrorLocation } from '../errors/index.ts';
import { quoteValue } from '../errors/index.ts';
import { fieldError } from './field-error.ts';

/** Matches any C0/C1 control character or DEL: none of them belongs in a catalog value. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
/**
 * Invisible format characters (Unicode category Cf: bidi overrides such as U+202E, zero-width U+200B,
 * U+FEFF…) and the line / paragraph separators U+2028, U+2029: they make a value read differently from
 * what it is (Trojan Source), so they are refused like control characters.
 */
const FORMAT_CHARACTER = /[\p{Cf}\u2028\u2029]/u;
const FORMAT_CHARACTERS = /[\p{Cf}\u2028\u2029]/gu;
const SURROUNDING_WHITESPACE = /^\s|\s$/;

export interface PlainTextRule {
  /** The field as users write it, e.g. `ROLE_ARN`. */
  readonly field: string;
  readonly code: ErrorCode;
  readonly maxLength: number;
  /** @default 1 */
  readonly minLength?: number;
  readonly location?: ErrorLocation | undefined;
}

/**
 * The checks every user-supplied catalog value gets before any field-specific pattern runs: length first
 * (so no regex ever sees an oversized input), then no control characters and no surrounding whitespace.
 * Nothing is trimmed: a value that would need trimming is rejected, so what is stored is what was typed.
 */
export function checkPlainText(value: string, rule: PlainTextRule): string {
  const minLength = rule.minLength ?? 1;
  if (value.length < minLength || value.length > rule.maxLength) {
    const bounds = minLength === rule.maxLength ? `${minLength}` : `${minLength}..${rule.maxLength}`;
    const what = value.length === 0 ? 'is empty' : `${quoteValue(value)} has ${value.length} characters`;
    throw fieldError(rule.code, rule.field, `${rule.field} ${what} (allowed length ${bounds})`, rule.location);
  }
  if (CONTROL_CHARACTER.test(value)) {
    throw fieldError(rule.code, rule.field, `${rule.field} ${quoteValue(value)} contains a control character`, rule.location);
  }
  const format = FORMAT_CHARACTER.exec(value);
  if (format !== null) {
    const codePoint = codePointName(format[0]);
    throw fieldError(
      rule.code,
      rule.field,
      `${rule.field} ${quoteValue(value.replace(FORMAT_CHARACTERS, (character) => `<${codePointName(character)}>`))} contains the invisible format or separator character ${codePoint} ` +
        '(it can make the value read differently from what it is); remove it',
      rule.location,
    );
  }
  if (SURROUNDING_WHITESPACE.test(value)) {
    throw fieldError(rule.code, rule.field, `${rule.field} ${quoteValue(value)} has leading or trailing whitespace (values are never trimmed)`, rule.location);
  }
  return value;
}

/** `U+202E` for a character. */
function codePointName(character: string): string {
  return `U+${(character.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
