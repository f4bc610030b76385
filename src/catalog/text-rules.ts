import type { ErrorCode, ErrorLocation } from '../errors/index.ts';
import { quoteValue } from '../errors/index.ts';
import { fieldError } from './field-error.ts';

/** Matches any C0/C1 control character or DEL: none of them belongs in a catalog value. */
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;
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
  if (SURROUNDING_WHITESPACE.test(value)) {
    throw fieldError(rule.code, rule.field, `${rule.field} ${quoteValue(value)} has leading or trailing whitespace (values are never trimmed)`, rule.location);
  }
  return value;
}
