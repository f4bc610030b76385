import {
  type DeadlineOutcome,
  type HttpExchange,
  type ProviderCallPhase,
  type ProviderErrorFacts,
  headerValue,
  isRecord,
  numberField,
  parseRetryAfter,
  serverTimeOffset,
  stringField,
} from '../../src/provider-utils/index.ts';

/**
 * Facts from an @alicloud/openapi-core error. API errors are ClientError / ServerError /
 * ThrottlingError with `statusCode`, `code`, `requestId` (and `retryAfter` for ThrottlingError only,
 * which is why the Retry-After headers are also read from the observed exchange). Socket errors
 * come through httpx unchanged, with their `code`.
 */
export function aliyunErrorFacts(error: unknown, exchange: HttpExchange, phase: ProviderCallPhase, deadline: DeadlineOutcome | undefined): ProviderErrorFacts {
  const statusCode = numberField(error, 'statusCode');
  const isApiError = statusCode !== undefined;
  const headers = exchange.responseHeaders;
  return {
    phase,
    deadline,
    httpStatus: statusCode ?? exchange.responseStatus,
    providerCode: isApiError ? definedText(stringField(error, 'code')) : undefined,
    requestId: definedText(stringField(error, 'requestId')) ?? headerValue(headers, 'x-fc-request-id') ?? headerValue(headers, 'x-acs-request-id'),
    retryAfterSeconds:
      numberField(error, 'retryAfter') ?? parseRetryAfter(headerValue(headers, 'retry-after')) ?? parseRetryAfter(headerValue(headers, 'x-acs-retry-after')),
    transportCode: isApiError ? undefined : (socketCode(error) ?? exchange.transportCode),
    serverTimeOffsetMs: serverTimeOffset(headerValue(headers, 'date')),
  };
}

/** openapi-core formats missing fields with a template string, so "undefined" means absent. */
function definedText(value: string | undefined): string | undefined {
  return value === 'undefined' || value === 'null' ? undefined : value;
}

function socketCode(error: unknown): string | undefined {
  return isRecord(error) && typeof error.code === 'string' ? error.code : undefined;
}
