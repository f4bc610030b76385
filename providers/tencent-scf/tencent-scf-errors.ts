import { COMMON_INVOKE_STATUSES, COMMON_STS_STATUSES } from '../../src/provider-utils/index.ts';
import type { ProviderErrorTable } from '../../src/spec/provider-definition.ts';

/**
 * Tencent Cloud API 3.0: errors arrive as HTTP 200 with `Response.Error.Code`. InvokeFunction's own codes are those
 * its SDK documents (TencentCloud/tencentcloud-sdk-go tencentcloud/scf/v20180416/client.go, InvokeFunction:
 * FailedOperation.FunctionStatusError, FailedOperation.InvokeFunction, InternalError.*, InvalidParameter.RequestTooLarge,
 * ResourceNotFound.*, UnauthorizedOperation.CAM…); RequestLimitExceeded and AuthFailure.* are API 3.0's common codes.
 * The codes marked "not confirmed" are in no such list (README, "Not yet confirmed against a live account"): they are
 * read defensively, in case the service answers with them.
 */
export const TENCENT_ERRORS: ProviderErrorTable = {
  codes: {
    invoke: {
      RequestLimitExceeded: 'E_THROTTLED',
      // not confirmed: the 432 status's name as an API code, and a concurrency code of the other SCF APIs
      ResourceLimitReached: 'E_THROTTLED',
      'LimitExceeded.Concurrency': 'E_THROTTLED',
      'InvalidParameter.RequestTooLarge': 'E_PAYLOAD_TOO_LARGE',
      // not confirmed: size codes of no documented InvokeFunction answer (the documented ones are the above and
      // function status 407 inside FailedOperation.InvokeFunction / Result.ErrMsg)
      RequestSizeLimitExceeded: 'E_PAYLOAD_TOO_LARGE',
      ResponseSizeLimitExceeded: 'E_RESPONSE_TOO_LARGE',
      ResourceNotFound: 'E_FUNCTION_NOT_FOUND',
      AuthFailure: 'E_AUTH',
      'AuthFailure.SignatureExpire': 'E_CLOCK_SKEW',
      UnauthorizedOperation: 'E_AUTH',
      InternalError: 'E_PROVIDER_UNAVAILABLE',
      ServiceUnavailable: 'E_PROVIDER_UNAVAILABLE',
      'FailedOperation.FunctionStatusError': 'E_PROVIDER_UNAVAILABLE',
    },
    sts: {
      UnauthorizedOperation: 'E_STS_DENIED',
      'ResourceNotFound.RoleNotFound': 'E_STS_DENIED',
      RequestLimitExceeded: 'E_THROTTLED',
      AuthFailure: 'E_AUTH',
      'AuthFailure.SignatureExpire': 'E_CLOCK_SKEW',
      InternalError: 'E_PROVIDER_UNAVAILABLE',
      ServiceUnavailable: 'E_PROVIDER_UNAVAILABLE',
    },
  },
  statuses: { invoke: COMMON_INVOKE_STATUSES, sts: COMMON_STS_STATUSES },
  // SCF function status codes ("Cloud Function Status Code", tencentcloud.com/document/product/583/35311): 430 is the
  // user code's exception; 432 is the concurrency limit, e.g. `{"errorCode":1,"errorMessage":"Resource limit exceed
  // for function [dingdong]","statusCode":432}` (easychen/wecomchan issue 24).
  functionStatuses: {
    429: 'E_THROTTLED',
    430: 'E_REMOTE_FUNCTION_ERROR',
    // Concurrency over limit (ResourceLimitReached).
    432: 'E_THROTTLED',
    406: 'E_PAYLOAD_TOO_LARGE',
    // The function's response exceeded 6 MB: a smaller batch gives a smaller response.
    407: 'E_RESPONSE_TOO_LARGE',
  },
  // The AssumeRole error list (TencentCloud/tencentcloud-sdk-go tencentcloud/sts/v20180813/client.go) documents
  // UnauthorizedOperation (not allowed to assume the role) and ResourceNotFound.RoleNotFound; it has no
  // external-ID-specific code.
  stsRefusals: ['UnauthorizedOperation', 'ResourceNotFound.RoleNotFound'],
  // After the same keys assumed the role with the right external ID, any authorization-type answer to the probes is
  // the role refusing them (an InvalidParameter.* that names the external ID is recognised by the adapter).
  probeRefusals: ['UnauthorizedOperation', 'AuthFailure'],
  // TC3: "If the difference between the UNIX timestamp and the server time is greater than 5 minutes, a signature
  // expiration error may occur" (Common Params, e.g. tencentcloud.com/document/api/1121/46066); the error is the common
  // code AuthFailure.SignatureExpire.
  clockSkew: { windowMs: 5 * 60_000 },
};
