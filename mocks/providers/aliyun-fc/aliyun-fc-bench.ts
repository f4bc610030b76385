import { randomUUID } from 'node:crypto';
import type { BenchInvokeTarget, MockBenchSupport, PresignedRequest } from '../../mock-provider.ts';
import { headerValue } from '../../signatures/uri-encoding.ts';
import { hmac, sha256Hex } from '../../signatures/verification.ts';

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

function signFc(target: BenchInvokeTarget, payload: Uint8Array, now = new Date()): PresignedRequest {
  const { credentials } = target;
  const body = Buffer.from(payload);
  const path = `/2023-03-30/functions/${encodeURIComponent(target.functionName)}/invocations`;
  const headers: Record<string, string> = {
    'content-type': 'application/octet-stream',
    host: target.host,
    'x-acs-accesskey-id': credentials.accessKeyId,
    'x-acs-action': 'InvokeFunction',
    'x-acs-content-sha256': sha256Hex(body),
    'x-acs-date': now.toISOString().replace(/\.\d{3}/, ''),
    'x-acs-security-token': credentials.sessionToken,
    'x-acs-signature-nonce': randomUUID(),
    'x-acs-version': '2023-03-30',
  };
  const signedNames = Object.keys(headers).sort();
  const canonicalHeaders = signedNames.map((name) => `${name}:${headers[name] ?? ''}\n`).join('');
  const canonicalRequest = `POST\n${path}\n\n${canonicalHeaders}\n${signedNames.join(';')}\n${headers['x-acs-content-sha256'] ?? ''}`;
  const signature = hmac(credentials.secretAccessKey, `ACS3-HMAC-SHA256\n${sha256Hex(canonicalRequest)}`).toString('hex');
  headers['authorization'] = `ACS3-HMAC-SHA256 Credential=${credentials.accessKeyId},SignedHeaders=${signedNames.join(';')},Signature=${signature}`;
  headers['x-fc-invocation-type'] = 'Sync';
  headers['x-fc-log-type'] = 'None';
  delete headers['host'];
  return { path, headers, body };
}
