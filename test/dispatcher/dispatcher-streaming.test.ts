import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import { FakeAdapter } from './helpers/fake-adapter.ts';
import { createTestDispatcher, makeFunction, upperHandler } from './helpers/dispatcher-fixture.ts';

/** An async source of ['v0'], ['v1'], … that counts how many rows were pulled. */
function countingSource(total: number): { rows: AsyncIterable<readonly unknown[]>; pulled: () => number } {
  let pulled = 0;
  return {
    rows: (async function* () {
      for (let index = 0; index < total; index += 1) {
        pulled += 1;
        yield [`v${index}`];
      }
    })(),
    pulled: () => pulled,
  };
}

describe('dispatcher streaming', () => {
  test('yields one result per row in input order, and reads input only as batches complete (bounded buffering)', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, latencyMs: (request) => request.callNumber % 3 });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 100, maxConcurrency: 4 })]);
    const total = 100_000;
    const source = countingSource(total);
    const stream = dispatcher.evaluateStream('upper', source.rows, { queryId: 'q' });
    let index = 0;
    let maxBuffered = 0;
    for await (const value of stream) {
      if (value !== `V${index}`) assert.fail(`row ${index}: got ${String(value)}`);
      index += 1;
      maxBuffered = Math.max(maxBuffered, source.pulled() - index);
    }
    assert.equal(index, total);
    // window = 2 × max concurrency (4) batches of 100 rows, plus the batch being filled
    assert.ok(maxBuffered <= 900, `rows read but not yet consumed stayed bounded: ${maxBuffered}`);
    const stats = stream.stats();
    assert.equal(stats.rows, total);
    assert.equal(stats.batches, 1_000);
  });

  test('a slow consumer holds back reading the input', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 10, maxConcurrency: 2 })]);
    const source = countingSource(100_000);
    const iterator = dispatcher.evaluateStream('upper', source.rows)[Symbol.asyncIterator]();
    assert.deepEqual(await iterator.next(), { done: false, value: 'V0' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(source.pulled() <= 60, `input read ahead only by the window: ${source.pulled()}`);
    assert.ok(adapter.log.length <= 5);
    await iterator.return?.();
  });

  test('stopping early (break) aborts the call: no further invocations', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, latencyMs: 2 });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 10, maxConcurrency: 2 })]);
    let seen = 0;
    for await (const _value of dispatcher.evaluateStream('upper', countingSource(100_000).rows)) {
      seen += 1;
      if (seen === 25) break;
    }
    const sent = adapter.log.length;
    assert.equal(adapter.executing, 0, 'in-flight invocations were aborted');
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(adapter.log.length, sent);
    await dispatcher.close();
  });

  test('batches() yields one result array per batch, in order; sync iterables are accepted', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 4 })]);
    function* rows(): Generator<string[]> {
      for (let index = 0; index < 10; index += 1) yield [`v${index}`];
    }
    const batches: (readonly unknown[])[] = [];
    for await (const batch of dispatcher.evaluateStream('upper', rows()).batches()) batches.push(batch);
    assert.deepEqual(batches, [['V0', 'V1', 'V2', 'V3'], ['V4', 'V5', 'V6', 'V7'], ['V8', 'V9']]);
  });

  test('a stream can be iterated once', async () => {
    const { dispatcher } = createTestDispatcher(new FakeAdapter({ handler: upperHandler }), [makeFunction()]);
    const stream = dispatcher.evaluateStream('upper', [['a']]);
    for await (const _value of stream) {
      // drain
    }
    assert.throws(() => stream[Symbol.asyncIterator](), /only once/);
  });

  test('an input that fails mid-stream rejects the iteration with its error and stops the call', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, latencyMs: 2 });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 10 })]);
    const failing = (async function* () {
      for (let index = 0; index < 55; index += 1) yield [`v${index}`];
      throw new LakefnError('E_BAD_ROW', 'input line 56: not valid JSON');
    })();
    await assert.rejects(
      (async () => {
        for await (const _value of dispatcher.evaluateStream('upper', failing)) {
          // drain
        }
      })(),
      /input line 56: not valid JSON/,
    );
    assert.equal(adapter.executing, 0);
  });

  test('an error surfaces from the iteration with function, batch and row', async () => {
    const adapter = new FakeAdapter({ handler: (rows, request) => (request.callNumber === 3 ? { results: rows.map(() => 5) } : upperHandler(rows)) });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 10, maxConcurrency: 1 })]);
    const seen: unknown[] = [];
    await assert.rejects(
      (async () => {
        for await (const value of dispatcher.evaluateStream('upper', countingSource(1_000).rows, { queryId: 'q' })) seen.push(value);
      })(),
      (error: unknown) => LakefnError.isInstance(error) && error.code === 'E_TYPE_COERCION' && error.location.batchId === 'q:upper:2' && error.location.row === 20,
    );
    assert.equal(seen.length, 20, 'results before the failing batch were delivered, nothing after');
  });
});
