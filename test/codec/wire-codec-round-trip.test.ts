import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createWireCodec } from '../../src/codec/create-wire-codec.ts';
import { redshiftQueryId } from '../../src/codec/formats/redshift-wire-format.ts';
import type { SqlType } from '../../src/spec/sql-type.ts';
import { formatSqlType } from '../../src/spec/sql-type.ts';
import { array, CONTEXT, decimal, echoReply, FORMATS, makeFunction, map, requestRows, struct, T } from './codec-test-helpers.ts';

/** [input value, value expected back after a round trip through an echoing function]. */
type Case = readonly [input: unknown, decoded: unknown];

const same = (...values: unknown[]): Case[] => values.map((value) => [value, value] as const);

const NESTED = array(map(T.VARCHAR, struct({ id: T.BIGINT, tags: array(T.VARCHAR), price: decimal(10, 2), at: T.TIMESTAMP, raw: T.BINARY })));

const CASES: readonly (readonly [SqlType, readonly Case[]])[] = [
  [T.BOOLEAN, same(true, false, null)],
  [T.INT, [...same(0, 2_147_483_647, -2_147_483_648, null), [-0, 0], [5n, 5]]],
  [
    T.BIGINT,
    [
      ...same(2n ** 63n - 1n, -(2n ** 63n), 0n, 2n ** 53n, -(2n ** 53n) - 1n, null),
      [9_007_199_254_740_991, 9_007_199_254_740_991n],
      [-42, -42n],
      ['-9223372036854775808', -(2n ** 63n)],
      ['+0012', 12n],
    ],
  ],
  [T.FLOAT, same(1.5, -0, 0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 3.4028234663852886e38, 1.401298464324817e-45, null)],
  [T.DOUBLE, same(0.1, 0.30000000000000004, -0, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE, 1e21, 123456789.12345679, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, null)],
  [
    decimal(38, 10),
    [
      ...same('9999999999999999999999999999.9999999999', '-9999999999999999999999999999.9999999999', '0.0000000001', '-0.0000000001', null),
      ['-0', '0.0000000000'],
      ['1.5', '1.5000000000'],
      ['1E+3', '1000.0000000000'],
      [12n, '12.0000000000'],
      [0.25, '0.2500000000'],
    ],
  ],
  [decimal(38, 0), same('99999999999999999999999999999999999999', '-99999999999999999999999999999999999999', '0')],
  [decimal(5, 5), [...same('0.12345', '-0.00001'), ['.5', '0.50000']]],
  [T.VARCHAR, same('', 'héllo wörld ✓ 😀', 'quote " backslash \\ slash / newline \n tab \t nul \u0000 del \u007f', '__proto__', '9223372036854775807', 'x'.repeat(10_000), null)],
  [T.DATE, same('2024-02-29', '2000-02-29', '0001-01-01', '9999-12-31', null)],
  [
    T.TIMESTAMP,
    [
      ...same('2024-01-01T00:00:00Z', '2024-01-01T00:00:00.123456Z', '0001-01-01T00:00:00Z', null),
      ['2024-01-01T08:00:00+08:00', '2024-01-01T00:00:00Z'],
      ['2024-03-01 00:30:00.5-01:00', '2024-03-01T01:30:00.5Z'],
      ['2024-01-01T00:00:00.123456000+0000', '2024-01-01T00:00:00.123456Z'],
      [new Date(Date.UTC(2020, 0, 1, 12, 0, 0, 7)), '2020-01-01T12:00:00.007Z'],
    ],
  ],
  [
    T.BINARY,
    [
      ...same(new Uint8Array(), new Uint8Array([0, 255, 128, 0xc3, 0x28, 0xfe, 0xff]), new Uint8Array(1000).map((_, index) => index % 256), null),
      [Buffer.from('buffer in'), new Uint8Array(Buffer.from('buffer in'))],
      [new Uint8Array([9, 8, 7, 6, 5]).subarray(1, 4), new Uint8Array([8, 7, 6])],
    ],
  ],
  [
    T.JSON,
    [
      ...same({ a: [1, 'x', null, true, { b: {} }], 'key "q"': -2.5 }, [], 'text', 0, true, { n: 2n ** 70n, m: -(2n ** 64n) }, 12_345_678_901_234_567_890n, null),
      [{ skipped: undefined, kept: 1 }, { kept: 1 }],
    ],
  ],
  [array(T.INT), same([1, null, 3], [], null, [null])],
  [array(array(T.DATE)), same([['2024-01-01'], [], null, [null, '2023-12-31']])],
  [map(T.VARCHAR, T.BIGINT), same(new Map([['a', 1n], ['b', null], ['', 2n ** 62n], ['__proto__', 3n]]), new Map(), null)],
  [map(T.INT, T.VARCHAR), same(new Map([[1, 'one'], [-2, 'minus two'], [2_147_483_647, null]]))],
  [map(T.BIGINT, T.DOUBLE), [...same(new Map([[2n ** 63n - 1n, 1.5], [-(2n ** 63n), Number.NaN]])), [new Map([[7, 0.5]]), new Map([[7n, 0.5]])]]],
  [map(T.DATE, T.BOOLEAN), same(new Map([['2024-02-29', true], ['0001-01-01', false]]))],
  [map(T.BOOLEAN, T.INT), same(new Map([[true, 1], [false, 0]]))],
  [map(T.DOUBLE, T.INT), same(new Map([[0.5, 1], [Number.NaN, 2], [Number.NEGATIVE_INFINITY, 3], [1e300, 4]]))],
  [map(decimal(10, 2), T.INT), [[new Map([['1.5', 1]]), new Map([['1.50', 1]])]]],
  [map(T.TIMESTAMP, T.INT), [[new Map([['2024-01-01T08:00:00+08:00', 1]]), new Map([['2024-01-01T00:00:00Z', 1]])]]],
  [
    struct({ a: T.INT, b: T.VARCHAR, ['__proto__']: T.BOOLEAN }),
    [
      [{ a: 1, b: 'x' }, { a: 1, b: 'x', ['__proto__']: null }],
      [{}, { a: null, b: null, ['__proto__']: null }],
      [null, null],
    ],
  ],
  [
    NESTED,
    [
      ...same(
        null,
        [],
        [null],
        [new Map()],
        [
          new Map<string, unknown>([
            ['k', null],
            ['full', { id: 2n ** 63n - 1n, tags: ['a', null, ''], price: '-99999999.99', at: '2024-01-01T00:00:00.000001Z', raw: new Uint8Array([0xff, 0]) }],
            ['nulls', { id: null, tags: null, price: null, at: null, raw: null }],
          ]),
          null,
          new Map([['empty tags', { id: 0n, tags: [], price: '0.00', at: '2024-02-29T23:59:59Z', raw: new Uint8Array() }]]),
        ],
      ),
    ],
  ],
];

