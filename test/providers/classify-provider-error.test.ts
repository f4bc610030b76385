import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import { LakefnError } from '../../src/errors/index.ts';
import { ProviderSdkError, classifyProviderError, createRemoteFunctionError, type ProviderErrorFacts } from '../../src/provider-utils/index.ts';
import { providerDefinition } from '../../src/registry/providers.ts';
import type { ProviderName } from '../../src/spec/provider-name.ts';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const TOKEN = 'FQoGZXIvYXdzEJr//////////wEaDOTOKENTOKENTOKEN';

function classify(provider: ProviderName, facts: ProviderErrorFacts, sdkError: unknown = new Error('sdk failure')): LakefnError {
  return classifyProviderError(facts, { provider: providerDefinition(provider), target: 'upper', timeoutMs: 250 }, sdkError, [SECRET, TOKEN]);
}

describe('classifyProviderError', () => {
  const cases: readonly { name: string; provider: ProviderName; facts: ProviderErrorFacts; code: string; retryable: boolean }[] = [
    { name: 'Lambda 429', provider: 'aws', facts: { phase: 'invoke', httpStatus: 429, providerCode: 'TooManyRequestsException' }, code: 'E_THROTTLED', retryable: true },
    { name: 'Lambda 413', provider: 'aws', facts: { phase: 'invoke', httpStatus: 413, providerCode: 'RequestTooLargeException' }, code: 'E_PAYLOAD_TOO_LARGE', retryable: false },
    { name: 'Lambda 404', provider: 'aws', facts: { phase: 'invoke', httpStatus: 404, providerCode: 'ResourceNotFoundException' }, code: 'E_FUNCTION_NOT_FOUND', retryable: false },
    { name: 'Lambda 403', provider: 'aws', facts: { phase: 'invoke', httpStatus: 403, providerCode: 'UnrecognizedClientException' }, code: 'E_AUTH', retryable: false },
    { name: 'Lambda 502 unknown', provider: 'aws', facts: { phase: 'invoke', httpStatus: 502, providerCode: 'SubnetIPAddressLimitReachedException' }, code: 'E_PROVIDER_UNAVAILABLE', retryable: true },
    { name: 'STS AccessDenied', provider: 'aws', facts: { phase: 'sts', httpStatus: 403, providerCode: 'AccessDenied' }, code: 'E_STS_DENIED', retryable: false },
    { name: 'STS RegionDisabledException 403 (not a trust refusal)', provider: 'aws', facts: { phase: 'sts', httpStatus: 403, providerCode: 'RegionDisabledException' }, code: 'E_STS_REGION_DISABLED', retryable: false },
    { name: 'STS Throttling 400', provider: 'aws', facts: { phase: 'sts', httpStatus: 400, providerCode: 'Throttling' }, code: 'E_THROTTLED', retryable: true },
    { name: 'FC 429 any code', provider: 'aliyun', facts: { phase: 'invoke', httpStatus: 429, providerCode: 'ConcurrencyExceeded' }, code: 'E_THROTTLED', retryable: true },
    { name: 'FC EntityTooLarge 400', provider: 'aliyun', facts: { phase: 'invoke', httpStatus: 400, providerCode: 'EntityTooLarge' }, code: 'E_PAYLOAD_TOO_LARGE', retryable: false },
    { name: 'Aliyun STS Throttling.User', provider: 'aliyun', facts: { phase: 'sts', httpStatus: 400, providerCode: 'Throttling.User' }, code: 'E_THROTTLED', retryable: true },
    { name: 'Aliyun STS NoPermission', provider: 'aliyun', facts: { phase: 'sts', httpStatus: 403, providerCode: 'NoPermission' }, code: 'E_STS_DENIED', retryable: false },
    { name: 'SCF RequestLimitExceeded.Uin', provider: 'tencent', facts: { phase: 'invoke', httpStatus: 200, providerCode: 'RequestLimitExceeded.UinLimitExceeded' }, code: 'E_THROTTLED', retryable: true },
    { name: 'SCF AuthFailure.TokenFailure', provider: 'tencent', facts: { phase: 'invoke', httpStatus: 200, providerCode: 'AuthFailure.TokenFailure' }, code: 'E_AUTH', retryable: false },
    { name: 'SCF ResourceNotFound.Function', provider: 'tencent', facts: { phase: 'invoke', httpStatus: 200, providerCode: 'ResourceNotFound.Function' }, code: 'E_FUNCTION_NOT_FOUND', retryable: false },
    { name: 'SCF InternalError', provider: 'tencent', facts: { phase: 'invoke', httpStatus: 200, providerCode: 'InternalError.System' }, code: 'E_PROVIDER_UNAVAILABLE', retryable: true },
    { name: 'SCF unknown 200 code', provider: 'tencent', facts: { phase: 'invoke', httpStatus: 200, providerCode: 'InvalidParameterValue.Qualifier' }, code: 'E_PROVIDER_CALL', retryable: false },
    { name: 'SCF HTTP 503', provider: 'tencent', facts: { phase: 'invoke', httpStatus: 503 }, code: 'E_PROVIDER_UNAVAILABLE', retryable: true },
    { name: 'Tencent STS UnauthorizedOperation', provider: 'tencent', facts: { phase: 'sts', httpStatus: 200, providerCode: 'UnauthorizedOperation' }, code: 'E_STS_DENIED', retryable: false },
    { name: 'reset', provider: 'aws', facts: { phase: 'invoke', transportCode: 'ECONNRESET' }, code: 'E_TRANSPORT', retryable: true },
    { name: 'no answer, no code', provider: 'tencent', facts: { phase: 'invoke' }, code: 'E_TRANSPORT', retryable: true },
    { name: 'socket timeout', provider: 'aliyun', facts: { phase: 'invoke', transportCode: 'ETIMEDOUT' }, code: 'E_TIMEOUT', retryable: true },
    { name: 'lakefn deadline', provider: 'aws', facts: { phase: 'invoke', deadline: 'timeout', httpStatus: 200 }, code: 'E_TIMEOUT', retryable: true },
    { name: 'caller abort', provider: 'aws', facts: { phase: 'invoke', deadline: 'aborted' }, code: 'E_CANCELLED', retryable: false },
  ];
  for (const testCase of cases) {
    it(`${testCase.name} → ${testCase.code}`, () => {
      const error = classify(testCase.provider, testCase.facts);
      assert.ok(LakefnError.isInstance(error));
      assert.equal(error.code, testCase.code);
      assert.equal(error.retryable, testCase.retryable);
      assert.equal(error.location.provider, testCase.provider);
    });
  }

  it('never looks at message text', () => {
    const error = classify('aws', { phase: 'invoke', httpStatus: 400, providerCode: 'InvalidRequestContentException' }, new Error('Rate exceeded: throttled, too many requests'));
    assert.equal(error.code, 'E_PROVIDER_CALL');
  });

  it('carries provider facts and Retry-After', () => {
    const error = classify('aws', { phase: 'invoke', httpStatus: 429, providerCode: 'TooManyRequestsException', requestId: 'req-1', retryAfterSeconds: 2 });
    assert.deepEqual(error.provider, { status: 429, code: 'TooManyRequestsException', requestId: 'req-1' });
    assert.equal(error.retryAfterSeconds, 2);
    assert.match(error.message, /retry after 2 s/);
  });

  it('E_STS_DENIED tells the user to compare the trust policy with DESC API CONNECTION', () => {
    const error = classify('aliyun', { phase: 'sts', httpStatus: 403, providerCode: 'NoPermission' });
    assert.match(error.message, /trust policy/);
    assert.match(error.message, /DESC API CONNECTION/);
  });

  it('keeps a sanitized copy of the SDK error as cause, with secrets redacted', () => {
    const sdkError = Object.assign(new Error(`signature mismatch for ${SECRET}`), {
      name: 'InvalidSignatureException',
      $metadata: { httpStatusCode: 403 },
      request: { headers: { 'x-amz-security-token': TOKEN, authorization: SECRET } },
    });
    const error = classify('aws', { phase: 'invoke', httpStatus: 403, providerCode: 'InvalidSignatureException' }, sdkError);
    assert.ok(error.cause instanceof ProviderSdkError);
    assert.equal(error.cause.sdkErrorName, 'InvalidSignatureException');
    const printed = [inspect(error, { depth: 10 }), String(error.stack), JSON.stringify(error)].join('\n');
    assert.ok(!printed.includes(SECRET), 'secret key printed');
    assert.ok(!printed.includes(TOKEN), 'session token printed');
    assert.match(printed, /\[REDACTED\]/);
  });
});

