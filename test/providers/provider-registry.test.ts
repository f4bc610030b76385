import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import { createProviderRegistry } from '../../src/registry/provider-registry.ts';
import { PROVIDER_NAMES, providerDefinition } from '../../src/registry/providers.ts';

describe('provider registry', () => {
  it('builds one adapter per provider, with the payload limit of its definition', async () => {
    const registry = createProviderRegistry({ environment: {} });
    const aws = registry.adapterFor('aws');
    assert.equal(registry.adapterFor('aws'), aws);
    assert.deepEqual(
      (['aws', 'aliyun', 'tencent'] as const).map((provider) => [registry.adapterFor(provider).provider, registry.adapterFor(provider).limits.maxRequestBytes]),
      [['aws', 6_291_456], ['aliyun', 33_554_432], ['tencent', 6_291_456]],
    );
    for (const provider of PROVIDER_NAMES) assert.equal(registry.adapterFor(provider).limits.maxRequestBytes, providerDefinition(provider).limits.maxRequestBytes);
    await registry.close();
    assert.throws(() => registry.adapterFor('aws'), (error: unknown) => LakefnError.isInstance(error) && error.code === 'E_CLOSED');
    await assert.rejects(aws.bindConnection({ name: 'c', region: 'us-east-1', roleArn: 'arn:aws:iam::123456789012:role/r', namespace: 'default' }), (error: unknown) => LakefnError.isInstance(error) && error.code === 'E_CLOSED');
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
