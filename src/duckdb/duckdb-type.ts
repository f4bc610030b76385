import {
  BIGINT,
  BLOB,
  BOOLEAN,
  DATE,
  DECIMAL,
  DOUBLE,
  DuckDBVarCharType,
  FLOAT,
  INTEGER,
  LIST,
  MAP,
  STRUCT,
  TIMESTAMPTZ,
  VARCHAR,
  type DuckDBType,
} from '@duckdb/node-api';
import { LakefnError } from '../errors/index.ts';
import { formatSqlType, type SqlType } from '../spec/sql-type.ts';

/** DuckDB's widest DECIMAL; wider lakefn decimals cannot be represented natively. */
const DUCKDB_MAX_DECIMAL_WIDTH = 38;

/**
 * The DuckDB type a lakefn SqlType is registered with.
 * TIMESTAMP is an instant (ISO-8601 with zone on the wire), so it maps to TIMESTAMPTZ; a plain TIMESTAMP
 * argument is cast implicitly using the session TimeZone. JSON is DuckDB's JSON type (VARCHAR aliased JSON,
 * provided by the bundled json extension). ARRAY maps to LIST.
 */
export function toDuckDbType(type: SqlType): DuckDBType {
  switch (type.kind) {
    case 'BOOLEAN':
      return BOOLEAN;
    case 'INT':
      return INTEGER;
    case 'BIGINT':
      return BIGINT;
    case 'FLOAT':
      return FLOAT;
    case 'DOUBLE':
      return DOUBLE;
    case 'DECIMAL':
      if (type.precision > DUCKDB_MAX_DECIMAL_WIDTH) {
        throw new LakefnError('E_INVALID_TYPE', `${formatSqlType(type)} is wider than DuckDB's DECIMAL(38,…); declare the function with a precision of at most 38 to call it from DuckDB`);
      }
      return DECIMAL(type.precision, type.scale);
    case 'VARCHAR':
      return VARCHAR;
    case 'DATE':
      return DATE;
    case 'TIMESTAMP':
      return TIMESTAMPTZ;
    case 'BINARY':
      return BLOB;
    case 'JSON':
      return DuckDBVarCharType.create('JSON');
    case 'ARRAY':
      return LIST(toDuckDbType(type.element));
    case 'MAP':
      return MAP(toDuckDbType(type.key), toDuckDbType(type.value));
    case 'STRUCT':
      return STRUCT(Object.fromEntries(type.fields.map((field) => [field.name, toDuckDbType(field.type)])));
  }
}
