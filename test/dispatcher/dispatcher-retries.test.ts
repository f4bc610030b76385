import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RetryBudget } from '../../src/dispatcher/retry-budget.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { type FakeFault, FakeAdapter } from './helpers/fake-adapter.ts';
import { createTestDispatcher, makeFunction, seededRandom, stringRows, upperHandler } from './helpers/dispatcher-fixture.ts';

function isError(code: string, check: (error: LakefnError) => void = () => undefined) {
  return (error: unknown): boolean => {
    assert.ok(LakefnError.isInstance(error), `expected a LakefnError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    check(error);
    return true;
  };
}

/** Faults by call number: `plan[n]` for call n (1-based), none after the plan ends. */
function scripted(plan: readonly (FakeFault | undefined)[]) {
  return (request: { callNumber: number }) => plan[request.callNumber - 1];
}

describe('dispatcher retries', () => {
  test('10 % throttles + 5 % 5xx + 2 % resets: zero lost, duplicated or misplaced results', async () => {
    const random = seededRandom(2024);
    const adapter = new FakeAdapter({
      handler: upperHandler,
      faults: () => {
        const draw = random();
        if (draw < 0.1) return 'throttle';
        if (draw < 0.15) return '5xx';
        if (draw < 0.17) return 'reset';
        return undefined;
      },
    });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 100 })]);
    const rows = stringRows(100_000);
    const { results, stats } = await dispatcher.evaluateWithStats('upper', rows, { queryId: 'q' });
    assert.equal(results.length, rows.length);
    for (let index = 0; index < rows.length; index += 1) {
      if (results[index] !== `V${index}`) assert.fail(`row ${index}: got ${String(results[index])}`);
    }
    const accepted = adapter.log.filter((entry) => entry.outcome === 'ok');
    assert.equal(accepted.length, 1000, 'each batch executed exactly once');
    assert.equal(new Set(accepted.map((entry) => entry.batchId)).size, 1000);
    const failed = adapter.log.length - accepted.length;
    assert.ok(failed > 100, `the plan injected faults (${failed})`);
    assert.equal(stats.retries, failed);
    assert.deepEqual(Object.keys(stats.retriesByCause).sort(), ['E_PROVIDER_UNAVAILABLE', 'E_THROTTLED', 'E_TRANSPORT']);
    assert.equal(stats.throttles, stats.retriesByCause.E_THROTTLED);
    assert.equal(stats.failedBatches, 0);
  });

  test('a retried batch keeps its batch id on every attempt', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, faults: scripted(['5xx', 'reset', 'throttle']) });
    const { dispatcher, sleeps } = createTestDispatcher(adapter, [makeFunction()]);
    assert.deepEqual(await dispatcher.evaluate('upper', [['a']], { queryId: 'q9' }), ['A']);
    assert.deepEqual(adapter.log.map((entry) => `${entry.batchId}:${entry.outcome}`), ['q9:upper:0:5xx', 'q9:upper:0:reset', 'q9:upper:0:throttle', 'q9:upper:0:ok']);
    assert.equal(sleeps.length, 3);
  });

  test('backoff: full jitter under an exponential ceiling, larger base after throttling, Retry-After as a floor', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, faults: scripted(['5xx', '5xx', '5xx', 'throttle']), retryAfterSeconds: 3 });
    const { dispatcher, sleeps } = createTestDispatcher(adapter, [makeFunction()], { retry: { baseDelayMs: 100, throttleBaseDelayMs: 500, maxDelayMs: 250 } });
    await dispatcher.evaluate('upper', [['a']]);
    assert.equal(sleeps.length, 4);
    assert.ok(sleeps[0]! < 100, `first delay within [0, 100): ${sleeps[0]}`);
    assert.ok(sleeps[1]! < 200 && sleeps[2]! < 250, `capped by maxDelayMs: ${sleeps.join(',')}`);
    assert.ok(new Set(sleeps.slice(0, 3)).size > 1, 'jittered');
    assert.equal(sleeps[3], 3000, 'Retry-After (3 s) is a floor even above maxDelayMs');
  });

  test('gives up after maxAttempts with E_RETRY_EXHAUSTED naming the last cause and the batch', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, faults: () => '5xx' });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction()], { retry: { maxAttempts: 3 } });
    await assert.rejects(
      dispatcher.evaluate('upper', [['a']], { queryId: 'q' }),
      isError('E_RETRY_EXHAUSTED', (error) => {
        assert.match(error.message, /gave up after 3 attempts; last error: E_PROVIDER_UNAVAILABLE/);
        assert.equal(error.location.batchId, 'q:upper:0');
        assert.equal(error.data?.lastCode, 'E_PROVIDER_UNAVAILABLE');
      }),
    );
    assert.equal(adapter.log.length, 3);
    assert.equal(dispatcher.stats('upper').failedBatches, 1);
  });

  test('an empty shared retry budget fails fast instead of feeding a retry storm', async () => {
    const budget = new RetryBudget({ capacity: 10, retryCost: 5 });
    const adapter = new FakeAdapter({ handler: upperHandler, faults: () => '5xx' });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction()], { retry: { budget, maxAttempts: 100 } });
    await assert.rejects(dispatcher.evaluate('upper', [['a']]), isError('E_RETRY_EXHAUSTED', (error) => assert.match(error.message, /retry budget is empty.*last error: E_PROVIDER_UNAVAILABLE/)));
    assert.equal(adapter.log.length, 3, 'two retries paid for, the third refused');
    assert.equal(budget.available, 0);
  });

  test('successes refill the budget', () => {
    const budget = new RetryBudget({ capacity: 20, retryCost: 5 });
    assert.equal(budget.tryAcquire(new LakefnError('E_PROVIDER_UNAVAILABLE', 'x')), 5);
    assert.equal(budget.tryAcquire(new LakefnError('E_TIMEOUT', 'x')), 10);
    assert.equal(budget.tryAcquire(new LakefnError('E_THROTTLED', 'x')), 1, 'a throttle is paced by adaptive concurrency, not by the budget');
    assert.equal(budget.available, 4);
    budget.recordSuccess(16);
    assert.equal(budget.available, 20);
    budget.recordSuccess(0);
    assert.equal(budget.available, 20, 'never above capacity');
  });

  test("retry='none': an ambiguous failure (5xx, reset, timeout-like, retryable function error) is never re-sent", async () => {
    for (const fault of ['5xx', 'reset', 'retryable_function_error', 'response_too_large'] as const) {
      const adapter = new FakeAdapter({ handler: upperHandler, faults: scripted([fault]) });
      const { dispatcher, credentials } = createTestDispatcher(adapter, [makeFunction({ retry: 'none', maxBatchRows: 2 })]);
      await assert.rejects(dispatcher.evaluate('upper', stringRows(4)), (error: unknown) => LakefnError.isInstance(error) && error.retryable === false && /retry='none'/.test(error.message));
      assert.equal(adapter.log.filter((entry) => entry.batchId === adapter.log[0]!.batchId).length, 1, `${fault}: the failed batch was sent once`);
      assert.ok(!adapter.log.slice(1).some((entry) => entry.rows !== 2), `${fault}: its rows were not re-sent in a split`);
      assert.equal(credentials.forcedRefreshes, 0);
    }
  });

  test("retry='none': refusals before execution (throttle, auth, too large) are re-sent and the call completes, no batch executed twice", async () => {
    for (const fault of ['throttle', 'auth', 'too_large'] as const) {
      const adapter = new FakeAdapter({ handler: upperHandler, faults: scripted([fault, fault === 'throttle' ? 'throttle' : undefined]) });
      const { dispatcher, credentials } = createTestDispatcher(adapter, [makeFunction({ retry: 'none', maxBatchRows: 4, maxConcurrency: 1 })]);
      const { results, stats } = await dispatcher.evaluateWithStats('upper', stringRows(8));
      assert.deepEqual(results, stringRows(8).map(([value]) => value!.toUpperCase()), fault);
      const executed = adapter.log.filter((entry) => entry.outcome === 'ok').map((entry) => entry.batchId);
      assert.equal(new Set(executed).size, executed.length, `${fault}: no batch id executed twice: ${executed.join(', ')}`);
      assert.equal(adapter.log.filter((entry) => entry.outcome === 'ok').reduce((total, entry) => total + entry.rows, 0), 8, `${fault}: every row executed once`);
      assert.equal(adapter.log[0]!.outcome, fault);
      if (fault === 'throttle') assert.equal(stats.throttles, 2);
      if (fault === 'auth') assert.equal(credentials.forcedRefreshes, 1);
      // the refused batch is sent again under the same id (throttle, auth) or split into fresh ids (too large)
      if (fault === 'too_large') assert.ok(!executed.includes(adapter.log[0]!.batchId));
      else assert.ok(executed.includes(adapter.log[0]!.batchId));
    }
  });

  test("retry='none' against a concurrency quota: throttles are retried, zero failed rows, each batch executed exactly once", async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, concurrency: 2, latencyMs: 2 });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ retry: 'none', maxBatchRows: 10, maxConcurrency: 8 })], { retry: { maxAttempts: 20 } });
    const rows = stringRows(2_000);
    const { results, stats } = await dispatcher.evaluateWithStats('upper', rows);
    assert.deepEqual(results, rows.map(([value]) => value!.toUpperCase()));
    assert.equal(stats.failedBatches, 0);
    assert.ok(stats.throttles > 0, 'the quota throttled');
    const executed = adapter.log.filter((entry) => entry.outcome === 'ok').map((entry) => entry.batchId);
    assert.equal(executed.length, 200);
    assert.equal(new Set(executed).size, 200, 'no batch id executed twice');
  });

  test('a reply too large for the provider (the function ran) splits the batch under the default retry', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, faults: scripted(['response_too_large']) });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ maxBatchRows: 4 })]);
    assert.deepEqual(await dispatcher.evaluate('upper', stringRows(4)), ['V0', 'V1', 'V2', 'V3']);
    assert.deepEqual(adapter.log.map((entry) => entry.rows), [4, 2, 2]);
  });

  test("retry='none' still sends every batch once when nothing fails", async () => {
    const adapter = new FakeAdapter({ handler: upperHandler });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ retry: 'none', maxBatchRows: 10 })]);
    assert.equal((await dispatcher.evaluate('upper', stringRows(95))).length, 95);
    assert.equal(new Set(adapter.log.map((entry) => entry.batchId)).size, adapter.log.length);
  });

  test('E_AUTH forces one credential refresh and one retry', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, revokedKeys: new Set(['ASIAKEY1']) });
    const { dispatcher, credentials } = createTestDispatcher(adapter, [makeFunction()]);
    assert.deepEqual(await dispatcher.evaluate('upper', [['a']]), ['A']);
    assert.equal(credentials.forcedRefreshes, 1);
    assert.deepEqual(adapter.log.map((entry) => entry.outcome), ['auth', 'ok']);
    assert.deepEqual(dispatcher.stats('upper').retriesByCause, { E_AUTH: 1 });
  });

  test('E_AUTH again after the refresh fails the call (no loop)', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, faults: () => 'auth' });
    const { dispatcher, credentials } = createTestDispatcher(adapter, [makeFunction()]);
    await assert.rejects(dispatcher.evaluate('upper', [['a']]), isError('E_AUTH'));
    assert.equal(credentials.forcedRefreshes, 1);
    assert.equal(adapter.log.length, 2);
  });

  test('function errors are not retried unless the function declares them retryable', async () => {
    const plain = new FakeAdapter({ handler: upperHandler, faults: scripted(['function_error']) });
    const first = createTestDispatcher(plain, [makeFunction()]);
    await assert.rejects(first.dispatcher.evaluate('upper', [['a']], { queryId: 'q' }), isError('E_REMOTE_FUNCTION_ERROR', (error) => assert.equal(error.location.batchId, 'q:upper:0')));
    assert.equal(plain.log.length, 1);

    const retryable = new FakeAdapter({ handler: upperHandler, faults: scripted(['retryable_function_error']) });
    const second = createTestDispatcher(retryable, [makeFunction()]);
    assert.deepEqual(await second.dispatcher.evaluate('upper', [['a']]), ['A']);
    assert.equal(retryable.log.length, 2);
  });

  test('a retry that would pass the deadline fails with E_DEADLINE_EXCEEDED', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, faults: () => 'throttle', retryAfterSeconds: 60 });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction()]);
    await assert.rejects(
      dispatcher.evaluate('upper', [['a']], { deadline: Date.now() + 5_000 }),
      isError('E_DEADLINE_EXCEEDED', (error) => assert.match(error.message, /would pass the call's deadline; last error: E_THROTTLED/)),
    );
    assert.equal(adapter.log.length, 1);
  });

  test('a deadline that passes while invocations hang aborts them with E_DEADLINE_EXCEEDED', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, faults: () => 'hang' });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction()]);
    await assert.rejects(dispatcher.evaluate('upper', stringRows(3), { deadline: Date.now() + 50 }), isError('E_DEADLINE_EXCEEDED'));
    assert.equal(adapter.executing, 0, 'the hanging invocation was aborted');
  });

  test('an invocation past timeout_ms is aborted and retried as E_TIMEOUT', async () => {
    const adapter = new FakeAdapter({ handler: upperHandler, faults: scripted(['hang']) });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction({ timeoutMs: 20 })]);
    const { results, stats } = await dispatcher.evaluateWithStats('upper', [['a']]);
    assert.deepEqual(results, ['A']);
    assert.deepEqual(stats.retriesByCause, { E_TIMEOUT: 1 });
  });

  test('the per-batch retry time budget bounds retrying', async () => {
    let now = 0;
    const adapter = new FakeAdapter({ handler: upperHandler, faults: () => '5xx' });
    const { dispatcher } = createTestDispatcher(adapter, [makeFunction()], {
      clock: () => now,
      sleep: async (milliseconds) => {
        now += milliseconds;
      },
      retry: { maxAttempts: 1000, batchBudgetMs: 1_000, baseDelayMs: 400, maxDelayMs: 400 },
    });
    await assert.rejects(dispatcher.evaluate('upper', [['a']]), isError('E_RETRY_EXHAUSTED', (error) => assert.match(error.message, /retry time budget of 1000 ms/)));
    assert.ok(adapter.log.length < 20, `bounded by time, not attempts (${adapter.log.length})`);
  });
});
