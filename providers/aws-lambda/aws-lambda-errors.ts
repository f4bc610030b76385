import { optionVariable } from '../../src/config/option-variable.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { COMMON_INVOKE_STATUSES, COMMON_STS_STATUSES } from '../../src/provider-utils/index.ts';
import type { ConnectionBindingV1 } from '../../src/spec/provider-adapter-v1.ts';
import type { ProviderDefinition, ProviderErrorTable } from '../../src/spec/provider-definition.ts';

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
  // A synchronous reply above 6,291,556 bytes comes back as HTTP 200 with `X-Amz-Function-Error: Unhandled` and
  // `{"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).","errorType":
  // "Function.ResponseSizeTooLarge"}`: the Lambda service's answer, not the function's (getmoto/moto
  // tests/test_awslambda/test_lambda_invoke.py, the invoke of a function returning more than 6 MB).
  functionErrorTypes: { 'Function.ResponseSizeTooLarge': 'E_RESPONSE_TOO_LARGE' },
  clockSkew: {
    // SigV4 allows 15 minutes ("Signature expired: … is now earlier than … (… - 15 min.)").
    windowMs: 15 * 60_000,
    // Lambda answers InvalidSignatureException and STS SignatureDoesNotMatch to an expired signature and to a wrong
    // one alike; the AWS SDK treats these names as clock-skew candidates too (isClockSkewError of
    // @smithy/core/retry, CLOCK_SKEW_ERROR_CODES) and corrects its offset from the answer's Date header.
    ambiguousCodes: ['InvalidSignatureException', 'SignatureDoesNotMatch', 'RequestExpired', 'RequestInTheFuture', 'RequestTimeTooSkewed'],
  },
};

/**
 * E_STS_REGION_DISABLED with the fix. STS must be active in the region in the account that owns the role ("the account
 * that is being asked to generate credentials"; for an opt-in region also in the calling account): IAM User Guide,
 * "Manage AWS STS in an AWS Region", the AssumeRole example with accounts A and B.
 */
export function regionDisabledError(definition: Pick<ProviderDefinition, 'id' | 'names'>, binding: ConnectionBindingV1 & { readonly accountId: string }, cause: LakefnError): LakefnError {
  const variable = optionVariable(definition, 'sts_region');
  return new LakefnError(
    'E_STS_REGION_DISABLED',
    `${definition.names.services.sts} is not activated in region ${binding.region} for the role's account ${binding.accountId} (RegionDisabledException) while assuming ${binding.roleArn}; ` +
      `activate STS for ${binding.region} in that account (IAM console, Account settings, Security Token Service (STS) endpoints; for an opt-in region in lakefn's broker account too), ` +
      `or set ${variable}=default (or a region of the same partition) so that lakefn falls back to that region's STS`,
    {
      cause,
      location: { connection: binding.connectionName, provider: definition.id },
      ...(cause.provider === undefined ? {} : { provider: cause.provider }),
    },
  );
}
