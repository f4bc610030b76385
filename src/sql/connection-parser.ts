import { validateComment, validateConnectionFields } from '../catalog/validate-connection-fields.ts';
import { DEFAULT_NAMESPACE, namespaceRequirement, precheckNamespace } from '../catalog/namespace.ts';
import { parseProvider, providerChoices } from '../catalog/provider.ts';
import { checkPlainText } from '../catalog/text-rules.ts';
import type { ErrorCode, ErrorLocation } from '../errors/index.ts';
import type { ConnectionFields } from '../spec/connection-record.ts';
import { connectionFieldOf, PROPERTY_OF_FIELD } from './connection-properties.ts';
import type { ConnectionFieldKey } from './connection-properties.ts';
import type { Token } from './lexer.ts';
import type { PropertyEntry } from './property-list.ts';
import { checkDuplicate, displayKey, readProperty, readPropertyList } from './property-list.ts';
import type { AlterConnectionSetStatement, ConnectionFieldChanges, CreateConnectionStatement, ParseOptions, RotateExternalIdStatement } from './statement.ts';
import { positionedError, syntaxError } from './syntax-error.ts';
import type { TokenCursor } from './token-cursor.ts';
import { parseConnectionName } from './function-parser.ts';

type Parsed<T> = Omit<T, 'position' | 'text'>;
interface FieldValue { readonly value: string | null; readonly token: Token }

/** After `CREATE [OR REPLACE] [API] CONNECTION`: `[IF NOT EXISTS] name TYPE CLOUD_FUNCTION <properties> [COMMENT '…'] [CASCADE]`. */
export function parseCreateConnection(cursor: TokenCursor, orReplace: boolean, options: ParseOptions): Parsed<CreateConnectionStatement> {
  const ifNotExistsToken = cursor.peek();
  const ifNotExists = cursor.acceptKeywords('if', 'not', 'exists');
  if (ifNotExists && orReplace) throw syntaxError(ifNotExistsToken, 'OR REPLACE and IF NOT EXISTS cannot be combined');
  const { name, project } = parseConnectionName(cursor);
  cursor.expectKeyword('type', 'after the connection name (CREATE API CONNECTION <name> TYPE CLOUD_FUNCTION …)');
  cursor.acceptSymbol('=');
  if (!cursor.acceptKeywords('cloud_function')) throw cursor.fail('expected CLOUD_FUNCTION after TYPE (the only API connection type)');

  const values = new Map<ConnectionFieldKey, FieldValue>();
  const seen = new Map<string, Token>();
  let cascade = false;
  const record = (entry: PropertyEntry): void => {
    const field = connectionFieldOf(entry, false);
    checkDuplicate(seen, field, entry);
    if (entry.value.kind !== 'string') throw cursor.fail(`expected a string literal for ${displayKey(entry.key, entry.keyToken)}`, entry.value);
    values.set(field, { value: entry.value.value, token: entry.value });
  };
  for (;;) {
    const token = cursor.peek();
    if (token.kind === 'end' || cursor.isSymbol(';')) break;
    if (cursor.isKeyword('cascade')) {
      if (!orReplace) throw syntaxError(token, 'CASCADE applies only to CREATE OR REPLACE API CONNECTION (it drops the functions the replacement does not fit)');
      if (cascade) throw syntaxError(token, 'CASCADE is given twice');
      cursor.next();
      cascade = true;
    } else if (cursor.isKeyword('comment')) {
      if (values.has('comment')) throw syntaxError(token, 'COMMENT is given twice');
      cursor.next();
      cursor.acceptSymbol('=');
      const value = cursor.expectString('after COMMENT');
      values.set('comment', { value: validateComment(value.value, { line: value.line, column: value.column }), token: value });
    } else if (cursor.acceptKeywords('with')) {
      cursor.expectKeyword('properties', 'after WITH');
      readPropertyList(cursor).forEach(record);
    } else if (token.kind === 'word' || token.kind === 'string') {
      record(readProperty(cursor));
      cursor.acceptSymbol(',');
    } else {
      throw cursor.fail("expected a property (e.g. REGION = '…'), WITH PROPERTIES (…), COMMENT '…', CASCADE or the end of the statement");
    }
  }
  return { kind: 'create-connection', name, ...(project === null ? {} : { project }), orReplace, ifNotExists, cascade, fields: buildFields(values, cursor.peek(), options) };
}

