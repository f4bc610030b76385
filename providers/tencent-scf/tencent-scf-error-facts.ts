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
    serverTimeOffsetMs: serverTimeOffset(headerValue(exchange.responseHeaders, 'date')),
  };
}

/** Longer error texts are not searched: a function status comes with a short platform error object. */
const MAX_STATUS_TEXT_LENGTH = 1_048_576;
/** `"statusCode": 432` (also JSON-escaped inside a string, `\"statusCode\":432`): linear, no nested quantifiers. */
const STATUS_FIELD = /\\?"statusCode\\?"\s{0,8}:\s{0,8}(\d{3})(?!\d)/;

/**
 * The platform's function status from an SCF function error (`{"errorCode":1,"errorMessage":"Resource limit exceed
 * for function [f]","statusCode":432}`), wherever the object sits in the text: SCF's FailedOperation.InvokeFunction
 * message and `Result.ErrMsg` often carry it with text around it (`Invoking function failed: {…}`) or escaped inside
 * another string. Only the structured `statusCode` field counts, never the wording. Undefined when there is none.
 */
export function tencentFunctionStatus(errorText: string): number | undefined {
  if (errorText.length > MAX_STATUS_TEXT_LENGTH) return undefined;
  const whole = statusOfObject(errorText.trim());
  if (whole !== undefined) return whole;
  // the outermost braces hold the object when text surrounds it
  const start = errorText.indexOf('{');
  const end = errorText.lastIndexOf('}');
  const embedded = start === -1 || end <= start ? undefined : statusOfObject(errorText.slice(start, end + 1));
  if (embedded !== undefined) return embedded;
  const field = STATUS_FIELD.exec(errorText);
  return field === null ? undefined : Number(field[1]);
}

function statusOfObject(text: string): number | undefined {
  if (!text.startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const status = isRecord(parsed) ? parsed['statusCode'] : undefined;
  return typeof status === 'number' && Number.isInteger(status) ? status : undefined;
}

/** `ExternalId` / `external_id` / `external id`, in any case: what an invalid-parameter message names when it is that one. */
const EXTERNAL_ID_NAME = /external[\s_]?id/i;

/** Whether an STS error message names the external ID parameter (bounded: messages are short, the pattern linear). */
export function namesExternalId(message: string): boolean {
  return message.length <= 4096 && EXTERNAL_ID_NAME.test(message);
}
