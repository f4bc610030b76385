import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import { createUdfHook } from '../../src/udf/create-udf-hook.ts';
import { startLakefnStack, type LakefnStack } from './lakefn-stack.ts';

describe('createUdfHook', () => {
  let stack: LakefnStack;
  before(async () => {
    stack = await startLakefnStack();
    await stack.createConnection('tencent', 'scf_conn');
    stack.putFunction('tencent', 'upper', { builtin: 'upper' });
    stack.putFunction('tencent', 'add', { builtin: 'add' });
    await stack.sql(`
      CREATE EXTERNAL FUNCTION upper_fn(s VARCHAR) RETURNS VARCHAR CONNECTION scf_conn AS 'upper' RETURNS NULL ON NULL INPUT;
      CREATE EXTERNAL FUNCTION add_fn(a BIGINT, b BIGINT) RETURNS BIGINT CONNECTION scf_conn AS 'add' WITH PROPERTIES ('max_batch_rows'='10')`);
  });
  after(async () => {
    await stack?.stop();
  });

  it('from a home: evaluates through the whole runtime, one result per row in order', async () => {
    const hook = await createUdfHook({ home: stack.home, environment: stack.environment });
    try {
      assert.deepEqual(await hook.evaluate('upper_fn', [['a'], [null], ['c']], { queryId: 'q1', user: 'alice' }), ['A', null, 'C']);
      const rows = Array.from({ length: 95 }, (_, index) => [BigInt(index), 9007199254740993n]);
      const { results, stats } = await hook.evaluateWithStats('add_fn', rows);
      assert.deepEqual(results, rows.map(([a, b]) => (a as bigint) + (b as bigint)));
      assert.equal(stats.batches, 10);
      assert.equal(hook.stats('add_fn').rows, 95);
      const streamed: unknown[] = [];
      for await (const value of hook.evaluateStream('upper_fn', (function* () { yield ['x']; yield ['y']; })())) streamed.push(value);
      assert.deepEqual(streamed, ['X', 'Y']);
    } finally {
      await hook.close();
    }
  });

  it('describes and lists catalog functions; an unknown name is E_NO_SUCH_FUNCTION', async () => {
    const hook = await createUdfHook({ store: stack.runtime.store, dispatcher: stack.runtime.dispatcher });
    try {
      const fn = await hook.describe('UPPER_FN');
      assert.equal(fn.name, 'upper_fn');
      assert.equal(fn.properties.nullPolicy, 'returns_null');
      assert.deepEqual((await hook.listFunctions()).map((entry) => entry.name), ['add_fn', 'upper_fn']);
      await assert.rejects(hook.describe('nope'), (error: unknown) => LakefnError.isInstance(error) && error.code === 'E_NO_SUCH_FUNCTION');
      await assert.rejects(hook.evaluate('nope', [['a']]), (error: unknown) => LakefnError.isInstance(error) && error.code === 'E_NO_SUCH_FUNCTION');
    } finally {
      await hook.close();
    }
    // the hook did not own the caller's store and dispatcher: they still work
    assert.deepEqual(await stack.hook.evaluate('upper_fn', [['still open']]), ['STILL OPEN']);
  });

  it('refuses calls after close', async () => {
    const hook = await createUdfHook({ store: stack.runtime.store });
    await hook.close();
    await assert.rejects(hook.evaluate('upper_fn', [['a']]), (error: unknown) => LakefnError.isInstance(error) && error.code === 'E_DISPATCHER_CLOSED');
  });
});
