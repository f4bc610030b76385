import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TrustDialect } from '../../mocks/mock-provider.ts';
import { loadMockProviders } from '../../mocks/providers/index.ts';
import { parseTrustPolicy as parseInDialect, trustAllows } from '../../mocks/trust-policy.ts';
import { trustPolicy } from './mock-test-fixture.ts';
import { PROVIDER_NAMES } from '../../src/registry/providers.ts';
import type { ProviderName } from '../../src/spec/provider-name.ts';

const MOCKS = await loadMockProviders();
/** Each cloud's broker account of its default partition. */
const BROKER = Object.fromEntries(MOCKS.map((mock) => [mock.id, mock.accounts.partitions[0].brokerAccountId])) as Readonly<Record<ProviderName, string>>;
const DIALECTS = new Map<ProviderName, TrustDialect>(MOCKS.map((provider) => [provider.id, provider.trust]));

/** Parses in the provider's own dialect (its MockProvider's `trust`). */
function parseTrustPolicy(provider: ProviderName, document: string | object) {
  const dialect = DIALECTS.get(provider);
  assert.ok(dialect !== undefined, provider);
  return parseInDialect(dialect, document);
}

describe('trust policies', () => {
  for (const provider of PROVIDER_NAMES) {
    it(`${provider}: the DESC document requires the trusted account and the external ID`, () => {
      const policy = parseTrustPolicy(provider, JSON.stringify(trustPolicy(provider, BROKER[provider], 'lakefn-ext-1')));
      assert.equal(trustAllows(policy, BROKER[provider], 'lakefn-ext-1'), true);
      assert.equal(trustAllows(policy, BROKER[provider], undefined), false);
      assert.equal(trustAllows(policy, BROKER[provider], 'lakefn-ext-2'), false);
      assert.equal(trustAllows(policy, '123456789012', 'lakefn-ext-1'), false);
    });

    it(`${provider}: without a condition no external ID is needed (the insecure case)`, () => {
      const policy = parseTrustPolicy(provider, trustPolicy(provider, BROKER[provider], undefined));
      assert.equal(trustAllows(policy, BROKER[provider], undefined), true);
      assert.equal(trustAllows(policy, BROKER[provider], 'anything'), true);
      assert.equal(trustAllows(policy, '999', undefined), false);
    });
  }

  it('accepts principals as a string or an array, with or without :root, or as a bare account id', () => {
    const aws = (principal: unknown) => parseTrustPolicy('aws', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }] });
    for (const principal of ['arn:aws:iam::000000000001:root', ['arn:aws:iam::000000000001:root'], 'arn:aws:iam::000000000001', '000000000001', ['111111111111', '000000000001']]) {
      assert.equal(trustAllows(aws(principal), '000000000001', undefined), true, JSON.stringify(principal));
    }
    assert.equal(trustAllows(aws('*'), '555555555555', undefined), true);
    const aliyun = parseTrustPolicy('aliyun', { Version: '1', Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { RAM: 'acs:ram::1000000000000001:root' } }] });
    assert.equal(trustAllows(aliyun, '1000000000000001', undefined), true);
    const tencent = parseTrustPolicy('tencent', { version: '2.0', statement: [{ action: 'sts:AssumeRole', effect: 'allow', principal: { qcs: 'qcs::cam::uin/100000000001:uin/100000000009' } }] });
    assert.equal(trustAllows(tencent, '100000000001', undefined), true);
  });

  it('is case-insensitive about keys and accepts a list of external IDs', () => {
    const policy = parseTrustPolicy('aws', {
      version: '2012-10-17',
      statement: { effect: 'allow', principal: { aws: '000000000001' }, action: 'STS:ASSUMEROLE', condition: { stringequals: { 'STS:EXTERNALID': ['a1', 'b2'] } } },
    });
    assert.equal(trustAllows(policy, '000000000001', 'b2'), true);
    assert.equal(trustAllows(policy, '000000000001', 'c3'), false);
  });

  it('fails closed on conditions it does not understand, and lets an explicit Deny win', () => {
    const unknownCondition = parseTrustPolicy('aws', {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000001' }, Action: 'sts:AssumeRole', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' } } }],
    });
    assert.equal(trustAllows(unknownCondition, '000000000001', undefined), false);
    const denied = parseTrustPolicy('aws', {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' },
        { Effect: 'Deny', Principal: { AWS: '000000000001' }, Action: 'sts:*' },
      ],
    });
    assert.equal(trustAllows(denied, '000000000001', undefined), false);
    assert.equal(trustAllows(denied, '000000000002', undefined), true);
    const otherAction = parseTrustPolicy('aws', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject' }] });
    assert.equal(trustAllows(otherAction, '000000000001', undefined), false);
  });

  it("honours only the provider's own condition operator and key (another cloud's condition is not understood)", () => {
    const withCondition = (provider: ProviderName, condition: object) =>
      parseTrustPolicy(provider, { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000001', qcs: ['100000000001'], RAM: ['1000000000000001'] }, Action: 'sts:AssumeRole', Condition: condition }] });
    const tencentStyle = { string_equal: { 'sts:external_id': 'x1' } };
    const awsStyle = { StringEquals: { 'sts:ExternalId': 'x1' } };
    assert.equal(trustAllows(withCondition('aws', tencentStyle), '000000000001', 'x1'), false);
    assert.equal(trustAllows(withCondition('aws', { StringEquals: { 'sts:external_id': 'x1' } }), '000000000001', 'x1'), false);
    assert.equal(trustAllows(withCondition('aws', awsStyle), '000000000001', 'x1'), true);
    assert.equal(trustAllows(withCondition('tencent', awsStyle), '100000000001', 'x1'), false);
    assert.equal(trustAllows(withCondition('tencent', tencentStyle), '100000000001', 'x1'), true);
    assert.equal(trustAllows(withCondition('aliyun', tencentStyle), '1000000000000001', 'x1'), false);
  });

  it('matches an AWS principal by partition as well as account', () => {
    const policy = parseTrustPolicy('aws', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::000000000001:root' }, Action: 'sts:AssumeRole' }] });
    assert.equal(trustAllows(policy, '000000000001', undefined, 'aws'), true);
    assert.equal(trustAllows(policy, '000000000001', undefined, 'aws-cn'), false, 'the same digits in aws-cn are another account');
    const bare = parseTrustPolicy('aws', { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '000000000001' }, Action: 'sts:AssumeRole' }] });
    assert.equal(trustAllows(bare, '000000000001', undefined, 'aws-cn'), true, "a bare account id is the account of the role's own partition");
  });

  it('rejects documents that are not policies', () => {
    assert.throws(() => parseTrustPolicy('aws', 'not json'), /not valid JSON/);
    assert.throws(() => parseTrustPolicy('aws', { Version: '2012-10-17' }), /no Statement/);
    assert.throws(() => parseTrustPolicy('aws', { Statement: [{ Effect: 'Maybe' }] }), /Effect/);
    assert.throws(() => parseTrustPolicy('aws', 'x'.repeat(70_000)), /longer than/);
  });
});
