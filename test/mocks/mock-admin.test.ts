import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MockCloud } from '../../mocks/mock-cloud.ts';
import { awsAssumeRole, awsStsClient, keysOf, lambdaClient, lambdaInvoke, type Keys } from './sdk-clients.ts';
import { BATCH, EXTERNAL_ID, roleArn, trustPolicy } from './mock-test-fixture.ts';

describe('mock cloud admin API', () => {
  let cloud: MockCloud;
  let admin: (method: string, path: string, body?: unknown) => Promise<{ status: number; json: Record<string, unknown> }>;
  let assumed: Keys;

  before(async () => {
    cloud = await MockCloud.start();
    admin = async (method, path, body) => {
      const response = await fetch(`${cloud.adminUrl}${path}`, { method, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
      return { status: response.status, json: (await response.json()) as Record<string, unknown> };
    };
  });
  after(async () => cloud.stop());

  it('GET / describes the mock like `lakefn mock --json`', async () => {
    const { status, json } = await admin('GET', '/');
    assert.equal(status, 200);
    assert.equal(json['admin_url'], cloud.adminUrl);
    // each cloud's documented demo customer account (its MockProvider's default partition)
    assert.deepEqual(json['customer_accounts'], Object.fromEntries(cloud.providers.map((mock) => [mock.id, mock.accounts.partitions[0].customerAccountId])));
    assert.deepEqual(json['env'], cloud.env);
  });

  it('PUT /roles takes the pasted trust policy; PUT /functions a builtin; the SDK then gets through', async () => {
    const arn = roleArn('aws', cloud.customerAccounts.aws.accountId, 'pasted');
    const policy = JSON.stringify(trustPolicy('aws', cloud.brokerAccounts.aws.accountId, EXTERNAL_ID));
    assert.equal((await admin('PUT', '/roles', { provider: 'aws', role_arn: arn, trust_policy: policy })).status, 200);
    const put = await admin('PUT', '/functions', { provider: 'aws', account_id: cloud.customerAccounts.aws.accountId, region: 'us-east-1', name: 'shout', builtin: 'upper', concurrency: 5 });
    assert.deepEqual(put, { status: 200, json: { ok: true, key: 'aws/000000000002/us-east-1/shout' } });
    assumed = await awsAssumeRole(awsStsClient(cloud, keysOf(cloud.brokerAccounts.aws)), arn, EXTERNAL_ID);
    assert.deepEqual((await lambdaInvoke(lambdaClient(cloud, assumed), 'shout', BATCH)).json, { results: ['A', null, 'C'] });
  });

  it('PUT /faults scripts failures; GET /calls and GET /counters show them in snake_case', async () => {
    assert.equal((await admin('PUT', '/faults', { provider: 'aws', function: 'shout', plan: [{ on: 1, fault: 'throttle', retry_after_seconds: 2 }] })).status, 200);
    await assert.rejects(lambdaInvoke(lambdaClient(cloud, assumed), 'shout', BATCH), (error: { name: string; retryAfterSeconds?: string }) => error.name === 'TooManyRequestsException' && error.retryAfterSeconds === '2');
    const calls = (await admin('GET', '/calls')).json['calls'] as Record<string, unknown>[];
    const last = calls.at(-1);
    assert.equal(last?.['api'], 'lambda:Invoke');
    assert.equal(last?.['function'], 'shout');
    assert.equal(last?.['fault'], 'throttle');
    assert.equal(last?.['status'], 429);
    assert.equal(last?.['error_code'], 'TooManyRequestsException');
    assert.equal(last?.['batch_id'], 'q1:upper:0');
    assert.equal(last?.['rows'], 3);
    assert.equal(last?.['access_key_id'], assumed.accessKeyId);
    assert.equal(typeof last?.['latency_ms'], 'number');
    const counters = (await admin('GET', '/counters')).json;
    const shout = (counters['functions'] as Record<string, Record<string, number>>)['aws/000000000002/us-east-1/shout'];
    assert.equal(shout?.['calls'], 2);
    assert.equal(shout?.['throttled'], 1);
    assert.equal(shout?.['max_in_flight'], 1);
    assert.equal((counters['apis'] as Record<string, number>)['aws:lambda:Invoke'], 2);
  });

  it('never records a secret in the call log', async () => {
    const text = JSON.stringify(cloud.calls());
    for (const account of Object.values(cloud.brokerAccounts)) assert.equal(text.includes(account.secretAccessKey), false);
    assert.equal(text.includes(assumed.secretAccessKey), false);
    assert.equal(text.includes(assumed.sessionToken ?? 'no token'), false);
  });

  it('POST /reset clears observations (scope all also roles and functions)', async () => {
    assert.equal((await admin('POST', '/reset')).status, 200);
    assert.deepEqual((await admin('GET', '/calls')).json, { calls: [] });
    assert.equal(cloud.counters().functions['aws/000000000002/us-east-1/shout']?.calls, 0);
    assert.deepEqual((await lambdaInvoke(lambdaClient(cloud, assumed), 'shout', BATCH)).json, { results: ['A', null, 'C'] });
    assert.equal((await admin('POST', '/reset', { scope: 'all' })).status, 200);
    await assert.rejects(lambdaInvoke(lambdaClient(cloud, assumed), 'shout', BATCH), (error: Error) => error.name === 'UnrecognizedClientException');
    assert.deepEqual(cloud.counters().functions, {});
  });

  it('answers 400 with a reason for invalid input and 404 for unknown routes', async () => {
    const bad = async (method: string, path: string, body: unknown, pattern: RegExp) => {
      const { status, json } = await admin(method, path, body);
      assert.equal(status, 400, JSON.stringify(json));
      assert.match(String(json['error']), pattern);
    };
    await bad('PUT', '/roles', 'not json', /not valid JSON/);
    await bad('PUT', '/roles', { provider: 'gcp', role_arn: 'x', trust_policy: '{}' }, /provider/);
    await bad('PUT', '/roles', { provider: 'aws', role_arn: 'arn:aws:iam::1:user/x', trust_policy: '{}' }, /is not a aws role ARN/);
    await bad('PUT', '/roles', { provider: 'aws', role_arn: 'arn:aws:iam::000000000002:role/x', trust_policy: '{"Version":"2012-10-17"}' }, /no Statement/);
    await bad('PUT', '/functions', { provider: 'aws', account_id: '000000000002', region: 'us-east-1', name: 'f', builtin: 'nope' }, /unknown builtin 'nope'/);
    await bad('PUT', '/faults', { provider: 'aws', function: 'f', plan: [{ fault: 'explode', on: 1 }] }, /plan\.0\.fault/);
    assert.equal((await admin('GET', '/nothing')).status, 404);
  });
});