function buildFields(values: ReadonlyMap<ConnectionFieldKey, FieldValue>, end: Token, options: ParseOptions): ConnectionFields {
  const location = (field: ConnectionFieldKey): ErrorLocation | undefined => {
    const token = values.get(field)?.token;
    return token === undefined ? undefined : { line: token.line, column: token.column };
  };
  const required = (field: ConnectionFieldKey, code: ErrorCode, hint: string): string => {
    const value = values.get(field)?.value;
    if (value === undefined || value === null) throw positionedError(code, end, `property ${PROPERTY_OF_FIELD[field]} is required (${hint})`);
    return value;
  };
  const provider = parseProvider(required('provider', 'E_INVALID_PROVIDER', providerChoices()), location('provider'));
  const namespaceNeeded = namespaceRequirement(provider);
  const fields: ConnectionFields = {
    provider,
    region: required('region', 'E_INVALID_REGION', "the function service's region, e.g. 'cn-shanghai'"),
    roleArn: required('roleArn', 'E_INVALID_ROLE_ARN', 'the role in your account that trusts lakefn'),
    namespace: namespaceNeeded === undefined
      ? values.get('namespace')?.value ?? DEFAULT_NAMESPACE
      : required('namespace', 'E_INVALID_NAMESPACE', namespaceNeeded),
    codeBucket: values.get('codeBucket')?.value ?? null,
    comment: values.get('comment')?.value ?? null,
  };
  const fieldLocations: Partial<Record<ConnectionFieldKey, ErrorLocation>> = {};
  for (const field of values.keys()) {
    const at = location(field);
    if (at !== undefined) fieldLocations[field] = at;
  }
  return validateConnectionFields(fields, { allowUnknownRegion: options.allowUnknownRegion ?? false, fieldLocations });
}

/** After `ALTER [API] CONNECTION name`: `SET key = value [, …]` or `ROTATE EXTERNAL_ID`. */
export function parseAlterConnection(cursor: TokenCursor, name: string): Parsed<AlterConnectionSetStatement> | Parsed<RotateExternalIdStatement> {
  if (cursor.acceptKeywords('rotate')) {
    if (!cursor.acceptKeywords('external_id')) throw cursor.fail('expected EXTERNAL_ID after ROTATE');
    return { kind: 'rotate-external-id', name };
  }
  if (!cursor.acceptKeywords('set')) throw cursor.fail("expected SET or ROTATE EXTERNAL_ID after the connection name");
  const changes: { -readonly [K in keyof ConnectionFieldChanges]: ConnectionFieldChanges[K] } = {};
  const seen = new Map<string, Token>();
  do {
    const entry = readProperty(cursor);
    const field = connectionFieldOf(entry, true);
    checkDuplicate(seen, field, entry);
    const value = alterValue(cursor, entry, field);
    const location = { line: entry.value.line, column: entry.value.column };
    if (value === null) {
      changes[field as 'codeBucket' | 'comment'] = null;
    } else if (field === 'provider') {
      changes.provider = parseProvider(value, location);
    } else {
      changes[field] = precheck(field, value, location);
    }
  } while (cursor.acceptSymbol(','));
  return { kind: 'alter-connection-set', name, changes };
}

/** A SET value: a string, or NULL for the optional fields (clears them). */
function alterValue(cursor: TokenCursor, entry: PropertyEntry, field: ConnectionFieldKey): string | null {
  if (entry.value.kind === 'string') return entry.value.value;
  const nullable = field === 'codeBucket' || field === 'comment';
  if (nullable && entry.value.kind === 'word' && entry.value.value === 'null') return null;
  throw cursor.fail(`expected a string literal${nullable ? ' or NULL' : ''} for ${displayKey(entry.key, entry.keyToken)}`, entry.value);
}

/** The provider-independent checks; the executor re-validates the merged record with validateConnectionFields. */
function precheck(field: Exclude<ConnectionFieldKey, 'provider'>, value: string, location: ErrorLocation): string {
  switch (field) {
    case 'region':
      return checkPlainText(value, { field: 'REGION', code: 'E_INVALID_REGION', maxLength: 32, location });
    case 'roleArn':
      return checkPlainText(value, { field: 'ROLE_ARN', code: 'E_INVALID_ROLE_ARN', maxLength: 2048, location });
    case 'namespace':
      return precheckNamespace(value, location);
    case 'codeBucket':
      return checkPlainText(value, { field: 'CODE_BUCKET', code: 'E_INVALID_CODE_BUCKET', maxLength: 71, location });
    case 'comment':
      return validateComment(value, location);
  }
}
