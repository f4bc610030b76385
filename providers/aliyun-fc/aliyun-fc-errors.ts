import { COMMON_INVOKE_STATUSES, COMMON_STS_STATUSES } from '../../src/provider-utils/index.ts';
import type { ProviderErrorTable } from '../../src/spec/provider-definition.ts';

/** Alibaba Cloud FC 3.0 (`{"Code","Message","RequestId"}`) and STS (RPC JSON `Code`). */
export const ALIYUN_ERRORS: ProviderErrorTable = {
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
      'InvalidTimeStamp.Expired': 'E_CLOCK_SKEW',
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
      'InvalidTimeStamp.Expired': 'E_CLOCK_SKEW',
      InternalError: 'E_PROVIDER_UNAVAILABLE',
      ServiceUnavailable: 'E_PROVIDER_UNAVAILABLE',
    },
  },
  statuses: { invoke: COMMON_INVOKE_STATUSES, sts: COMMON_STS_STATUSES },
  // NoPermission: the trust policy does not admit the caller (or this external ID); EntityNotExist.Role: no such role.
  stsRefusals: ['NoPermission', 'EntityNotExist.Role'],
  // Not confirmed against a live account (README): FC 3.0's answer to a reply above its limit. lakefn reads it as the
  // function-error shape FC uses for what the platform reports about an invocation (x-fc-error-type, errorType).
  functionErrorTypes: { FunctionResponseTooLarge: 'E_RESPONSE_TOO_LARGE' },
  // The POP gateway refuses a timestamp more than 15 minutes from its clock with InvalidTimeStamp.Expired ("Specified
  // time stamp or date value is expired."; the Alibaba Cloud SDK team's answer, developer.aliyun.com/ask/128316 and
  // /ask/9487). The code says so by itself, so there are no ambiguous codes.
  clockSkew: { windowMs: 15 * 60_000 },
};
