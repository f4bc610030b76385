// Issue 13 §3: errors real services return, through the dispatcher, the real adapters and SDKs, and the stricter mock:
// a reply above the service's limit (Lambda's Function.ResponseSizeTooLarge, SCF status 407, FC's) splits the batch
// and every row comes back right; SCF's 432 inside a function error lowers concurrency and loses no row; AWS STS
// deactivated in a region says where to activate it, or falls back to the configured STS region.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createCredentialBroker } from '../../src/credentials/index.ts';
import type { DispatcherOptions } from '../../src/dispatcher/dispatcher-options.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { createProviderRegistry } from '../../src/registry/provider-registry.ts';
import { PROVIDER_NAMES, providerDefinition } from '../../src/registry/providers.ts';
import type { ConnectionRecord } from '../../src/spec/connection-record.ts';
import type { FunctionProperties } from '../../src/spec/function-record.ts';
import type { ProviderName } from '../../src/spec/index.ts';
import type { FaultPlanEntry, FunctionDefinition, FunctionHandler } from '../../mocks/mock-types.ts';
import { dispatcherFor, dispatcherOverMock, testFunctionRecord } from '../helpers/mock-dispatcher.ts';
import { type MockCloudContext, startMockCloud, stopMockCloud } from '../helpers/with-mock-cloud.ts';

const rowsOf = (count: number): string[][] => Array.from({ length: count }, (_, index) => [`v${index}`]);

/** `{results: [upper(value) + padding]}`: a reply that grows with the batch. */
function paddedUpper(padding: number): FunctionHandler {
  const pad = 'x'.repeat(padding);
  return (payload) => ({ results: (payload as { rows: string[][] }).rows.map(([value]) => `${String(value).toUpperCase()}${pad}`) });
}

describe('refusals of the real services, through the dispatcher', () => {
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
    properties: Partial<FunctionProperties>,
    options: { faults?: readonly FaultPlanEntry[]; dispatcher?: Partial<DispatcherOptions> } = {},
  ) => dispatcherOverMock(mock, provider, definition, { properties }, options);

  for (const provider of PROVIDER_NAMES) {
    it(`${provider}: the service's answer to a reply above its limit (reply_too_large fault) splits the batch; every row right`, async () => {
      const run = harness(provider, { builtin: 'upper' }, { maxBatchRows: 100 }, { faults: [{ fault: 'reply_too_large', on: 1 }] });
      const { results, stats } = await run.dispatcher.evaluateWithStats('f', rowsOf(300));
      assert.deepEqual(results, rowsOf(300).map(([value]) => value?.toUpperCase()));
      const refused = run.calls().filter((entry) => entry.fault === 'reply_too_large');
      assert.equal(refused.length, 1);
      // the refused batch of 100 ran again as two halves: 2 + 2 other batches, plus the refused one
      assert.equal(run.calls().length, 5);
      assert.equal(stats.failedBatches, 0);
      await run.close();
    });

    // replies really above the service's limit (6 MB, FC 32 MB): the mock measures them as the service does
    const limit = providerDefinition(provider).limits.maxReplyBytes;
    const padding = 64 * 1024;
    const perBatch = Math.ceil((limit * 1.5) / padding);
    it(`${provider}: a batch whose reply is really above ${limit} bytes is split until each reply fits; every row right`, async () => {
      const run = harness(provider, { handler: paddedUpper(padding) }, { maxBatchRows: perBatch, maxBatchBytes: 4 * 1024 * 1024 });
      const input = rowsOf(perBatch);
      const results = await run.dispatcher.evaluate('f', input);
      assert.equal(results.length, perBatch);
      results.forEach((value, index) => {
        if (value !== `V${index}${'x'.repeat(padding)}`) assert.fail(`row ${index} came back wrong`);
      });
      const calls = run.calls();
      assert.ok(calls.some((entry) => entry.errorCode !== undefined), 'the whole batch was refused as too large');
      await run.close();
    });
  }

  it("tencent: status 432 inside FailedOperation.InvokeFunction (text around the JSON) lowers concurrency and loses no row", async () => {
    const run = harness(
      'tencent',
      { builtin: 'upper', concurrency: 2, latencyMs: 20, throttleReport: 'function_error' },
      { maxConcurrency: 16, maxBatchRows: 10 },
      { dispatcher: { retry: { maxAttempts: 30, baseDelayMs: 5, throttleBaseDelayMs: 10 } } },
    );
    const cuts: number[] = [];
    run.dispatcher.on((event) => {
      if (event.type === 'batch-throttled' && event.cut) cuts.push(event.concurrency);
    });
    const { results, stats } = await run.dispatcher.evaluateWithStats('f', rowsOf(1000));
    assert.deepEqual(results, rowsOf(1000).map(([value]) => value?.toUpperCase()));
    assert.equal(stats.failedBatches, 0);
    const refusals = run.calls().filter((entry) => entry.errorCode === 'FailedOperation.InvokeFunction');
    assert.ok(refusals.length > 0, 'the function\'s concurrency limit was reported as a function error');
    assert.ok(stats.throttles >= refusals.length, 'each one counted as a throttle, not a function error');
    assert.ok(cuts.length > 0 && stats.currentConcurrency < 16, `the limit came down: cuts ${cuts.join(',')}, now ${stats.currentConcurrency}`);
    await run.close();
  });

  it('tencent: the API-level RequestLimitExceeded throttle is still a throttle', async () => {
    const run = harness('tencent', { builtin: 'upper' }, { maxBatchRows: 10 }, { faults: [{ fault: 'throttle', on: [1, 2] }], dispatcher: { retry: { maxAttempts: 10, baseDelayMs: 5, throttleBaseDelayMs: 5 } } });
    const { results, stats } = await run.dispatcher.evaluateWithStats('f', rowsOf(30));
    assert.deepEqual(results, rowsOf(30).map(([value]) => value?.toUpperCase()));
    assert.ok(stats.throttles >= 2);
    assert.ok(run.calls().some((entry) => entry.errorCode === 'RequestLimitExceeded'));
    await run.close();
  });
});

