import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import { createProviderRegistry } from '../../src/registry/provider-registry.ts';

describe('provider registry', () => {
  it('builds one adapter per provider, with the adapter id and payload limit of each', async () => {
    const registry = createProviderRegistry({ environment: {} });
    const aws = registry.adapterFor('aws');
    assert.equal(registry.adapterFor('aws'), aws);
    assert.deepEqual(
      (['aws', 'aliyun', 'tencent'] as const).map((provider) => [registry.adapterFor(provider).id, registry.adapterFor(provider).limits.maxRequestBytes]),
      [['aws-lambda', 6_291_456], ['aliyun-fc', 33_554_432], ['tencent-scf', 6_291_456]],
    );
    await registry.close();
    assert.throws(() => registry.adapterFor('aws'), (error: unknown) => LakefnError.isInstance(error) && error.code === 'E_DISPATCHER_CLOSED');
  });

  it('names the variable when an endpoint override is not a URL', async () => {
    const registry = createProviderRegistry({ environment: { LAKEFN_TENCENT_SCF_ENDPOINT: 'not a url' } });
    assert.throws(
      () => registry.adapterFor('tencent'),
      (error: unknown) => LakefnError.isInstance(error) && error.code === 'E_INVALID_ARGUMENT' && error.message.includes('LAKEFN_TENCENT_SCF_ENDPOINT'),
    );
    await registry.close();
  });
});
