import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDuckDbSession, type DuckDbSession } from '../../src/duckdb/create-duckdb-session.ts';
import type { SqlType } from '../../src/spec/sql-type.ts';
import { fakeUdfHook as fakeHook, functionRecord } from '../udf/fake-udf-hook.ts';

const TYPES: Record<string, SqlType> = {
  echo_boolean: { kind: 'BOOLEAN' },
  echo_int: { kind: 'INT' },
  echo_bigint: { kind: 'BIGINT' },
  echo_double: { kind: 'DOUBLE' },
  echo_decimal: { kind: 'DECIMAL', precision: 20, scale: 4 },
  echo_varchar: { kind: 'VARCHAR' },
  echo_date: { kind: 'DATE' },
  echo_timestamp: { kind: 'TIMESTAMP' },
  echo_binary: { kind: 'BINARY' },
  echo_json: { kind: 'JSON' },
  echo_array: { kind: 'ARRAY', element: { kind: 'BIGINT' } },
  echo_map: { kind: 'MAP', key: { kind: 'VARCHAR' }, value: { kind: 'INT' } },
  echo_struct: { kind: 'STRUCT', fields: [{ name: 'a', type: { kind: 'INT' } }, { name: 'b', type: { kind: 'VARCHAR' } }] },
};

describe('DuckDB ⇄ lakefn value mapping', () => {
  const functions = Object.entries(TYPES).map(([name, type]) => functionRecord(name, [type], type));
  const seen = new Map<string, unknown>();
  const hook = fakeHook(
    functions,
    Object.fromEntries(Object.keys(TYPES).map((name) => [name, ([value]: readonly unknown[]) => (seen.set(name, value), value)])),
  );
  let session: DuckDbSession;
  before(async () => {
    session = await createDuckDbSession({ hook, functions });
  });
  after(async () => {
    await session.close();
  });

  const cases: [string, string, unknown, unknown][] = [
    ['echo_boolean', 'true', true, true],
    ['echo_int', '-42', -42, -42],
    ['echo_bigint', '9007199254740993::BIGINT', 9007199254740993n, 9007199254740993n],
    ['echo_double', '1.5::DOUBLE', 1.5, 1.5],
    ['echo_decimal', `'-12345678901234.5678'::DECIMAL(20,4)`, '-12345678901234.5678', '-12345678901234.5678'],
    ['echo_varchar', `'héllo'`, 'héllo', 'héllo'],
    ['echo_date', `DATE '2024-02-29'`, '2024-02-29', '2024-02-29'],
    ['echo_timestamp', `TIMESTAMPTZ '2024-01-02 03:04:05.123456+00'`, '2024-01-02T03:04:05.123456Z', '2024-01-02 03:04:05.123456+00'],
    ['echo_binary', `'\\x01\\xFF'::BLOB`, new Uint8Array([1, 255]), '\\x01\\xFF'],
    ['echo_json', `'{"a":[1,null]}'::JSON`, { a: [1, null] }, '{"a":[1,null]}'],
    ['echo_array', '[1, NULL, 9007199254740993]::BIGINT[]', [1n, null, 9007199254740993n], [1n, null, 9007199254740993n]],
    ['echo_map', `MAP {'k': 1, 'j': NULL}::MAP(VARCHAR, INTEGER)`, new Map([['k', 1], ['j', null]]), { k: 1, j: null }],
    ['echo_struct', `{'a': 7, 'b': 'x'}::STRUCT(a INTEGER, b VARCHAR)`, { a: 7, b: 'x' }, { a: 7, b: 'x' }],
  ];
  for (const [name, literal, asArgument, asResult] of cases) {
    it(`${name}: ${literal}`, async () => {
      const result = await session.query(`SELECT ${name}(x) AS r FROM (SELECT ${literal} AS x)`);
      assert.deepEqual(seen.get(name), asArgument);
      assert.deepEqual(result.rows, [[asResult]]);
    });
  }

  it('passes constant and column NULLs to the function (the dispatcher applies the NULL policy)', async () => {
    hook.calls.length = 0;
    const result = await session.query('SELECT echo_int(NULL) AS a, echo_int(x) AS b FROM (VALUES (1), (NULL)) v(x) ORDER BY x NULLS LAST');
    assert.deepEqual(result.rows, [[null, 1], [null, null]]);
    assert.ok(hook.calls.some((call) => call.rows.some((row) => row[0] === null)));
  });
});
