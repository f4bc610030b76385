import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDuckDbSession, type DuckDbSession } from '../../src/duckdb/create-duckdb-session.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { fakeUdfHook as fakeHook, functionRecord } from '../udf/fake-udf-hook.ts';

const VARCHAR = { kind: 'VARCHAR' } as const;
const INT = { kind: 'INT' } as const;

describe('DuckDB session over a fake hook', () => {
  const functions = [
    functionRecord('upper_fn', [VARCHAR], VARCHAR, { volatility: 'immutable' }),
    functionRecord('add_fn', [INT, INT], INT),
    functionRecord('fail_fn', [VARCHAR], VARCHAR),
  ];
  const hook = fakeHook(functions, {
    upper_fn: ([value]) => (typeof value === 'string' ? value.toUpperCase() : null),
    add_fn: ([left, right]) => (left === null || right === null ? null : Number(left) + Number(right)),
    fail_fn: () => {
      throw new LakefnError('E_REMOTE_FUNCTION_ERROR', 'function fail_fn failed: boom');
    },
  });
  let session: DuckDbSession;
  before(async () => {
    session = await createDuckDbSession({ hook, functions });
  });
  after(async () => {
    await session.close();
  });

  it('registers every catalog function', () => {
    assert.deepEqual([...session.registered].sort(), ['add_fn', 'fail_fn', 'upper_fn']);
  });

  it('answers a query through the bridge and prefetch', async () => {
    await session.query(`CREATE TABLE t AS SELECT i::INTEGER AS i, CASE WHEN i % 10 = 0 THEN NULL ELSE 'n' || (i % 100) END AS name FROM range(10000) r(i)`);
    hook.calls.length = 0;
    const result = await session.query('SELECT i, upper_fn(name) AS u, add_fn(i, 1) AS s FROM t ORDER BY i');
    assert.equal(result.rows.length, 10000);
    for (const [i, u, s] of result.rows) {
      const n = Number(i);
      assert.equal(u, n % 10 === 0 ? null : `N${n % 100}`);
      assert.equal(s, n + 1);
    }
    assert.deepEqual(result.prefetched.map((summary) => summary.function), ['upper_fn']);
    const upperRows = hook.calls.filter((call) => call.functionName === 'upper_fn').reduce((sum, call) => sum + call.rows.length, 0);
    assert.equal(upperRows, 91, 'immutable: each distinct tuple evaluated once (90 names + NULL)');
    const addCalls = hook.calls.filter((call) => call.functionName === 'add_fn');
    assert.ok(addCalls.every((call) => call.rows.length <= 2048));
    assert.equal(addCalls.reduce((sum, call) => sum + call.rows.length, 0), 10000);
  });

  it('turns a dispatcher error into a DuckDB error naming the function', async () => {
    await assert.rejects(session.query('SELECT fail_fn(name) FROM t'), (error: unknown) => {
      assert.ok(LakefnError.isInstance(error));
      assert.equal(error.code, 'E_QUERY');
      assert.match(error.message, /Invalid Input Error: fail_fn: E_REMOTE_FUNCTION_ERROR: function fail_fn failed: boom/);
      assert.equal(error.data?.cause_code, 'E_REMOTE_FUNCTION_ERROR');
      return true;
    });
    const after = await session.query('SELECT count(*) AS n FROM t');
    assert.deepEqual(after.rows, [[10000n]]);
  });
});

describe('DuckDB session: timeouts and cancellation', () => {
  const functions = [functionRecord('slow_fn', [INT], INT)];

  it('fails the query when the dispatcher does not answer within the bridge timeout, then keeps working', async () => {
    let delayMs = 400;
    const hook = fakeHook(functions, { slow_fn: ([value]) => value }, 0);
    const slowHook = { ...hook, evaluate: async (name: string, rows: readonly (readonly unknown[])[]) => {
      await new Promise((resolve) => setTimeout(resolve, delayMs));
      return hook.evaluate(name, rows);
    } };
    const session = await createDuckDbSession({ hook: slowHook, functions, bridgeTimeoutMs: 100 });
    try {
      await assert.rejects(session.query('SELECT slow_fn(1) AS v'), /Invalid Input Error: E_TIMEOUT: no answer from the dispatcher within 100 ms/);
      delayMs = 0;
      await new Promise((resolve) => setTimeout(resolve, 400)); // the late reply arrives and must be ignored
      assert.deepEqual((await session.query('SELECT slow_fn(7) AS v')).rows, [[7]]);
    } finally {
      await session.close();
    }
  });

  it('cancels a running query when its AbortSignal fires', async () => {
    const hook = fakeHook(functions, { slow_fn: ([value]) => value }, 50);
    const session = await createDuckDbSession({ hook, functions });
    try {
      const controller = new AbortController();
      const running = session.query('SELECT sum(slow_fn(i::INTEGER)) FROM range(200000) t(i)', { signal: controller.signal });
      setTimeout(() => controller.abort(), 120);
      await assert.rejects(running, (error: unknown) => LakefnError.isInstance(error) && error.code === 'E_QUERY');
      assert.ok(hook.calls.length < 98, 'stopped before evaluating every chunk');
      assert.ok(hook.calls.every((call) => call.context?.signal === controller.signal));
    } finally {
      await session.close();
    }
  });
});
