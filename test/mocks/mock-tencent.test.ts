import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { keysOf, loopbackAgent, scfClient, tencentAssumeRole, tencentStsClient, type Keys } from './sdk-clients.ts';
import { BATCH, EXTERNAL_ID, gate, payloadOfSize, roleArn, startTestCloud, until, type TestCloud } from './mock-test-fixture.ts';

interface TencentError {
  readonly code?: string;
  readonly httpCode?: number;
  readonly requestId?: string;
  readonly message: string;
}

function tencentError(code: string) {
  return (error: TencentError) => {
    assert.equal(error.code, code, error.message);
    return true;
  };
}

interface ScfResult {
  readonly Result?: { readonly RetMsg?: string; readonly ErrMsg?: string; readonly InvokeResult?: number; readonly FunctionRequestId?: string };
  readonly RequestId?: string;
}

describe('mock cloud: Tencent STS + SCF with the real SDKs', () => {
  let test: TestCloud;
  let broker: Keys;
  let assumed: Keys;
  const sts = (keys: Keys) => tencentStsClient(test.cloud, keys);
  const invoke = async (keys: Keys, name: string, event: unknown, options: Parameters<typeof scfClient>[2] = {}): Promise<ScfResult> =>
    scfClient(test.cloud, keys, options).Invoke({ FunctionName: name, Namespace: 'default', ClientContext: Buffer.isBuffer(event) ? event.toString('utf8') : JSON.stringify(event) });

  before(async () => {
    test = await startTestCloud('tencent');
    broker = keysOf(test.cloud.brokerAccounts.tencent);
    assumed = await tencentAssumeRole(sts(broker), test.roleArn, EXTERNAL_ID);
  });
  after(async () => {
    await test.cloud.stop();
    loopbackAgent.destroy();
  });

  it('AssumeRole with the external ID returns a token that invokes functions of the role account (Invoke and InvokeFunction)', async () => {
    const response = await sts(broker).AssumeRole({ RoleArn: test.roleArn, RoleSessionName: 'lakefn-1', ExternalId: EXTERNAL_ID, DurationSeconds: 900 });
    const expiresAt = Math.floor((test.clock.now() + 900_000) / 1000);
    assert.equal(response.ExpiredTime, expiresAt);
    assert.equal(Date.parse(response.Expiration ?? ''), expiresAt * 1000);
    assert.ok((response.Credentials?.Token ?? '').length > 100);
    const result = await invoke(assumed, 'upper', BATCH);
    assert.equal(result.Result?.InvokeResult, 0);
    assert.equal(result.Result?.ErrMsg, '');
    assert.deepEqual(JSON.parse(result.Result?.RetMsg ?? ''), { results: ['A', null, 'C'] });
    const viaInvokeFunction = await scfClient(test.cloud, assumed).InvokeFunction({ FunctionName: 'upper', Event: JSON.stringify(BATCH) });
    assert.deepEqual(JSON.parse(viaInvokeFunction.Result?.RetMsg ?? ''), { results: ['A', null, 'C'] });
    const call = test.cloud.calls().at(-1);
    assert.equal(call?.api, 'scf:InvokeFunction');
    assert.equal(call?.region, 'ap-guangzhou');
    assert.equal(call?.batchId, 'q1:upper:0');
    assert.equal(call?.accessKeyId, assumed.accessKeyId);
  });

  it('verifies the scope the SDK derives from a plain 127.0.0.1 endpoint too', async () => {
    const result = await invoke(assumed, 'upper', BATCH, { realisticHost: false });
    assert.deepEqual(JSON.parse(result.Result?.RetMsg ?? ''), { results: ['A', null, 'C'] });
    const keys = await tencentAssumeRole(tencentStsClient(test.cloud, broker, false), test.roleArn, EXTERNAL_ID);
    assert.ok(keys.sessionToken);
  });

  it('refuses AssumeRole without, or with the wrong, external ID and from an untrusted account', async () => {
    await assert.rejects(tencentAssumeRole(sts(broker), test.roleArn), tencentError('UnauthorizedOperation'));
    await assert.rejects(tencentAssumeRole(sts(broker), test.roleArn, 'lakefn-wrong-external-id'), tencentError('UnauthorizedOperation'));
    const stranger = test.cloud.addAccount('tencent');
    await assert.rejects(tencentAssumeRole(sts(keysOf(stranger)), test.roleArn, EXTERNAL_ID), tencentError('UnauthorizedOperation'));
    await assert.rejects(tencentAssumeRole(sts(broker), roleArn('tencent', test.customerAccountId, 'missing'), EXTERNAL_ID), tencentError('ResourceNotFound.RoleNotFound'));
    await assert.rejects(tencentAssumeRole(sts(broker), test.roleArn, EXTERNAL_ID, 50_000), tencentError('InvalidParameter.OverTimeError'));
  });

  it('lets the trusted account in without an external ID when the policy has no condition', async () => {
    const keys = await tencentAssumeRole(sts(broker), test.insecureRoleArn);
    assert.equal((await invoke(keys, 'upper', BATCH)).Result?.InvokeResult, 0);
  });

  it('rejects a wrong secret, an unknown SecretId and a forged token', async () => {
    await assert.rejects(tencentAssumeRole(sts({ ...broker, secretAccessKey: 'x'.repeat(32) }), test.roleArn, EXTERNAL_ID), tencentError('AuthFailure.SignatureFailure'));
    await assert.rejects(invoke({ ...assumed, secretAccessKey: 'x'.repeat(32) }, 'upper', BATCH), tencentError('AuthFailure.SignatureFailure'));
    const unknown = { accessKeyId: 'AKIDunknownunknownunknownunknown0', secretAccessKey: 'x'.repeat(32) };
    await assert.rejects(tencentAssumeRole(sts(unknown), test.roleArn, EXTERNAL_ID), tencentError('AuthFailure.SecretIdNotFound'));
    await assert.rejects(invoke(unknown, 'upper', BATCH), tencentError('AuthFailure.SecretIdNotFound'));
    await assert.rejects(invoke({ ...assumed, sessionToken: 'forged' }, 'upper', BATCH), tencentError('AuthFailure.TokenFailure'));
  });

  it('refuses temporary credentials once they expire on the mock clock', async () => {
    const keys = await tencentAssumeRole(sts(broker), test.roleArn, EXTERNAL_ID, 900);
    assert.equal((await invoke(keys, 'upper', BATCH)).Result?.InvokeResult, 0);
    // the SDK signs with the wall clock; expiry is checked before the 5-minute timestamp window, so it is what is reported
    test.clock.advance(900_000);
    try {
      await assert.rejects(invoke(keys, 'upper', BATCH), tencentError('AuthFailure.TokenFailure'));
      await assert.rejects(tencentAssumeRole(sts(keys), test.roleArn, EXTERNAL_ID), tencentError('AuthFailure.TokenFailure'));
    } finally {
      test.clock.advance(-900_000);
    }
  });

  it('rejects X-TC-Timestamp more than 5 minutes away from the mock clock', async () => {
    const owner = keysOf(test.cloud.customerAccounts.tencent);
    test.clock.advance(6 * 60_000);
    try {
      await assert.rejects(invoke(owner, 'upper', BATCH), tencentError('AuthFailure.SignatureExpire'));
      await assert.rejects(tencentAssumeRole(sts(broker), test.roleArn, EXTERNAL_ID), tencentError('AuthFailure.SignatureExpire'));
    } finally {
      test.clock.advance(-6 * 60_000);
    }
    assert.equal((await invoke(owner, 'upper', BATCH)).Result?.InvokeResult, 0);
  });

  it('finds functions by the credentials account, X-TC-Region and namespace', async () => {
    await assert.rejects(invoke(assumed, 'nope', BATCH), tencentError('ResourceNotFound.Function'));
    await assert.rejects(invoke(assumed, 'upper', BATCH, { region: 'ap-shanghai' }), tencentError('ResourceNotFound.Function'));
    await assert.rejects(scfClient(test.cloud, assumed).Invoke({ FunctionName: 'upper', Namespace: 'other', ClientContext: JSON.stringify(BATCH) }), tencentError('ResourceNotFound.Function'));
    await assert.rejects(invoke(keysOf(test.cloud.addAccount('tencent')), 'upper', BATCH), tencentError('ResourceNotFound.Function'));
  });

  it('reports a throwing function in Result.ErrMsg with InvokeResult -1 (HTTP 200)', async () => {
    const result = await invoke(assumed, 'fail_on', { ...BATCH, rows: [['fail']] });
    assert.equal(result.Result?.InvokeResult, -1);
    assert.equal(result.Result?.RetMsg, '');
    const error = JSON.parse(result.Result?.ErrMsg ?? '') as { errorMessage: string; statusCode: number };
    assert.equal(error.errorMessage, "fail_on: row 0 has the value 'fail'");
    assert.equal(error.statusCode, 430);
  });

  it('enforces the 6 MB event limit and JSON events', async () => {
    assert.equal((await invoke(assumed, 'sink', payloadOfSize(6_291_456))).Result?.InvokeResult, 0);
    await assert.rejects(invoke(assumed, 'sink', payloadOfSize(6_291_457)), tencentError('InvalidParameter.RequestTooLarge'));
    await assert.rejects(invoke(assumed, 'sink', Buffer.from('not json')), tencentError('InvalidParameterValue.ClientContext'));
  });

  it('throttles exactly the calls above the concurrency limit with RequestLimitExceeded', async () => {
    const held = gate();
    test.cloud.putFunction({
      provider: 'tencent',
      accountId: test.customerAccountId,
      region: 'ap-guangzhou',
      name: 'limited',
      concurrency: 2,
      handler: async () => {
        await held.opened;
        return { results: ['ok'] };
      },
    });
    const calls = [1, 2, 3].map(() => invoke(assumed, 'limited', { lakefn: 1, rows: [['x']] }).then(() => 'ok', (error: TencentError) => error));
    await until(() => test.cloud.calls().some((call) => call.function === 'limited'), 'the throttled call');
    held.open();
    const throttled = (await Promise.all(calls)).filter((outcome): outcome is TencentError => outcome !== 'ok');
    assert.equal(throttled.length, 1);
    assert.equal(throttled[0]?.code, 'RequestLimitExceeded');
    assert.equal(test.cloud.counters().functions[`tencent/${test.customerAccountId}/ap-guangzhou/default/limited`]?.maxInFlight, 2);
  });

  describe('fault injection, as the SDK surfaces it', () => {
    const invokeWith = async (fault: object, options: Parameters<typeof scfClient>[2] = {}) => {
      test.cloud.putFaults({ provider: 'tencent', function: 'upper', plan: [{ on: 1, ...(fault as { fault: 'throttle' }) }] });
      return invoke(assumed, 'upper', BATCH, options);
    };

    it('throttle: RequestLimitExceeded', async () => {
      await assert.rejects(invokeWith({ fault: 'throttle' }), tencentError('RequestLimitExceeded'));
    });

    it('5xx: InternalError in the envelope, or a bare HTTP status the SDK reports as httpCode', async () => {
      await assert.rejects(invokeWith({ fault: '5xx' }), tencentError('InternalError'));
      await assert.rejects(invokeWith({ fault: '5xx', status: 502 }), (error: TencentError) => error.httpCode === 502);
    });

    it('reset: a socket error', async () => {
      await assert.rejects(invokeWith({ fault: 'reset' }), (error: TencentError) => /socket hang up|ECONNRESET/.test(error.message));
    });

    it('hang: no answer until the request timeout', async () => {
      await assert.rejects(invokeWith({ fault: 'hang' }, { timeoutSeconds: 0.2 }), /timeout/i);
      await until(() => test.cloud.calls().some((call) => call.provider === 'tencent' && call.fault === 'hang'), 'the hung call in the log');
    });

    it('malformed: Result.RetMsg is not JSON', async () => {
      const result = await invokeWith({ fault: 'malformed' });
      assert.equal(result.Result?.InvokeResult, 0);
      assert.throws(() => JSON.parse(result.Result?.RetMsg ?? '') as unknown, SyntaxError);
    });

    it('wrong_row_count: one result too few', async () => {
      assert.deepEqual(JSON.parse((await invokeWith({ fault: 'wrong_row_count' })).Result?.RetMsg ?? ''), { results: ['A', null] });
    });

    it('function_error: Result.ErrMsg and InvokeResult -1', async () => {
      const result = await invokeWith({ fault: 'function_error' });
      assert.equal(result.Result?.InvokeResult, -1);
      assert.equal((JSON.parse(result.Result?.ErrMsg ?? '') as { errorType: string }).errorType, 'InjectedFault');
    });

    it('too_large: InvalidParameter.RequestTooLarge', async () => {
      await assert.rejects(invokeWith({ fault: 'too_large' }), tencentError('InvalidParameter.RequestTooLarge'));
    });

    it('slow: answers normally after the delay', async () => {
      assert.deepEqual(JSON.parse((await invokeWith({ fault: 'slow', delayMs: 50 })).Result?.RetMsg ?? ''), { results: ['A', null, 'C'] });
    });
  });
});
