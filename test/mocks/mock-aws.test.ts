import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AssumeRoleCommand, type STSClient } from '@aws-sdk/client-sts';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { awsAssumeRole, awsStsClient, keysOf, lambdaClient, lambdaInvoke, type Keys } from './sdk-clients.ts';
import { BATCH, EXTERNAL_ID, gate, payloadOfSize, roleArn, startTestCloud, trustPolicy, until, type TestCloud } from './mock-test-fixture.ts';

interface AwsError {
  readonly name: string;
  readonly $fault?: string;
  readonly $metadata?: { readonly httpStatusCode?: number };
  readonly Reason?: string;
  readonly retryAfterSeconds?: string;
  readonly message: string;
}

function awsError(name: string, status: number) {
  return (error: AwsError) => {
    assert.equal(error.name, name, error.message);
    assert.equal(error.$metadata?.httpStatusCode, status);
    return true;
  };
}

describe('mock cloud: AWS STS + Lambda with the real SDKs', () => {
  let test: TestCloud;
  let broker: Keys;
  let assumed: Keys;
  const sts = (keys: Keys): STSClient => awsStsClient(test.cloud, keys);

  before(async () => {
    test = await startTestCloud('aws');
    broker = keysOf(test.cloud.brokerAccounts.aws);
    assumed = await awsAssumeRole(sts(broker), test.roleArn, EXTERNAL_ID);
  });
  after(async () => test.cloud.stop());

  it('AssumeRole with the external ID returns working temporary credentials of the role account', async () => {
    const output = await sts(broker).send(new AssumeRoleCommand({ RoleArn: test.roleArn, RoleSessionName: 'lakefn-1', ExternalId: EXTERNAL_ID, DurationSeconds: 900 }));
    assert.match(output.Credentials?.AccessKeyId ?? '', /^ASIA/);
    assert.equal(output.AssumedRoleUser?.Arn, `arn:aws:sts::${test.customerAccountId}:assumed-role/lakefn/lakefn-1`);
    const expiration = output.Credentials?.Expiration?.getTime() ?? 0;
    assert.equal(expiration, Math.floor((test.clock.now() + 900_000) / 1000) * 1000);
    const result = await lambdaInvoke(lambdaClient(test.cloud, assumed), 'upper', BATCH);
    assert.equal(result.StatusCode, 200);
    assert.equal(result.FunctionError, undefined);
    assert.deepEqual(result.json, { results: ['A', null, 'C'] });
    const call = test.cloud.calls().at(-1);
    assert.equal(call?.api, 'lambda:Invoke');
    assert.equal(call?.batchId, 'q1:upper:0');
    assert.equal(call?.rows, 3);
    assert.equal(call?.accountId, test.customerAccountId);
    assert.equal(call?.accessKeyId, assumed.accessKeyId);
  });

  it('invokes by full ARN and with a qualifier, and refuses another account s ARN', async () => {
    const client = lambdaClient(test.cloud, assumed);
    const arn = `arn:aws:lambda:us-east-1:${test.customerAccountId}:function:upper`;
    assert.deepEqual((await lambdaInvoke(client, arn, BATCH)).json, { results: ['A', null, 'C'] });
    const qualified = await client.send(new InvokeCommand({ FunctionName: 'upper', Qualifier: 'prod', Payload: Buffer.from(JSON.stringify(BATCH)) }));
    assert.equal(qualified.ExecutedVersion, 'prod');
    await assert.rejects(lambdaInvoke(client, 'arn:aws:lambda:us-east-1:999999999999:function:upper', BATCH), awsError('AccessDeniedException', 403));
  });

  it('refuses AssumeRole without, or with the wrong, external ID and from an untrusted account', async () => {
    await assert.rejects(awsAssumeRole(sts(broker), test.roleArn), awsError('AccessDenied', 403));
    await assert.rejects(awsAssumeRole(sts(broker), test.roleArn, 'lakefn-wrong-external-id'), awsError('AccessDenied', 403));
    const stranger = test.cloud.addAccount('aws');
    await assert.rejects(awsAssumeRole(sts(keysOf(stranger)), test.roleArn, EXTERNAL_ID), (error: AwsError) => {
      assert.equal(error.name, 'AccessDenied');
      assert.match(error.message, new RegExp(`User: arn:aws:iam::${stranger.accountId}:root is not authorized to perform: sts:AssumeRole`));
      return true;
    });
    await assert.rejects(awsAssumeRole(sts(broker), roleArn('aws', test.customerAccountId, 'missing'), EXTERNAL_ID), awsError('AccessDenied', 403));
  });

  it('lets anyone trusted in when the trust policy has no external-ID condition (the insecure case)', async () => {
    const keys = await awsAssumeRole(sts(broker), test.insecureRoleArn);
    assert.deepEqual((await lambdaInvoke(lambdaClient(test.cloud, keys), 'upper', BATCH)).json, { results: ['A', null, 'C'] });
  });

  it('enforces the role maximum session duration', async () => {
    await assert.rejects(awsAssumeRole(sts(broker), test.roleArn, EXTERNAL_ID, 7200), awsError('ValidationError', 400));
    test.cloud.putRole({ provider: 'aws', roleArn: test.roleArn, trustPolicy: trustPolicy('aws', test.cloud.brokerAccounts.aws.accountId, EXTERNAL_ID), maxSessionDurationSeconds: 7200 });
    await awsAssumeRole(sts(broker), test.roleArn, EXTERNAL_ID, 7200);
  });

  it('rejects a wrong secret and an unknown key on both APIs', async () => {
    const wrongSecret = { ...broker, secretAccessKey: `${broker.secretAccessKey.slice(0, -1)}${broker.secretAccessKey.endsWith('x') ? 'y' : 'x'}` };
    await assert.rejects(awsAssumeRole(sts(wrongSecret), test.roleArn, EXTERNAL_ID), awsError('SignatureDoesNotMatch', 403));
    await assert.rejects(lambdaInvoke(lambdaClient(test.cloud, { ...assumed, secretAccessKey: 'x'.repeat(40) }), 'upper', BATCH), awsError('InvalidSignatureException', 403));
    const unknown = { accessKeyId: 'AKIAUNKNOWNUNKNOWN00', secretAccessKey: 'x'.repeat(40) };
    await assert.rejects(awsAssumeRole(sts(unknown), test.roleArn, EXTERNAL_ID), awsError('InvalidClientTokenId', 403));
    await assert.rejects(lambdaInvoke(lambdaClient(test.cloud, unknown), 'upper', BATCH), awsError('UnrecognizedClientException', 403));
    await assert.rejects(lambdaInvoke(lambdaClient(test.cloud, { ...assumed, sessionToken: 'forged' }), 'upper', BATCH), awsError('UnrecognizedClientException', 403));
  });

  it('refuses temporary credentials once they expire on the mock clock', async () => {
    const keys = await awsAssumeRole(sts(broker), test.roleArn, EXTERNAL_ID, 900);
    const client = lambdaClient(test.cloud, keys);
    test.clock.advance(899_000);
    try {
      assert.deepEqual((await lambdaInvoke(client, 'upper', BATCH)).json, { results: ['A', null, 'C'] });
      test.clock.advance(1_000);
      await assert.rejects(lambdaInvoke(lambdaClient(test.cloud, keys), 'upper', BATCH), awsError('ExpiredTokenException', 403));
      await assert.rejects(awsAssumeRole(sts(keys), test.roleArn, EXTERNAL_ID), awsError('ExpiredToken', 400));
    } finally {
      test.clock.advance(-900_000);
    }
  });

  it('rejects requests signed more than 15 minutes away from the mock clock', async () => {
    // the customer's own long-lived key: nothing expires, only the clocks disagree
    const owner = keysOf(test.cloud.customerAccounts.aws);
    test.clock.advance(16 * 60_000);
    try {
      await assert.rejects(lambdaInvoke(lambdaClient(test.cloud, owner), 'upper', BATCH), (error: AwsError) => {
        assert.equal(error.name, 'InvalidSignatureException');
        assert.match(error.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than/);
        return true;
      });
      await assert.rejects(awsAssumeRole(sts(broker), test.roleArn, EXTERNAL_ID), awsError('SignatureDoesNotMatch', 403));
    } finally {
      test.clock.advance(-16 * 60_000);
    }
    assert.deepEqual((await lambdaInvoke(lambdaClient(test.cloud, owner), 'upper', BATCH)).json, { results: ['A', null, 'C'] });
  });

  it('reports an unknown function as ResourceNotFoundException', async () => {
    await assert.rejects(lambdaInvoke(lambdaClient(test.cloud, assumed), 'nope', BATCH), awsError('ResourceNotFoundException', 404));
    // functions are per region: the same name in another region does not exist
    await assert.rejects(lambdaInvoke(lambdaClient(test.cloud, assumed, 'eu-west-1'), 'upper', BATCH), awsError('ResourceNotFoundException', 404));
  });

  it('reports a throwing function on HTTP 200 with X-Amz-Function-Error', async () => {
    const result = await lambdaInvoke(lambdaClient(test.cloud, assumed), 'fail_on', { ...BATCH, rows: [['ok'], ['fail']] });
    assert.equal(result.StatusCode, 200);
    assert.equal(result.FunctionError, 'Unhandled');
    const payload = result.json as { errorType: string; errorMessage: string; trace: string[] };
    assert.equal(payload.errorType, 'Error');
    assert.equal(payload.errorMessage, "fail_on: row 1 has the value 'fail'");
    assert.ok(Array.isArray(payload.trace));
    const rowErrors = await lambdaInvoke(lambdaClient(test.cloud, assumed), 'row_errors', { ...BATCH, rows: [['ok'], ['bad']] });
    assert.deepEqual(rowErrors.json, { results: ['ok', null], errors: [{ row: 1, message: "row 1: the value 'bad' is rejected" }] });
  });

  it('enforces the 6 MB request limit', async () => {
    const client = lambdaClient(test.cloud, assumed);
    const atLimit = await client.send(new InvokeCommand({ FunctionName: 'sink', Payload: payloadOfSize(6_291_456) }));
    assert.equal(atLimit.StatusCode, 200);
    await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'sink', Payload: payloadOfSize(6_291_457) })), awsError('RequestTooLargeException', 413));
    await assert.rejects(client.send(new InvokeCommand({ FunctionName: 'sink', Payload: Buffer.from('not json') })), awsError('InvalidRequestContentException', 400));
  });

  it('throttles exactly the calls above the concurrency limit', async () => {
    const held = gate();
    test.cloud.putFunction({
      provider: 'aws',
      accountId: test.customerAccountId,
      region: 'us-east-1',
      name: 'limited',
      concurrency: 2,
      throttleRetryAfterSeconds: 3,
      handler: async () => {
        await held.opened;
        return { results: ['ok'] };
      },
    });
    const client = lambdaClient(test.cloud, assumed);
    const calls = [1, 2, 3].map(() => lambdaInvoke(client, 'limited', { lakefn: 1, rows: [['x']] }).then(() => 'ok', (error: AwsError) => error));
    await until(() => test.cloud.calls().some((call) => call.function === 'limited'), 'the throttled call');
    held.open();
    const outcomes = await Promise.all(calls);
    const throttled = outcomes.filter((outcome): outcome is AwsError => outcome !== 'ok');
    assert.equal(throttled.length, 1);
    assert.equal(throttled[0]?.name, 'TooManyRequestsException');
    assert.equal(throttled[0]?.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
    assert.equal(throttled[0]?.retryAfterSeconds, '3');
    const counters = Object.entries(test.cloud.counters().functions).find(([key]) => key.endsWith('/limited'))?.[1];
    assert.equal(counters?.calls, 3);
    assert.equal(counters?.maxInFlight, 2);
    assert.equal(counters?.throttled, 1);
  });

  describe('fault injection, as the SDK surfaces it', () => {
    const invokeWith = async (fault: object, signal?: AbortSignal) => {
      test.cloud.putFaults({ provider: 'aws', function: 'upper', plan: [{ on: 1, ...(fault as { fault: 'throttle' }) }] });
      const client = lambdaClient(test.cloud, assumed);
      const output = await client.send(new InvokeCommand({ FunctionName: 'upper', Payload: Buffer.from(JSON.stringify(BATCH)) }), signal === undefined ? {} : { abortSignal: signal });
      return { ...output, text: Buffer.from(output.Payload ?? new Uint8Array()).toString('utf8') };
    };

    it('throttle: TooManyRequestsException with Reason and Retry-After', async () => {
      await assert.rejects(invokeWith({ fault: 'throttle', retryAfterSeconds: 7 }), (error: AwsError) => {
        assert.equal(error.name, 'TooManyRequestsException');
        assert.equal(error.$metadata?.httpStatusCode, 429);
        assert.equal(error.retryAfterSeconds, '7');
        assert.equal(error.Reason, 'CallerRateLimitExceeded');
        return true;
      });
      // the plan's next call is clean
      assert.deepEqual(JSON.parse((await invokeWith({ fault: 'throttle', on: 5 })).text), { results: ['A', null, 'C'] });
    });

    it('5xx: ServiceException, a server fault', async () => {
      await assert.rejects(invokeWith({ fault: '5xx' }), (error: AwsError) => error.name === 'ServiceException' && error.$fault === 'server' && error.$metadata?.httpStatusCode === 500);
      await assert.rejects(invokeWith({ fault: '5xx', status: 503 }), awsError('ServiceException', 503));
    });

    it('reset: a socket error', async () => {
      await assert.rejects(invokeWith({ fault: 'reset' }), (error: Error & { code?: string }) => ['ECONNRESET', 'EPIPE'].includes(error.code ?? '') || /socket hang up/.test(error.message));
    });

    it('hang: no answer until the client gives up; the call is logged once the connection closes', async () => {
      await assert.rejects(invokeWith({ fault: 'hang' }, AbortSignal.timeout(200)), (error: Error) => error.name === 'AbortError' || error.name === 'TimeoutError');
      await until(() => test.cloud.calls().some((call) => call.fault === 'hang' && call.status === 0), 'the hung call in the log');
    });

    it('malformed: HTTP 200 with a body that is not JSON', async () => {
      const output = await invokeWith({ fault: 'malformed' });
      assert.equal(output.StatusCode, 200);
      assert.throws(() => JSON.parse(output.text) as unknown, SyntaxError);
    });

    it('wrong_row_count: one result too few', async () => {
      assert.deepEqual(JSON.parse((await invokeWith({ fault: 'wrong_row_count' })).text), { results: ['A', null] });
    });

    it('function_error: X-Amz-Function-Error without running the function', async () => {
      const before = test.cloud.counters().functions[`aws/${test.customerAccountId}/us-east-1/upper`]?.functionErrors ?? 0;
      const output = await invokeWith({ fault: 'function_error' });
      assert.equal(output.FunctionError, 'Unhandled');
      assert.equal((JSON.parse(output.text) as { errorType: string }).errorType, 'InjectedFault');
      assert.equal(test.cloud.counters().functions[`aws/${test.customerAccountId}/us-east-1/upper`]?.functionErrors, before + 1);
    });

    it('too_large: RequestTooLargeException', async () => {
      await assert.rejects(invokeWith({ fault: 'too_large' }), awsError('RequestTooLargeException', 413));
    });

    it('slow: answers normally after the delay', async () => {
      const output = await invokeWith({ fault: 'slow', delayMs: 50 });
      assert.deepEqual(JSON.parse(output.text), { results: ['A', null, 'C'] });
      assert.equal(test.cloud.calls().at(-1)?.fault, 'slow');
    });
  });
});
