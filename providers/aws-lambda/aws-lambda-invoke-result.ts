import { headerValue } from '../../src/provider-utils/index.ts';

/** The facts of a Lambda RequestResponse answer that the SDK reads into its output: what the http transport reads. */
export interface LambdaReplyFacts {
  /** `x-amzn-RequestId`. */
  readonly requestId: string | undefined;
  /** `X-Amz-Log-Result` (base64). */
  readonly encodedLogTail: string | undefined;
  /** `X-Amz-Function-Error`: present when the function failed, on HTTP 200. */
  readonly functionErrorType: string | undefined;
}

/** Lambda's reply headers, read as the SDK reads them into `$metadata.requestId`, `LogResult` and `FunctionError`. */
export function lambdaReplyFacts(headers: Readonly<Record<string, string | string[] | undefined>>): LambdaReplyFacts {
  return {
    requestId: headerValue(headers, 'x-amzn-requestid'),
    encodedLogTail: headerValue(headers, 'x-amz-log-result'),
    functionErrorType: headerValue(headers, 'x-amz-function-error'),
  };
}
