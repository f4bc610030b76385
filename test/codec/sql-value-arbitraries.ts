// fast-check arbitraries for SQL types and JS values that fit them (NULLs at every level included).
import fc from 'fast-check';
import { createValueEncoder, MAP_KEY_KINDS } from '../../src/codec/value-encoders.ts';
import type { SqlType } from '../../src/spec/sql-type.ts';

const SCALAR_KINDS = ['BOOLEAN', 'INT', 'BIGINT', 'FLOAT', 'DOUBLE', 'DECIMAL', 'VARCHAR', 'DATE', 'TIMESTAMP', 'BINARY', 'JSON'] as const;

const FIELD_NAME = fc.constantFrom('a', 'b', 'id', 'name', 'x_1', 'Mixed Case', 'ü');

const DECIMAL_TYPE: fc.Arbitrary<SqlType> = fc
  .integer({ min: 1, max: 38 })
  .chain((precision) => fc.integer({ min: 0, max: precision }).map((scale): SqlType => ({ kind: 'DECIMAL', precision, scale })));

function scalarType(kinds: readonly SqlType['kind'][]): fc.Arbitrary<SqlType> {
  return fc.constantFrom(...kinds).chain((kind) => (kind === 'DECIMAL' ? DECIMAL_TYPE : fc.constant({ kind } as SqlType)));
}

/** Any SQL type, nested up to `depth` levels of ARRAY / MAP / STRUCT. */
export function sqlTypeArbitrary(depth = 2): fc.Arbitrary<SqlType> {
  const scalar = scalarType(SCALAR_KINDS);
  if (depth === 0) return scalar;
  const inner = sqlTypeArbitrary(depth - 1);
  return fc.oneof(
    { arbitrary: scalar, weight: 3 },
    inner.map((element): SqlType => ({ kind: 'ARRAY', element })),
    fc.tuple(scalarType([...MAP_KEY_KINDS]), inner).map(([key, value]): SqlType => ({ kind: 'MAP', key, value })),
    fc
      .uniqueArray(fc.tuple(FIELD_NAME, inner), { minLength: 1, maxLength: 3, selector: ([name]) => name })
      .map(([...fields]): SqlType => ({ kind: 'STRUCT', fields: fields.map(([name, type]) => ({ name, type })) })),
  );
}

function digits(maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), maxLength });
}

const TIMESTAMP_VALUE: fc.Arbitrary<unknown> = fc.oneof(
  fc.date({ min: new Date('0002-01-01T00:00:00Z'), max: new Date('9998-12-31T00:00:00Z'), noInvalidDate: true }),
  fc
    .tuple(
      fc.date({ min: new Date('0002-01-01T00:00:00Z'), max: new Date('9998-12-31T00:00:00Z'), noInvalidDate: true }),
      fc.constantFrom('', '.5', '.123456', '.000001', '.120'),
      fc.constantFrom('Z', '+08:00', '-0530', '+01', ' ', 'z'),
    )
    .map(([date, fraction, zone]) => `${date.toISOString().slice(0, 19).replace('T', zone === ' ' ? ' ' : 'T')}${fraction}${zone === ' ' ? 'Z' : zone}`),
);

/** JS values of `type` as a caller may pass them (not only canonical forms), or NULL. */
export function valueArbitrary(type: SqlType): fc.Arbitrary<unknown> {
  return fc.option(nonNullValueArbitrary(type), { nil: null, freq: 6 });
}

function nonNullValueArbitrary(type: SqlType): fc.Arbitrary<unknown> {
  switch (type.kind) {
    case 'BOOLEAN':
      return fc.boolean();
    case 'INT':
      return fc.integer();
    case 'BIGINT':
      return fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.maxSafeInteger(), fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }).map(String));
    case 'FLOAT':
      return fc.float();
    case 'DOUBLE':
      return fc.double();
    case 'DECIMAL':
      return fc
        .tuple(fc.boolean(), digits(type.precision - type.scale), digits(type.scale))
        .map(([negative, integer, fraction]) => `${negative ? '-' : ''}${integer === '' ? '0' : integer}${fraction === '' ? '' : `.${fraction}`}`);
    case 'VARCHAR':
      return fc.string({ unit: 'binary', maxLength: 20 });
    case 'DATE':
      return fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((date) => date.toISOString().slice(0, 10));
    case 'TIMESTAMP':
      return TIMESTAMP_VALUE;
    case 'BINARY':
      return fc.uint8Array({ maxLength: 20 });
    case 'JSON':
      return fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' });
    case 'ARRAY':
      return fc.array(valueArbitrary(type.element), { maxLength: 3 });
    case 'MAP': {
      const encodeKey = createValueEncoder(type.key);
      return fc
        .uniqueArray(fc.tuple(nonNullValueArbitrary(type.key), valueArbitrary(type.value)), { maxLength: 3, selector: ([key]) => encodeKey(key) })
        .map((entries) => new Map(entries));
    }
    case 'STRUCT':
      return fc.tuple(...type.fields.map((field) => fc.option(valueArbitrary(field.type), { nil: undefined }))).map((values) => {
        const result: Record<string, unknown> = {};
        type.fields.forEach((field, index) => {
          // An absent field means NULL.
          if (values[index] !== undefined) result[field.name] = values[index];
        });
        return result;
      });
  }
}