describe('AWS STS deactivated in a region (RegionDisabledException)', () => {
  let mock: MockCloudContext;
  before(async () => {
    mock = await startMockCloud();
  });
  after(async () => {
    await stopMockCloud(mock);
  });

  it('without a fallback: E_STS_REGION_DISABLED naming the role account, where to activate STS and LAKEFN_AWS_STS_REGION', async () => {
    const fixture = mock.fixtures.aws;
    mock.cloud.setStsRegionEnabled('aws', fixture.region, false);
    const broker = createCredentialBroker({ adapterFor: (name) => mock.registry.adapterFor(name), environment: mock.environment });
    try {
      await assert.rejects(broker.credentialsFor(fixture.connection)(), (error: unknown) => {
        assert.ok(LakefnError.isInstance(error));
        assert.equal(error.code, 'E_STS_REGION_DISABLED', error.message);
        assert.match(error.message, new RegExp(`not activated in region ${fixture.region} for the role's account ${fixture.accountId}`));
        assert.match(error.message, /LAKEFN_AWS_STS_REGION=default/);
        assert.equal(error.provider?.code, 'RegionDisabledException');
        return true;
      });
    } finally {
      mock.cloud.setStsRegionEnabled('aws', fixture.region, true);
      broker.close();
    }
  });

  for (const setting of ['default', 'us-west-2'] as const) {
    it(`with LAKEFN_AWS_STS_REGION=${setting}: AssumeRole falls back to that STS region and the rows come back`, async () => {
      const fixture = mock.fixtures.aws;
      // a connection in eu-west-1, whose STS the role's account deactivated
      const region = 'eu-west-1';
      const connection: ConnectionRecord = { ...fixture.connection, id: crypto.randomUUID(), name: `aws_fallback_${setting.replace('-', '_')}`, region };
      const environment = { ...mock.environment, LAKEFN_AWS_STS_REGION: setting };
      const registry = createProviderRegistry({ environment });
      mock.cloud.setStsRegionEnabled('aws', region, false);
      mock.cloud.putFunction({ provider: 'aws', accountId: fixture.accountId, region, name: 'fallback_upper', builtin: 'upper' });
      const run = dispatcherFor((name) => registry.adapterFor(name), environment, testFunctionRecord(connection, 'fallback_upper'), connection);
      const { dispatcher, broker } = run;
      try {
        const before = mock.cloud.calls().length;
        assert.deepEqual(await dispatcher.evaluate('f', [['a']]), ['A']);
        const sts = mock.cloud.calls().slice(before).filter((entry) => entry.api === 'sts:AssumeRole');
        assert.deepEqual(sts.map((entry) => entry.errorCode ?? 'ok'), ['RegionDisabledException', 'ok']);
        // signed for the fallback region: the partition's default STS region, or the configured one
        assert.equal(sts[0]?.region, region);
        assert.equal(sts[1]?.region, setting === 'default' ? 'us-east-1' : 'us-west-2');
        // the region's STS is remembered as deactivated: the next AssumeRole goes to the fallback straight away
        broker.invalidate(connection.id);
        const again = mock.cloud.calls().length;
        assert.deepEqual(await dispatcher.evaluate('f', [['b']]), ['B']);
        assert.deepEqual(mock.cloud.calls().slice(again).filter((entry) => entry.api === 'sts:AssumeRole').map((entry) => entry.errorCode ?? 'ok'), ['ok']);
      } finally {
        mock.cloud.setStsRegionEnabled('aws', region, true);
        await run.close();
        await registry.close();
      }
    });
  }

  it('a malformed LAKEFN_AWS_STS_REGION is E_INVALID_ARGUMENT naming the variable', () => {
    const registry = createProviderRegistry({ environment: { ...mock.environment, LAKEFN_AWS_STS_REGION: 'not a region' } });
    assert.throws(() => registry.adapterFor('aws'), (error: unknown) => LakefnError.isInstance(error) && error.code === 'E_INVALID_ARGUMENT' && /LAKEFN_AWS_STS_REGION/.test(error.message));
  });
});
