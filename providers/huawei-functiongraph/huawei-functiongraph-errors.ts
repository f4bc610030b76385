import { COMMON_INVOKE_STATUSES, COMMON_STS_STATUSES } from '../../src/provider-utils/index.ts';
import type { ProviderErrorTable } from '../../src/spec/provider-definition.ts';

/**
 * FunctionGraph (`{"error_code":"FSS.xxxx","error_msg"}`, codes from the FunctionGraph API reference's error code
 * appendix), IAM 5.0 STS (`{"error_code","error_msg","request_id"}`, support.huaweicloud.com/api-iam5/ErrorCode.html)
 * and the API gateway in front of both (`APIGW.*`: signature, credentials, throttling).
 */
export const HUAWEI_ERRORS: ProviderErrorTable = {
  codes: {
    invoke: {
      'FSS.0429': 'E_THROTTLED',
      'APIGW.0308': 'E_THROTTLED',
      'FSS.0413': 'E_PAYLOAD_TOO_LARGE',
      'FSS.1201': 'E_PAYLOAD_TOO_LARGE',
      'FSS.0404': 'E_FUNCTION_NOT_FOUND',
      'FSS.1051': 'E_FUNCTION_NOT_FOUND',
      'FSS.1052': 'E_FUNCTION_NOT_FOUND',
      'FSS.1053': 'E_FUNCTION_NOT_FOUND',
      'FSS.0401': 'E_AUTH',
      'FSS.0403': 'E_AUTH',
      'APIGW.0301': 'E_AUTH',
      'APIGW.0302': 'E_AUTH',
      'FSS.1309': 'E_INVALID_FUNCTION',
      'FSS.0408': 'E_TIMEOUT',
      'FSS.0500': 'E_PROVIDER_UNAVAILABLE',
      'FSS.0502': 'E_PROVIDER_UNAVAILABLE',
      'FSS.0503': 'E_PROVIDER_UNAVAILABLE',
      'FSS.0504': 'E_PROVIDER_UNAVAILABLE',
    },
    sts: {
      // The trust policy does not admit the caller (or not with this external ID): IAM 5.0's access-denied answer. Not
      // confirmed against a live account (README): the code of this refusal is not documented.
      'STS5.0001': 'E_STS_DENIED',
      // "the agency 'iam::…:agency:…' cannot be found" (api-iam5 AssumeAgency's error codes)
      'STS5.1106': 'E_STS_DENIED',
      'APIGW.0301': 'E_AUTH',
      'APIGW.0302': 'E_AUTH',
      'APIGW.0308': 'E_THROTTLED',
      'STS5.0429': 'E_THROTTLED',
      'STS5.0500': 'E_PROVIDER_UNAVAILABLE',
    },
  },
  statuses: { invoke: COMMON_INVOKE_STATUSES, sts: COMMON_STS_STATUSES },
  stsRefusals: ['STS5.0001', 'STS5.1106'],
  // Not confirmed against a live account (README): FunctionGraph's answer to a reply above its 6 MB limit. lakefn reads
  // it as a function error whose errorType says so, like FC's.
  functionErrorTypes: { FunctionResponseTooLarge: 'E_RESPONSE_TOO_LARGE' },
  clockSkew: {
    // The API gateway refuses an X-Sdk-Date more than 15 minutes from its clock (APIG signing guide, as the mock).
    windowMs: 15 * 60_000,
    // It answers every authentication failure with APIGW.0301: a skew when its Date is far from lakefn's clock.
    ambiguousCodes: ['APIGW.0301'],
  },
};
