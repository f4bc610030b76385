import { invokeResultFromReply, replyTooLargeError } from '../../src/provider-utils/index.ts';
import type { InvokeResultV1 } from '../../src/spec/provider-adapter-v1.ts';
import type { ProviderDefinition } from '../../src/spec/provider-definition.ts';

/** What a Lambda RequestResponse answer says, from the SDK's output or from the raw HTTP answer. */
export interface LambdaReply {
  readonly body: Uint8Array;
  readonly statusCode: number | undefined;
  readonly requestId: string | undefined;
  /** `X-Amz-Log-Result` (base64). */
  readonly logResult: string | undefined;
  /** `X-Amz-Function-Error`: present when the function failed, on HTTP 200. */
  readonly functionError: string | undefined;
  readonly durationMs: number;
}

/** One reading of a Lambda reply for both transports: the function's error marker, then the payload. */
export function lambdaInvokeResult(provider: ProviderDefinition, functionName: string, reply: LambdaReply): InvokeResultV1 {
  // the http transport stops reading at the limit; the SDK transport can only check the whole body afterwards
  if (reply.body.byteLength > provider.limits.maxReplyWireBytes) throw replyTooLargeError(provider, functionName, reply.body.byteLength);
  return invokeResultFromReply({
    provider,
    functionName,
    body: reply.body,
    statusCode: reply.statusCode,
    requestId: reply.requestId,
    encodedLogTail: reply.logResult,
    functionErrorType: reply.functionError,
    durationMs: reply.durationMs,
  });
}
