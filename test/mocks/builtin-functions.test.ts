import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUILTIN_FUNCTIONS } from '../../mocks/builtin-functions.ts';
import type { InvocationContext } from '../../mocks/mock-types.ts';
import { summarizePayload, withWrongRowCount } from '../../mocks/wire-payload.ts';

const context: InvocationContext = {
  provider: 'aws',
  accountId: '000000000002',
  region: 'us-east-1',
  namespace: undefined,
  functionName: 'f',
  requestId: 'r',
  callNumber: 1,
  coldStart: false,
  rawPayload: new Uint8Array(),
  signal: new AbortController().signal,
};
const lakefn = (rows: unknown[][]) => ({ lakefn: 1, batch_id: 'q:f:0', rows });

describe('built-in functions', () => {
  it('upper, echo', () => {
    assert.deepEqual(BUILTIN_FUNCTIONS.upper(lakefn([['a'], [null], ['Émile']])), { results: ['A', null, 'ÉMILE'] });
    assert.deepEqual(BUILTIN_FUNCTIONS.echo(lakefn([[1, 2], [{ k: [1] }], [null]])), { results: [1, { k: [1] }, null] });
  });

  it('add is exact: BIGINT beyond 2^53 as a string, decimals as strings, floats as floats, NULL propagates', () => {
    assert.deepEqual(
      BUILTIN_FUNCTIONS.add(
        lakefn([
          [1, 2],
          ['9007199254740993', 1],
          ['9007199254740990', '1'],
          ['-9223372036854775808', '-1'],
          ['1.25', '0.75'],
          ['-0.5', 0.25],
          [0.1, 0.2],
          [null, 1],
        ]),
      ),
      { results: [3, '9007199254740994', 9007199254740991, '-9223372036854775809', '2.00', '-0.25', 0.1 + 0.2, null] },
    );
    assert.throws(() => BUILTIN_FUNCTIONS.add(lakefn([['abc', 1]])), /add: row 0: "abc" is not a number/);
  });

  it('fail_on throws for a row that says fail; row_errors reports per-row errors', () => {
    assert.deepEqual(BUILTIN_FUNCTIONS.fail_on(lakefn([['ok']])), { results: ['ok'] });
    assert.throws(() => BUILTIN_FUNCTIONS.fail_on(lakefn([['ok'], ['fail']])), /row 1 has the value 'fail'/);
    assert.deepEqual(BUILTIN_FUNCTIONS.row_errors(lakefn([['bad'], ['ok']])), { results: [null, 'ok'], errors: [{ row: 0, message: "row 0: the value 'bad' is rejected" }] });
    assert.deepEqual(BUILTIN_FUNCTIONS.row_errors(lakefn([['ok']])), { results: ['ok'] });
  });

  it('sleep waits, then echoes', async () => {
    assert.deepEqual(await BUILTIN_FUNCTIONS.sleep(lakefn([[5], [1]]), context), { results: [5, 1] });
  });

  it('upper in the snowflake, bigquery and redshift formats', () => {
    assert.deepEqual(BUILTIN_FUNCTIONS.upper_snowflake({ data: [[0, 'a'], [1, null]] }), { data: [[0, 'A'], [1, null]] });
    // behind API Gateway's proxy integration: the request in `body`, the reply as {statusCode, body}
    assert.deepEqual(BUILTIN_FUNCTIONS.upper_snowflake({ httpMethod: 'POST', body: '{"data":[[0,"a"]]}' }), { statusCode: 200, body: '{"data":[[0,"A"]]}' });
    assert.deepEqual(BUILTIN_FUNCTIONS.upper_bigquery({ requestId: 'r', calls: [['a'], [null]] }), { replies: ['A', null] });
    assert.deepEqual(BUILTIN_FUNCTIONS.upper_redshift({ request_id: 'r', num_records: 2, arguments: [['a'], [null]] }), { success: true, num_records: 2, results: ['A', null] });
  });

  it("snowflake_sample is Snowflake's sample Lambda: event.body in, {statusCode, body} out, 400 with the body on error", () => {
    const body = JSON.stringify({ data: [[0, 'a', 1], [1, null, 2]] });
    assert.deepEqual(BUILTIN_FUNCTIONS.snowflake_sample({ body }), {
      statusCode: 200,
      body: JSON.stringify({ data: [[0, ['Echoing inputs:', 'a', 1]], [1, ['Echoing inputs:', null, 2]]] }),
    });
    assert.deepEqual(BUILTIN_FUNCTIONS.snowflake_sample({ body: 'not json' }), { statusCode: 400, body: 'not json' });
  });

  it('throw (a function error) on a request in another format', () => {
    assert.throws(() => BUILTIN_FUNCTIONS.upper({ data: [] }), /upper: expected a lakefn v1 request/);
    assert.throws(() => BUILTIN_FUNCTIONS.upper({ lakefn: 2, rows: [] }), /expected "lakefn": 1/);
    assert.throws(() => BUILTIN_FUNCTIONS.upper_bigquery(lakefn([['a']])), /upper_bigquery: expected a bigquery request/);
  });
});

describe('wire payload summaries', () => {
  it('finds batch id and row count in the four formats', () => {
    assert.deepEqual(summarizePayload(lakefn([['a'], ['b']])), { batchId: 'q:f:0', rows: 2 });
    assert.deepEqual(summarizePayload({ requestId: 'bq-1', calls: [['a']] }), { batchId: 'bq-1', rows: 1 });
    assert.deepEqual(summarizePayload({ request_id: 'rs-1', num_records: 3, arguments: [[1], [2], [3]] }), { batchId: 'rs-1', rows: 3 });
    assert.deepEqual(summarizePayload({ data: [[0, 'a']] }), { batchId: undefined, rows: 1 });
    assert.deepEqual(summarizePayload('text'), { batchId: undefined, rows: undefined });
  });

  it('wrong_row_count drops the last result (or adds one to an empty reply)', () => {
    assert.deepEqual(withWrongRowCount({ results: [1, 2] }), { results: [1] });
    assert.deepEqual(withWrongRowCount({ results: [] }), { results: [null] });
    assert.deepEqual(withWrongRowCount({ replies: ['a'], x: 1 }), { replies: [], x: 1 });
    assert.deepEqual(withWrongRowCount('opaque'), 'opaque');
  });
});
