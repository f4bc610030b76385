import { LakefnError } from '../errors/index.ts';
import { FUNCTION_PROPERTY_RULES } from './function-properties.ts';
import { parseStatements } from './parse-statements.ts';
import { quoteFunctionName, quoteIdentifier, quoteString } from './quote-sql.ts';
import type { CreateFunctionStatement } from './statement.ts';

/** A function definition as read back from the catalog: JSON columns parsed but not yet trusted. */
export interface StoredFunctionDefinition {
  readonly name: string;
  readonly arguments: unknown;
  readonly returnType: unknown;
  readonly cloudFunction: string;
  readonly qualifier: string | null;
  readonly properties: unknown;
  readonly comment: string | null;
}

/** Deeper than the parser accepts (it refuses past 32): only bounds the recursion on hostile stored JSON. */
const MAX_FORMAT_DEPTH = 40;
const SIMPLE_KINDS = new Set(['BOOLEAN', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE', 'VARCHAR', 'DATE', 'TIMESTAMP', 'BINARY', 'JSON']);

/**
 * Re-reads a stored function definition with the CREATE EXTERNAL FUNCTION parser: the definition is written
 * back as the statement that would create it and parsed, so names, argument and return types, properties and
 * comment pass exactly the rules CREATE applies (the caller compares the result with what is stored; the cloud
 * function name is checked against the connection's provider separately). Throws the parser's error, or
 * E_INVALID_TYPE / E_INVALID_PROPERTY when the stored JSON does not even have the shape of a definition.
 */
export function reparseFunctionDefinition(definition: StoredFunctionDefinition): CreateFunctionStatement {
  const reference = definition.qualifier === null ? definition.cloudFunction : `${definition.cloudFunction}:${definition.qualifier}`;
  const text = [
    `CREATE EXTERNAL FUNCTION ${quoteFunctionName(definition.name)}(${formatArguments(definition.arguments)})`,
    `RETURNS ${formatType(definition.returnType, 0)}`,
    'CONNECTION c',
    `AS ${quoteString(reference)}`,
    `WITH PROPERTIES (${formatProperties(definition.properties)})`,
    ...(definition.comment === null ? [] : [`COMMENT ${quoteString(definition.comment)}`]),
  ].join(' ');
  const statements = parseStatements(text);
  const [statement] = statements;
  if (statements.length !== 1 || statement?.kind !== 'create-function') throw shapeError('E_INVALID_NAME', 'the definition does not read back as one CREATE EXTERNAL FUNCTION');
  return statement;
}

function formatArguments(value: unknown): string {
  if (!Array.isArray(value)) throw shapeError('E_INVALID_TYPE', 'arguments is not a list');
  return value
    .map((argument: unknown) => {
      if (!isObject(argument) || typeof argument['name'] !== 'string') throw shapeError('E_INVALID_TYPE', 'an argument has no name');
      return `${quoteIdentifier(argument['name'])} ${formatType(argument['type'], 0)}`;
    })
    .join(', ');
}

/** SQL text of a stored type; STRUCT field names quoted (they keep their case either way). */
function formatType(value: unknown, depth: number): string {
  if (depth > MAX_FORMAT_DEPTH) throw shapeError('E_INVALID_TYPE', `a type is nested deeper than ${MAX_FORMAT_DEPTH} levels`);
  if (!isObject(value) || typeof value['kind'] !== 'string') throw shapeError('E_INVALID_TYPE', 'a type has no kind');
  const kind = value['kind'];
  if (SIMPLE_KINDS.has(kind)) return kind;
  switch (kind) {
    case 'DECIMAL':
      return `DECIMAL(${integerText(value['precision'])},${integerText(value['scale'])})`;
    case 'ARRAY':
      return `ARRAY<${formatType(value['element'], depth + 1)}>`;
    case 'MAP':
      return `MAP<${formatType(value['key'], depth + 1)},${formatType(value['value'], depth + 1)}>`;
    case 'STRUCT': {
      const fields = value['fields'];
      if (!Array.isArray(fields)) throw shapeError('E_INVALID_TYPE', 'a STRUCT has no field list');
      const parts = fields.map((field: unknown) => {
        if (!isObject(field) || typeof field['name'] !== 'string') throw shapeError('E_INVALID_TYPE', 'a STRUCT field has no name');
        return `${quoteIdentifier(field['name'])} ${formatType(field['type'], depth + 1)}`;
      });
      return `STRUCT<${parts.join(',')}>`;
    }
    default:
      throw shapeError('E_INVALID_TYPE', `unknown type kind ${JSON.stringify(kind).slice(0, 40)}`);
  }
}

function formatProperties(value: unknown): string {
  if (!isObject(value)) throw shapeError('E_INVALID_PROPERTY', 'properties is not an object');
  return [...FUNCTION_PROPERTY_RULES]
    .filter(([, rule]) => !(rule.kind === 'choice' && rule.optional === true && value[rule.field] === undefined))
    .map(([key, rule]) => {
      const property = value[rule.field];
      const text = rule.kind === 'integer' ? integerText(property) : typeof property === 'string' ? property : undefined;
      if (text === undefined) throw shapeError('E_INVALID_PROPERTY', `property '${key}' is missing or of the wrong type`);
      return `${quoteString(key)} = ${quoteString(text)}`;
    })
    .join(', ');
}

function integerText(value: unknown): string {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) throw shapeError('E_INVALID_TYPE', 'a number is not an integer');
  return String(value);
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function shapeError(code: 'E_INVALID_TYPE' | 'E_INVALID_PROPERTY' | 'E_INVALID_NAME', detail: string): LakefnError {
  return new LakefnError(code, detail);
}