describe('createRemoteFunctionError', () => {
  it('parses the usual error object and keeps the first five stack lines', () => {
    const error = createRemoteFunctionError({
      provider: providerDefinition('aws'),
      functionName: 'upper',
      providerErrorType: 'Unhandled',
      errorText: JSON.stringify({ errorType: 'TypeError', errorMessage: 'x is undefined', trace: ['l1', 'l2', 'l3', 'l4', 'l5', 'l6', 'l7'] }),
    });
    assert.equal(error.code, 'E_REMOTE_FUNCTION_ERROR');
    assert.equal(error.retryable, false);
    assert.deepEqual(error.data, { errorType: 'TypeError', errorMessage: 'x is undefined', stack: ['l1', 'l2', 'l3', 'l4', 'l5'] });
    assert.match(error.message, /upper.*TypeError: x is undefined/);
  });

  it('is retryable only when the function says so', () => {
    const error = createRemoteFunctionError({
      provider: providerDefinition('aliyun'),
      functionName: 'f',
      providerErrorType: 'HandledInvocationError',
      errorText: '{"errorMessage":"busy","retryable":true,"stackTrace":"a\\nb"}',
    });
    assert.equal(error.retryable, true);
    assert.deepEqual(error.data?.stack, ['a', 'b']);
    assert.equal(error.data?.errorType, 'HandledInvocationError');
  });

  it('accepts plain text', () => {
    const error = createRemoteFunctionError({ provider: providerDefinition('tencent'), functionName: 'f', providerErrorType: undefined, errorText: 'Task timed out' });
    assert.equal(error.data?.errorType, 'Error');
    assert.equal(error.data?.errorMessage, 'Task timed out');
    assert.deepEqual(error.data?.stack, []);
  });
});
