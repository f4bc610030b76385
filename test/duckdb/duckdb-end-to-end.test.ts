import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createDuckDbSession, type DuckDbSession } from '../../src/duckdb/create-duckdb-session.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { PROVIDERS, startLakefnStack, type LakefnStack } from '../udf/lakefn-stack.ts';

// DuckDB query → UDF callback (worker thread) → sync bridge → hook → dispatcher → real vendor SDK → mock cloud.
describe('DuckDB end to end, per provider', () => {
  let stack: LakefnStack;
  let session: DuckDbSession;

  before(async () => {
    stack = await startLakefnStack();
    for (const provider of PROVIDERS) {
      await stack.createConnection(provider, `c_${provider}`);
      stack.putFunction(provider, 'upper', { builtin: 'upper' });
      stack.putFunction(provider, 'echo', { builtin: 'echo' });
      stack.putFunction(provider, 'fail_on', { builtin: 'fail_on' });
      // a function that can take one call at a time: the dispatcher is throttled and must adapt
      stack.putFunction(provider, 'narrow', { builtin: 'upper', concurrency: 1, latencyMs: 5, throttleRetryAfterSeconds: 0 });
      await stack.sql(`
        CREATE EXTERNAL FUNCTION upper_${provider}(s VARCHAR) RETURNS VARCHAR CONNECTION c_${provider} AS 'upper' WITH PROPERTIES ('volatility'='immutable');
        CREATE EXTERNAL FUNCTION echo_${provider}(s VARCHAR) RETURNS VARCHAR CONNECTION c_${provider} AS 'echo' WITH PROPERTIES ('max_batch_rows'='300');
        CREATE EXTERNAL FUNCTION fail_${provider}(s VARCHAR) RETURNS VARCHAR CONNECTION c_${provider} AS 'fail_on';
        CREATE EXTERNAL FUNCTION narrow_${provider}(s VARCHAR) RETURNS VARCHAR CONNECTION c_${provider} AS 'narrow' WITH PROPERTIES ('max_batch_rows'='100', 'max_concurrency'='8')`);
    }
    session = await createDuckDbSession({ hook: stack.hook });
    await session.query(`CREATE TABLE people AS SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE 'name-' || (i % 500) END AS name FROM range(6000) t(i)`);
  });

  after(async () => {
    await session?.close();
    await stack?.stop();
  });

  for (const provider of PROVIDERS) {
    it(`${provider}: upper over 6,000 rows with NULLs (prefetch of distinct names)`, async () => {
      const result = await session.query(`SELECT i, name, upper_${provider}(name) AS u FROM people ORDER BY i`);
      assert.equal(result.rows.length, 6000);
      for (const [, name, upper] of result.rows) assert.equal(upper, typeof name === 'string' ? name.toUpperCase() : null);
      const prefetched = result.prefetched.find((entry) => entry.function === `upper_${provider}`);
      assert.equal(prefetched?.tuples, 501, '500 distinct names and NULL, each evaluated once');
      assert.equal(prefetched?.failedTuples, 0);
    });

    it(`${provider}: a volatile function goes chunk by chunk through the bridge, order kept`, async () => {
      const result = await session.query(`SELECT i, echo_${provider}(CAST(i AS VARCHAR)) AS e, echo_${provider}(NULL) AS n FROM range(5000) t(i) ORDER BY i`);
      assert.equal(result.rows.length, 5000);
      result.rows.forEach(([i, echoed, nothing]) => {
        assert.equal(echoed, (i as bigint).toString());
        assert.equal(nothing, null);
      });
      assert.deepEqual(result.prefetched, []);
    });

    it(`${provider}: a function error fails the query with a DuckDB error naming the function and the cause`, async () => {
      await assert.rejects(session.query(`SELECT fail_${provider}(x) FROM (VALUES ('ok'), ('fail'), ('ok')) v(x)`), (error: unknown) => {
        assert.ok(LakefnError.isInstance(error));
        assert.equal(error.code, 'E_QUERY');
        assert.match(error.message, new RegExp(`Invalid Input Error: fail_${provider}: E_REMOTE_FUNCTION_ERROR: .*fail_on: row 1 has the value 'fail'`));
        assert.equal(error.data?.cause_code, 'E_REMOTE_FUNCTION_ERROR');
        return true;
      });
      const after = await session.query(`SELECT fail_${provider}('fine') AS ok`);
      assert.deepEqual(after.rows, [['fine']]);
    });

    it(`${provider}: a throttling function still answers every row correctly`, async () => {
      const before = stack.hook.stats(`narrow_${provider}`).throttles;
      const result = await session.query(`SELECT i, narrow_${provider}('v' || i) AS u FROM range(3000) t(i) ORDER BY i`);
      result.rows.forEach(([i, upper]) => assert.equal(upper, `V${i as bigint}`));
      assert.ok(stack.hook.stats(`narrow_${provider}`).throttles > before, 'the mock throttled and the dispatcher retried');
      const counters = Object.entries(stack.mock.counters().functions).find(([key]) => key.startsWith(`${provider}/`) && key.endsWith('/narrow'))?.[1];
      assert.ok((counters?.throttled ?? 0) > 0);
      assert.ok((counters?.maxInFlight ?? 0) <= 1);
    });
  }

  it('one query calls every provider', async () => {
    const result = await session.query(`SELECT name, ${PROVIDERS.map((provider) => `upper_${provider}(name) AS ${provider}`).join(', ')} FROM people WHERE i < 50 ORDER BY i`);
    for (const [name, ...uppers] of result.rows) for (const upper of uppers) assert.equal(upper, typeof name === 'string' ? name.toUpperCase() : null);
  });

  it('passes the query context (query id and user) to the cloud function', async () => {
    const before = stack.mock.calls().length;
    await session.query(`SELECT echo_aws('x') AS e`, { queryId: 'q-context', user: 'alice' });
    const batch = stack.mock.calls().slice(before).find((entry) => entry.function === 'echo');
    assert.match(batch?.batchId ?? '', /^q-context:/);
  });
});
