import { invokeResultFromReply, replyTooLargeError } from '../../src/provider-utils/index.ts';
import type { InvokeResultV1 } from '../../src/spec/provider-adapter-v1.ts';
import type { ProviderDefinition } from '../../src/spec/provider-definition.ts';

/** What an FC 3.0 InvokeFunction (Sync) answer says, from the SDK's response or from the raw HTTP answer. */
export interface FcReply {
  readonly body: Uint8Array;
  readonly statusCode: number | undefined;
  /** `x-fc-request-id`. */
  readonly requestId: string | undefined;
  /** `x-fc-log-result` (base64). */
  readonly logResult: string | undefined;
  /** `x-fc-error-type`: present when the function failed, on HTTP 200. */
  readonly errorType: string | undefined;
  readonly durationMs: number;
}

/** One reading of an FC reply for both transports: the function's error marker, then the payload. */
export function fcInvokeResult(provider: ProviderDefinition, functionName: string, reply: FcReply): InvokeResultV1 {
  // the http transport stops reading at the limit; the SDK transport can only check the whole body afterwards
  if (reply.body.byteLength > provider.limits.maxReplyWireBytes) throw replyTooLargeError(provider, functionName, reply.body.byteLength);
  return invokeResultFromReply({
    provider,
    functionName,
    body: reply.body,
    statusCode: reply.statusCode,
    requestId: reply.requestId,
    encodedLogTail: reply.logResult,
    functionErrorType: reply.errorType,
    durationMs: reply.durationMs,
  });
}
