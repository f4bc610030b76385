// AWS partitions are separate account spaces (issue 13 §1): a broker identity per partition, CREATE refused without
// one, DESC's trust policy and endpoints in the connection's partition, and a mock that matches principals by
// partition as well as account. Also DESC's endpoints for Tencent financial regions, Alibaba STS and overrides.
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MockCloud } from '../../mocks/mock-cloud.ts';
import { environmentWithConfig, loadLakefnConfig } from '../../src/config/lakefn-config.ts';
import { endpointVariable } from '../../src/config/provider-environment.ts';
import { validateConnection } from '../../src/credentials/index.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { renderConnectionDescription } from '../../src/cli/output/render-statement-result.ts';
import { type ProviderRegistry, createProviderRegistry } from '../../src/registry/provider-registry.ts';
import { PROVIDER_NAMES, providerDefinition } from '../../src/registry/providers.ts';
import type { ProviderDefinition } from '../../src/spec/provider-definition.ts';
import type { ChangeResult, ConnectionDescription, StatementResult } from '../../src/sql/execute-result.ts';
import type { ExecutionServices } from '../../src/sql/execute-services.ts';
import { executeStatements } from '../../src/sql/execute-statement.ts';
import type { CatalogStore } from '../../src/store/catalog-store.ts';
import { openCatalogStore } from '../../src/store/open-catalog-store.ts';

const CHINA_ROLE = 'arn:aws-cn:iam::123456789012:role/lakefn-cn';

