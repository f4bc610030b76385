import { LakefnError } from '../../src/errors/index.ts';
import { type HttpInvokeResponse, headerValue, invokeResultFromReply, numberField, parseJsonObject, stringField } from '../../src/provider-utils/index.ts';
import type { InvokeResultV1, ProviderDefinition } from '../../src/spec/index.ts';

/**
 * A FunctionGraph synchronous invocation answered with HTTP 200 (`X-CFF-Request-Version: v1`, FunctionGraph API
 * reference "Executing a Function Synchronously"): `{"request_id", "result", "log", "status"}` with the function's
 * return value as the string `result` and the base64 log tail in `log`. A failed function is marked by
 * `X-Is-Func-Err: true` and a non-zero `X-Func-Err-Code`; which HTTP status and body `status` come with it is not
 * documented, so any of the three marks a function error, whose error object is `result`.
 */
export function functionGraphInvokeResult(definition: ProviderDefinition, functionName: string, response: HttpInvokeResponse, durationMs: number): InvokeResultV1 {
  const body = parseJsonObject(response.body);
  if (body === undefined || !('result' in body)) {
    throw new LakefnError('E_BAD_RESPONSE', `${definition.names.services.invoke} answered function ${functionName} without a v1 result ({"request_id", "result", "status"}); check the endpoint`, {
      location: { provider: definition.id },
      provider: { status: response.statusCode },
    });
  }
  const requestId = headerValue(response.headers, 'x-cff-request-id') ?? stringField(body, 'request_id');
  const result = typeof body.result === 'string' ? body.result : JSON.stringify(body.result ?? null);
  const encodedLog = stringField(body, 'log') ?? headerValue(response.headers, 'x-cff-function-log');
  const errorCode = headerValue(response.headers, 'x-func-err-code');
  const status = numberField(body, 'status');
  const failed = headerValue(response.headers, 'x-is-func-err') === 'true' || (errorCode !== undefined && errorCode !== '0') || (status !== undefined && status !== 200);
  const payload = Buffer.from(result, 'utf8');
  // the reply cap, the request id, the log tail and a function error (its object is `result`; a platform refusal in
  // that shape, such as a reply above the limit, gets the table's code) as every provider reads them
  return invokeResultFromReply({
    provider: definition,
    functionName,
    body: new Uint8Array(payload.buffer, payload.byteOffset, payload.byteLength),
    statusCode: response.statusCode,
    requestId,
    encodedLogTail: encodedLog,
    functionErrorType: failed ? `X-Func-Err-Code ${errorCode ?? status ?? 'unknown'}` : undefined,
    durationMs,
  });
}

