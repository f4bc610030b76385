import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AdaptiveConcurrency } from '../../src/dispatcher/adaptive-concurrency.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { FakeAdapter } from './helpers/fake-adapter.ts';
import { createTestDispatcher, makeFunction, stringRows, upperHandler } from './helpers/dispatcher-fixture.ts';

function hasCode(code: string) {
  return (error: unknown): boolean => LakefnError.isInstance(error) && error.code === code;
}

describe('dispatcher concurrency', () => {
  test('a function with a concurrency quota of 4 behind a dispatcher allowing 32: zero failed rows, AIMD settles at the quota', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, concurrency: 4, latencyMs: 5 });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxConcurrency: 32, maxBatchRows: 50 })], { retry: { maxAttempts: 20 } });
    const events: number[] = [];
    dispatcher.on((event) => {
      if (event.type === 'batch-throttled' && event.cut) events.push(event.concurrency);
    });
    const rows = stringRows(20_000);
    const { results, stats } = await dispatcher.evaluateWithStats('upper', rows);
    assert.equal(results.length, rows.length);
    for (let index = 0; index < rows.length; index += 1) {
      if (results[index] !== `V${index}`) assert.fail(`row ${index}: got ${String(results[index])}`);
    }
    assert.equal(stats.failedBatches, 0);
    assert.ok(adapter.maxExecuting <= 4, 'the quota holds');
    assert.ok(stats.throttles > 0, 'the first burst was throttled');
    // AIMD: the limit came down from 32 toward the quota and stays near it
    assert.ok(events[0]! <= 16, `first decrease halves the limit: ${events.join(',')}`);
    assert.ok(stats.currentConcurrency >= 1 && stats.currentConcurrency <= 5, `current concurrency near the quota: ${stats.currentConcurrency}`);
    // without adaptation every round of 32 attempts would throttle 28; after adapting, only rare probes do
    const settled = adapter.log.slice(Math.floor(adapter.log.length / 2));
    const settledThrottles = settled.filter((entry) => entry.outcome === 'throttle').length;
    assert.ok(settledThrottles <= settled.length * 0.05, `throttles after adapting: ${settledThrottles} of ${settled.length}`);
    // probing above the quota is slow and one step at a time (a probe that happens not to be throttled may take a second step)
    assert.ok(Math.max(...settled.map((entry) => entry.arriving)) <= 6, 'after the first throttles, in flight stays at the quota plus probing');
  });

  test('two functions on one connection against a shared account quota: zero failed rows, the connection limit comes down', async () => {
    // the fake's quota counts executions of every function: one account's concurrency shared by both
    const adapter = new FakeAdapter({ handler: upperHandler, concurrency: 4, latencyMs: 5 });
    const functions = [makeFunction({ name: 'f1', maxConcurrency: 32, maxBatchRows: 50 }), makeFunction({ name: 'f2', maxConcurrency: 32, maxBatchRows: 50 })];
    const { dispatcher } = createTestDispatcher(adapter, functions, { perConnectionConcurrency: 32, retry: { maxAttempts: 20 } });
    const throttles: { function: string; connectionCut: boolean; connectionConcurrency: number }[] = [];
    dispatcher.on((event) => {
      if (event.type === 'batch-throttled') throttles.push(event);
    });
    const rows = stringRows(10_000);
    const [first, second] = await Promise.all([dispatcher.evaluateWithStats('f1', rows), dispatcher.evaluateWithStats('f2', rows)]);
    for (const { results, stats } of [first, second]) {
      assert.equal(results.length, rows.length);
      for (let index = 0; index < rows.length; index += 1) {
        if (results[index] !== `V${index}`) assert.fail(`row ${index}: got ${String(results[index])}`);
      }
      assert.equal(stats.failedBatches, 0);
    }
    assert.ok(adapter.maxExecuting <= 4, 'the quota holds');
    const total = dispatcher.stats();
    assert.ok(total.throttles > 0, 'the first bursts were throttled');
    assert.equal(throttles.length, total.throttles, 'one event per throttle');
    const cuts = throttles.filter((event) => event.connectionCut);
    assert.ok(cuts.length > 0 && cuts[0]!.connectionConcurrency <= 16, `the connection limit was halved: ${cuts.map((event) => event.connectionConcurrency).join(',')}`);
    // one connection limit, seen identically by both functions and once in the cumulative stats
    const connectionLimit = dispatcher.stats('f1').connectionConcurrency;
    assert.equal(dispatcher.stats('f2').connectionConcurrency, connectionLimit);
    assert.equal(total.connectionConcurrency, connectionLimit);
    assert.ok(connectionLimit !== undefined && connectionLimit < 32, `the connection's limit came down from 32: ${connectionLimit}`);
    // once adapted, the pair no longer floods the shared quota
    const settled = adapter.log.slice(Math.floor(adapter.log.length / 2));
    const settledThrottles = settled.filter((entry) => entry.outcome === 'throttle').length;
    assert.ok(settledThrottles <= settled.length * 0.1, `throttles after adapting: ${settledThrottles} of ${settled.length}`);
  });

  test('the global limit bounds in-flight invocations across functions', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, latencyMs: 3 });
    const functions = [makeFunction({ name: 'f1', maxBatchRows: 1 }), makeFunction({ name: 'f2', maxBatchRows: 1 })];
    const { dispatcher } = createTestDispatcher(adapter, functions, { globalConcurrency: 3 });
    await Promise.all([dispatcher.evaluate('f1', stringRows(30)), dispatcher.evaluate('f2', stringRows(30))]);
    assert.equal(adapter.maxArriving, 3);
  });

  test('the per-connection limit bounds in-flight invocations of all functions on the connection', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, latencyMs: 3 });
    const functions = [makeFunction({ name: 'f1', maxBatchRows: 1 }), makeFunction({ name: 'f2', maxBatchRows: 1 })];
    const { dispatcher } = createTestDispatcher(adapter, functions, { perConnectionConcurrency: 5 });
    await Promise.all([dispatcher.evaluate('f1', stringRows(40)), dispatcher.evaluate('f2', stringRows(40))]);
    assert.equal(adapter.maxArriving, 5);
  });

  test("the function's max_concurrency bounds its in-flight invocations", async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, latencyMs: 3 });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 1, maxConcurrency: 2 })]);
    await dispatcher.evaluate('upper', stringRows(20));
    assert.equal(adapter.maxArriving, 2);
    assert.equal(dispatcher.stats('upper').currentConcurrency, 2);
  });

  test('cancellation stops new batches, aborts in-flight ones and rejects with E_CANCELLED', async () => {
    const controller = new AbortController();
    const adapter = new FakeAdapter({
      handler: (rows, request) => {
        if (request.callNumber === 3) controller.abort();
        return upperHandler(rows);
      },
      latencyMs: 2,
    });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 10, maxConcurrency: 2 })]);
    await assert.rejects(dispatcher.evaluate('upper', stringRows(10_000), { signal: controller.signal }), (error: unknown) => {
      assert.ok(LakefnError.isInstance(error));
      assert.equal(error.code, 'E_CANCELLED');
      assert.equal(error.location.function, 'upper');
      return true;
    });
    const sentAfterAbort = adapter.log.length;
    assert.ok(sentAfterAbort <= 4, `no new batch after the abort (${sentAfterAbort} sent of 1000)`);
    assert.equal(adapter.executing, 0);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.equal(adapter.log.length, sentAfterAbort);
  });

  test('an already aborted signal sends nothing', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction()]);
    await assert.rejects(dispatcher.evaluate('upper', stringRows(10), { signal: AbortSignal.abort() }), hasCode('E_CANCELLED'));
    assert.equal(adapter.log.length, 0);
  });

  test('the first fatal error stops scheduling the remaining batches of the call', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, faults: (request) => (request.callNumber === 2 ? 'function_error' : undefined), latencyMs: 1 });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 10, maxConcurrency: 1 })]);
    await assert.rejects(dispatcher.evaluate('upper', stringRows(1_000)), hasCode('E_REMOTE_FUNCTION_ERROR'));
    assert.ok(adapter.log.length <= 3, `stopped after the failure (${adapter.log.length} invocations)`);
  });

  test('close() drains in-flight calls and refuses new ones', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, latencyMs: 5 });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 10 })]);
    const running = dispatcher.evaluate('upper', stringRows(200));
    await new Promise((resolve) => setTimeout(resolve, 1));
    await dispatcher.close();
    assert.equal((await running).length, 200);
    await assert.rejects(dispatcher.evaluate('upper', [['a']]), hasCode('E_DISPATCHER_CLOSED'));
  });

  test('destroy() aborts in-flight calls with E_DISPATCHER_DESTROYED', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, faults: () => 'hang' });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 10 })]);
    const running = dispatcher.evaluate('upper', stringRows(100));
    const rejected = assert.rejects(running, hasCode('E_DISPATCHER_DESTROYED'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    await dispatcher.destroy(new Error('shutting down'));
    await rejected;
    assert.equal(adapter.executing, 0);
    await assert.rejects(dispatcher.evaluate('upper', [['a']]), hasCode('E_DISPATCHER_DESTROYED'));
  });
});

