import type { ErrorCode } from '../errors/index.ts';
import type { ProviderName } from '../spec/provider-name.ts';

/** Which API a provider call went to: the provider's STS, or its function service. */
export type ProviderCallPhase = 'sts' | 'invoke';

/**
 * How one provider's errors map to lakefn codes. Vendor codes are matched exactly first, then by
 * their dotted prefixes (`RequestLimitExceeded.UinLimitExceeded` → `RequestLimitExceeded`), then the
 * HTTP status; 5xx statuses without a known code are E_PROVIDER_UNAVAILABLE. Message text is never
 * looked at. Retryability follows from the lakefn code (src/errors/error-codes.ts).
 */
export interface ProviderErrorTable {
  readonly codes: Readonly<Record<ProviderCallPhase, Readonly<Record<string, ErrorCode>>>>;
  readonly statuses: Readonly<Record<ProviderCallPhase, Readonly<Record<number, ErrorCode>>>>;
  /**
   * Status codes the platform reports inside a function's result (SCF puts `statusCode` in the
   * `Result.ErrMsg` JSON). A listed status that is not E_REMOTE_FUNCTION_ERROR means the platform,
   * not the function's code, refused the call. Unlisted statuses are function errors.
   */
  readonly functionStatuses?: Readonly<Record<number, ErrorCode>>;
}

const COMMON_INVOKE_STATUSES = { 401: 'E_AUTH', 403: 'E_AUTH', 404: 'E_FUNCTION_NOT_FOUND', 413: 'E_PAYLOAD_TOO_LARGE', 429: 'E_THROTTLED' } as const;
// A 403 from STS is the trust policy refusing the broker (wrong or missing external ID, wrong principal).
const COMMON_STS_STATUSES = { 401: 'E_AUTH', 403: 'E_STS_DENIED', 429: 'E_THROTTLED' } as const;

/** AWS Lambda (restJson1: error name from x-amzn-ErrorType) and AWS STS (awsQuery: `Error/Code`). */
const AWS: ProviderErrorTable = {
  codes: {
    invoke: {
      TooManyRequestsException: 'E_THROTTLED',
      EC2ThrottledException: 'E_THROTTLED',
      ThrottlingException: 'E_THROTTLED',
      RequestTooLargeException: 'E_PAYLOAD_TOO_LARGE',
      SerializedRequestEntityTooLargeException: 'E_PAYLOAD_TOO_LARGE',
      ResourceNotFoundException: 'E_FUNCTION_NOT_FOUND',
      AccessDeniedException: 'E_AUTH',
      InvalidSignatureException: 'E_AUTH',
      UnrecognizedClientException: 'E_AUTH',
      ExpiredTokenException: 'E_AUTH',
      InvalidClientTokenId: 'E_AUTH',
      ServiceException: 'E_PROVIDER_UNAVAILABLE',
      ResourceNotReadyException: 'E_PROVIDER_UNAVAILABLE',
      // The function is being updated (Pending / InProgress): it becomes invocable again shortly.
      ResourceConflictException: 'E_PROVIDER_UNAVAILABLE',
    },
    sts: {
      AccessDenied: 'E_STS_DENIED',
      Throttling: 'E_THROTTLED',
      InvalidClientTokenId: 'E_AUTH',
      SignatureDoesNotMatch: 'E_AUTH',
      IncompleteSignature: 'E_AUTH',
      MissingAuthenticationToken: 'E_AUTH',
      ExpiredToken: 'E_AUTH',
      InternalFailure: 'E_PROVIDER_UNAVAILABLE',
      ServiceUnavailable: 'E_PROVIDER_UNAVAILABLE',
    },
  },
  statuses: { invoke: COMMON_INVOKE_STATUSES, sts: COMMON_STS_STATUSES },
};

