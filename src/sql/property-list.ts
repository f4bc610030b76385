import { LakefnError } from '../errors/index.ts';
import { quoteValue } from '../errors/index.ts';
import type { Token } from './lexer.ts';
import { positionedError } from './syntax-error.ts';
import type { TokenCursor } from './token-cursor.ts';

/** One `key = value` pair as written, before any interpretation. */
export interface PropertyEntry {
  /** Lower-cased for a bare word key, verbatim for a quoted key. */
  readonly key: string;
  readonly keyToken: Token;
  /** A string, number or word (e.g. NULL) token. */
  readonly value: Token;
}

/** `( 'key' = 'value' [, …] )` after WITH PROPERTIES; keys may also be bare words, values numbers. */
export function readPropertyList(cursor: TokenCursor): PropertyEntry[] {
  cursor.expectSymbol('(', 'after WITH PROPERTIES');
  const entries: PropertyEntry[] = [];
  if (cursor.acceptSymbol(')')) return entries;
  do {
    entries.push(readProperty(cursor));
  } while (cursor.acceptSymbol(','));
  cursor.expectSymbol(')', 'to close WITH PROPERTIES (');
  return entries;
}

/** One `key = value`; an external-ID key is refused as soon as it is read, before its value. */
export function readProperty(cursor: TokenCursor): PropertyEntry {
  const keyToken = cursor.peek();
  if (keyToken.kind !== 'string' && keyToken.kind !== 'word') throw cursor.fail("expected a property name (e.g. 'max_batch_rows')");
  cursor.next();
  const entry = { key: keyToken.value, keyToken };
  rejectExternalId(entry.key, keyToken);
  cursor.expectSymbol('=', `after ${displayKey(entry.key, keyToken)}`);
  const value = cursor.peek();
  if (value.kind !== 'string' && value.kind !== 'number' && value.kind !== 'word') throw cursor.fail(`expected a value for ${displayKey(entry.key, keyToken)}`);
  cursor.next();
  return { ...entry, value };
}

/** How a key is shown in messages: bare words upper-case (REGION), quoted keys as written. */
export function displayKey(key: string, keyToken: Token): string {
  return keyToken.kind === 'word' && key.length <= 64 ? key.toUpperCase() : quoteValue(key, 60);
}

/** `external_id`, `EXTERNAL-ID`, `cloud_function.externalId`…: every spelling of the external ID. */
export function isExternalIdKey(key: string): boolean {
  if (key.length > 64) return false;
  return key.toLowerCase().replace(/^cloud_function\./, '').replace(/[-_.\s]/g, '') === 'externalid';
}

/** Why the external ID is never settable; shared by the DDL and the CLI (`connection create|alter --external-id`). */
export const EXTERNAL_ID_NOT_SETTABLE_REASON =
  "lakefn generates every connection's external ID "
  + 'from a CSPRNG so that nobody can reuse an ID seen in another trust policy to make lakefn assume that role (the confused-deputy attack). '
  + 'Read it with DESC API CONNECTION <name> and put it in the role\'s trust policy; ALTER API CONNECTION <name> ROTATE EXTERNAL_ID replaces it';

/** Refuses any attempt to set the external ID, explaining why lakefn owns it. */
export function rejectExternalId(key: string, keyToken: Token): void {
  if (!isExternalIdKey(key)) return;
  throw new LakefnError(
    'E_EXTERNAL_ID_NOT_SETTABLE',
    `${displayKey(key, keyToken)} cannot be set (at ${keyToken.line}:${keyToken.column}): ${EXTERNAL_ID_NOT_SETTABLE_REASON}`,
    { location: { line: keyToken.line, column: keyToken.column, field: 'EXTERNAL_ID' } },
  );
}

/** Refuses a key given twice in one statement, pointing at the second. */
export function checkDuplicate(seen: Map<string, Token>, canonicalKey: string, entry: PropertyEntry): void {
  const first = seen.get(canonicalKey);
  if (first !== undefined) {
    throw positionedError('E_INVALID_PROPERTY', entry.keyToken, `property ${displayKey(entry.key, entry.keyToken)} is given twice (first at ${first.line}:${first.column})`);
  }
  seen.set(canonicalKey, entry.keyToken);
}
