import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWireCodec } from '../../src/codec/create-wire-codec.ts';
import { LakefnError } from '../../src/errors/index.ts';
import type { SqlType } from '../../src/spec/sql-type.ts';
import { array, bytesOf, CONTEXT, decimal, FORMATS, makeFunction, map, struct, T } from './codec-test-helpers.ts';

function capture(action: () => unknown): LakefnError {
  try {
    action();
  } catch (error) {
    assert.ok(LakefnError.isInstance(error), `not a LakefnError: ${String(error)}`);
    return error;
  }
  assert.fail('no error was thrown');
}

/** Encodes `value` as the second argument of row 2 of a batch and returns the E_BAD_ROW it must cause. */
function badArgument(type: SqlType, value: unknown): LakefnError {
  const codec = createWireCodec(makeFunction('lakefn', [T.INT, type], T.INT, {}, 'enrich'));
  const error = capture(() => codec.encodeBatch([[1, null], [2, null], [3, value]], CONTEXT));
  assert.equal(error.code, 'E_BAD_ROW', error.message);
  assert.equal(error.location.row, 2);
  assert.equal(error.location.field, 'x1');
  assert.match(error.message, /argument x1 \(#2\) of function enrich does not fit its type/);
  return error;
}

describe('argument values that do not fit their declared type', () => {
  const cases: [SqlType, unknown, RegExp][] = [
    [T.BOOLEAN, 'true', /expected BOOLEAN, got 'true'/],
    [T.BOOLEAN, 1, /expected BOOLEAN, got 1/],
    [T.INT, 1.5, /expected INT, got 1\.5 \(not an integer\)/],
    [T.INT, 2_147_483_648, /outside the 32-bit range/],
    [T.INT, 2n ** 31n, /outside the 32-bit range/],
    [T.INT, '5', /expected INT, got '5'/],
    [T.BIGINT, 2n ** 63n, /outside the 64-bit range/],
    [T.BIGINT, -(2n ** 63n) - 1n, /outside the 64-bit range/],
    [T.BIGINT, 2 ** 53, /not exact; use a bigint or a string/],
    [T.BIGINT, 0.5, /not an integer/],
    [T.BIGINT, '12abc', /not integer text/],
    [T.BIGINT, '9223372036854775808', /outside the 64-bit range/],
    [T.FLOAT, 1e39, /outside the FLOAT range/],
    [T.DOUBLE, '1.5', /expected DOUBLE, got '1\.5'/],
    [decimal(5, 2), '1234.5', /expected DECIMAL\(5,2\), got '1234\.5' \(4 integer digits, at most 3 allowed\)/],
    [decimal(5, 2), '1.234', /3 fractional digits, at most 2 allowed/],
    [decimal(5, 2), 'abc', /not a decimal number/],
    [decimal(5, 2), Number.NaN, /expected DECIMAL\(5,2\), got NaN/],
    [decimal(38, 10), '1'.repeat(29), /29 integer digits, at most 28 allowed/],
    [T.VARCHAR, 5, /expected VARCHAR, got 5/],
    [T.VARCHAR, undefined, /expected VARCHAR, got undefined/],
    [T.DATE, '2023-02-30', /expected DATE, got '2023-02-30' \(not a calendar date\)/],
    [T.DATE, '2023-2-3', /not in the form 'YYYY-MM-DD'/],
    [T.DATE, new Date(0), /pass a 'YYYY-MM-DD' string/],
    [T.TIMESTAMP, '2024-01-01T00:00:00', /no time zone/],
    [T.TIMESTAMP, new Date(Number.NaN), /an invalid Date/],
    [T.TIMESTAMP, 1_700_000_000_000, /expected TIMESTAMP, got 1700000000000/],
    [T.BINARY, 'AAEC', /pass a Uint8Array/],
    [T.BINARY, [1, 2], /pass a Uint8Array/],
    [T.JSON, Number.NaN, /NaN and Infinity are not JSON/],
    [T.JSON, { at: new Date(0) }, /at x1\["at"\]: expected JSON, got Date\(1970-01-01T00:00:00\.000Z\) \(not a JSON value\)/],
    [T.JSON, [1, () => 1], /at x1\[1\]: expected JSON/],
    [T.JSON, new Map(), /not a JSON value/],
    [array(T.INT), { 0: 1 }, /expected ARRAY<INT>/],
    [array(T.DATE), ['2023-02-28', '2023-02-30'], /at x1\[1\]: expected DATE, got '2023-02-30' \(not a calendar date\)/],
    [array(T.INT), [1, undefined], /at x1\[1\]: expected INT, got undefined/],
    [map(T.VARCHAR, T.INT), { a: 1 }, /expected MAP<VARCHAR,INT>, got \{"a":1\} \(pass a Map\)/],
    [map(T.VARCHAR, T.INT), new Map([['a', 'one']]), /at x1\["a"\]: expected INT, got 'one'/],
    [map(T.VARCHAR, T.INT), new Map([[null, 1]]), /a MAP key cannot be NULL/],
    [map(T.INT, T.INT), new Map([['1', 1]]), /at x1\["1"\]: expected INT, got '1'/],
    [map(T.BIGINT, T.INT), new Map<unknown, number>([[1n, 1], [1, 2]]), /two keys are both "1"/],
    [map(decimal(4, 1), T.INT), new Map([['1.5', 1], ['1.50', 2]]), /two keys are both "1\.5"/],
    [struct({ a: T.INT }), { a: 1, b: 2 }, /unknown field "b"/],
    [struct({ a: T.INT }), [1], /pass a plain object/],
    [struct({ a: T.INT }), new Map([['a', 1]]), /pass a plain object/],
    [struct({ a: struct({ b: array(T.INT) }) }), { a: { b: [1, 'x'] } }, /at x1\.a\.b\[1\]: expected INT, got 'x'/],
  ];
  for (const [type, value, message] of cases) {
    it(`rejects ${String(value instanceof Map ? 'Map' : typeof value)} for ${JSON.stringify(type)} with ${String(message)}`, () => {
      assert.match(badArgument(type, value).message, message);
    });
  }

  it('rejects reference cycles in JSON values', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    assert.match(badArgument(T.JSON, cyclic).message, /nested deeper than 1000 levels \(or a cycle\)/);
  });

  it('rejects rows of the wrong shape', () => {
    const codec = createWireCodec(makeFunction('snowflake', [T.INT, T.VARCHAR], T.INT, {}, 'enrich'));
    const short = capture(() => codec.encodeBatch([[1, 'a'], [1]], CONTEXT));
    assert.equal(short.code, 'E_BAD_ROW');
    assert.equal(short.location.row, 1);
    assert.match(short.message, /has 1 values, but the function takes 2 arguments \(x0, x1\)/);
    const notArray = capture(() => codec.encodeBatch(['1, a' as unknown as unknown[]], CONTEXT));
    assert.match(notArray.message, /is a string .*not an array of its 2 arguments/);
  });

  it('reports the caller-given row index from encodedRowSize and encodeRow, and none without it', () => {
    for (const format of FORMATS) {
      const codec = createWireCodec(makeFunction(format, [T.DATE], T.INT));
      assert.equal(capture(() => codec.encodedRowSize(['2023-02-30'], 41)).location.row, 41);
      assert.equal(capture(() => codec.encodeRow(['2023-02-30'], 7)).location.row, 7);
      const withoutIndex = capture(() => codec.encodedRowSize(['2023-02-30']));
      assert.equal(withoutIndex.code, 'E_BAD_ROW');
      assert.equal(withoutIndex.location.row, undefined);
    }
  });
});

describe('result values that do not fit the return type', () => {
  function badResult(returnType: SqlType, replyValue: string): LakefnError {
    const codec = createWireCodec(makeFunction('lakefn', [T.INT], returnType, {}, 'enrich'));
    const error = capture(() => codec.decodeReply(bytesOf(`{"results":[null, ${replyValue}]}`), 2));
    assert.equal(error.code, 'E_TYPE_COERCION', error.message);
    assert.equal(error.location.row, 1);
    return error;
  }
  const cases: [SqlType, string, RegExp][] = [
    [T.INT, '2147483648', /expected INT, got 2147483648 \(outside the 32-bit range\)/],
    [T.INT, '12345678901234567890', /outside the 32-bit range/],
    [T.BIGINT, '9223372036854775808', /outside the 64-bit range/],
    [T.BIGINT, '"9223372036854775808"', /outside the 64-bit range/],
    [T.BIGINT, '1.5', /not an integer/],
    [T.BIGINT, '"1.0"', /not integer text/],
    [T.BIGINT, 'true', /expected BIGINT, got true/],
    [T.FLOAT, '1e39', /outside the FLOAT range/],
    [T.DOUBLE, '1e400', /got Infinity \(outside the DOUBLE range\)/],
    [T.DOUBLE, '-1e400', /outside the DOUBLE range/],
    [array(struct({ a: T.BIGINT, b: T.DOUBLE })), '[{"a": 1, "b": 1e400}]', /at result\[0\]\.b: expected DOUBLE, got 1e400 \(outside the DOUBLE range\)/],
    [T.DOUBLE, '"1.5"', /expected DOUBLE, got '1\.5'/],
    [decimal(10, 2), '123456789.5', /9 integer digits, at most 8 allowed/],
    [decimal(10, 2), '0.125', /3 fractional digits/],
    [decimal(10, 2), '"1,5"', /not a decimal number/],
    [decimal(38, 0), '1e400', /got 1e400 \(401 integer digits, at most 38 allowed\)/],
    [decimal(38, 0), '1e401', /not a decimal number/],
    [T.VARCHAR, '{"text": "x"}', /expected VARCHAR, got \{"text":"x"\}/],
    [T.DATE, '"2023-02-30"', /not a calendar date/],
    [T.DATE, '"2023-02-28T00:00:00Z"', /not in the form/],
    [T.TIMESTAMP, '"2024-01-01 00:00:00"', /no time zone/],
    [T.TIMESTAMP, '1704067200', /expected TIMESTAMP, got 1704067200/],
    [T.BINARY, '"not base64!"', /not base64/],
    [T.BINARY, '"AAECA"', /not base64/],
    [T.BINARY, '[1,2]', /binary travels as a base64 string/],
    [array(T.INT), '{"0": 1}', /expected ARRAY<INT>/],
    [array(T.INT), '[1, 2, "3"]', /at result\[2\]: expected INT, got '3'/],
    [map(T.VARCHAR, T.INT), '[["a", 1]]', /a MAP travels as a JSON object/],
    [map(T.INT, T.INT), '{"x": 1}', /at result\["x"\]: expected INT, got 'x'/],
    [map(T.INT, T.INT), '{"1": 1, "01": 2}', /two keys both mean 1/],
    [map(T.DATE, T.INT), '{"2023-02-30": 1}', /not a calendar date/],
    [struct({ a: T.INT }), '{"a": 1, "b": 2}', /unknown field "b"/],
    [struct({ a: T.INT }), '[1]', /a STRUCT travels as a JSON object/],
    [array(map(T.VARCHAR, struct({ d: T.DATE }))), '[null, {"k": {"d": "2023-02-30"}}]', /at result\[1\]\["k"\]\.d: expected DATE/],
  ];
  for (const [type, reply, message] of cases) {
    it(`rejects ${reply} for ${JSON.stringify(type)}`, () => {
      const error = badResult(type, reply);
      assert.match(error.message, message);
      assert.match(error.message, /function enrich returned a value that does not fit its return type/);
    });
  }

  it('treats a missing STRUCT field as NULL', () => {
    const codec = createWireCodec(makeFunction('bigquery', [T.INT], struct({ a: T.INT, b: T.VARCHAR })));
    assert.deepStrictEqual(codec.decodeReply(bytesOf('{"replies":[{"b":"x"},{}]}'), 2).results, [{ a: null, b: 'x' }, { a: null, b: null }]);
  });

  it('refuses MAP types whose keys no JSON object can carry', () => {
    const error = capture(() => createWireCodec(makeFunction('lakefn', [map(array(T.INT), T.INT)], T.INT)));
    assert.equal(error.code, 'E_INVALID_TYPE');
    assert.match(error.message, /a MAP key must be a scalar type/);
  });
});
