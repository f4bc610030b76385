import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createWireCodec } from '../../src/codec/create-wire-codec.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { FakeAdapter } from './helpers/fake-adapter.ts';
import { createTestDispatcher, makeFunction, stringRows, upperHandler } from './helpers/dispatcher-fixture.ts';
import { createJsonTestCodec } from './helpers/json-test-codec.ts';

function isError(code: string, check: (error: LakefnError) => void = () => undefined) {
  return (error: unknown): boolean => {
    assert.ok(LakefnError.isInstance(error), `expected a LakefnError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    check(error);
    return true;
  };
}

describe('dispatcher batching', () => {
  test('batches are bounded by max_batch_rows and by max_batch_bytes (encoded size)', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 7, maxBatchBytes: 1_000 })]);
    const rows = stringRows(100, 'x'.repeat(40));
    assert.equal((await dispatcher.evaluate('upper', rows)).length, 100);
    const codec = createJsonTestCodec(makeFunction());
    for (const entry of adapter.log) assert.ok(entry.rows <= 7);
    assert.ok(adapter.log.every((entry) => entry.rows * codec.encodedRowSize(rows[0]!) < 1_000));
    const bigRows = stringRows(100, 'y'.repeat(300));
    adapter.log.length = 0;
    await dispatcher.evaluate('upper', bigRows);
    assert.ok(adapter.log.every((entry) => entry.rows <= 3), 'three 300-byte rows fill a 1,000-byte batch');
    assert.equal(adapter.log.reduce((total, entry) => total + entry.rows, 0), 100);
  });

  test("batches stay under the provider's payload limit minus headroom", async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, maxRequestBytes: 10_000 });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 10_000, maxBatchBytes: 1_000_000 })]);
    await dispatcher.evaluate('upper', stringRows(2_000, 'z'.repeat(20)));
    assert.ok(adapter.log.every((entry) => entry.outcome === 'ok'), 'no request was refused');
    assert.ok(adapter.log.length > 4);
  });

  test('too-large batches are split in half and succeed', async () => {
    // the provider refuses more than ~3 KB while the function allows 1 MB: the dispatcher learns it by splitting
    const adapter = new FakeAdapter({ handler: upperHandler, refuseAboveBytes: 3_000 });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 200 })]);
    const rows = stringRows(200, 'w'.repeat(50));
    const { results, stats } = await dispatcher.evaluateWithStats('upper', rows, { queryId: 'q' });
    assert.deepEqual(results, rows.map(([value]) => value!.toUpperCase()));
    const refused = adapter.log.filter((entry) => entry.outcome === 'too_large');
    assert.ok(refused.length >= 3, `refused then split: ${refused.length}`);
    assert.equal(adapter.log.filter((entry) => entry.outcome === 'ok').reduce((total, entry) => total + entry.rows, 0), 200, 'every row executed once');
    assert.equal(new Set(adapter.log.filter((entry) => entry.outcome === 'ok').map((entry) => entry.batchId)).size, stats.batches, 'halves have their own batch ids');
    assert.equal(stats.rows, 200);
  });

  test('a single row larger than any batch is E_ROW_TOO_LARGE naming the row (never dropped, nothing sent)', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchBytes: 500 })]);
    const rows = [...stringRows(5), ['x'.repeat(600)], ...stringRows(5)];
    await assert.rejects(
      dispatcher.evaluate('upper', rows),
      isError('E_ROW_TOO_LARGE', (error) => {
        assert.equal(error.location.row, 5);
        assert.match(error.message, /row 5: the row encodes to \d+ bytes with its envelope, above the batch limit of 500 bytes \(max_batch_bytes=500\)/);
      }),
    );
  });

  test('a row the provider refuses even alone is E_ROW_TOO_LARGE naming the row', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, refuseAboveBytes: 400 });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 4 })]);
    const rows = [...stringRows(6), ['x'.repeat(500)], ...stringRows(1)];
    await assert.rejects(dispatcher.evaluate('upper', rows, { queryId: 'q' }), isError('E_ROW_TOO_LARGE', (error) => assert.equal(error.location.row, 6)));
  });

  test('immutable dedup: a batch with 1,000 rows of 10 distinct values sends 10 rows', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 1_000, volatility: 'immutable' })]);
    const rows = Array.from({ length: 1_000 }, (_, index) => [`v${index % 10}`]);
    const { results, stats } = await dispatcher.evaluateWithStats('upper', rows);
    assert.deepEqual(results, rows.map(([value]) => value!.toUpperCase()));
    assert.deepEqual(adapter.log.map((entry) => entry.rows), [10]);
    assert.equal(stats.dedupSaved, 990);
    assert.equal(stats.rows, 1_000);
  });

  test('volatile functions are never deduplicated', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 1_000 })]);
    await dispatcher.evaluate('upper', Array.from({ length: 100 }, () => ['same']));
    assert.deepEqual(adapter.log.map((entry) => entry.rows), [100]);
  });

  test("RETURNS NULL ON NULL INPUT: rows with a NULL argument are not sent and give NULL", async () => {
    const adapter = new FakeAdapter({ handler: (rows) => ({ results: rows.map((row) => `${String(row[0])}|${String(row[1])}`) }) });
    const varchar = { kind: 'VARCHAR' } as const;
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ name: 'concat', argumentTypes: [varchar, varchar], nullPolicy: 'returns_null', maxBatchRows: 3 })]);
    const rows = [['a', 'b'], [null, 'b'], ['c', null], ['d', 'e'], [null, null], ['f', 'g'], ['h', 'i']];
    const { results, stats } = await dispatcher.evaluateWithStats('concat', rows);
    assert.deepEqual(results, ['a|b', null, null, 'd|e', null, 'f|g', 'h|i']);
    assert.equal(adapter.log.reduce((total, entry) => total + entry.rows, 0), 4);
    assert.equal(stats.nullSkipped, 3);
    assert.equal(stats.rows, 7);
  });

  test('CALLED ON NULL INPUT (default) sends NULLs to the function', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction()]);
    assert.deepEqual(await dispatcher.evaluate('upper', [['a'], [null]]), ['A', null]);
    assert.equal(adapter.log[0]!.rows, 2);
  });

  test('all rows NULL-skipped: no invocation at all', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ nullPolicy: 'returns_null' })]);
    assert.deepEqual(await dispatcher.evaluate('upper', [[null], [null]]), [null, null]);
    assert.equal(adapter.log.length, 0);
  });

  test("on_row_error='null' turns per-row errors into NULLs and counts them (dedup fan-out included)", async () => {
    const handler = (rows: readonly (readonly unknown[])[]) => ({
      results: rows.map((row) => (row[0] === 'bad' ? null : String(row[0]).toUpperCase())),
      errors: rows.flatMap((row, index) => (row[0] === 'bad' ? [{ row: index, message: 'cannot upper bad' }] : [])),
    });
    const adapter = new FakeAdapter({ handler });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ onRowError: 'null', volatility: 'immutable' })]);
    const { results, stats } = await dispatcher.evaluateWithStats('upper', [['a'], ['bad'], ['b'], ['bad']]);
    assert.deepEqual(results, ['A', null, 'B', null]);
    assert.equal(stats.rowErrors, 2);
  });

  test("on_row_error='fail' fails with E_ROW_ERROR naming the caller's row and the message", async () => {
    const handler = (rows: readonly (readonly unknown[])[]) => ({
      results: rows.map(() => null),
      errors: rows.flatMap((row, index) => (row[0] === 'bad' ? [{ row: index, message: 'cannot upper bad' }] : [])),
    });
    const adapter = new FakeAdapter({ handler });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 4 })]);
    const rows = [...stringRows(6), ['bad'], ...stringRows(3)];
    await assert.rejects(
      dispatcher.evaluate('upper', rows, { queryId: 'q' }),
      isError('E_ROW_ERROR', (error) => {
        assert.equal(error.location.row, 6);
        assert.equal(error.location.batchId, 'q:upper:1');
        assert.match(error.message, /cannot upper bad/);
      }),
    );
  });
});

describe('dispatcher reply checks', () => {
  const cases = [
    { name: 'wrong row count', reply: (rows: readonly unknown[]) => ({ results: rows.slice(1) }), code: 'E_ROW_COUNT_MISMATCH', row: undefined },
    { name: 'bad row index', reply: (rows: readonly unknown[]) => ({ results: rows.map(() => 'X'), errors: [{ row: 99, message: 'x' }] }), code: 'E_BAD_ROW_INDEX', row: undefined },
    { name: 'wrong type', reply: (rows: readonly unknown[]) => ({ results: rows.map((_, index) => (index === 2 ? 7 : 'X')) }), code: 'E_TYPE_COERCION', row: 12 },
    { name: 'malformed JSON', reply: () => '{"results": [', code: 'E_BAD_RESPONSE', row: undefined },
    // through the real codec, what JSON.parse would silently resolve: the last of two keys wins, half a character
    { name: 'duplicate key', reply: (rows: readonly unknown[]) => `{"results": [], "results": ${JSON.stringify(rows.map(() => 'X'))}}`, code: 'E_BAD_RESPONSE', row: undefined, wireCodec: true },
    { name: 'nested past the limit', reply: () => `{"results": ${'['.repeat(1000)}${']'.repeat(1000)}}`, code: 'E_BAD_RESPONSE', row: undefined, wireCodec: true },
    { name: 'lone surrogate', reply: (rows: readonly unknown[]) => `{"results": [${rows.map((_, index) => (index === 3 ? '"\\ud800"' : '"X"')).join(',')}]}`, code: 'E_TYPE_COERCION', row: 13, wireCodec: true },
  ] as const;
  for (const { name, reply, code, row, ...options } of cases) {
    test(`${name} → ${code} naming the batch${row === undefined ? '' : ' and the row'}`, async () => {
      const adapter = new FakeAdapter({ handler: (rows, request) => (request.callNumber === 2 ? reply(rows) : upperHandler(rows)) });
      const codec = 'wireCodec' in options ? { createCodec: createWireCodec } : {};
      const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 10, maxConcurrency: 1 })], codec);
      await assert.rejects(
        dispatcher.evaluate('upper', stringRows(30), { queryId: 'q' }),
        isError(code, (error) => {
          assert.equal(error.location.batchId, 'q:upper:1');
          assert.equal(error.location.function, 'upper');
          assert.equal(error.location.connection, 'conn1');
          assert.equal(error.location.row, row);
          assert.match(error.message, /batch q:upper:1/);
        }),
      );
      assert.equal(adapter.log.filter((entry) => entry.batchId === 'q:upper:1').length, 1, 'a bad reply is not retried');
    });
  }
});
