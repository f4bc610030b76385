import {
  type DeadlineOutcome,
  type HttpExchange,
  type ProviderCallPhase,
  type ProviderErrorFacts,
  headerValue,
  isRecord,
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

/** Longer error texts are not parsed: a function status comes with a short platform error object. */
const MAX_STATUS_TEXT_LENGTH = 1_048_576;

/**
 * The platform's function status from an SCF function error object
 * (`{"errorCode":…,"errorMessage":…,"statusCode":432}`): the structured `statusCode` field, never
 * the message. Undefined when the text is not such an object.
 */
export function tencentFunctionStatus(errorText: string): number | undefined {
  const trimmed = errorText.trim();
  if (!trimmed.startsWith('{') || trimmed.length > MAX_STATUS_TEXT_LENGTH) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  const status = isRecord(parsed) ? parsed['statusCode'] : undefined;
  return typeof status === 'number' && Number.isInteger(status) ? status : undefined;
}
