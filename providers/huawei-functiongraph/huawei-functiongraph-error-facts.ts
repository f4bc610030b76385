import {
  type DeadlineOutcome,
  type HttpInvokeResponse,
  type ProviderCallPhase,
  type ProviderErrorFacts,
  headerValue,
  isRecord,
  parseJsonObject,
  parseRetryAfter,
  serverTimeOffset,
  stringField,
} from '../../src/provider-utils/index.ts';

/** A Huawei Cloud API error answer read into facts, with an Error standing for the SDK's exception as the cause. */
export interface HuaweiServiceError {
  readonly facts: ProviderErrorFacts;
  readonly cause: Error;
}

/**
 * Facts from an error answer of FunctionGraph, STS or IAM. Huawei Cloud services answer `{"error_code", "error_msg",
 * "request_id"}` (IAM 5.0 adds `encoded_authorization_message` to a denial); Keystone (IAM 3.0) answers
 * `{"error": {"code", "title", "message"}}`. The request id is also in `X-Request-Id` (which the SDK's exceptions
 * carry) or FunctionGraph's `X-Cff-Request-Id`. Like the SDK, the message is kept for the cause only.
 */
export function huaweiServiceError(phase: ProviderCallPhase, response: HttpInvokeResponse): HuaweiServiceError {
  const body = parseJsonObject(response.body);
  const keystone = isRecord(body?.error) ? body.error : undefined;
  const code = stringField(body, 'error_code') ?? stringField(body, 'code');
  const message = stringField(body, 'error_msg') ?? stringField(body, 'message') ?? stringField(keystone, 'message') ?? `HTTP ${response.statusCode}`;
  const requestId = stringField(body, 'request_id') ?? headerValue(response.headers, 'x-request-id') ?? headerValue(response.headers, 'x-cff-request-id');
  // The SDK throws ClientRequestException for 4xx and ServerResponseException for 5xx.
  const cause = new Error(message);
  cause.name = response.statusCode >= 500 ? 'ServerResponseException' : 'ClientRequestException';
  return {
    facts: {
      phase,
      deadline: undefined,
      httpStatus: response.statusCode,
      providerCode: code,
      requestId,
      retryAfterSeconds: parseRetryAfter(headerValue(response.headers, 'retry-after')),
      serverTimeOffsetMs: serverTimeOffset(headerValue(response.headers, 'date')),
    },
    cause,
  };
}

/** Facts of a call that got no answer: a socket error (undici's `code`), lakefn's deadline or the caller's abort. */
export function huaweiTransportFacts(phase: ProviderCallPhase, error: unknown, deadline: DeadlineOutcome | undefined): ProviderErrorFacts {
  return { phase, deadline, transportCode: deadline === undefined ? stringField(error, 'code') : undefined };
}
