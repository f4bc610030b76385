import { LakefnError } from '../errors/index.ts';
import type { ConnectionFields } from '../spec/connection-record.ts';
import { didYouMean } from './did-you-mean.ts';
import type { PropertyEntry } from './property-list.ts';
import { displayKey } from './property-list.ts';

/** A settable connection field (ConnectionFields' keys). */
export type ConnectionFieldKey = keyof ConnectionFields;

/** The prefix the WITH PROPERTIES form puts on keys (`'cloud_function.region'`); optional on input. */
export const PROPERTY_PREFIX = 'cloud_function.';

const FIELD_OF_PROPERTY: ReadonlyMap<string, ConnectionFieldKey> = new Map([
  ['provider', 'provider'],
  ['region', 'region'],
  ['role_arn', 'roleArn'],
  ['namespace', 'namespace'],
  ['code_bucket', 'codeBucket'],
]);

/** How each field is named in DDL and messages. */
export const PROPERTY_OF_FIELD: Readonly<Record<ConnectionFieldKey, string>> = {
  provider: 'PROVIDER',
  region: 'REGION',
  roleArn: 'ROLE_ARN',
  namespace: 'NAMESPACE',
  codeBucket: 'CODE_BUCKET',
  comment: 'COMMENT',
};

/**
 * The connection field a property key names. Keys are case-insensitive; quoted keys may carry the
 * `cloud_function.` prefix. `COMMENT` is a key only where `allowComment` (ALTER … SET); in CREATE it is a clause.
 * Unknown keys are errors with a did-you-mean, never ignored.
 */
export function connectionFieldOf(entry: PropertyEntry, allowComment: boolean): ConnectionFieldKey {
  const lower = entry.key.toLowerCase();
  const prefixed = entry.keyToken.kind === 'string' && lower.startsWith(PROPERTY_PREFIX);
  const bare = prefixed ? lower.slice(PROPERTY_PREFIX.length) : lower;
  if (allowComment && bare === 'comment') return 'comment';
  const field = FIELD_OF_PROPERTY.get(bare);
  if (field !== undefined) return field;
  const names = [...FIELD_OF_PROPERTY.keys(), ...(allowComment ? ['comment'] : [])];
  const suggestion = didYouMean(bare, names);
  const shown = suggestion === undefined ? undefined : entry.keyToken.kind === 'word' ? suggestion.toUpperCase() : `'${prefixed ? PROPERTY_PREFIX : ''}${suggestion}'`;
  const known = names.map((name) => name.toUpperCase()).join(', ');
  throw new LakefnError(
    'E_UNKNOWN_PROPERTY',
    `unknown connection property ${displayKey(entry.key, entry.keyToken)} at ${entry.keyToken.line}:${entry.keyToken.column}`
      + `${shown === undefined ? '' : `; did you mean ${shown}?`} (known: ${known})`,
    { location: { line: entry.keyToken.line, column: entry.keyToken.column } },
  );
}
