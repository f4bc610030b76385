// Issue 13 §5: compat formats that meet real engines' functions unchanged, through the dispatcher, the real adapters
// and the mock. A Lambda written from Snowflake's published sample (reads event["body"], returns {statusCode, body})
// runs unchanged: Snowflake-format functions on AWS get the API Gateway proxy envelope by default. FC and SCF functions
// receive the Snowflake body itself. A Redshift-format function receives query_id as a number and cluster as an ARN.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import { PROVIDER_NAMES, providerDefinition } from '../../src/registry/providers.ts';
import type { FunctionProperties } from '../../src/spec/function-record.ts';
import type { ProviderName, SqlType } from '../../src/spec/index.ts';
import type { FunctionDefinition } from '../../mocks/mock-types.ts';
import { dispatcherOverMock } from '../helpers/mock-dispatcher.ts';
import { type MockCloudContext, startMockCloud, stopMockCloud } from '../helpers/with-mock-cloud.ts';

const VARCHAR: SqlType = { kind: 'VARCHAR' };

describe('compat formats against functions written for the engines', () => {
  let mock: MockCloudContext;
  before(async () => {
    mock = await startMockCloud();
  });
  after(async () => {
    await stopMockCloud(mock);
  });

  const harness = (
    provider: ProviderName,
    definition: Omit<FunctionDefinition, 'provider' | 'accountId' | 'region' | 'namespace' | 'name'>,
    argumentTypes: readonly SqlType[],
    returnType: SqlType,
    properties: Partial<FunctionProperties>,
  ) => dispatcherOverMock(mock, provider, definition, { argumentTypes, returnType, properties }, { dispatcher: { retry: { maxAttempts: 5, baseDelayMs: 5, throttleBaseDelayMs: 5 } } });

  // the clouds a Snowflake-format function reaches through API Gateway by default (the definition's envelopes), and the rest
  const behindApiGateway = PROVIDER_NAMES.filter((name) => providerDefinition(name).envelopes?.snowflake === 'api_gateway');
  assert.ok(behindApiGateway.length > 0, 'some provider puts Snowflake functions behind API Gateway');
  for (const provider of behindApiGateway) {
    it(`${provider}: Snowflake's sample synchronous Lambda (event['body'] in, {statusCode, body} out) runs unchanged`, async () => {
      const run = harness(provider, { builtin: 'snowflake_sample' }, [VARCHAR, { kind: 'INT' }], { kind: 'JSON' }, { format: 'snowflake', maxBatchRows: 3 });
      const rows = [['a', 1], ['b "quoted" \\ back', 2], [null, null], ['d', 4]];
      const results = await run.dispatcher.evaluate('f', rows);
      assert.deepEqual(results, rows.map(([text, number]) => ['Echoing inputs:', text, number]));
      assert.equal(run.calls().length, 2);
      await run.close();
    });

    it(`${provider}: the sample's own failure (statusCode 400 with the request body) is the function's error, not retried`, async () => {
      // one argument: the Python sample would fail reading row[2]; the JavaScript one returns a body Snowflake rejects
      const run = harness(provider, { handler: (event) => ({ statusCode: 400, body: (event as { body: string }).body }) }, [VARCHAR], VARCHAR, { format: 'snowflake' });
      await assert.rejects(run.dispatcher.evaluate('f', [['a']]), (error: unknown) => {
        assert.ok(LakefnError.isInstance(error));
        assert.equal(error.code, 'E_REMOTE_FUNCTION_ERROR', error.message);
        assert.match(error.message, /statusCode 400/);
        return true;
      });
      assert.equal(run.calls().length, 1);
      await run.close();
    });

    it(`${provider}: a statusCode 429 or 503 in the proxy answer is retried like the service's own; then every row comes back`, async () => {
      let calls = 0;
      const run = harness(
        provider,
        {
          handler: (event) => {
            calls += 1;
            if (calls === 1) return { statusCode: 429, body: 'busy' };
            if (calls === 2) return { statusCode: 503, body: 'warming up' };
            const { data } = JSON.parse((event as { body: string }).body) as { data: [number, string][] };
            return { statusCode: 200, body: JSON.stringify({ data: data.map(([row, value]) => [row, value.toUpperCase()]) }) };
          },
        },
        [VARCHAR],
        VARCHAR,
        { format: 'snowflake' },
      );
      const { results, stats } = await run.dispatcher.evaluateWithStats('f', [['x'], ['y']]);
      assert.deepEqual(results, ['X', 'Y']);
      assert.equal(stats.throttles, 1);
      assert.equal(stats.retries, 2);
      await run.close();
    });

    it(`${provider}: envelope='none' sends the Snowflake body itself`, async () => {
      const run = harness(provider, { builtin: 'upper_snowflake' }, [VARCHAR], VARCHAR, { format: 'snowflake', envelope: 'none' });
      assert.deepEqual(await run.dispatcher.evaluate('f', [['a'], [null]]), ['A', null]);
      await run.close();
    });
  }

  for (const provider of PROVIDER_NAMES.filter((name) => !behindApiGateway.includes(name))) {
    it(`${provider}: a Snowflake-format function receives the Snowflake body ({"data": …}) as its event, no envelope`, async () => {
      let received: unknown;
      const run = harness(
        provider,
        {
          handler: (event) => {
            received = event;
            return { data: (event as { data: [number, string][] }).data.map(([row, value]) => [row, value.toUpperCase()]) };
          },
        },
        [VARCHAR],
        VARCHAR,
        { format: 'snowflake' },
      );
      assert.deepEqual(await run.dispatcher.evaluate('f', [['a'], ['b']]), ['A', 'B']);
      assert.deepEqual(received, { data: [[0, 'a'], [1, 'b']] });
      await run.close();
    });
  }

  for (const provider of PROVIDER_NAMES) {
    it(`${provider}: a Redshift-format function receives query_id as a number and cluster as an ARN`, async () => {
      let received: Record<string, unknown> = {};
      const run = harness(
        provider,
        {
          handler: (event) => {
            received = event as Record<string, unknown>;
            const rows = received['arguments'] as string[][];
            return JSON.stringify({ success: true, num_records: rows.length, results: rows.map(([value]) => value?.toUpperCase()) });
          },
        },
        [VARCHAR],
        VARCHAR,
        { format: 'redshift' },
      );
      assert.deepEqual(await run.dispatcher.evaluate('f', [['a'], ['b']], { queryId: '5678234' }), ['A', 'B']);
      assert.equal(received['query_id'], 5678234);
      assert.match(String(received['cluster']), /^arn:aws:redshift:[^:]*:[^:]*:cluster:[^:]+$/);
      await run.dispatcher.evaluate('f', [['c']], { queryId: 'q-not-a-number' });
      assert.ok(Number.isSafeInteger(received['query_id']), String(received['query_id']));
      await run.close();
    });
  }
});
