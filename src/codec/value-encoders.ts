import { LakefnError } from '../errors/index.ts';
import { MAX_JSON_DEPTH } from './exact-json-parser.ts';
import { formatSqlType, type SqlType } from '../spec/sql-type.ts';
import { rethrowWithinPath, valueMismatch } from './value-mismatch.ts';
import {
  base64FromBytes,
  floatingPointJson,
  FLOAT_MAX,
  INT_MAX,
  INT_MIN,
  SAFE_INTEGER_MAX,
  toBigInt,
  toDateText,
  toDecimalText,
  toTimestampText,
} from './scalar-values.ts';

/** Turns one JS value of a SQL type into its JSON text on the wire; throws a value mismatch when it does not fit. */
export type ValueEncoder = (value: unknown) => string;


/** Kinds allowed as MAP keys: scalars with a text form that survives a JSON object key. */
export const MAP_KEY_KINDS: ReadonlySet<SqlType['kind']> = new Set(['BOOLEAN', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE', 'DECIMAL', 'VARCHAR', 'DATE', 'TIMESTAMP', 'BINARY']);

/** A JSON object key (quoted) from the JSON text of a scalar: numbers and booleans get quotes. */
export function objectKeyFromScalarJson(json: string): string {
  return json.charCodeAt(0) === 0x22 ? json : `"${json}"`;
}

/** True for `{}`-style objects (not arrays, Maps, Dates or class instances). */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Compiles an encoder for `type` once per function, so the per-row work is plain calls. */
export function createValueEncoder(type: SqlType): ValueEncoder {
  const expected = formatSqlType(type);
  switch (type.kind) {
    case 'BOOLEAN':
      return (value) => {
        if (value === null) return 'null';
        if (typeof value !== 'boolean') throw valueMismatch(expected, value);
        return value ? 'true' : 'false';
      };
    case 'INT':
      return (value) => {
        if (value === null) return 'null';
        if (typeof value === 'number' && Number.isInteger(value) && value >= INT_MIN && value <= INT_MAX) return String(value);
        if (typeof value === 'bigint' && value >= BigInt(INT_MIN) && value <= BigInt(INT_MAX)) return String(value);
        throw valueMismatch(expected, value, typeof value === 'number' || typeof value === 'bigint' ? (Number.isInteger(Number(value)) ? 'outside the 32-bit range' : 'not an integer') : undefined);
      };
    case 'BIGINT':
      return (value) => {
        if (value === null) return 'null';
        if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
        const integer = toBigInt(value, expected);
        // Beyond ±(2^53−1) a JSON number would lose digits in most receivers: send text.
        return integer >= -SAFE_INTEGER_MAX && integer <= SAFE_INTEGER_MAX ? String(integer) : `"${integer}"`;
      };
    case 'FLOAT':
    case 'DOUBLE': {
      const isFloat = type.kind === 'FLOAT';
      return (value) => {
        if (value === null) return 'null';
        if (typeof value !== 'number') throw valueMismatch(expected, value);
        if (isFloat && Math.abs(value) > FLOAT_MAX && Number.isFinite(value)) throw valueMismatch(expected, value, 'outside the FLOAT range');
        return floatingPointJson(value);
      };
    }
    case 'DECIMAL': {
      const { precision, scale } = type;
      return (value) => (value === null ? 'null' : `"${toDecimalText(value, expected, precision, scale)}"`);
    }
    case 'VARCHAR':
      return (value) => {
        if (value === null) return 'null';
        if (typeof value !== 'string') throw valueMismatch(expected, value);
        return JSON.stringify(value);
      };
    case 'DATE':
      return (value) => (value === null ? 'null' : `"${toDateText(value, expected)}"`);
    case 'TIMESTAMP':
      return (value) => (value === null ? 'null' : `"${toTimestampText(value, expected, true)}"`);
    case 'BINARY':
      return (value) => (value === null ? 'null' : `"${base64FromBytes(value, expected)}"`);
    case 'JSON':
      return (value) => encodeJsonValue(value, 0);
    case 'ARRAY':
      return createArrayEncoder(createValueEncoder(type.element), expected);
    case 'MAP':
      return createMapEncoder(type.key, createValueEncoder(type.value), expected);
    case 'STRUCT':
      return createStructEncoder(type.fields, expected);
  }
}

function createArrayEncoder(encodeElement: ValueEncoder, expected: string): ValueEncoder {
  return (value) => {
    if (value === null) return 'null';
    if (!Array.isArray(value)) throw valueMismatch(expected, value);
    let text = '[';
    let index = 0;
    try {
      for (; index < value.length; index++) {
        if (index > 0) text += ',';
        text += encodeElement(value[index]);
      }
    } catch (error) {
      rethrowWithinPath(error, `[${index}]`);
    }
    return `${text}]`;
  };
}

function createMapEncoder(keyType: SqlType, encodeValue: ValueEncoder, expected: string): ValueEncoder {
  if (!MAP_KEY_KINDS.has(keyType.kind)) {
    throw new LakefnError('E_INVALID_TYPE', `${expected}: a MAP key must be a scalar type (${[...MAP_KEY_KINDS].join(', ')}), not ${formatSqlType(keyType)}`);
  }
  const encodeKey = createValueEncoder(keyType);
  return (value) => {
    if (value === null) return 'null';
    if (!(value instanceof Map)) throw valueMismatch(expected, value, 'pass a Map');
    let text = '{';
    const seenKeys = new Set<string>();
    let currentKey: unknown;
    try {
      for (const [key, entryValue] of value as Map<unknown, unknown>) {
        currentKey = key;
        if (key === null || key === undefined) throw valueMismatch(formatSqlType(keyType), key, 'a MAP key cannot be NULL');
        const keyText = objectKeyFromScalarJson(encodeKey(key));
        if (seenKeys.has(keyText)) throw valueMismatch(expected, value, `two keys are both ${keyText}`);
        seenKeys.add(keyText);
        if (seenKeys.size > 1) text += ',';
        text += `${keyText}:${encodeValue(entryValue)}`;
      }
    } catch (error) {
      rethrowWithinPath(error, `[${describeKey(currentKey)}]`);
    }
    return `${text}}`;
  };
}

function describeKey(key: unknown): string {
  return typeof key === 'string' ? JSON.stringify(key.length > 40 ? `${key.slice(0, 40)}…` : key) : String(key);
}

function createStructEncoder(fields: readonly { readonly name: string; readonly type: SqlType }[], expected: string): ValueEncoder {
  const encoders = fields.map((field) => createValueEncoder(field.type));
  const names = fields.map((field) => field.name);
  const keyPrefixes = names.map((name, index) => `${index > 0 ? ',' : ''}${JSON.stringify(name)}:`);
  const known = new Set(names);
  return (value) => {
    if (value === null) return 'null';
    if (!isPlainObject(value)) throw valueMismatch(expected, value, 'pass a plain object');
    let text = '{';
    let present = 0;
    let index = 0;
    try {
      for (; index < names.length; index++) {
        const name = names[index] as string;
        const hasField = Object.hasOwn(value, name);
        const fieldValue = hasField ? value[name] : undefined;
        if (hasField) present++;
        // A missing (or undefined) field is NULL, as on the reply side.
        text += keyPrefixes[index] as string;
        text += (encoders[index] as ValueEncoder)(fieldValue === undefined ? null : fieldValue);
      }
    } catch (error) {
      rethrowWithinPath(error, `.${names[index]}`);
    }
    if (present !== Object.keys(value).length) {
      const unknown = Object.keys(value).find((key) => !known.has(key));
      throw valueMismatch(expected, value, `unknown field ${JSON.stringify(unknown)}`);
    }
    return `${text}}`;
  };
}

/** JSON text of a JSON-typed value: like JSON.stringify but strict (no NaN, Dates, Maps, functions) and bigint-aware. */
function encodeJsonValue(value: unknown, depth: number): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw valueMismatch('JSON', value, 'NaN and Infinity are not JSON');
      return String(value);
    case 'bigint':
      return String(value);
    case 'object':
      break;
    default:
      throw valueMismatch('JSON', value, 'not a JSON value');
  }
  if (depth >= MAX_JSON_DEPTH) throw valueMismatch('JSON', value, `nested deeper than ${MAX_JSON_DEPTH} levels (or a cycle)`);
  if (Array.isArray(value)) {
    let text = '[';
    let index = 0;
    try {
      for (; index < value.length; index++) text += `${index > 0 ? ',' : ''}${encodeJsonValue(value[index], depth + 1)}`;
    } catch (error) {
      rethrowWithinPath(error, `[${index}]`);
    }
    return `${text}]`;
  }
  if (!isPlainObject(value)) throw valueMismatch('JSON', value, 'not a JSON value');
  let text = '{';
  let first = true;
  let currentKey = '';
  try {
    for (const key of Object.keys(value)) {
      currentKey = key;
      const member = value[key];
      // Like JSON.stringify, an undefined member is simply absent.
      if (member === undefined) continue;
      text += `${first ? '' : ','}${JSON.stringify(key)}:${encodeJsonValue(member, depth + 1)}`;
      first = false;
    }
  } catch (error) {
    rethrowWithinPath(error, `[${JSON.stringify(currentKey)}]`);
  }
  return `${text}}`;
}
