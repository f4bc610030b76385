import {
  type DeadlineOutcome,
  type HttpExchange,
  type ProviderCallPhase,
  type ProviderErrorFacts,
  headerValue,
  numberField,
  parseRetryAfter,
  stringField,
} from '../../src/provider-utils/index.ts';

/**
 * Facts from a TencentCloudSDKHttpException. API errors arrive as HTTP 200 with `code` and
 * `requestId`; a non-200 answer gives `httpCode` and no code; a socket failure gives neither (the
 * SDK keeps only the message), so its code comes from the observed exchange.
 */
export function tencentErrorFacts(error: unknown, exchange: HttpExchange, phase: ProviderCallPhase, deadline: DeadlineOutcome | undefined): ProviderErrorFacts {
  const providerCode = stringField(error, 'code');
  const httpCode = numberField(error, 'httpCode');
  // An API error is an HTTP 200 whose body names the error.
  const httpStatus = httpCode ?? exchange.responseStatus;
  const answered = providerCode !== undefined || httpStatus !== undefined;
  return {
    phase,
    deadline,
    httpStatus,
    providerCode,
    requestId: stringField(error, 'requestId'),
    retryAfterSeconds: parseRetryAfter(headerValue(exchange.responseHeaders, 'retry-after')),
    transportCode: answered ? undefined : exchange.transportCode,
  };
}
