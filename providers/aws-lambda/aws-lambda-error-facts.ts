import {
  type HttpExchange,
  type ProviderCallPhase,
  type ProviderErrorFacts,
  type DeadlineOutcome,
  headerValue,
  isRecord,
  numberField,
  parseRetryAfter,
  serverTimeOffset,
  stringField,
} from '../../src/provider-utils/index.ts';

/**
 * Facts from an AWS SDK v3 error. Service errors carry `$fault` and the error name from
 * `x-amzn-ErrorType` / `Error/Code`; `$metadata` has the status and request id. Socket errors from
 * the Node HTTP handler keep their `code` (ECONNRESET…).
 */
export function awsErrorFacts(error: unknown, exchange: HttpExchange, phase: ProviderCallPhase, deadline: DeadlineOutcome | undefined): ProviderErrorFacts {
  const metadata = isRecord(error) ? error.$metadata : undefined;
  const isServiceError = isRecord(error) && typeof error.$fault === 'string';
  const retryAfter = isRecord(error) ? error.retryAfterSeconds : undefined;
  return {
    phase,
    deadline,
    httpStatus: numberField(metadata, 'httpStatusCode') ?? exchange.responseStatus,
    providerCode: isServiceError ? stringField(error, 'name') : undefined,
    requestId: stringField(metadata, 'requestId') ?? headerValue(exchange.responseHeaders, 'x-amzn-requestid'),
    retryAfterSeconds:
      parseRetryAfter(typeof retryAfter === 'string' || typeof retryAfter === 'number' ? retryAfter : undefined) ??
      parseRetryAfter(headerValue(exchange.responseHeaders, 'retry-after')),
    transportCode: stringField(error, 'code') ?? exchange.transportCode,
    serverTimeOffsetMs: serverTimeOffset(headerValue(exchange.responseHeaders, 'date')),
  };
}
