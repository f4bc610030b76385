import { formatSqlType, type SqlType } from '../spec/sql-type.ts';
import { parseDecimalText } from './decimal-text.ts';
import { JsonNumberLiteral } from './exact-json-parser.ts';
import { bytesFromBase64, toBigInt, toDateText, toDecimalText, toFloatingPoint, toInt, toTimestampText } from './scalar-values.ts';
import { isPlainObject } from './value-encoders.ts';
import { describeValue, rethrowWithinPath, valueMismatch } from './value-mismatch.ts';

/** A surrogate code unit not part of a pair (with the u flag a pair is one code point, not a Surrogate). */
const LONE_SURROGATE = /\p{Surrogate}/u;

/** Turns one parsed wire value into the JS value of a SQL type; throws a value mismatch when it does not fit. */
export type ValueDecoder = (wire: unknown) => unknown;

/**
 * Compiles a decoder for `type`. `numberLiterals` says whether the parsed reply may hold JsonNumberLiteral
 * (it came from parseJsonExact); only JSON-typed values care, as they must then be rebuilt as plain JSON values.
 */
export function createValueDecoder(type: SqlType, numberLiterals: boolean): ValueDecoder {
  const expected = formatSqlType(type);
  switch (type.kind) {
    case 'BOOLEAN':
      return (wire) => {
        if (wire === null || typeof wire === 'boolean') return wire;
        throw valueMismatch(expected, wire);
      };
    case 'INT':
      return (wire) => (wire === null ? null : toInt(wire, expected));
    case 'BIGINT':
      return (wire) => {
        if (wire === null) return null;
        return typeof wire === 'number' && Number.isSafeInteger(wire) ? BigInt(wire) : toBigInt(wire, expected);
      };
    case 'FLOAT':
    case 'DOUBLE': {
      const isFloat = type.kind === 'FLOAT';
      return (wire) => (wire === null ? null : toFloatingPoint(wire, expected, isFloat));
    }
    case 'DECIMAL': {
      const { precision, scale } = type;
      return (wire) => (wire === null ? null : toDecimalText(wire, expected, precision, scale));
    }
    case 'VARCHAR':
      return (wire) => {
        if (wire === null) return wire;
        if (typeof wire !== 'string') throw valueMismatch(expected, wire);
        // JSON's \ud800 escapes can spell half a character, which no engine can store as text (UTF-8)
        if (LONE_SURROGATE.test(wire)) throw valueMismatch(expected, wire, 'a lone UTF-16 surrogate: not text');
        return wire;
      };
    case 'DATE':
      return (wire) => (wire === null ? null : toDateText(wire, expected));
    case 'TIMESTAMP':
      return (wire) => (wire === null ? null : toTimestampText(wire, expected, false));
    case 'BINARY':
      return (wire) => (wire === null ? null : bytesFromBase64(wire, expected));
    case 'JSON':
      return numberLiterals ? replaceNumberLiterals : (wire) => wire;
    case 'ARRAY':
      return createArrayDecoder(createValueDecoder(type.element, numberLiterals), expected);
    case 'MAP':
      return createMapDecoder(type.key, createValueDecoder(type.key, numberLiterals), createValueDecoder(type.value, numberLiterals), expected);
    case 'STRUCT':
      return createStructDecoder(type.fields, numberLiterals, expected);
  }
}

function createArrayDecoder(decodeElement: ValueDecoder, expected: string): ValueDecoder {
  return (wire) => {
    if (wire === null) return null;
    if (!Array.isArray(wire)) throw valueMismatch(expected, wire);
    const result: unknown[] = new Array<unknown>(wire.length);
    let index = 0;
    try {
      for (; index < wire.length; index++) result[index] = decodeElement(wire[index]);
    } catch (error) {
      rethrowWithinPath(error, `[${index}]`);
    }
    return result;
  };
}

