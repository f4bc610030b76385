import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { $OpenApiUtil } from '@alicloud/openapi-core';
import FcModule, { InvokeFunctionRequest } from '@alicloud/fc20230330';
import { AssumeRoleRequest } from '@alicloud/sts20150401';
import { aliyunAssumeRole, aliyunStsClient, fcClient, fcInvoke, keysOf, type Keys } from './sdk-clients.ts';
import { BATCH, EXTERNAL_ID, gate, payloadOfSize, roleArn, startTestCloud, until, type TestCloud } from './mock-test-fixture.ts';

interface AliyunError {
  readonly name: string;
  readonly code?: string;
  readonly statusCode?: number;
  readonly message: string;
  readonly data?: Record<string, unknown>;
}

function aliyunError(code: string, statusCode: number) {
  return (error: AliyunError) => {
    assert.equal(error.code, code, error.message);
    assert.equal(error.statusCode, statusCode);
    return true;
  };
}

describe('mock cloud: Alibaba Cloud STS + FC 3.0 with the real SDKs', () => {
  let test: TestCloud;
  let broker: Keys;
  let assumed: Keys;
  const sts = (keys: Keys) => aliyunStsClient(test.cloud, keys);
  const fc = (keys: Keys) => fcClient(test.cloud, keys);

  before(async () => {
    test = await startTestCloud('aliyun');
    broker = keysOf(test.cloud.brokerAccounts.aliyun);
    assumed = await aliyunAssumeRole(sts(broker), test.roleArn, EXTERNAL_ID);
  });
  after(async () => test.cloud.stop());

  it('AssumeRole with the external ID returns STS credentials that invoke functions of the role account', async () => {
    const response = await sts(broker).assumeRole(new AssumeRoleRequest({ roleArn: test.roleArn, roleSessionName: 'lakefn-1', externalId: EXTERNAL_ID, durationSeconds: 900 }));
    assert.match(response.body?.credentials?.accessKeyId ?? '', /^STS\./);
    assert.equal(response.body?.assumedRoleUser?.arn, `acs:ram::${test.customerAccountId}:role/lakefn/lakefn-1`);
    assert.equal(Date.parse(response.body?.credentials?.expiration ?? ''), Math.floor((test.clock.now() + 900_000) / 1000) * 1000);
    const result = await fcInvoke(fc(assumed), 'upper', BATCH);
    assert.equal(result.statusCode, 200);
    assert.equal(result.headers['x-fc-error-type'], undefined);
    assert.deepEqual(JSON.parse(result.text), { results: ['A', null, 'C'] });
    const call = test.cloud.calls().at(-1);
    assert.equal(call?.api, 'fc:InvokeFunction');
    assert.equal(call?.region, 'cn-shanghai');
    assert.equal(call?.batchId, 'q1:upper:0');
    assert.equal(call?.accessKeyId, assumed.accessKeyId);
  });

  it('refuses AssumeRole without, or with the wrong, external ID and from an untrusted account', async () => {
    await assert.rejects(aliyunAssumeRole(sts(broker), test.roleArn), aliyunError('NoPermission', 403));
    await assert.rejects(aliyunAssumeRole(sts(broker), test.roleArn, 'lakefn-wrong-external-id'), aliyunError('NoPermission', 403));
    const stranger = test.cloud.addAccount('aliyun');
    await assert.rejects(aliyunAssumeRole(sts(keysOf(stranger)), test.roleArn, EXTERNAL_ID), aliyunError('NoPermission', 403));
    await assert.rejects(aliyunAssumeRole(sts(broker), roleArn('aliyun', test.customerAccountId, 'missing'), EXTERNAL_ID), aliyunError('EntityNotExist.Role', 404));
    await assert.rejects(aliyunAssumeRole(sts(broker), test.roleArn, EXTERNAL_ID, 7200), aliyunError('InvalidParameter.DurationSeconds', 400));
  });

  it('lets the trusted account in without an external ID when the policy has no condition', async () => {
    const keys = await aliyunAssumeRole(sts(broker), test.insecureRoleArn);
    assert.deepEqual(JSON.parse((await fcInvoke(fc(keys), 'upper', BATCH)).text), { results: ['A', null, 'C'] });
  });

  it('rejects a wrong secret, an unknown key and a forged token', async () => {
    const wrongSecret = { ...broker, secretAccessKey: `${broker.secretAccessKey.slice(0, -1)}${broker.secretAccessKey.endsWith('x') ? 'y' : 'x'}` };
    await assert.rejects(aliyunAssumeRole(sts(wrongSecret), test.roleArn, EXTERNAL_ID), aliyunError('SignatureDoesNotMatch', 400));
    await assert.rejects(fcInvoke(fc({ ...assumed, secretAccessKey: 'x'.repeat(30) }), 'upper', BATCH), aliyunError('SignatureNotMatch', 403));
    const unknown = { accessKeyId: 'LTAIunknownunknownunk', secretAccessKey: 'x'.repeat(30) };
    await assert.rejects(aliyunAssumeRole(sts(unknown), test.roleArn, EXTERNAL_ID), aliyunError('InvalidAccessKeyId.NotFound', 404));
    await assert.rejects(fcInvoke(fc(unknown), 'upper', BATCH), aliyunError('InvalidAccessKeyID', 403));
    await assert.rejects(fcInvoke(fc({ ...assumed, sessionToken: 'forged' }), 'upper', BATCH), aliyunError('InvalidSecurityToken.MismatchWithAccessKey', 403));
  });

  it('refuses STS credentials once they expire on the mock clock', async () => {
    const keys = await aliyunAssumeRole(sts(broker), test.roleArn, EXTERNAL_ID, 900);
    test.clock.advance(899_000);
    try {
      assert.equal((await fcInvoke(fc(keys), 'upper', BATCH)).statusCode, 200);
      test.clock.advance(1_000);
      await assert.rejects(fcInvoke(fc(keys), 'upper', BATCH), aliyunError('InvalidSecurityToken.Expired', 403));
      await assert.rejects(aliyunAssumeRole(sts(keys), test.roleArn, EXTERNAL_ID), aliyunError('InvalidSecurityToken.Expired', 400));
    } finally {
      test.clock.advance(-900_000);
    }
  });

  it('rejects x-acs-date more than 15 minutes away from the mock clock', async () => {
    const owner = keysOf(test.cloud.customerAccounts.aliyun);
    test.clock.advance(-16 * 60_000);
    try {
      await assert.rejects(fcInvoke(fc(owner), 'upper', BATCH), aliyunError('InvalidTimeStamp.Expired', 403));
      await assert.rejects(aliyunAssumeRole(sts(broker), test.roleArn, EXTERNAL_ID), aliyunError('InvalidTimeStamp.Expired', 400));
    } finally {
      test.clock.advance(16 * 60_000);
    }
    assert.equal((await fcInvoke(fc(owner), 'upper', BATCH)).statusCode, 200);
  });

  it('finds functions through the credentials account only', async () => {
    await assert.rejects(fcInvoke(fc(assumed), 'nope', BATCH), aliyunError('FunctionNotFound', 404));
    const stranger = test.cloud.addAccount('aliyun');
    await assert.rejects(fcInvoke(fc(keysOf(stranger)), 'upper', BATCH), aliyunError('FunctionNotFound', 404));
  });

  it('reports a throwing function on HTTP 200 with x-fc-error-type', async () => {
    const result = await fcInvoke(fc(assumed), 'fail_on', { ...BATCH, rows: [['fail']] });
    assert.equal(result.statusCode, 200);
    assert.equal(result.headers['x-fc-error-type'], 'UnhandledInvocationError');
    const body = JSON.parse(result.text) as { errorMessage: string; errorType: string; stackTrace: unknown };
    assert.equal(body.errorMessage, "fail_on: row 0 has the value 'fail'");
    assert.equal(body.errorType, 'Error');
    assert.ok(Array.isArray(body.stackTrace));
  });

  it('accepts a chunked 32 MB payload and refuses one byte more', async () => {
    const atLimit = await fcInvoke(fc(assumed), 'sink', payloadOfSize(33_554_432));
    assert.equal(atLimit.statusCode, 200);
    await assert.rejects(fcInvoke(fc(assumed), 'sink', payloadOfSize(33_554_433)), aliyunError('EntityTooLarge', 400));
  });

  it('refuses a replayed request (same signature nonce)', async () => {
    // the SDK never reuses a nonce, so sign one request by hand and send it twice
    const owner = test.cloud.customerAccounts.aliyun;
    const url = new URL('/2023-03-30/functions/upper/invocations', test.cloud.endpoints.aliyun.fc);
    const body = JSON.stringify(BATCH);
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      host: url.host,
      'x-acs-action': 'InvokeFunction',
      'x-acs-content-sha256': createHash('sha256').update(body).digest('hex'),
      'x-acs-date': new Date(test.clock.now()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      'x-acs-signature-nonce': `nonce-${Date.now()}`,
      'x-acs-version': '2023-03-30',
    };
    const names = Object.keys(headers).sort();
    const canonical = `POST\n${url.pathname}\n\n${names.map((name) => `${name}:${headers[name] ?? ''}\n`).join('')}\n${names.join(';')}\n${headers['x-acs-content-sha256'] ?? ''}`;
    const signature = createHmac('sha256', owner.secretAccessKey).update(`ACS3-HMAC-SHA256\n${createHash('sha256').update(canonical).digest('hex')}`).digest('hex');
    const { host: _host, ...sent } = headers;
    const init = { method: 'POST', body, headers: { ...sent, authorization: `ACS3-HMAC-SHA256 Credential=${owner.accessKeyId},SignedHeaders=${names.join(';')},Signature=${signature}` } };
    const first = await fetch(url, init);
    assert.equal(first.status, 200, await first.text());
    const replay = await fetch(url, init);
    assert.equal(replay.status, 403);
    assert.equal(((await replay.json()) as { Code: string }).Code, 'SignatureNonceUsed');
  });

  it('throttles exactly the calls above the concurrency limit with 429 ResourceThrottled', async () => {
    const held = gate();
    test.cloud.putFunction({
      provider: 'aliyun',
      accountId: test.customerAccountId,
      region: 'cn-shanghai',
      name: 'limited',
      concurrency: 2,
      handler: async () => {
        await held.opened;
        return { results: ['ok'] };
      },
    });
    const calls = [1, 2, 3].map(() => fcInvoke(fc(assumed), 'limited', { lakefn: 1, rows: [['x']] }).then(() => 'ok', (error: AliyunError) => error));
    await until(() => test.cloud.calls().some((call) => call.function === 'limited'), 'the throttled call');
    held.open();
    const throttled = (await Promise.all(calls)).filter((outcome): outcome is AliyunError => outcome !== 'ok');
    assert.equal(throttled.length, 1);
    assert.equal(throttled[0]?.code, 'ResourceThrottled');
    assert.equal(throttled[0]?.statusCode, 429);
    assert.equal(test.cloud.counters().functions[`aliyun/${test.customerAccountId}/cn-shanghai/limited`]?.maxInFlight, 2);
  });

  it('needs the region in the Host when a name exists in several regions', async () => {
    test.cloud.putFunction({ provider: 'aliyun', accountId: test.customerAccountId, region: 'cn-hangzhou', name: 'twin', builtin: 'echo' });
    test.cloud.putFunction({ provider: 'aliyun', accountId: test.customerAccountId, region: 'cn-beijing', name: 'twin', builtin: 'echo' });
    await assert.rejects(fcInvoke(fc(assumed), 'twin', BATCH), aliyunError('InvalidArgument', 400));
  });

  describe('fault injection, as the SDK surfaces it', () => {
    const invokeWith = async (fault: object, keys: Keys = assumed) => {
      test.cloud.putFaults({ provider: 'aliyun', function: 'upper', plan: [{ on: 1, ...(fault as { fault: 'throttle' }) }] });
      return fcInvoke(fc(keys), 'upper', BATCH);
    };

    it('throttle: ClientError 429 ResourceThrottled', async () => {
      await assert.rejects(invokeWith({ fault: 'throttle' }), aliyunError('ResourceThrottled', 429));
    });

    it('5xx: ServerError 500 InternalServerError / 503 ServiceUnavailable', async () => {
      await assert.rejects(invokeWith({ fault: '5xx' }), (error: AliyunError) => error.name === 'ServerError' && error.code === 'InternalServerError' && error.statusCode === 500);
      await assert.rejects(invokeWith({ fault: '5xx', status: 503 }), aliyunError('ServiceUnavailable', 503));
    });

    it('reset: a socket error', async () => {
      await assert.rejects(invokeWith({ fault: 'reset' }), (error: Error & { code?: string }) => /socket hang up|ECONNRESET/.test(`${error.code ?? ''} ${error.message}`));
    });

    it('hang: no answer until the read timeout', async () => {
      test.cloud.putFaults({ provider: 'aliyun', function: 'upper', plan: [{ on: 1, fault: 'hang' }] });
      const config = new $OpenApiUtil.Config({
        accessKeyId: assumed.accessKeyId,
        accessKeySecret: assumed.secretAccessKey,
        securityToken: assumed.sessionToken,
        endpoint: new URL(test.cloud.endpoints.aliyun.fc).host,
        protocol: 'http',
        readTimeout: 200,
      });
      const client = new FcModule.default(config);
      await assert.rejects(client.invokeFunction('upper', new InvokeFunctionRequest({ body: Readable.from([Buffer.from(JSON.stringify(BATCH))]) })), /timeout/i);
      await until(() => test.cloud.calls().some((call) => call.provider === 'aliyun' && call.fault === 'hang'), 'the hung call in the log');
    });

    it('malformed: HTTP 200 with a body that is not JSON', async () => {
      const result = await invokeWith({ fault: 'malformed' });
      assert.equal(result.statusCode, 200);
      assert.throws(() => JSON.parse(result.text) as unknown, SyntaxError);
    });

    it('wrong_row_count: one result too few', async () => {
      assert.deepEqual(JSON.parse((await invokeWith({ fault: 'wrong_row_count' })).text), { results: ['A', null] });
    });

    it('function_error: x-fc-error-type on HTTP 200', async () => {
      const result = await invokeWith({ fault: 'function_error' });
      assert.equal(result.statusCode, 200);
      assert.equal(result.headers['x-fc-error-type'], 'UnhandledInvocationError');
    });

    it('too_large: ClientError 400 EntityTooLarge', async () => {
      await assert.rejects(invokeWith({ fault: 'too_large' }), aliyunError('EntityTooLarge', 400));
    });

    it('slow: answers normally after the delay', async () => {
      assert.deepEqual(JSON.parse((await invokeWith({ fault: 'slow', delayMs: 50 })).text), { results: ['A', null, 'C'] });
    });
  });
});
