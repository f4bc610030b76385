import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import { classifyProviderError, platformCodeForFunctionStatus } from '../../src/provider-utils/index.ts';
import { providerDefinition } from '../../src/registry/providers.ts';
import type { ConnectionBindingV1, ProviderAdapterV1 } from '../../src/spec/index.ts';
import tencentScf from '../../providers/tencent-scf/index.ts';
import { tencentFunctionStatus } from '../../providers/tencent-scf/tencent-scf-error-facts.ts';

const SECRET = 'tmp-secret-key-0123456789abcdef';
const TOKEN = 'session-token-0123456789abcdef';

/** What the fake SCF endpoint answers next: either a Result or an API error. */
let nextAnswer: Record<string, unknown> = {};

/** The SCF InvokeFunction success shape with a function error object in ErrMsg (provider-protocols.md §3.5). */
function resultWithErrMsg(errorObject: Record<string, unknown>): Record<string, unknown> {
  return {
    Response: {
      Result: { RetMsg: '', ErrMsg: JSON.stringify(errorObject), InvokeResult: -1, Log: '', MemUsage: 1, Duration: 1, BillDuration: 1, FunctionRequestId: 'function-request-1' },
      RequestId: 'api-request-1',
    },
  };
}

describe('Tencent SCF function status codes (Result.ErrMsg statusCode)', () => {
  let server: http.Server;
  let adapter: ProviderAdapterV1;
  let binding: ConnectionBindingV1;

  before(async () => {
    server = http.createServer((request, response) => {
      request.resume();
      request.on('end', () => {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(nextAnswer));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    adapter = await tencentScf.createAdapter({ endpoints: { invoke: new URL(`http://127.0.0.1:${port}`) } });
    binding = await adapter.bindConnection({ name: 'status_test', region: 'ap-guangzhou', roleArn: 'qcs::cam::uin/100000000001:roleName/lakefn', namespace: 'default' });
  });

  after(async () => {
    await adapter.close();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function invokeError(): Promise<LakefnError> {
    try {
      await adapter.doInvoke({
        credentials: { accessKeyId: 'AKIDTEMPORARY', secretAccessKey: SECRET, sessionToken: TOKEN, expiration: new Date(Date.now() + 3_600_000) },
        binding,
        functionName: 'upper',
        payload: new TextEncoder().encode('{"rows":[]}'),
        timeoutMs: 5_000,
      });
    } catch (error) {
      assert.ok(LakefnError.isInstance(error), String(error));
      return error;
    }
    assert.fail('the invocation resolved');
  }

  const cases = [
    { statusCode: 432, code: 'E_THROTTLED', retryable: true },
    { statusCode: 429, code: 'E_THROTTLED', retryable: true },
    { statusCode: 406, code: 'E_PAYLOAD_TOO_LARGE', retryable: false },
    { statusCode: 407, code: 'E_RESPONSE_TOO_LARGE', retryable: false },
    { statusCode: 430, code: 'E_REMOTE_FUNCTION_ERROR', retryable: false },
    { statusCode: 499, code: 'E_REMOTE_FUNCTION_ERROR', retryable: false },
  ] as const;
  for (const testCase of cases) {
    it(`Result.ErrMsg statusCode ${testCase.statusCode} → ${testCase.code}`, async () => {
      nextAnswer = resultWithErrMsg({ errorCode: 1, errorMessage: 'platform said no', statusCode: testCase.statusCode });
      const error = await invokeError();
      assert.equal(error.code, testCase.code, error.message);
      assert.equal(error.retryable, testCase.retryable);
      assert.equal(error.location.provider, 'tencent');
      assert.equal(error.provider?.requestId, 'function-request-1');
      if (testCase.code !== 'E_REMOTE_FUNCTION_ERROR') assert.match(error.message, new RegExp(`function status ${testCase.statusCode}`));
    });
  }

  it('reads the structured statusCode, not the message text', async () => {
    nextAnswer = resultWithErrMsg({ errorCode: 1, errorMessage: 'ResourceLimitReached: concurrency over limit, statusCode 432', statusCode: 430 });
    assert.equal((await invokeError()).code, 'E_REMOTE_FUNCTION_ERROR');
    nextAnswer = resultWithErrMsg({ errorCode: 1, errorMessage: 'concurrency', statusCode: '432' });
    assert.equal((await invokeError()).code, 'E_REMOTE_FUNCTION_ERROR', 'a string statusCode is not a platform status');
  });

  it('FailedOperation.InvokeFunction carrying statusCode 432 → E_THROTTLED', async () => {
    nextAnswer = {
      Response: {
        Error: { Code: 'FailedOperation.InvokeFunction', Message: JSON.stringify({ errorCode: 1, errorMessage: 'ResourceLimitReached', statusCode: 432 }) },
        RequestId: 'api-request-2',
      },
    };
    const error = await invokeError();
    assert.equal(error.code, 'E_THROTTLED');
    assert.equal(error.retryable, true);
    nextAnswer = { Response: { Error: { Code: 'FailedOperation.InvokeFunction', Message: JSON.stringify({ errorMessage: 'boom', statusCode: 430 }) }, RequestId: 'r' } };
    assert.equal((await invokeError()).code, 'E_REMOTE_FUNCTION_ERROR');
  });

  // SCF often wraps the platform's object in text (issue 13 §3): the status is found wherever the object sits
  const wrapped = [
    ['text before and after', `Invoking function failed: ${JSON.stringify({ errorCode: 1, errorMessage: 'Resource limit exceed for function [f]', statusCode: 432 })} (retry later)`],
    ['escaped inside another string', `call failed: "{\\"errorCode\\":1,\\"statusCode\\":432}" end`],
    ['a field without a whole object', 'Resource limit reached ("statusCode": 432, "errorCode": 1'],
  ] as const;
  for (const [what, message] of wrapped) {
    it(`FailedOperation.InvokeFunction with 432 ${what} → E_THROTTLED`, async () => {
      nextAnswer = { Response: { Error: { Code: 'FailedOperation.InvokeFunction', Message: message }, RequestId: 'api-request-3' } };
      const error = await invokeError();
      assert.equal(error.code, 'E_THROTTLED', error.message);
      assert.match(error.message, /function status 432/);
    });
    it(`Result.ErrMsg with 432 ${what} → E_THROTTLED`, async () => {
      nextAnswer = {
        Response: {
          Result: { RetMsg: '', ErrMsg: message, InvokeResult: -1, Log: '', MemUsage: 1, Duration: 1, BillDuration: 1, FunctionRequestId: 'function-request-2' },
          RequestId: 'api-request-4',
        },
      };
      assert.equal((await invokeError()).code, 'E_THROTTLED');
    });
  }

  it('text without a status field stays the function error; the wording alone decides nothing', async () => {
    nextAnswer = { Response: { Error: { Code: 'FailedOperation.InvokeFunction', Message: 'Invoking function failed: ResourceLimitReached statusCode 432' }, RequestId: 'r' } };
    assert.equal((await invokeError()).code, 'E_REMOTE_FUNCTION_ERROR');
  });
});

describe('tencentFunctionStatus', () => {
  it('finds the structured statusCode whole, embedded, escaped; never in plain words; bounded input', () => {
    assert.equal(tencentFunctionStatus('{"statusCode":407}'), 407);
    assert.equal(tencentFunctionStatus('x {"a":{"b":1},"statusCode":432} y'), 432);
    assert.equal(tencentFunctionStatus('x {\\"statusCode\\": 432} y'), 432);
    assert.equal(tencentFunctionStatus('statusCode 432'), undefined);
    assert.equal(tencentFunctionStatus('{"statusCode":"432"}'), undefined);
    assert.equal(tencentFunctionStatus(`${'{'.repeat(2_000_000)}"statusCode":432`), undefined);
  });
});

describe('function status table', () => {
  it('maps only platform refusals; 430 and unknown statuses are function errors', () => {
    assert.equal(platformCodeForFunctionStatus(providerDefinition('tencent').errors, 432), 'E_THROTTLED');
    assert.equal(platformCodeForFunctionStatus(providerDefinition('tencent').errors, 429), 'E_THROTTLED');
    assert.equal(platformCodeForFunctionStatus(providerDefinition('tencent').errors, 406), 'E_PAYLOAD_TOO_LARGE');
    assert.equal(platformCodeForFunctionStatus(providerDefinition('tencent').errors, 407), 'E_RESPONSE_TOO_LARGE');
    assert.equal(platformCodeForFunctionStatus(providerDefinition('tencent').errors, 430), undefined);
    assert.equal(platformCodeForFunctionStatus(providerDefinition('tencent').errors, 500), undefined);
    assert.equal(platformCodeForFunctionStatus(providerDefinition('tencent').errors, undefined), undefined);
    assert.equal(platformCodeForFunctionStatus(providerDefinition('aws').errors, 432), undefined);
  });

  it('classifyProviderError uses the function status before HTTP status and vendor code', () => {
    const error = classifyProviderError({ phase: 'invoke', functionStatus: 432, httpStatus: 200, requestId: 'r-1' }, { provider: providerDefinition('tencent'), target: 'upper' }, new Error('x'), []);
    assert.equal(error.code, 'E_THROTTLED');
    assert.equal(error.retryable, true);
    assert.match(error.message, /Tencent Cloud SCF throttled invoking function 'upper' \(function status 432, HTTP 200, request id r-1\)/);
  });
});
