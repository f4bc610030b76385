import { createHash, createHmac, randomUUID } from 'node:crypto';
import type { ProviderName } from '../../src/spec/provider-name.ts';
import type { TemporaryCredentials } from '../../src/spec/temporary-credentials.ts';

/** One invoke request ready to send: signed before the clock starts, so the ceiling client does no signing. */
export interface PresignedRequest {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export interface InvokeTarget {
  readonly provider: ProviderName;
  readonly credentials: TemporaryCredentials;
  readonly region: string;
  readonly namespace: string;
  readonly functionName: string;
  /** `host[:port]` of the endpoint, as the client will send it. */
  readonly host: string;
}

const sha256Hex = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/**
 * The provider's invoke request for `payload` (the codec's bytes), with the headers and signature the vendor SDK
 * would send: SigV4 for Lambda, ACS3-HMAC-SHA256 for FC 3.0, TC3-HMAC-SHA256 for SCF InvokeFunction (which carries
 * the payload as the JSON string `Event`, exactly as the adapter does). The mock verifies these like the SDKs' own.
 */
export function presignInvoke(target: InvokeTarget, payload: Uint8Array, now = new Date()): PresignedRequest {
  switch (target.provider) {
    case 'aws':
      return signLambda(target, Buffer.from(payload), now);
    case 'aliyun':
      return signFc(target, Buffer.from(payload), now);
    case 'tencent':
      return signScf(target, payload, now);
  }
}

function signLambda(target: InvokeTarget, body: Buffer, now: Date): PresignedRequest {
  const { credentials } = target;
  const path = `/2015-03-31/functions/${encodeURIComponent(target.functionName)}/invocations`;
  const amzDate = now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
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
  const canonicalHeaders = signedNames.map((name) => `${name}:${headers[name]!}\n`).join('');
  // SigV4 encodes the (already encoded) path once more
  const canonicalPath = path.replaceAll('%', '%25');
  const canonicalRequest = `POST\n${canonicalPath}\n\n${canonicalHeaders}\n${signedNames.join(';')}\n${headers['x-amz-content-sha256']!}`;
  const scope = `${date}/${target.region}/lambda/aws4_request`;
  const stringToSign = `AWS4-HMAC-SHA256\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const key = hmac(hmac(hmac(hmac(`AWS4${credentials.secretAccessKey}`, date), target.region), 'lambda'), 'aws4_request');
  const signature = hmac(key, stringToSign).toString('hex');
  headers['authorization'] = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedNames.join(';')}, Signature=${signature}`;
  delete headers['host'];
  return { path, headers, body };
}

function signFc(target: InvokeTarget, body: Buffer, now: Date): PresignedRequest {
  const { credentials } = target;
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
  const canonicalHeaders = signedNames.map((name) => `${name}:${headers[name]!}\n`).join('');
  const canonicalRequest = `POST\n${path}\n\n${canonicalHeaders}\n${signedNames.join(';')}\n${headers['x-acs-content-sha256']!}`;
  const signature = hmac(credentials.secretAccessKey, `ACS3-HMAC-SHA256\n${sha256Hex(canonicalRequest)}`).toString('hex');
  headers['authorization'] = `ACS3-HMAC-SHA256 Credential=${credentials.accessKeyId},SignedHeaders=${signedNames.join(';')},Signature=${signature}`;
  headers['x-fc-invocation-type'] = 'Sync';
  headers['x-fc-log-type'] = 'None';
  delete headers['host'];
  return { path, headers, body };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function signScf(target: InvokeTarget, payload: Uint8Array, now: Date): PresignedRequest {
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
