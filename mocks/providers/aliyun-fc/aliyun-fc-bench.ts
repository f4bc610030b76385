import { OpenApiUtil } from '@alicloud/openapi-core';
import dara from '@darabonba/typescript';
import { acsTimestamp } from '../../../providers/aliyun-fc/aliyun-fc-http-invoke.ts';
import type { BenchInvokeTarget, MockBenchSupport, PresignedRequest } from '../../mock-provider.ts';
import { headerValue } from '../../signatures/uri-encoding.ts';

const SIGNATURE_ALGORITHM = 'ACS3-HMAC-SHA256';
const API_VERSION = '2023-03-30';

/** FC 3.0 InvokeFunction (Sync) signed with ACS3-HMAC-SHA256 as openapi-core sends it; `x-fc-error-type` marks a function error. */
export const ALIYUN_BENCH: MockBenchSupport = {
  region: 'cn-hangzhou',
  presignInvoke: signFc,
  readReply(status, headers, body) {
    if (status !== 200) return { ok: false, failure: status === 429 ? 'throttled' : 'failed', detail: `HTTP ${status}` };
    if (headerValue(headers, 'x-fc-error-type') !== undefined) return { ok: false, failure: 'function_error', detail: 'x-fc-error-type' };
    return { ok: true, payload: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  },
  replyFailed: (status, headers) => status !== 200 || headers['x-fc-error-type'] !== undefined,
};

type SignableRequest = Parameters<typeof OpenApiUtil.getAuthorization>[0];

/** Signed by openapi-core's own ACS3-HMAC-SHA256 helpers, over the headers the adapter sends (aliyun-fc-http-invoke.ts). */
async function signFc(target: BenchInvokeTarget, payload: Uint8Array, now = new Date()): Promise<PresignedRequest> {
  const { credentials } = target;
  const body = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const pathname = `/${API_VERSION}/functions/${dara.URL.percentEncode(target.functionName)}/invocations`;
  const headers: Record<string, string> = {
    host: target.host,
    'x-acs-version': API_VERSION,
    'x-acs-action': 'InvokeFunction',
    'x-acs-date': acsTimestamp(now.getTime()),
    'x-acs-signature-nonce': OpenApiUtil.getNonce(),
    'x-fc-invocation-type': 'Sync',
    'x-fc-log-type': 'None',
    'content-type': 'application/octet-stream',
    'x-acs-content-sha256': OpenApiUtil.hash(body, SIGNATURE_ALGORITHM).toString('hex'),
    'x-acs-accesskey-id': credentials.accessKeyId,
    'x-acs-security-token': credentials.sessionToken,
  };
  const signable = { pathname, method: 'POST', query: {}, headers } as unknown as SignableRequest;
  headers['Authorization'] = OpenApiUtil.getAuthorization(signable, SIGNATURE_ALGORITHM, headers['x-acs-content-sha256'] ?? '', credentials.accessKeyId, credentials.secretAccessKey);
  return { path: pathname, headers, body };
}