/** Plain-object field "__proto__" as an own property, the way the decoder builds it. */
function withOwnProto(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Map || value instanceof Uint8Array || value instanceof Date) return value;
  const copy: Record<string, unknown> = {};
  for (const [key, member] of Object.entries(value)) Object.defineProperty(copy, key, { value: member, enumerable: true, writable: true, configurable: true });
  return copy;
}

describe('createWireCodec round trips', () => {
  for (const format of FORMATS) {
    describe(format, () => {
      for (const [type, cases] of CASES) {
        it(`${formatSqlType(type)}`, () => {
          const codec = createWireCodec(makeFunction(format, [type], type));
          const rows = cases.map(([input]) => [withOwnProto(input)]);
          const request = codec.encodeBatch(rows, CONTEXT);
          JSON.parse(Buffer.from(request).toString('utf8'));
          const reply = codec.decodeReply(echoReply(format, request), rows.length);
          assert.deepStrictEqual(reply.results, cases.map(([, decoded]) => withOwnProto(decoded)));
          assert.equal(reply.rowErrors.size, 0);
        });
      }
    });
  }

  it('sends BIGINT as a JSON number within ±(2^53−1) and as a string beyond', () => {
    const codec = createWireCodec(makeFunction('lakefn', [T.BIGINT], T.BIGINT));
    const request = Buffer.from(codec.encodeBatch([[2n ** 53n - 1n], [2n ** 53n], [-(2n ** 53n) + 1n], [-(2n ** 53n)], [-(2n ** 63n)]], CONTEXT)).toString();
    assert.match(request, /"rows":\[\[9007199254740991\],\["9007199254740992"\],\[-9007199254740991\],\["-9007199254740992"\],\["-9223372036854775808"\]\]/);
    // Replies may use either form; exact JSON number literals are kept exact.
    const reply = codec.decodeReply(Buffer.from('{"results":[9223372036854775807,"9223372036854775807",-9223372036854775808,9007199254740993,5.0]}'), 5);
    assert.deepStrictEqual(reply.results, [2n ** 63n - 1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 53n + 1n, 5n]);
  });

  it('keeps DECIMAL replies sent as exact JSON numbers', () => {
    const codec = createWireCodec(makeFunction('lakefn', [T.INT], decimal(38, 20)));
    const reply = codec.decodeReply(Buffer.from('{"results":[123456789012345678.12345678901234567890, 0.1, 1e-20, -5, 12.5e2]}'), 5);
    assert.deepStrictEqual(reply.results, ['123456789012345678.12345678901234567890', '0.10000000000000000000', '0.00000000000000000001', '-5.00000000000000000000', '1250.00000000000000000000']);
  });

  it('sends the lakefn v1 envelope with types, ids and rows', () => {
    const fn = makeFunction('lakefn', [T.VARCHAR, decimal(10, 2)], map(T.VARCHAR, T.INT), {}, 'upper');
    const request = JSON.parse(Buffer.from(createWireCodec(fn).encodeBatch([['a', '1.5'], [null, null]], CONTEXT)).toString()) as unknown;
    assert.deepStrictEqual(request, {
      lakefn: 1,
      batch_id: 'q-17:upper:3',
      function: 'upper',
      query_id: 'q-17',
      user: 'alice',
      arg_types: ['VARCHAR', 'DECIMAL(10,2)'],
      return_type: 'MAP<VARCHAR,INT>',
      rows: [['a', '1.50'], [null, null]],
    });
  });

  it('sends the snowflake, bigquery and redshift envelopes', () => {
    const rows = [['a', 1], ['b', null]];
    const decode = (format: (typeof FORMATS)[number]): unknown =>
      JSON.parse(Buffer.from(createWireCodec(makeFunction(format, [T.VARCHAR, T.INT], T.VARCHAR, {}, 'sentiment')).encodeBatch(rows, CONTEXT)).toString());
    assert.deepStrictEqual(decode('snowflake'), { data: [[0, 'a', 1], [1, 'b', null]] });
    assert.deepStrictEqual(decode('bigquery'), { requestId: 'q-17:upper:3', caller: '//lakefn/functions/sentiment', sessionUser: 'alice', userDefinedContext: {}, calls: rows });
    // as Redshift sends it: query_id a number (stable for the query), cluster an ARN
    assert.deepStrictEqual(decode('redshift'), {
      request_id: 'q-17:upper:3',
      cluster: 'arn:aws:redshift:::cluster:lakefn',
      user: 'alice',
      database: 'lakefn',
      external_function: 'sentiment',
      query_id: redshiftQueryId('q-17'),
      num_records: 2,
      arguments: rows,
    });
  });

  it('redshift query_id: an integer query id as it is, any other as the same safe integer for every batch', () => {
    assert.equal(redshiftQueryId('5678234'), 5678234);
    const derived = redshiftQueryId('q-17');
    assert.ok(Number.isSafeInteger(derived) && derived >= 0);
    assert.equal(redshiftQueryId('q-17'), derived);
    assert.notEqual(redshiftQueryId('q-18'), derived);
    assert.ok(Number.isSafeInteger(redshiftQueryId('99999999999999999999')));
  });

  it('handles functions without arguments', () => {
    for (const format of FORMATS) {
      const codec = createWireCodec(makeFunction(format, [], T.INT));
      const request = codec.encodeBatch([[], []], CONTEXT);
      assert.deepStrictEqual(requestRows(format, request), format === 'snowflake' ? [[0], [1]] : [[], []]);
      assert.equal(request.byteLength, codec.envelopeSize(CONTEXT) + 2 * codec.encodedRowSize([]) - 1 - (format === 'redshift' ? 2 : 0) - (format === 'snowflake' ? 4 : 0));
    }
  });

  it('round-trips a 100,000-row batch in every format', () => {
    for (const format of FORMATS) {
      const codec = createWireCodec(makeFunction(format, [T.BIGINT, T.VARCHAR], T.BIGINT, { maxBatchRows: 100_000 }));
      const rows = Array.from({ length: 100_000 }, (_, index) => [BigInt(index) * 92_233_720_368_547n, `row ${index}`]);
      const encoded = rows.map((row, index) => codec.encodeRow(row, index));
      const request = codec.encodeBatchFromEncodedRows(encoded, CONTEXT);
      assert.deepStrictEqual(request, codec.encodeBatch(rows, CONTEXT));
      assert.ok(request.byteLength <= codec.envelopeSize(CONTEXT) + encoded.reduce((sum, row) => sum + row.size, 0));
      const { results } = codec.decodeReply(echoReply(format, request), rows.length);
      assert.equal(results.length, rows.length);
      results.forEach((value, index) => assert.equal(value, rows[index]?.[0]));
    }
  });

  it('accepts a reply that is JSON text inside a JSON string (handlers returning json.dumps)', () => {
    const codec = createWireCodec(makeFunction('redshift', [T.INT], T.BIGINT));
    const inner = '{"success": true, "num_records": 2, "results": [9223372036854775807, null]}';
    assert.deepStrictEqual(codec.decodeReply(Buffer.from(JSON.stringify(inner)), 2).results, [2n ** 63n - 1n, null]);
  });

  it('carries lakefn per-row errors and leaves those rows NULL', () => {
    const codec = createWireCodec(makeFunction('lakefn', [T.INT], T.INT));
    const reply = codec.decodeReply(Buffer.from('{"results":[1,"not an int",3],"errors":[{"row":1,"message":"division by zero"}]}'), 3);
    assert.deepStrictEqual(reply.results, [1, null, 3]);
    assert.deepStrictEqual([...reply.rowErrors], [[1, 'division by zero']]);
  });
});
