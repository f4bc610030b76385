import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { generateExternalId } from '../../src/catalog/external-id.ts';
import { trustPolicy } from '../../src/catalog/trust-policy.ts';
import { EMPTY_CONFIG, environmentWithConfig, loadLakefnConfig, resolveEndpoint } from '../../src/config/lakefn-config.ts';
import { brokerKeyVariables, readBrokerAccountId, readBrokerCredentials, readProviderOptions } from '../../src/config/provider-environment.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { createProviderRegistry } from '../../src/registry/provider-registry.ts';
import { PROVIDER_NAMES } from '../../src/registry/providers.ts';
import { MockCloud } from '../../mocks/mock-cloud.ts';

function isInvalidArgument(pattern: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(LakefnError.isInstance(error), String(error));
    assert.equal(error.code, 'E_INVALID_ARGUMENT');
    assert.match(error.message, pattern);
    return true;
  };
}

describe('$LAKEFN_HOME/config.json', () => {
  let home: string;
  const writeConfig = (content: unknown): void => writeFileSync(join(home, 'config.json'), typeof content === 'string' ? content : JSON.stringify(content));

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'lakefn-config-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('is optional: no file gives the empty configuration', () => {
    assert.deepEqual(loadLakefnConfig(home), EMPTY_CONFIG);
  });

  it('reads endpoints and broker account ids', () => {
    writeConfig({ endpoints: { aws: { lambda: 'http://127.0.0.1:4566' }, tencent: { sts: 'https://sts.example.test', scf: 'http://127.0.0.1:1' } }, account_ids: { aliyun: '1234567890123456' } });
    const config = loadLakefnConfig(home);
    assert.equal(config.path, join(home, 'config.json'));
    assert.equal(resolveEndpoint('aws', 'invoke', {}, config)?.href, 'http://127.0.0.1:4566/');
    assert.equal(resolveEndpoint('aws', 'sts', {}, config), undefined, 'unset APIs keep the production endpoint');
    assert.equal(resolveEndpoint('tencent', 'sts', {}, config)?.host, 'sts.example.test');
    assert.equal(readBrokerAccountId('aliyun', environmentWithConfig({}, config)), '1234567890123456');
    assert.equal(readBrokerAccountId('aws', environmentWithConfig({}, config)), '000000000001', 'unset account ids keep the documented default');
  });

  it('environment variables take precedence over the file (an empty variable counts as unset)', () => {
    writeConfig({ endpoints: { aliyun: { fc: 'http://file.example:1', sts: 'http://file.example:2' } }, account_ids: { aws: '111111111111', tencent: '22222' } });
    const config = loadLakefnConfig(home);
    const environment = { LAKEFN_ALIYUN_FC_ENDPOINT: 'http://env.example:3', LAKEFN_ALIYUN_STS_ENDPOINT: '', LAKEFN_AWS_ACCOUNT_ID: '333333333333', OTHER: 'kept' };
    assert.equal(resolveEndpoint('aliyun', 'invoke', environment, config)?.host, 'env.example:3');
    assert.equal(resolveEndpoint('aliyun', 'sts', environment, config)?.host, 'file.example:2');
    const merged = environmentWithConfig(environment, config);
    assert.equal(readBrokerAccountId('aws', merged), '333333333333');
    assert.equal(readBrokerAccountId('tencent', merged), '22222');
    assert.equal(merged['LAKEFN_ALIYUN_FC_ENDPOINT'], 'http://env.example:3');
    assert.equal(merged['LAKEFN_ALIYUN_STS_ENDPOINT'], 'http://file.example:2');
    assert.equal(merged['OTHER'], 'kept');
  });

  it('reads a broker account per partition (account_ids.aws-cn) into its own variable', () => {
    writeConfig({ account_ids: { aws: '111111111111', 'aws-cn': '222222222222', 'aws-us-gov': '333333333333' } });
    const merged = environmentWithConfig({}, loadLakefnConfig(home));
    assert.equal(merged['LAKEFN_AWS_ACCOUNT_ID'], '111111111111');
    assert.equal(merged['LAKEFN_AWS_CN_ACCOUNT_ID'], '222222222222');
    assert.equal(merged['LAKEFN_AWS_US_GOV_ACCOUNT_ID'], '333333333333');
    writeConfig({ account_ids: { 'aws-cn': '12' } });
    assert.throws(() => loadLakefnConfig(home), isInvalidArgument(/'account_ids\.aws-cn': expected an AWS account id of 12 digits/));
  });

  it('reads provider options (options.aws.sts_region) into their variable; the variable wins; bad values name the key', () => {
    writeConfig({ options: { aws: { sts_region: 'default' } } });
    const config = loadLakefnConfig(home);
    assert.deepEqual(readProviderOptions('aws', environmentWithConfig({}, config)), { sts_region: 'default' });
    assert.deepEqual(readProviderOptions('aws', environmentWithConfig({ LAKEFN_AWS_STS_REGION: 'us-west-2' }, config)), { sts_region: 'us-west-2' });
    assert.deepEqual(readProviderOptions('tencent', environmentWithConfig({}, config)), {});
    assert.throws(() => readProviderOptions('aws', { LAKEFN_AWS_STS_REGION: 'us west 2' }), isInvalidArgument(/LAKEFN_AWS_STS_REGION = 'us west 2' is not valid/));
    writeConfig({ options: { aws: { sts_region: 'not a region' } } });
    assert.throws(() => loadLakefnConfig(home), isInvalidArgument(/'options\.aws\.sts_region'/));
    writeConfig({ options: { tencent: { sts_region: 'x' } } });
    assert.throws(() => loadLakefnConfig(home), isInvalidArgument(/unknown key 'options\.tencent'/));
  });

  it('rejects unknown keys, naming the file and the key path', () => {
    writeConfig({ endpoints: { aws: { lamda: 'http://127.0.0.1:1' } } });
    assert.throws(() => loadLakefnConfig(home), isInvalidArgument(/config\.json is invalid: unknown key 'endpoints\.aws\.lamda'.*keys: endpoints\.\{aliyun\.\{sts,fc\}/));
    writeConfig({ endpoint: {} });
    assert.throws(() => loadLakefnConfig(home), isInvalidArgument(new RegExp(`${join(home, 'config.json').replaceAll('.', '\\.')} is invalid: unknown key 'endpoint'`)));
    writeConfig({ endpoints: { gcp: {} } });
    assert.throws(() => loadLakefnConfig(home), isInvalidArgument(/unknown key 'endpoints\.gcp'/));
    writeConfig({ account_ids: { aws: '123456789012', azure: '1' } });
    assert.throws(() => loadLakefnConfig(home), isInvalidArgument(/unknown key 'account_ids\.azure'/));
  });

  it('rejects malformed values, naming the key path and the rule', () => {
    writeConfig({ endpoints: { tencent: { scf: 'not a url' } } });
    assert.throws(() => loadLakefnConfig(home), isInvalidArgument(/'endpoints\.tencent\.scf': expected an http:\/\/ or https:\/\/ URL/));
    writeConfig({ endpoints: { aws: { sts: 'ftp://127.0.0.1/' } } });
    assert.throws(() => loadLakefnConfig(home), isInvalidArgument(/'endpoints\.aws\.sts': expected an http/));
    writeConfig({ account_ids: { aws: '12345' } });
    assert.throws(() => loadLakefnConfig(home), isInvalidArgument(/'account_ids\.aws': expected an AWS account id of 12 digits/));
    writeConfig({ account_ids: { tencent: 100000000001 } });
    assert.throws(() => loadLakefnConfig(home), isInvalidArgument(/'account_ids\.tencent'/));
    writeConfig([]);
    assert.throws(() => loadLakefnConfig(home), isInvalidArgument(/\(top level\)/));
    writeConfig('{"endpoints": ');
    assert.throws(() => loadLakefnConfig(home), isInvalidArgument(/config\.json is not valid JSON/));
    writeConfig(`{"pad": "${'x'.repeat(70_000)}"}`);
    assert.throws(() => loadLakefnConfig(home), isInvalidArgument(/more than 65536/));
  });

  it('a bad endpoint variable still names the variable', () => {
    assert.throws(() => resolveEndpoint('aws', 'invoke', { LAKEFN_AWS_LAMBDA_ENDPOINT: 'nope' }, EMPTY_CONFIG), isInvalidArgument(/LAKEFN_AWS_LAMBDA_ENDPOINT is not a URL/));
  });

  it('a registry built from config.json alone (no endpoint variables) reaches the mock cloud', async () => {
    const cloud = await MockCloud.start();
    // broker keys only: every endpoint comes from the file
    const environment = Object.fromEntries(PROVIDER_NAMES.flatMap((provider) => brokerKeyVariables(provider)).map((name) => [name, cloud.env[name]]));
    writeConfig({ endpoints: cloud.endpoints });
    const registry = createProviderRegistry({ environment, config: loadLakefnConfig(home) });
    try {
      for (const [provider, region, roleArn] of [
        ['aws', 'us-east-1', `arn:aws:iam::${cloud.customerAccounts.aws.accountId}:role/from-config`],
        ['aliyun', 'cn-hangzhou', `acs:ram::${cloud.customerAccounts.aliyun.accountId}:role/from-config`],
        ['tencent', 'ap-guangzhou', `qcs::cam::uin/${cloud.customerAccounts.tencent.accountId}:roleName/from-config`],
      ] as const) {
        const externalId = generateExternalId();
        cloud.putRole({ provider, roleArn, trustPolicy: trustPolicy({ provider, roleArn, externalId }, cloud.brokerAccounts[provider].accountId) });
        cloud.putFunction({ provider, accountId: cloud.customerAccounts[provider].accountId, region, name: 'upper', builtin: 'upper' });
        const broker = readBrokerCredentials(provider, environment);
        assert.ok(broker !== undefined);
        const adapter = registry.adapterFor(provider);
        const binding = await adapter.bindConnection({ name: `${provider}_from_config`, region, roleArn, namespace: 'default' });
        const assumed = await adapter.doAssumeRole({ broker, binding, externalId, sessionName: 'lakefn-config-test', durationSeconds: 900, timeoutMs: 10_000 });
        const invoked = await adapter.doInvoke({
          credentials: assumed.credentials,
          binding,
          functionName: 'upper',
          payload: new TextEncoder().encode(JSON.stringify({ lakefn: 1, rows: [['abc']] })),
          timeoutMs: 10_000,
        });
        assert.deepEqual(JSON.parse(new TextDecoder().decode(invoked.payload)), { results: ['ABC'] }, provider);
      }
    } finally {
      await registry.close();
      await cloud.stop();
    }
  });
});
