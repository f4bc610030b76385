import signModule from 'tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js';
import type { BenchInvokeTarget, MockBenchSupport, PresignedRequest } from '../../mock-provider.ts';

const Sign = signModule.default;

const utf8 = new TextDecoder('utf-8', { fatal: true });

interface ScfReply {
  readonly Response?: { readonly Error?: { readonly Code?: string }; readonly Result?: { readonly RetMsg?: string; readonly ErrMsg?: string } };
}

/**
 * SCF InvokeFunction signed with TC3-HMAC-SHA256 as the SDK sends it: the payload travels as the JSON string `Event`,
 * exactly as the adapter sends it. Errors are HTTP 200 with `Response.Error`; a function error has `Result.ErrMsg`.
 */
export const TENCENT_BENCH: MockBenchSupport = {
  region: 'ap-guangzhou',
  presignInvoke: signScf,
  readReply(status, _headers, body) {
    if (status !== 200) return { ok: false, failure: 'failed', detail: `HTTP ${status}` };
    const reply = JSON.parse(body.toString('utf8')) as ScfReply;
    const code = reply.Response?.Error?.Code;
    if (code !== undefined) return { ok: false, failure: code.startsWith('RequestLimitExceeded') ? 'throttled' : 'failed', detail: code };
    if ((reply.Response?.Result?.ErrMsg ?? '') !== '') return { ok: false, failure: 'function_error', detail: 'Result.ErrMsg' };
    return { ok: true, payload: Buffer.from(reply.Response?.Result?.RetMsg ?? '', 'utf8') };
  },
  replyFailed: (status, _headers, body) => status !== 200 || body.includes('"Error":'),
};

/** Signed by the Tencent SDK's own TC3-HMAC-SHA256 signer (`Sign.sign3`), over the headers the adapter sends. */
async function signScf(target: BenchInvokeTarget, payload: Uint8Array, now = new Date()): Promise<PresignedRequest> {
  const { credentials } = target;
  const body = Buffer.from(JSON.stringify({ FunctionName: target.functionName, Namespace: target.namespace, Event: utf8.decode(payload), LogType: 'None' }));
  const timestamp = Math.floor(now.getTime() / 1000);
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'X-TC-Action': 'InvokeFunction',
    'X-TC-Version': '2018-04-16',
    'X-TC-Region': target.region,
    'X-TC-Timestamp': String(timestamp),
    'X-TC-Token': credentials.sessionToken,
  };
  headers['Authorization'] = Sign.sign3({
    method: 'POST',
    url: `http://${target.host}/`,
    payload: body,
    timestamp,
    service: 'scf',
    secretId: credentials.accessKeyId,
    secretKey: credentials.secretAccessKey,
    multipart: false,
    boundary: '',
    headers,
  });
  return { path: '/', headers, body };
}
