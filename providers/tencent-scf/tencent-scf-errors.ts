import { COMMON_INVOKE_STATUSES, COMMON_STS_STATUSES } from '../../src/provider-utils/index.ts';
import type { ProviderErrorTable } from '../../src/spec/provider-definition.ts';

/** Tencent Cloud API 3.0: errors arrive as HTTP 200 with `Response.Error.Code`. */
export const TENCENT_ERRORS: ProviderErrorTable = {
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
  // The STS error list for AssumeRole documents UnauthorizedOperation (not allowed to assume the role) and
  // ResourceNotFound.RoleNotFound; no external-ID-specific code is documented.
  stsRefusals: ['UnauthorizedOperation', 'ResourceNotFound.RoleNotFound', 'InvalidParameter.ExternalIdError'],
};
