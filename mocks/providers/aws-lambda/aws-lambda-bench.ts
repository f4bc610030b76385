import type { BenchInvokeTarget, MockBenchSupport, PresignedRequest } from '../../mock-provider.ts';
import { headerValue } from '../../signatures/uri-encoding.ts';
import { hmac, sha256Hex } from '../../signatures/verification.ts';
import { formatAmzDate } from './aws-lambda-signature-verifier.ts';

/** Lambda Invoke (RequestResponse) signed with SigV4 as the SDK sends it; `X-Amz-Function-Error` marks a function error. */
export const AWS_BENCH: MockBenchSupport = {
  region: 'us-east-1',
  presignInvoke: signLambda,
  readReply(status, headers, body) {
    if (status !== 200) return { ok: false, failure: status === 429 ? 'throttled' : 'failed', detail: `HTTP ${status}` };
    if (headerValue(headers, 'x-amz-function-error') !== undefined) return { ok: false, failure: 'function_error', detail: 'X-Amz-Function-Error' };
    return { ok: true, payload: new Uint8Array(body.buffer, body.byteOffset, body.byteLength) };
  },
  replyFailed: (status, headers) => status !== 200 || headers['x-amz-function-error'] !== undefined,
};

function signLambda(target: BenchInvokeTarget, payload: Uint8Array, now = new Date()): PresignedRequest {
  const { credentials } = target;
  const body = Buffer.from(payload);
  const path = `/2015-03-31/functions/${encodeURIComponent(target.functionName)}/invocations`;
  const amzDate = formatAmzDate(now.getTime());
  const date = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    'content-type': 'application/octet-stream',
    host: target.host,
    'x-amz-content-sha256': sha256Hex(body),
    'x-amz-date': amzDate,
    'x-amz-invocation-type': 'RequestResponse',
    'x-amz-log-type': 'None',
    'x-amz-security-token': credentials.sessionToken,
  };
  const signedNames = Object.keys(headers).sort();
  const canonicalHeaders = signedNames.map((name) => `${name}:${headers[name] ?? ''}\n`).join('');
  // SigV4 encodes the (already encoded) path once more
  const canonicalPath = path.replaceAll('%', '%25');
  const canonicalRequest = `POST\n${canonicalPath}\n\n${canonicalHeaders}\n${signedNames.join(';')}\n${headers['x-amz-content-sha256'] ?? ''}`;
  const scope = `${date}/${target.region}/lambda/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), target.region), 'lambda'), 'aws4_request');
  const signature = hmac(key, stringToSign).toString('hex');
  headers['authorization'] = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedNames.join(';')}, Signature=${signature}`;
  delete headers['host'];
  return { path, headers, body };
}
