import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import { FakeAdapter, fakeBinding } from './helpers/fake-adapter.ts';
import { CONNECTION, createTestDispatcher, makeFunction, stringRows, upperHandler } from './helpers/dispatcher-fixture.ts';

describe('dispatcher results', () => {
  test('100,000 rows give exactly one correct result per row, in order', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, latencyMs: (request) => request.callNumber % 7 });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction()]);
    const rows = stringRows(100_000);
    const { results, stats } = await dispatcher.evaluateWithStats('upper', rows, { queryId: 'q1', user: 'alice' });
    assert.equal(results.length, rows.length);
    for (let index = 0; index < rows.length; index += 1) {
      if (results[index] !== `V${index}`) assert.fail(`row ${index}: expected V${index}, got ${String(results[index])}`);
    }
    assert.equal(stats.rows, 100_000);
    assert.equal(stats.batches, 200);
    assert.equal(stats.attempts, 200);
    assert.equal(stats.retries, 0);
    assert.equal(adapter.log.reduce((total, entry) => total + entry.rows, 0), 100_000);
    assert.ok(stats.bytesOut > 0 && stats.bytesIn > 0);
    assert.ok(stats.latencyMs.p50 <= stats.latencyMs.p95 && stats.latencyMs.p95 <= stats.latencyMs.p99);
    await dispatcher.close();
  });

  test('results are re-associated by index, not by arrival: batches finishing out of order', async () => {
    // later batches are faster, so replies arrive in reverse order
    const adapter = new FakeAdapter({ handler: upperHandler, latencyMs: (request) => 40 - request.callNumber * 4 });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 10 })]);
    const results = await dispatcher.evaluate('upper', stringRows(100));
    assert.deepEqual(results, stringRows(100).map(([value]) => value!.toUpperCase()));
  });

  test('every invocation carries the connection facts, the cloud function and a stable batch id format', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 2, qualifier: 'prod', timeoutMs: 1234 })]);
    await dispatcher.evaluate('upper', stringRows(5), { queryId: 'q77' });
    assert.deepEqual(adapter.log.map((entry) => entry.batchId), ['q77:upper:0', 'q77:upper:1', 'q77:upper:2']);
    assert.equal(adapter.bound.length, 1, 'the connection is bound once per call, not per batch');
    for (const options of adapter.options) {
      assert.deepEqual(options, {
        binding: fakeBinding(CONNECTION),
        functionName: 'cloud-upper',
        qualifier: 'prod',
        timeoutMs: 1234,
      });
    }
  });

  test('a call without a query id gets a generated one, distinct per call', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction()]);
    await dispatcher.evaluate('upper', stringRows(1));
    await dispatcher.evaluate('upper', stringRows(1));
    const [first, second] = adapter.log.map((entry) => entry.batchId);
    assert.match(first!, /^q[0-9a-f]{12}:upper:0$/);
    assert.notEqual(first, second);
  });

  test('zero rows resolve to an empty array without invoking', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction()]);
    assert.deepEqual(await dispatcher.evaluate('upper', []), []);
    assert.equal(adapter.log.length, 0);
  });

  test('an unknown function rejects with the resolver error', async () => {
    const { dispatcher } = createTestDispatcher(new FakeAdapter({ handler: upperHandler }), [makeFunction()]);
    await assert.rejects(dispatcher.evaluate('nope', [['a']]), (error: unknown) => LakefnError.isInstance(error) && error.code === 'E_NO_SUCH_FUNCTION');
  });

  test('a row with the wrong number of arguments is E_BAD_ROW naming the input row, and nothing is sent', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 1000 })]);
    const rows: unknown[][] = [...stringRows(10), ['a', 'b'], ...stringRows(3)];
    await assert.rejects(dispatcher.evaluate('upper', rows), (error: unknown) => {
      assert.ok(LakefnError.isInstance(error));
      assert.equal(error.code, 'E_BAD_ROW');
      assert.equal(error.location.row, 10);
      assert.equal(error.location.function, 'upper');
      assert.equal(error.location.connection, 'conn1');
      assert.match(error.message, /function 'upper' via connection 'conn1' \(aws\), row 10: /);
      return true;
    });
    assert.equal(adapter.log.length, 0);
  });

  test('a value the codec refuses is E_BAD_ROW naming the batch and the input row', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 4 })]);
    const rows: unknown[][] = [...stringRows(6), [42], ...stringRows(3)];
    await assert.rejects(dispatcher.evaluate('upper', rows, { queryId: 'q' }), (error: unknown) => {
      assert.ok(LakefnError.isInstance(error));
      assert.equal(error.code, 'E_BAD_ROW');
      assert.equal(error.location.row, 6);
      assert.equal(error.location.batchId, 'q:upper:1');
      return true;
    });
  });

  test('stats: per call and cumulative per function and overall', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 10 }), makeFunction({ name: 'other', maxBatchRows: 10 })]);
    const first = await dispatcher.evaluateWithStats('upper', stringRows(25));
    const second = await dispatcher.evaluateWithStats('upper', stringRows(15));
    await dispatcher.evaluate('other', stringRows(7));
    assert.equal(first.stats.rows, 25);
    assert.equal(first.stats.batches, 3);
    assert.equal(second.stats.rows, 15);
    assert.equal(second.stats.batches, 2);
    const cumulative = dispatcher.stats('upper');
    assert.equal(cumulative.rows, 40);
    assert.equal(cumulative.batches, 5);
    assert.equal(cumulative.bytesOut, first.stats.bytesOut + second.stats.bytesOut);
    assert.equal(cumulative.currentConcurrency, 16);
    const overall = dispatcher.stats();
    assert.equal(overall.rows, 47);
    assert.equal(overall.batches, 6);
    assert.equal(overall.currentConcurrency, 32);
    assert.equal(dispatcher.stats('never-called').rows, 0);
  });

  test('events: batch-end per invocation; a throwing listener does not break dispatch', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 10 })]);
    const events: string[] = [];
    const off = dispatcher.on((event) => events.push(`${event.type}:${event.type === 'batch-end' ? event.rows : ''}`));
    dispatcher.on(() => {
      throw new Error('listener bug');
    });
    assert.equal((await dispatcher.evaluate('upper', stringRows(25))).length, 25);
    assert.deepEqual(events.sort(), ['batch-end:10', 'batch-end:10', 'batch-end:5']);
    off();
    await dispatcher.evaluate('upper', stringRows(5));
    assert.equal(events.length, 3);
  });
});
