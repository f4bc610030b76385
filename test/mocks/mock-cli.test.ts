import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { accountIdVariable, brokerKeyVariables, brokerPartitions, endpointVariable } from '../../src/config/provider-environment.ts';
import { PROVIDER_NAMES } from '../../src/registry/providers.ts';
import { loadMockProviders } from '../../mocks/providers/index.ts';
import { EXTERNAL_ID, roleArn, trustPolicy } from './mock-test-fixture.ts';

const LAKEFN = fileURLToPath(new URL('../../bin/lakefn.js', import.meta.url));

interface MockJson {
  readonly env: Record<string, string>;
  readonly customer_accounts: Record<string, string>;
  readonly admin_url: string;
}

describe('lakefn mock', () => {
  it('--json prints {env, customer_accounts, admin_url} on its first line, serves the built-ins and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [LAKEFN, 'mock', '--json', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = once(child, 'exit');
    try {
      const [line] = (await once(createInterface({ input: child.stdout }), 'line')) as [string];
      const info = JSON.parse(line) as MockJson;
      assert.deepEqual(Object.keys(info).sort(), ['admin_url', 'customer_accounts', 'env']);
      for (const provider of PROVIDER_NAMES) {
        for (const phase of ['sts', 'invoke'] as const) assert.match(info.env[endpointVariable(provider, phase)] ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
        // a broker identity in every partition (AWS China and GovCloud have their own)
        for (const partition of brokerPartitions(provider)) {
          for (const variable of [...brokerKeyVariables(provider, partition), accountIdVariable(provider, partition)]) assert.ok(info.env[variable], variable);
        }
      }
      // the documented demo accounts of each cloud's default partition (its MockProvider's)
      const defaults = (await loadMockProviders()).map((mock) => ({ ...mock.accounts.partitions[0], provider: mock.id }));
      assert.deepEqual(
        PROVIDER_NAMES.map((provider) => info.env[accountIdVariable(provider)]),
        defaults.map((partition) => partition.brokerAccountId),
      );
      assert.deepEqual(info.customer_accounts, Object.fromEntries(defaults.map((partition) => [partition.provider, partition.customerAccountId])));

      // a user's path: paste the trust policy, assume the role with the broker keys, call a pre-registered built-in
      const arn = roleArn('aws', info.customer_accounts['aws'] ?? '', 'lakefn');
      const put = await fetch(`${info.admin_url}/roles`, { method: 'PUT', body: JSON.stringify({ provider: 'aws', role_arn: arn, trust_policy: trustPolicy('aws', info.env['LAKEFN_AWS_ACCOUNT_ID'] ?? '', EXTERNAL_ID) }) });
      assert.equal(put.status, 200);
      const sts = new STSClient({
        region: 'us-east-1',
        endpoint: info.env['LAKEFN_AWS_STS_ENDPOINT'] ?? '',
        credentials: { accessKeyId: info.env['AWS_ACCESS_KEY_ID'] ?? '', secretAccessKey: info.env['AWS_SECRET_ACCESS_KEY'] ?? '' },
        maxAttempts: 1,
      });
      const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'lakefn-cli', ExternalId: EXTERNAL_ID }));
      const lambda = new LambdaClient({
        region: 'us-east-1',
        endpoint: info.env['LAKEFN_AWS_LAMBDA_ENDPOINT'] ?? '',
        credentials: { accessKeyId: assumed.Credentials?.AccessKeyId ?? '', secretAccessKey: assumed.Credentials?.SecretAccessKey ?? '', sessionToken: assumed.Credentials?.SessionToken ?? '' },
        maxAttempts: 1,
      });
      const output = await lambda.send(new InvokeCommand({ FunctionName: 'add', Payload: Buffer.from(JSON.stringify({ lakefn: 1, rows: [[1, '9007199254740993']] })) }));
      assert.deepEqual(JSON.parse(Buffer.from(output.Payload ?? new Uint8Array()).toString('utf8')), { results: ['9007199254740994'] });
      sts.destroy();
      lambda.destroy();
    } finally {
      child.kill('SIGTERM');
    }
    const [code, signal] = (await exited) as [number | null, string | null];
    assert.equal(signal, null);
    assert.equal(code, 0);
  });

  it('refuses a bad --port with exit code 2', async () => {
    const child = spawn(process.execPath, [LAKEFN, 'mock', '--port', 'eighty'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 2);
    assert.match(stderr, /--port must be an integer from 0 to 65535/);
  });
});