describe('broker identities per partition and the endpoints DESC shows', () => {
  let home: string;
  let store: CatalogStore;

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'lakefn-partitions-'));
    store = await openCatalogStore({ home, environment: {} });
  });
  after(async () => {
    await store.close();
    await rm(home, { recursive: true, force: true });
  });

  const run = (sql: string, environment: Readonly<Record<string, string | undefined>>, extra: Partial<ExecutionServices> = {}): Promise<StatementResult[]> =>
    executeStatements(sql, { store, environment, ...extra });
  const describeConnection = async (name: string, environment: Readonly<Record<string, string | undefined>>, extra: Partial<ExecutionServices> = {}): Promise<ConnectionDescription> => {
    const [result] = await run(`DESC API CONNECTION ${name}`, environment, extra);
    assert.equal(result?.kind, 'connection-description');
    return result.description;
  };

  it('refuses CREATE in a partition without a broker identity, naming the variables, and stores nothing', async () => {
    await assert.rejects(run(`CREATE API CONNECTION china TYPE CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'cn-north-1' ROLE_ARN = '${CHINA_ROLE}'`, {}), (error: unknown) => {
      assert.ok(LakefnError.isInstance(error));
      assert.equal(error.code, 'E_NO_BROKER_CREDENTIALS');
      assert.match(error.message, /aws partition aws-cn/);
      for (const variable of ['LAKEFN_AWS_CN_ACCOUNT_ID', 'account_ids.aws-cn', 'LAKEFN_AWS_CN_ACCESS_KEY_ID', 'LAKEFN_AWS_CN_SECRET_ACCESS_KEY']) assert.match(error.message, new RegExp(variable));
      return true;
    });
    assert.deepEqual(await store.connections.list(), []);
  });

  it("DESC of a China connection: China hosts and the aws-cn broker account as the trust policy's principal", async () => {
    const environment = { LAKEFN_AWS_ACCOUNT_ID: '111111111111', LAKEFN_AWS_CN_ACCOUNT_ID: '210987654321' };
    await run(`CREATE API CONNECTION china TYPE CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'cn-north-1' ROLE_ARN = '${CHINA_ROLE}'`, environment);
    const description = await describeConnection('china', environment);
    assert.deepEqual(description.endpoints, { sts: 'https://sts.cn-north-1.amazonaws.com.cn', invoke: 'https://lambda.cn-north-1.amazonaws.com.cn' });
    assert.deepEqual(description.endpoint_overrides, {});
    assert.equal(description.broker_account_id, '210987654321');
    assert.deepEqual((description.trust_policy.Statement as readonly { Principal: unknown }[])[0]?.Principal, { AWS: 'arn:aws-cn:iam::210987654321:root' });
    // --json carries the same object
    const [created] = await run(`ALTER API CONNECTION china SET COMMENT = 'json'`, environment);
    assert.deepEqual((created as ChangeResult).connection?.endpoints, description.endpoints);
  });

  it('DESC of Tencent financial and Alibaba Cloud ap-south-1 connections: the hosts the SDK rules give', async () => {
    const fsi = "CREATE API CONNECTION fsi TYPE CLOUD_FUNCTION PROVIDER = 'tencent' REGION = 'ap-shanghai-fsi' ROLE_ARN = 'qcs::cam::uin/100000000001:roleName/r' NAMESPACE = 'default'";
    const mumbai = "CREATE API CONNECTION mumbai TYPE CLOUD_FUNCTION PROVIDER = 'aliyun' REGION = 'ap-south-1' ROLE_ARN = 'acs:ram::1222800000000000:role/r'";
    await run(`${fsi}; ${mumbai}`, {});
    assert.deepEqual((await describeConnection('fsi', {})).endpoints, { sts: 'https://sts.ap-shanghai-fsi.tencentcloudapi.com', invoke: 'https://scf.ap-shanghai-fsi.tencentcloudapi.com' });
    assert.deepEqual((await describeConnection('mumbai', {})).endpoints, { sts: 'https://sts.aliyuncs.com', invoke: 'https://1222800000000000.ap-south-1.fc.aliyuncs.com' });
  });

  it("lists a provider's other hosts too (FunctionGraph's IAM project lookup), following the override of the API they go with", async () => {
    await run("CREATE API CONNECTION singapore TYPE CLOUD_FUNCTION PROVIDER = 'huawei' REGION = 'ap-southeast-3' ROLE_ARN = 'iam::0123456789abcdef0123456789abcdef:agency:lakefn'", {});
    const production = await describeConnection('singapore', {});
    assert.deepEqual(production.endpoints, {
      sts: 'https://sts.ap-southeast-3.myhuaweicloud.com',
      invoke: 'https://functiongraph.ap-southeast-3.myhuaweicloud.com',
      iam: 'https://iam.ap-southeast-3.myhuaweicloud.com',
    });
    const overridden = await describeConnection('singapore', { LAKEFN_HUAWEI_STS_ENDPOINT: 'http://127.0.0.1:4568' });
    assert.equal(overridden.endpoints['iam'], 'http://127.0.0.1:4568');
    assert.deepEqual(overridden.endpoint_overrides, { sts: 'LAKEFN_HUAWEI_STS_ENDPOINT', iam: 'LAKEFN_HUAWEI_STS_ENDPOINT' });
  });

  it('shows an override as such: the variable, or the config.json key', async () => {
    await run("CREATE API CONNECTION virginia TYPE CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'us-east-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/r'", {});
    const fromVariable = await describeConnection('virginia', { LAKEFN_AWS_LAMBDA_ENDPOINT: 'http://127.0.0.1:4566/' });
    assert.deepEqual(fromVariable.endpoints, { sts: 'https://sts.us-east-1.amazonaws.com', invoke: 'http://127.0.0.1:4566' });
    assert.deepEqual(fromVariable.endpoint_overrides, { invoke: 'LAKEFN_AWS_LAMBDA_ENDPOINT' });
    await writeFile(join(home, 'config.json'), JSON.stringify({ endpoints: { aws: { sts: 'http://127.0.0.1:4567' } } }));
    const fromFile = await describeConnection('virginia', {}, { config: loadLakefnConfig(home) });
    assert.deepEqual(fromFile.endpoints, { sts: 'http://127.0.0.1:4567', invoke: 'https://lambda.us-east-1.amazonaws.com' });
    assert.deepEqual(fromFile.endpoint_overrides, { sts: 'config.json endpoints.aws.sts' });
  });

  for (const provider of PROVIDER_NAMES) {
    const definition: ProviderDefinition = providerDefinition(provider);
    it(`${provider}: every host's override names its exact source, the variable or the config.json key, auxiliary hosts included`, async () => {
      const name = `sources_${definition.id}`;
      const partition = definition.broker.partitions?.list[0].id;
      const roleArn = definition.catalog.roleArn.format({ accountId: definition.broker.defaultAccountId, roleName: 'r', ...(partition === undefined ? {} : { partition }) });
      const namespace = definition.catalog.namespace.required ? " NAMESPACE = 'default'" : '';
      await run(`CREATE API CONNECTION ${name} TYPE CLOUD_FUNCTION PROVIDER = '${definition.id}' REGION = '${definition.catalog.regions.example}' ROLE_ARN = '${roleArn}'${namespace}`, {});
      const production = await describeConnection(name, {});
      assert.deepEqual(production.endpoint_overrides, {});
      assert.doesNotMatch(renderConnectionDescription(production), /override/);
      const hosts = await definition.endpoints.hosts({ region: definition.catalog.regions.example, roleArn });
      const viaOf = (endpoint: string): 'sts' | 'invoke' => (endpoint === 'sts' || endpoint === 'invoke' ? endpoint : (hosts?.auxiliary?.[endpoint]?.via ?? assert.fail(endpoint)));
      const endpointNames = Object.keys(production.endpoints);
      const variable = { sts: endpointVariable(provider, 'sts'), invoke: endpointVariable(provider, 'invoke') };
      const configKey = { sts: `config.json endpoints.${definition.id}.${definition.endpoints.apis.sts}`, invoke: `config.json endpoints.${definition.id}.${definition.endpoints.apis.invoke}` };
      const expectSources = (description: ConnectionDescription, sourceOf: (via: 'sts' | 'invoke') => string, origin: (via: 'sts' | 'invoke') => string): void => {
        assert.deepEqual(description.endpoint_overrides, Object.fromEntries(endpointNames.map((endpoint) => [endpoint, sourceOf(viaOf(endpoint))])));
        assert.deepEqual(description.endpoints, Object.fromEntries(endpointNames.map((endpoint) => [endpoint, origin(viaOf(endpoint))])));
        const text = renderConnectionDescription(description);
        for (const endpoint of endpointNames) assert.match(text, new RegExp(`^${endpoint}_endpoint +${origin(viaOf(endpoint))} \\(override: ${sourceOf(viaOf(endpoint)).replaceAll('.', '\\.')}\\)$`, 'm'));
      };
      const port = { sts: 4601, invoke: 4602 };
      // both from variables
      expectSources(await describeConnection(name, { [variable.sts]: `http://127.0.0.1:${port.sts}`, [variable.invoke]: `http://127.0.0.1:${port.invoke}` }), (via) => variable[via], (via) => `http://127.0.0.1:${port[via]}`);
      // both from config.json, read as the CLI reads it (the file's values merged into the environment)
      const configHome = await mkdtemp(join(tmpdir(), 'lakefn-sources-'));
      try {
        await writeFile(join(configHome, 'config.json'), JSON.stringify({ endpoints: { [definition.id]: { [definition.endpoints.apis.sts]: 'http://127.0.0.1:4701', [definition.endpoints.apis.invoke]: 'http://127.0.0.1:4702' } } }));
        const config = loadLakefnConfig(configHome);
        const filePort = { sts: 4701, invoke: 4702 };
        expectSources(await describeConnection(name, environmentWithConfig({}, config), { config }), (via) => configKey[via], (via) => `http://127.0.0.1:${filePort[via]}`);
        // a variable the operator set wins over the file and is named, even when it holds the file's value
        const mixed = environmentWithConfig({ [variable.sts]: 'http://127.0.0.1:4701' }, config);
        expectSources(await describeConnection(name, mixed, { config }), (via) => (via === 'sts' ? variable.sts : configKey.invoke), (via) => `http://127.0.0.1:${filePort[via]}`);
      } finally {
        await rm(configHome, { recursive: true, force: true });
      }
    });
  }
});

