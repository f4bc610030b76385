import { COMMON_INVOKE_STATUSES, COMMON_STS_STATUSES } from '../../src/provider-utils/index.ts';
import type { ProviderErrorTable } from '../../src/spec/provider-definition.ts';

/** AWS Lambda (restJson1: error name from x-amzn-ErrorType) and AWS STS (awsQuery: `Error/Code`). */
export const AWS_ERRORS: ProviderErrorTable = {
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
      // HTTP 403 like a refusal, but it says STS is deactivated in the region, not that the role refused lakefn.
      RegionDisabledException: 'E_STS_REGION_DISABLED',
      InternalFailure: 'E_PROVIDER_UNAVAILABLE',
      ServiceUnavailable: 'E_PROVIDER_UNAVAILABLE',
    },
  },
  statuses: { invoke: COMMON_INVOKE_STATUSES, sts: COMMON_STS_STATUSES },
  // AWS answers AccessDenied both when the trust policy refuses and when the role does not exist.
  stsRefusals: ['AccessDenied'],
};
