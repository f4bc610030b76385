import { Sha256 } from '@smithy/core/checksum';
import { extendedEncodeURIComponent } from '@smithy/core/protocols';
import { SignatureV4 } from '@smithy/signature-v4';
import { createClientCache, credentialsCacheKey } from '../../../src/provider-utils/client-cache.ts';
import type { BenchInvokeTarget, MockBenchSupport, PresignedRequest } from '../../mock-provider.ts';
import { headerValue } from '../../signatures/uri-encoding.ts';

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

/** Signers per credentials (a SignatureV4 caches its signing key per day, as the adapter keeps them). */
const signers = createClientCache<SignatureV4>(64);

/** Signed by the AWS SDK's own SigV4 signer (`@smithy/signature-v4`), over the request the adapter sends. */
async function signLambda(target: BenchInvokeTarget, payload: Uint8Array, now = new Date()): Promise<PresignedRequest> {
  const { credentials } = target;
  const body = Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength);
  const path = `/2015-03-31/functions/${extendedEncodeURIComponent(target.functionName)}/invocations`;
  const signer = signers.get(
    credentialsCacheKey(credentials.accessKeyId, credentials.secretAccessKey, credentials.sessionToken, target.region),
    () => new SignatureV4({ service: 'lambda', region: target.region, credentials: { accessKeyId: credentials.accessKeyId, secretAccessKey: credentials.secretAccessKey, sessionToken: credentials.sessionToken }, sha256: Sha256 }),
  );
  const origin = new URL(`http://${target.host}`);
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: origin.protocol,
      hostname: origin.hostname,
      ...(origin.port === '' ? {} : { port: Number(origin.port) }),
      path,
      query: {},
      headers: { 'x-amz-invocation-type': 'RequestResponse', 'x-amz-log-type': 'None', 'content-type': 'application/octet-stream', 'content-length': String(body.byteLength), host: origin.host },
      body,
    },
    { signingDate: now },
  );
  return { path, headers: signed.headers, body };
}
