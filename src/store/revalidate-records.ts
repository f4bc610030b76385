import { isDeepStrictEqual } from 'node:util';
import { validateCloudFunctionName, validateConnectionFields } from '../catalog/index.ts';
import { EXTERNAL_ID_PATTERN } from '../catalog/external-id.ts';
import { LakefnError } from '../errors/index.ts';
import type { ConnectionFields, ConnectionRecord } from '../spec/connection-record.ts';
import type { FunctionArgument, FunctionProperties } from '../spec/function-record.ts';
import type { SqlType } from '../spec/sql-type.ts';
import { reparseFunctionDefinition, type StoredFunctionDefinition } from '../sql/function-definition-text.ts';
import { parseStatements } from '../sql/parse-statements.ts';
import { quoteIdentifier } from '../sql/quote-sql.ts';

/**
 * Defence in depth behind the row MAC: every record read back is checked with the rules CREATE applies before
 * anything uses it, so a row that a key holder (or an older lakefn with laxer rules) wrote with values CREATE
 * refuses is never acted on. Each function throws a LakefnError describing the first violation.
 */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?Z$/;

/** A connection's fields, as CREATE and ALTER validate them. */
function fieldsOf(record: ConnectionFields): ConnectionFields {
  return {
    provider: record.provider,
    region: record.region,
    roleArn: record.roleArn,
    namespace: record.namespace,
    codeBucket: record.codeBucket,
    comment: record.comment,
  };
}

/**
 * Whether the region passes only with --allow-unknown-region (valid syntax, not on the provider's known list).
 * Stored with the row (and covered by its MAC) so re-validation on read applies the rule the writer applied.
 */
export function regionAcceptedAsUnknown(fields: ConnectionFields): boolean {
  const passes = (allowUnknownRegion: boolean): boolean => {
    try {
      validateConnectionFields(fields, { allowUnknownRegion });
      return true;
    } catch (error) {
      if (LakefnError.isInstance(error)) return false;
      throw error;
    }
  };
  return !passes(false) && passes(true);
}

export function revalidateConnection(record: ConnectionRecord, allowUnknownRegion: boolean): void {
  check(UUID.test(record.id), `id ${JSON.stringify(record.id)} is not a UUID`);
  checkStoredName(record.name);
  const validated = validateConnectionFields(fieldsOf(record), { allowUnknownRegion, location: { connection: record.name } });
  check(isDeepStrictEqual(validated, fieldsOf(record)), 'its fields are not in the normalised form CREATE stores');
  check(EXTERNAL_ID_PATTERN.test(record.externalId), 'its external ID is not one lakefn generates');
  check(Number.isSafeInteger(record.version) && record.version >= 1, `version ${record.version} is not a positive integer`);
  check(TIMESTAMP.test(record.createdAt) && TIMESTAMP.test(record.updatedAt), 'a timestamp is not ISO-8601 UTC');
}

/** What a function row holds once its JSON columns are parsed (not yet trusted). */
export interface StoredFunction extends StoredFunctionDefinition {
  readonly id: string;
  readonly createdAt: string;
}

/** A function definition that passed the rules CREATE applies: the parser's reading of it. */
export interface ValidatedDefinition {
  readonly arguments: readonly FunctionArgument[];
  readonly returnType: SqlType;
  readonly properties: FunctionProperties;
}

/**
 * Re-reads the definition with the CREATE EXTERNAL FUNCTION parser (name, types, properties, comment) and checks
 * the cloud function against its connection's provider with `validateCloudFunctionName`, as CREATE does.
 */
export function revalidateFunction(stored: StoredFunction, connection: ConnectionRecord): ValidatedDefinition {
  check(UUID.test(stored.id), `id ${JSON.stringify(stored.id)} is not a UUID`);
  check(TIMESTAMP.test(stored.createdAt), 'created_at is not ISO-8601 UTC');
  const statement = reparseFunctionDefinition(stored);
  check(
    statement.name === stored.name && statement.comment === stored.comment
      && statement.cloudFunction === stored.cloudFunction && statement.qualifier === stored.qualifier,
    'its name, comment or cloud function does not read back as stored',
  );
  check(isDeepStrictEqual(statement.arguments, stored.arguments), 'its arguments do not read back as stored');
  check(isDeepStrictEqual(statement.returnType, stored.returnType), 'its return type does not read back as stored');
  check(isDeepStrictEqual(statement.properties, stored.properties), 'its properties do not read back as stored');
  validateCloudFunctionName(connection.provider, stored.cloudFunction, stored.qualifier, { function: stored.name, connection: connection.name });
  return { arguments: statement.arguments, returnType: statement.returnType, properties: statement.properties };
}

/** A connection name must read back, through the SQL identifier rules, as exactly itself. */
function checkStoredName(name: string): void {
  const [statement] = parseStatements(`DESC API CONNECTION ${quoteIdentifier(name)}`);
  check(statement?.kind === 'describe-connection' && statement.name === name, 'its name does not read back as stored');
}

function check(condition: boolean, detail: string): void {
  if (!condition) throw new LakefnError('E_STORE', detail);
}