/** Alibaba Cloud FC 3.0 (`{"Code","Message","RequestId"}`) and STS (RPC JSON `Code`). */
const ALIYUN: ProviderErrorTable = {
  codes: {
    invoke: {
      ResourceThrottled: 'E_THROTTLED',
      ResourceExhausted: 'E_THROTTLED',
      TooManyRequests: 'E_THROTTLED',
      Throttling: 'E_THROTTLED',
      EntityTooLarge: 'E_PAYLOAD_TOO_LARGE',
      RequestEntityTooLarge: 'E_PAYLOAD_TOO_LARGE',
      FunctionNotFound: 'E_FUNCTION_NOT_FOUND',
      AliasNotFound: 'E_FUNCTION_NOT_FOUND',
      VersionNotFound: 'E_FUNCTION_NOT_FOUND',
      AccessDenied: 'E_AUTH',
      SignatureNotMatch: 'E_AUTH',
      SignatureDoesNotMatch: 'E_AUTH',
      InvalidAccessKeyID: 'E_AUTH',
      InvalidAccessKeyId: 'E_AUTH',
      InvalidSecurityToken: 'E_AUTH',
      InternalServerError: 'E_PROVIDER_UNAVAILABLE',
      InternalError: 'E_PROVIDER_UNAVAILABLE',
      ServiceUnavailable: 'E_PROVIDER_UNAVAILABLE',
    },
    sts: {
      NoPermission: 'E_STS_DENIED',
      'EntityNotExist.Role': 'E_STS_DENIED',
      Throttling: 'E_THROTTLED',
      InvalidAccessKeyId: 'E_AUTH',
      SignatureDoesNotMatch: 'E_AUTH',
      InvalidSecurityToken: 'E_AUTH',
      InternalError: 'E_PROVIDER_UNAVAILABLE',
      ServiceUnavailable: 'E_PROVIDER_UNAVAILABLE',
    },
  },
  statuses: { invoke: COMMON_INVOKE_STATUSES, sts: COMMON_STS_STATUSES },
};

/** Tencent Cloud API 3.0: errors arrive as HTTP 200 with `Response.Error.Code`. */
const TENCENT: ProviderErrorTable = {
  codes: {
    invoke: {
      RequestLimitExceeded: 'E_THROTTLED',
      ResourceLimitReached: 'E_THROTTLED',
      'LimitExceeded.Concurrency': 'E_THROTTLED',
      RequestSizeLimitExceeded: 'E_PAYLOAD_TOO_LARGE',
      ResponseSizeLimitExceeded: 'E_RESPONSE_TOO_LARGE',
      ResourceNotFound: 'E_FUNCTION_NOT_FOUND',
      AuthFailure: 'E_AUTH',
      UnauthorizedOperation: 'E_AUTH',
      InternalError: 'E_PROVIDER_UNAVAILABLE',
      ServiceUnavailable: 'E_PROVIDER_UNAVAILABLE',
      'FailedOperation.FunctionStatusError': 'E_PROVIDER_UNAVAILABLE',
    },
    sts: {
      UnauthorizedOperation: 'E_STS_DENIED',
      'ResourceNotFound.RoleNotFound': 'E_STS_DENIED',
      'InvalidParameter.ExternalIdError': 'E_STS_DENIED',
      RequestLimitExceeded: 'E_THROTTLED',
      AuthFailure: 'E_AUTH',
      InternalError: 'E_PROVIDER_UNAVAILABLE',
      ServiceUnavailable: 'E_PROVIDER_UNAVAILABLE',
    },
  },
  statuses: { invoke: COMMON_INVOKE_STATUSES, sts: COMMON_STS_STATUSES },
  // SCF function status codes (provider-protocols.md §3.5): 430 is the user code's exception.
  functionStatuses: {
    429: 'E_THROTTLED',
    430: 'E_REMOTE_FUNCTION_ERROR',
    // Concurrency over limit (ResourceLimitReached).
    432: 'E_THROTTLED',
    406: 'E_PAYLOAD_TOO_LARGE',
    // The function's response exceeded 6 MB: a smaller batch gives a smaller response.
    407: 'E_RESPONSE_TOO_LARGE',
  },
};

export const PROVIDER_ERROR_TABLES: Readonly<Record<ProviderName, ProviderErrorTable>> = { aws: AWS, aliyun: ALIYUN, tencent: TENCENT };

/** Socket-level codes that mean "no answer in time" rather than a broken connection. */
export const TIMEOUT_TRANSPORT_CODES: ReadonlySet<string> = new Set([
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);
