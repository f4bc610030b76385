import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MockCloud } from '../../mocks/mock-cloud.ts';
import { keysOf, lambdaClient, lambdaInvoke } from './sdk-clients.ts';
import { BATCH, until } from './mock-test-fixture.ts';

describe('mock cloud lifecycle', () => {
  it('stops at once while calls hang or sleep, failing them on the client side', async () => {
    const cloud = await MockCloud.start();
    const account = cloud.customerAccounts.aws;
    cloud.putFunction({ provider: 'aws', accountId: account.accountId, region: 'us-east-1', name: 'hung', builtin: 'upper' });
    cloud.putFunction({ provider: 'aws', accountId: account.accountId, region: 'us-east-1', name: 'slow', builtin: 'upper' });
    cloud.putFunction({ provider: 'aws', accountId: account.accountId, region: 'us-east-1', name: 'sleepy', builtin: 'sleep' });
    cloud.putFaults({ provider: 'aws', function: 'hung', plan: [{ on: 1, fault: 'hang' }] });
    cloud.putFaults({ provider: 'aws', function: 'slow', plan: [{ on: 1, fault: 'slow', delayMs: 600_000 }] });
    const client = lambdaClient(cloud, keysOf(account));
    const pending = [
      lambdaInvoke(client, 'hung', BATCH),
      lambdaInvoke(client, 'slow', BATCH),
      lambdaInvoke(client, 'sleepy', { lakefn: 1, rows: [[600_000]] }),
    ].map((call) => call.then(() => 'answered', () => 'failed'));
    await until(() => Object.values(cloud.counters().functions).reduce((sum, counters) => sum + counters.inFlight, 0) === 3, 'three calls in flight');
    await cloud.stop();
    assert.deepEqual(await Promise.all(pending), ['failed', 'failed', 'failed']);
    await cloud.stop(); // idempotent
  });

  it('uses the given ports and account ids, and refuses a port in use', async () => {
    const first = await MockCloud.start({ brokerAccountIds: { aws: '123456789012' }, customerAccountIds: { tencent: '200000000002' } });
    try {
      assert.equal(first.brokerAccounts.aws.accountId, '123456789012');
      assert.equal(first.env['LAKEFN_AWS_ACCOUNT_ID'], '123456789012');
      assert.equal(first.customerAccounts.tencent.accountId, '200000000002');
      const port = Number(new URL(first.adminUrl).port);
      await assert.rejects(MockCloud.start({ port }), /EADDRINUSE/);
    } finally {
      await first.stop();
    }
  });
});
