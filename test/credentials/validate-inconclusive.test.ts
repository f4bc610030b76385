// VALIDATE never demotes a connection on a transient fault (issue 10 §2): through the SQL executor, a real SQLite
// catalog and the mock cloud, an unreachable STS or a wrong broker key leaves a VERIFIED connection VERIFIED.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MockCloud } from '../../mocks/mock-cloud.ts';
import { validateConnection } from '../../src/credentials/index.ts';
import { createProviderRegistry } from '../../src/registry/provider-registry.ts';
import type { ChangeResult, ConnectionDescriptionResult } from '../../src/sql/execute-result.ts';
import { executeStatements } from '../../src/sql/execute-statement.ts';
import type { CatalogStore } from '../../src/store/catalog-store.ts';
import { openCatalogStore } from '../../src/store/open-catalog-store.ts';

describe('VALIDATE API CONNECTION on a transient fault', () => {
  let cloud: MockCloud;
  let home: string;
  let store: CatalogStore;
  let roleArn: string;

  /** VALIDATE with lakefn's environment (broker keys, endpoints) replaced as given. */
  const validate = async (environment: Readonly<Record<string, string>>): Promise<ChangeResult> => {
    const registry = createProviderRegistry({ environment });
    try {
      const [result] = await executeStatements('VALIDATE API CONNECTION sales', {
        store,
        environment,
        validateConnection: (connection) => validateConnection(connection, { adapterFor: (provider) => registry.adapterFor(provider), environment, timeoutMs: 5000 }),
      });
      assert.equal(result?.kind, 'change');
      return result;
    } finally {
      await registry.close();
    }
  };
  const stored = async () => {
    const connection = await store.connections.get('sales');
    assert.ok(connection !== undefined);
    return connection;
  };

  before(async () => {
    cloud = await MockCloud.start();
    home = await mkdtemp(join(tmpdir(), 'lakefn-validate-'));
    store = await openCatalogStore({ home, environment: {} });
    roleArn = `arn:aws:iam::${cloud.customerAccounts.aws.accountId}:role/sales`;
    await executeStatements(`CREATE API CONNECTION sales TYPE CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'us-east-1' ROLE_ARN = '${roleArn}'`, { store, environment: cloud.env });
    const [described] = await executeStatements('DESC API CONNECTION sales', { store, environment: cloud.env });
    cloud.putRole({ provider: 'aws', roleArn, trustPolicy: (described as ConnectionDescriptionResult).description.trust_policy });
    assert.equal((await validate(cloud.env)).connection?.status, 'VERIFIED');
  });
  after(async () => {
    await store.close();
    await cloud.stop();
    await rm(home, { recursive: true, force: true });
  });

  for (const [what, environment] of [
    ['STS is unreachable (LAKEFN_AWS_STS_ENDPOINT=http://127.0.0.1:1)', () => ({ ...cloud.env, LAKEFN_AWS_STS_ENDPOINT: 'http://127.0.0.1:1' })],
    ["the broker's own key is wrong", () => ({ ...cloud.env, AWS_SECRET_ACCESS_KEY: 'wrong-broker-secret-0123456789abcdefghij' })],
  ] as const) {
    it(`leaves a VERIFIED connection VERIFIED and says INCONCLUSIVE when ${what}`, async () => {
      const before = await stored();
      const result = await validate(environment());
      assert.equal(result.validation?.status, 'INCONCLUSIVE');
      assert.match(result.message, /validation INCONCLUSIVE: step 1 .*its status stays VERIFIED/);
      assert.equal(result.connection?.status, 'VERIFIED');
      assert.deepEqual(await stored(), before, 'nothing was written');
    });
  }

  it('a definite refusal still fails the connection', async () => {
    cloud.putRole({ provider: 'aws', roleArn, trustPolicy: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '999999999999' }, Action: 'sts:AssumeRole' }] } });
    const result = await validate(cloud.env);
    assert.equal(result.validation?.status, 'FAILED');
    assert.equal((await stored()).status, 'FAILED');
  });
});
