import type { InvokeResultV1 } from '../spec/provider-adapter-v1.ts';
import type { ProviderDefinition } from '../spec/provider-definition.ts';
import { classifyProviderError, platformCodeForFunctionErrorType } from './classify-provider-error.ts';
import { replyTooLargeError } from './payload-limit.ts';
import type { ProviderProfile } from './provider-error-tables.ts';
import { createRemoteFunctionError } from './remote-function-error.ts';

/** What a synchronous invocation's HTTP 200 reply says, read from wherever each provider and transport puts it. */
export interface InvokeReply {
  readonly provider: ProviderProfile & Pick<ProviderDefinition, 'limits'>;
  readonly functionName: string;
  readonly body: Uint8Array;
  readonly statusCode: number | undefined;
  readonly requestId: string | undefined;
  /** The base64 log tail header (Lambda `X-Amz-Log-Result`, FC `x-fc-log-result`). */
  readonly encodedLogTail: string | undefined;
  /** The function-error marker (Lambda `X-Amz-Function-Error`, FC `x-fc-error-type`): the function failed, on HTTP 200. */
  readonly functionErrorType: string | undefined;
  readonly durationMs: number;
}

/**
 * The normalised result of a reply, or the function's own error: every cloud answers a failed function with HTTP 200
 * and a marker header, so an unchecked reply would hand the function's error object back as row results. A body
 * above the provider's `maxReplyWireBytes` is E_BAD_RESPONSE (the http transport stops reading there already; an SDK
 * transport can only check the whole body).
 */
export function invokeResultFromReply(reply: InvokeReply): InvokeResultV1 {
  if (reply.body.byteLength > reply.provider.limits.maxReplyWireBytes) throw replyTooLargeError(reply.provider, reply.functionName, reply.body.byteLength);
  const { requestId, encodedLogTail } = reply;
  const logTail = encodedLogTail === undefined || encodedLogTail === '' ? undefined : Buffer.from(encodedLogTail, 'base64').toString('utf8');
  if (reply.functionErrorType !== undefined && reply.functionErrorType !== '') {
    const functionError = createRemoteFunctionError({
      provider: reply.provider,
      functionName: reply.functionName,
      providerErrorType: reply.functionErrorType,
      errorText: Buffer.from(reply.body.buffer, reply.body.byteOffset, reply.body.byteLength).toString('utf8'),
      requestId,
      httpStatus: reply.statusCode,
      logTail,
    });
    // the platform's own refusal in the function-error shape (a reply above the limit): its code, so the batch splits
    const errorType = functionError.data?.errorType;
    const refusal = typeof errorType === 'string' ? platformCodeForFunctionErrorType(reply.provider.errors, errorType) : undefined;
    if (refusal === undefined) throw functionError;
    const facts = { phase: 'invoke', httpStatus: reply.statusCode, requestId, functionErrorType: errorType as string } as const;
    throw classifyProviderError(facts, { provider: reply.provider, target: reply.functionName }, functionError, []);
  }
  return {
    payload: reply.body,
    durationMs: reply.durationMs,
    ...(requestId === undefined ? {} : { requestId }),
    ...(logTail === undefined ? {} : { logTail }),
  };
}
