import { LakefnError } from '../errors/index.ts';
import { quoteValue } from '../errors/index.ts';
import { DEFAULT_FUNCTION_PROPERTIES, FUNCTION_ENVELOPES, WIRE_FORMATS } from '../spec/function-record.ts';
import type { FunctionProperties } from '../spec/function-record.ts';
import { didYouMean } from './did-you-mean.ts';
import type { PropertyEntry } from './property-list.ts';
import { checkDuplicate, displayKey } from './property-list.ts';
import { positionedError } from './syntax-error.ts';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface IntegerRule { readonly kind: 'integer'; readonly field: keyof FunctionProperties; readonly minimum: number; readonly maximum: number }
/** `optional`: no default; the property is absent from FunctionProperties unless written (see `envelope`). */
interface ChoiceRule { readonly kind: 'choice'; readonly field: keyof FunctionProperties; readonly choices: readonly string[]; readonly optional?: true }

/** WITH PROPERTIES keys of an EXTERNAL FUNCTION and their ranges. */
export const FUNCTION_PROPERTY_RULES: ReadonlyMap<string, IntegerRule | ChoiceRule> = new Map<string, IntegerRule | ChoiceRule>([
  ['max_batch_rows', { kind: 'integer', field: 'maxBatchRows', minimum: 1, maximum: 100_000 }],
  ['max_batch_bytes', { kind: 'integer', field: 'maxBatchBytes', minimum: 1, maximum: 33_554_432 }],
  ['format', { kind: 'choice', field: 'format', choices: WIRE_FORMATS }],
  ['retry', { kind: 'choice', field: 'retry', choices: ['auto', 'none'] }],
  ['on_row_error', { kind: 'choice', field: 'onRowError', choices: ['fail', 'null'] }],
  ['volatility', { kind: 'choice', field: 'volatility', choices: ['volatile', 'immutable'] }],
  ['timeout_ms', { kind: 'integer', field: 'timeoutMs', minimum: 100, maximum: 900_000 }],
  ['max_concurrency', { kind: 'integer', field: 'maxConcurrency', minimum: 1, maximum: 1024 }],
  ['null_policy', { kind: 'choice', field: 'nullPolicy', choices: ['called', 'returns_null'] }],
  ['audit_level', { kind: 'choice', field: 'auditLevel', choices: ['summary', 'attempt'] }],
  ['envelope', { kind: 'choice', field: 'envelope', choices: FUNCTION_ENVELOPES, optional: true }],
]);

/**
 * Resolves WITH PROPERTIES entries into complete FunctionProperties (defaults from
 * DEFAULT_FUNCTION_PROPERTIES). `nullClause` is the RETURNS NULL ON NULL INPUT / CALLED ON NULL INPUT
 * clause, if written; a `null_policy` property that contradicts it is an error.
 */
export function resolveFunctionProperties(entries: readonly PropertyEntry[], nullClause: FunctionProperties['nullPolicy'] | null): FunctionProperties {
  const properties: Mutable<FunctionProperties> = { ...DEFAULT_FUNCTION_PROPERTIES };
  const seen = new Map<string, PropertyEntry['keyToken']>();
  for (const entry of entries) {
    const key = entry.key.toLowerCase();
    const rule = FUNCTION_PROPERTY_RULES.get(key);
    if (rule === undefined) throw unknownProperty(entry);
    checkDuplicate(seen, key, entry);
    const text = entry.value.value;
    if (rule.kind === 'integer') {
      const value = /^\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
      if (!(value >= rule.minimum && value <= rule.maximum)) {
        throw positionedError('E_INVALID_PROPERTY', entry.value, `${displayKey(entry.key, entry.keyToken)} = ${quoteValue(text, 30)} must be an integer in ${rule.minimum}..${rule.maximum}`);
      }
      (properties as Record<string, unknown>)[rule.field] = value;
    } else {
      const choice = text.toLowerCase();
      if (!rule.choices.includes(choice)) {
        throw positionedError('E_INVALID_PROPERTY', entry.value, `${displayKey(entry.key, entry.keyToken)} = ${quoteValue(text, 30)} must be one of ${rule.choices.map((item) => `'${item}'`).join(', ')}`);
      }
      (properties as Record<string, unknown>)[rule.field] = choice;
    }
  }
  if (nullClause !== null) {
    const nullPolicyToken = seen.get('null_policy');
    if (nullPolicyToken !== undefined && properties.nullPolicy !== nullClause) {
      throw positionedError('E_INVALID_PROPERTY', nullPolicyToken, `'null_policy' = '${properties.nullPolicy}' contradicts the ${nullClause === 'called' ? 'CALLED ON NULL INPUT' : 'RETURNS NULL ON NULL INPUT'} clause`);
    }
    properties.nullPolicy = nullClause;
  }
  return properties;
}

function unknownProperty(entry: PropertyEntry): LakefnError {
  const names = [...FUNCTION_PROPERTY_RULES.keys()];
  const suggestion = didYouMean(entry.key, names);
  return new LakefnError(
    'E_UNKNOWN_PROPERTY',
    `unknown function property ${displayKey(entry.key, entry.keyToken)} at ${entry.keyToken.line}:${entry.keyToken.column}`
      + `${suggestion === undefined ? '' : `; did you mean '${suggestion}'?`} (known: ${names.join(', ')})`,
    { location: { line: entry.keyToken.line, column: entry.keyToken.column } },
  );
}