describe('the mock matches trust-policy principals by partition as well as account', () => {
  let cloud: MockCloud;
  let registry: ProviderRegistry;

  before(async () => {
    cloud = await MockCloud.start();
    registry = createProviderRegistry({ environment: cloud.env });
  });
  after(async () => {
    await registry.close();
    await cloud.stop();
  });

  const chinaConnection = (roleName: string) => {
    const customer = cloud.partitionAccounts('aws', 'aws-cn').customer.accountId;
    return {
      id: crypto.randomUUID(),
      name: `china_${roleName.replaceAll('-', '_')}`,
      provider: 'aws' as const,
      region: 'cn-north-1',
      roleArn: `arn:aws-cn:iam::${customer}:role/${roleName}`,
      namespace: 'default',
      codeBucket: null,
      externalId: 'ChinaExternalId0123456789abcdefX',
      comment: null,
      status: 'PENDING' as const,
      statusDetail: null,
      version: 1,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
    };
  };
  const trust = (principal: string, externalId: string) => ({
    Version: '2012-10-17',
    Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:ExternalId': externalId } } }],
  });
  const validate = (connection: ReturnType<typeof chinaConnection>, environment: Readonly<Record<string, string>> = cloud.env) =>
    validateConnection(connection, { adapterFor: (provider) => registry.adapterFor(provider), environment, timeoutMs: 5000 });

  it('VERIFIED with the aws-cn broker named in the aws-cn partition', async () => {
    const connection = chinaConnection('lakefn-cn');
    const broker = cloud.partitionAccounts('aws', 'aws-cn').broker.accountId;
    cloud.putRole({ provider: 'aws', roleArn: connection.roleArn, trustPolicy: trust(`arn:aws-cn:iam::${broker}:root`, connection.externalId) });
    assert.deepEqual(await validate(connection), { status: 'VERIFIED', detail: null });
  });

  it('FAILED when the principal names the same digits in another partition (that is another account)', async () => {
    const connection = chinaConnection('lakefn-cn-wrong-partition');
    const broker = cloud.partitionAccounts('aws', 'aws-cn').broker.accountId;
    cloud.putRole({ provider: 'aws', roleArn: connection.roleArn, trustPolicy: trust(`arn:aws:iam::${broker}:root`, connection.externalId) });
    const result = await validate(connection);
    assert.equal(result.status, 'FAILED');
    assert.match(result.detail ?? '', /step 1.*AccessDenied/);
  });

  it("INCONCLUSIVE when lakefn signs for China with the global partition's key (the key does not exist there)", async () => {
    const connection = chinaConnection('lakefn-cn');
    const global = cloud.partitionAccounts('aws', 'aws').broker;
    const environment = { ...cloud.env, LAKEFN_AWS_CN_ACCESS_KEY_ID: global.accessKeyId, LAKEFN_AWS_CN_SECRET_ACCESS_KEY: global.secretAccessKey };
    const result = await validate(connection, environment);
    assert.equal(result.status, 'INCONCLUSIVE');
    assert.match(result.detail ?? '', /rejected lakefn's broker keys.*InvalidClientTokenId.*LAKEFN_AWS_CN_ACCESS_KEY_ID/);
  });
});
