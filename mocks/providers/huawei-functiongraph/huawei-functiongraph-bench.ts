import { signHuaweiRequest } from '../../../providers/huawei-functiongraph/huawei-functiongraph-http-invoke.ts';
import type { BenchInvokeTarget, MockBenchSupport, PresignedRequest } from '../../mock-provider.ts';
import { headerValue } from '../../signatures/uri-encoding.ts';
import { projectIdOf } from './huawei-functiongraph-sts-handler.ts';

/**
 * FunctionGraph synchronous invocation signed with the SDK's SDK-HMAC-SHA256 signer (the adapter's wrapper of it), in
 * the project the mock gives the account in the region; `X-Is-Func-Err: true` marks a function error.
 */
export const HUAWEI_BENCH: MockBenchSupport = {
  region: 'cn-north-4',
  presignInvoke: signInvoke,
  readReply(status, headers, body) {
    if (status !== 200) return { ok: false, failure: status === 429 ? 'throttled' : 'failed', detail: `HTTP ${status}` };
    if (headerValue(headers, 'x-is-func-err') === 'true') return { ok: false, failure: 'function_error', detail: 'X-Is-Func-Err' };
    const reply = JSON.parse(body.toString('utf8')) as { readonly result?: unknown };
    return { ok: true, payload: Buffer.from(typeof reply.result === 'string' ? reply.result : '', 'utf8') };
  },
  replyFailed: (status, headers) => status !== 200 || headers['x-is-func-err'] === 'true',
};

async function signInvoke(target: BenchInvokeTarget, payload: Uint8Array, now = new Date()): Promise<PresignedRequest> {
  const { credentials } = target;
  const projectId = projectIdOf(target.accountId, target.region);
  const path = `/v2/${projectId}/fgs/functions/urn:fss:${target.region}:${projectId}:function:${target.namespace}:${target.functionName}:latest/invocations`;
  const body = Buffer.from(payload);
  const origin = new URL(`http://${target.host}`);
  const headers = signHuaweiRequest(
    { method: 'POST', origin, path, headers: { 'Content-Type': 'application/json', 'X-CFF-Request-Version': 'v1' }, body, clockOffsetMs: now.getTime() - Date.now() },
    { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, securityToken: credentials.sessionToken, projectId },
  );
  return { path, headers, body };
}