/** The wire value a key decoder expects, from a JSON object key (keys are always strings on the wire). */
function keyWireValue(kind: SqlType['kind'], key: string): unknown {
  if (kind === 'BOOLEAN') return key === 'true' ? true : key === 'false' ? false : key;
  if ((kind === 'INT' || kind === 'FLOAT' || kind === 'DOUBLE') && parseDecimalText(key) !== undefined) return new JsonNumberLiteral(key);
  return key;
}

function createMapDecoder(keyType: SqlType, decodeKey: ValueDecoder, decodeValue: ValueDecoder, expected: string): ValueDecoder {
  const keyKind = keyType.kind;
  return (wire) => {
    if (wire === null) return null;
    if (!isPlainObject(wire)) throw valueMismatch(expected, wire, 'a MAP travels as a JSON object');
    const result = new Map<unknown, unknown>();
    let currentKey = '';
    try {
      for (const key of Object.keys(wire)) {
        currentKey = key;
        const decodedKey = decodeKey(keyWireValue(keyKind, key));
        if (decodedKey === null) throw valueMismatch(formatSqlType(keyType), key, 'a MAP key cannot be NULL');
        if (result.has(decodedKey)) throw valueMismatch(expected, wire, `two keys both mean ${describeValue(decodedKey)}`);
        result.set(decodedKey, decodeValue(wire[key]));
      }
    } catch (error) {
      rethrowWithinPath(error, `[${JSON.stringify(currentKey.length > 40 ? `${currentKey.slice(0, 40)}…` : currentKey)}]`);
    }
    return result;
  };
}

function createStructDecoder(fields: readonly { readonly name: string; readonly type: SqlType }[], numberLiterals: boolean, expected: string): ValueDecoder {
  const decoders = fields.map((field) => createValueDecoder(field.type, numberLiterals));
  const names = fields.map((field) => field.name);
  const known = new Set(names);
  return (wire) => {
    if (wire === null) return null;
    if (!isPlainObject(wire)) throw valueMismatch(expected, wire, 'a STRUCT travels as a JSON object');
    const result: Record<string, unknown> = {};
    let present = 0;
    let index = 0;
    try {
      for (; index < names.length; index++) {
        const name = names[index] as string;
        let value: unknown = null;
        if (Object.hasOwn(wire, name)) {
          present++;
          value = (decoders[index] as ValueDecoder)(wire[name]);
        }
        // A plain assignment to "__proto__" would replace the prototype instead of adding the field.
        if (name === '__proto__') Object.defineProperty(result, name, { value, writable: true, enumerable: true, configurable: true });
        else result[name] = value;
      }
    } catch (error) {
      rethrowWithinPath(error, `.${names[index]}`);
    }
    if (present !== Object.keys(wire).length) {
      const unknown = Object.keys(wire).find((key) => !known.has(key));
      throw valueMismatch(expected, wire, `unknown field ${JSON.stringify(unknown)}`);
    }
    return result;
  };
}

/** A JsonNumberLiteral as a plain JSON number: bigint for an integer literal (exact), else the nearest double. */
function plainNumber(literal: JsonNumberLiteral): number | bigint {
  return /^-?\d+$/.test(literal.text) ? BigInt(literal.text) : Number(literal.text);
}

/**
 * Rebuilds a JSON-typed value parsed by parseJsonExact into plain JSON values, in place and without recursion
 * (replies may nest arbitrarily deep): big integers become bigint, other inexact literals the nearest double.
 */
function replaceNumberLiterals(wire: unknown): unknown {
  if (wire instanceof JsonNumberLiteral) return plainNumber(wire);
  if (typeof wire !== 'object' || wire === null) return wire;
  const pending: object[] = [wire];
  for (let container = pending.pop(); container !== undefined; container = pending.pop()) {
    const record = container as Record<string, unknown>;
    for (const key of Array.isArray(container) ? container.keys() : Object.keys(container)) {
      const member = record[key];
      if (member instanceof JsonNumberLiteral) record[key] = plainNumber(member);
      else if (typeof member === 'object' && member !== null) pending.push(member);
    }
  }
  return wire;
}
