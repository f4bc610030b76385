import type { SqlType } from '../spec/sql-type.ts';
import { positionedError } from './syntax-error.ts';
import type { TokenCursor } from './token-cursor.ts';

/** Deepest ARRAY/MAP/STRUCT nesting accepted (keeps recursion bounded on hostile input). @default 32 */
export const MAX_TYPE_DEPTH = 32;
/** DECIMAL without a precision means DECIMAL(38,0): the widest exact type, so no value that fits a narrower default is refused. */
export const DEFAULT_DECIMAL = { precision: 38, scale: 0 } as const;
const MAX_DECIMAL_PRECISION = 38;
const MAX_VARCHAR_LENGTH = 2_147_483_647;

const SIMPLE_TYPES: ReadonlyMap<string, SqlType> = new Map(Object.entries({
  boolean: { kind: 'BOOLEAN' },
  bool: { kind: 'BOOLEAN' },
  int: { kind: 'INT' },
  integer: { kind: 'INT' },
  bigint: { kind: 'BIGINT' },
  float: { kind: 'FLOAT' },
  double: { kind: 'DOUBLE' },
  date: { kind: 'DATE' },
  timestamp: { kind: 'TIMESTAMP' },
  binary: { kind: 'BINARY' },
  json: { kind: 'JSON' },
  string: { kind: 'VARCHAR' },
} satisfies Record<string, SqlType>));

/** Map keys must have a JavaScript Map key the codec can round-trip: strings, numbers, bigints. */
const MAP_KEY_KINDS = new Set<SqlType['kind']>(['VARCHAR', 'INT', 'BIGINT']);

const SUPPORTED = 'BOOLEAN, INT, BIGINT, FLOAT, DOUBLE, DECIMAL(p,s), VARCHAR, STRING, DATE, TIMESTAMP, BINARY, JSON, ARRAY<T>, MAP<K,V>, STRUCT<name T, …>';

/**
 * Parses a SQL type at the cursor. Grammar:
 * `simple | DECIMAL[(p[,s])] | NUMERIC[…] | VARCHAR[(n)] | ARRAY<T> | MAP<K,V> | STRUCT<name[:] T, …>`.
 */
export function parseSqlType(cursor: TokenCursor, depth = 0): SqlType {
  const token = cursor.peek();
  if (token.kind !== 'word') throw cursor.fail(`expected a type (${SUPPORTED})`);
  if (depth >= MAX_TYPE_DEPTH) throw positionedError('E_INVALID_TYPE', token, `type nested deeper than ${MAX_TYPE_DEPTH} levels`);
  cursor.next();
  const simple = SIMPLE_TYPES.get(token.value);
  if (simple !== undefined) return simple;
  switch (token.value) {
    case 'decimal':
    case 'numeric':
      return parseDecimal(cursor);
    case 'varchar':
      if (cursor.acceptSymbol('(')) {
        readInteger(cursor, 'VARCHAR length', 1, MAX_VARCHAR_LENGTH);
        cursor.expectSymbol(')', 'after VARCHAR length');
      }
      return { kind: 'VARCHAR' };
    case 'array': {
      cursor.expectSymbol('<', 'after ARRAY');
      const element = parseSqlType(cursor, depth + 1);
      cursor.expectSymbol('>', 'to close ARRAY<');
      return { kind: 'ARRAY', element };
    }
    case 'map':
      return parseMap(cursor, depth);
    case 'struct':
      return parseStruct(cursor, depth);
    default:
      throw positionedError('E_INVALID_TYPE', token, `unsupported type ${cursor.describe(token)} (supported: ${SUPPORTED})`);
  }
}

function parseDecimal(cursor: TokenCursor): SqlType {
  if (!cursor.acceptSymbol('(')) return { kind: 'DECIMAL', ...DEFAULT_DECIMAL };
  const precision = readInteger(cursor, 'DECIMAL precision', 1, MAX_DECIMAL_PRECISION);
  const scale = cursor.acceptSymbol(',') ? readInteger(cursor, 'DECIMAL scale', 0, precision) : 0;
  cursor.expectSymbol(')', 'after DECIMAL precision and scale');
  return { kind: 'DECIMAL', precision, scale };
}

function parseMap(cursor: TokenCursor, depth: number): SqlType {
  cursor.expectSymbol('<', 'after MAP');
  const keyToken = cursor.peek();
  const key = parseSqlType(cursor, depth + 1);
  if (!MAP_KEY_KINDS.has(key.kind)) {
    throw positionedError('E_INVALID_TYPE', keyToken, `MAP key type must be VARCHAR, INT or BIGINT, not ${key.kind}`);
  }
  cursor.expectSymbol(',', 'between MAP key and value types');
  const value = parseSqlType(cursor, depth + 1);
  cursor.expectSymbol('>', 'to close MAP<');
  return { kind: 'MAP', key, value };
}

/** STRUCT field names keep their case even unquoted: they are keys of the objects on the wire. */
function parseStruct(cursor: TokenCursor, depth: number): SqlType {
  cursor.expectSymbol('<', 'after STRUCT');
  const fields: { name: string; type: SqlType }[] = [];
  const seen = new Set<string>();
  do {
    const nameToken = cursor.peek();
    const { name } = cursor.expectIdentifier('a STRUCT field name');
    const written = nameToken.kind === 'word' ? cursor.source.slice(nameToken.start, nameToken.end) : name;
    if (seen.has(written.toLowerCase())) throw positionedError('E_INVALID_TYPE', nameToken, `STRUCT field ${cursor.describe(nameToken)} appears twice`);
    seen.add(written.toLowerCase());
    cursor.acceptSymbol(':');
    fields.push({ name: written, type: parseSqlType(cursor, depth + 1) });
  } while (cursor.acceptSymbol(','));
  cursor.expectSymbol('>', 'to close STRUCT<');
  return { kind: 'STRUCT', fields };
}

function readInteger(cursor: TokenCursor, what: string, minimum: number, maximum: number): number {
  const token = cursor.peek();
  if (token.kind !== 'number') throw cursor.fail(`expected ${what} (an integer)`);
  cursor.next();
  const value = token.value.length > 12 ? Number.POSITIVE_INFINITY : Number(token.value);
  if (value < minimum || value > maximum) {
    throw positionedError('E_INVALID_TYPE', token, `${what} ${token.value.slice(0, 20)} is out of range (${minimum}..${maximum})`);
  }
  return value;
}
