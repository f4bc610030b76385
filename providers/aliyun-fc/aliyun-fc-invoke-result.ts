import { headerValue, invokeResultFromReply } from '../../src/provider-utils/index.ts';
import type { InvokeResultV1 } from '../../src/spec/provider-adapter-v1.ts';
import type { ProviderDefinition } from '../../src/spec/provider-definition.ts';

/** An FC 3.0 InvokeFunction (Sync) answer, from the SDK's response or from the raw HTTP answer. */
export interface FcReply {
  readonly body: Uint8Array;
  readonly statusCode: number | undefined;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly durationMs: number;
}

/**
 * One reading of an FC reply for both transports: `x-fc-error-type` marks the function's own error (on HTTP 200),
 * `x-fc-log-result` carries the base64 log tail, `x-fc-request-id` the request id.
 */
export function fcInvokeResult(provider: ProviderDefinition, functionName: string, reply: FcReply): InvokeResultV1 {
  return invokeResultFromReply({
    provider,
    functionName,
    body: reply.body,
    statusCode: reply.statusCode,
    requestId: headerValue(reply.headers, 'x-fc-request-id'),
    encodedLogTail: headerValue(reply.headers, 'x-fc-log-result'),
    functionErrorType: headerValue(reply.headers, 'x-fc-error-type'),
    durationMs: reply.durationMs,
  });
}