describe('AdaptiveConcurrency (AIMD)', () => {
  test('halves on throttling once per window, grows back by one per window, probes slowly above the last safe level', () => {
    const limits: number[] = [];
    const limiter = new AdaptiveConcurrency(32, (limit) => limits.push(limit));
    const burst = Array.from({ length: 32 }, () => limiter.beginAttempt());
    assert.equal(limiter.endAttempt(burst[0]!, 'throttled'), true);
    assert.equal(limiter.limit, 16);
    for (const ticket of burst.slice(1)) assert.equal(limiter.endAttempt(ticket, 'throttled'), false, 'same window: no second cut');
    assert.equal(limiter.limit, 16);
    assert.equal(limiter.endAttempt(limiter.beginAttempt(), 'throttled'), true);
    assert.equal(limiter.limit, 8);
    // below the last safe level (15): +1 per window of `limit` successes
    for (let index = 0; index < 8; index += 1) limiter.endAttempt(limiter.beginAttempt(), 'success');
    assert.equal(limiter.limit, 9);
    // a throttle at 9 makes 8 the safe level; growth above it is 8× slower
    limiter.endAttempt(limiter.beginAttempt(), 'throttled');
    assert.equal(limiter.limit, 4);
    let successes = 0;
    while (limiter.limit < 8) {
      limiter.endAttempt(limiter.beginAttempt(), 'success');
      successes += 1;
    }
    assert.equal(successes, 2 + 5 + 6 + 7, 'from 4.5: half a window at 4, then one window per step');
    successes = 0;
    while (limiter.limit < 9) {
      limiter.endAttempt(limiter.beginAttempt(), 'success');
      successes += 1;
    }
    assert.equal(successes, 64, 'probing above the safe level takes 8 windows');
    // a failed probe falls back to the safe level instead of halving
    limiter.endAttempt(limiter.beginAttempt(), 'throttled');
    assert.equal(limiter.limit, 8);
    assert.ok(limits.includes(16) && limits.at(-1) === 8);
  });

  test('throttles of attempts sent while attempts from before the cut still run do not cut again', () => {
    const limiter = new AdaptiveConcurrency(16, () => undefined);
    const old = Array.from({ length: 16 }, () => limiter.beginAttempt());
    assert.equal(limiter.endAttempt(old[0]!, 'throttled'), true);
    assert.equal(limiter.limit, 8);
    // sent during the drain of the 15 older attempts: the overload it meets is theirs
    const during = limiter.beginAttempt();
    assert.equal(limiter.endAttempt(during, 'throttled'), false);
    for (const ticket of old.slice(1)) limiter.endAttempt(ticket, 'success');
    assert.equal(limiter.endAttempt(limiter.beginAttempt(), 'throttled'), true, 'after the drain a throttle cuts again');
  });

  test('never below 1, never above max; setMax lowers the limit', () => {
    const limiter = new AdaptiveConcurrency(4, () => undefined);
    for (let index = 0; index < 10; index += 1) limiter.endAttempt(limiter.beginAttempt(), 'throttled');
    assert.equal(limiter.limit, 1);
    for (let index = 0; index < 10_000; index += 1) limiter.endAttempt(limiter.beginAttempt(), 'success');
    assert.equal(limiter.limit, 4);
    limiter.setMax(2);
    assert.equal(limiter.limit, 2);
  });
});
