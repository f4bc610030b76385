import type { BenchInvokeTarget, MockBenchSupport, PresignedRequest } from '../../mock-provider.ts';
import { hmac, sha256Hex } from '../../signatures/verification.ts';

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

function signScf(target: BenchInvokeTarget, payload: Uint8Array, now = new Date()): PresignedRequest {
  const { credentials } = target;
  const body = Buffer.from(JSON.stringify({ FunctionName: target.functionName, Namespace: target.namespace, Event: utf8.decode(payload), LogType: 'None' }));
  const timestamp = Math.floor(now.getTime() / 1000);
  const date = new Date(timestamp * 1000).toISOString().slice(0, 10);
  const hostname = target.host.replace(/:\d+$/, '');
  const canonicalRequest = `POST\n/\n\ncontent-type:application/json\nhost:${hostname}\n\ncontent-type;host\n${sha256Hex(body)}`;
  const scope = `${date}/scf/tc3_request`;
  const stringToSign = `TC3-HMAC-SHA256\n${timestamp}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const key = hmac(hmac(hmac(`TC3${credentials.secretAccessKey}`, date), 'scf'), 'tc3_request');
  const signature = hmac(key, stringToSign).toString('hex');
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: `TC3-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=content-type;host, Signature=${signature}`,
    'x-tc-action': 'InvokeFunction',
    'x-tc-version': '2018-04-16',
    'x-tc-region': target.region,
    'x-tc-timestamp': String(timestamp),
    'x-tc-token': credentials.sessionToken,
  };
  return { path: '/', headers, body };
}
