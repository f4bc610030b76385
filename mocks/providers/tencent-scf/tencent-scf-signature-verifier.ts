import type { StoredCredential } from '../../account-registry.ts';
import { headerValue } from '../../signatures/uri-encoding.ts';
import {
  checkCredential,
  fail,
  readAuthorization,
  hmac,
  sameSignature,
  sha256Hex,
  SigningKeyCache,
  type SignedRequest,
  type Verification,
} from '../../signatures/verification.ts';

export interface Tc3Scope {
  /** The service of the credential scope (the SDK takes it from the endpoint's first DNS label). */
  readonly service: string;
}

const ALGORITHM = 'TC3-HMAC-SHA256';
/** Tencent Cloud refuses X-TC-Timestamp values more than five minutes from its clock. */
const ALLOWED_SKEW_SECONDS = 300;
const signingKeys = new SigningKeyCache();

/**
 * Verifies TC3-HMAC-SHA256 as tencentcloud-sdk-nodejs signs it: the canonical headers (normally `content-type;host`)
 * are lower-cased, and `host` is the hostname WITHOUT the port (the SDK signs URL.hostname but sends Host with the
 * port). A host signed with its port is accepted too: on a real endpoint there is no port to disagree about.
 */
export function verifyTc3(
  request: SignedRequest,
  lookup: (accessKeyId: string) => StoredCredential | undefined,
  now: number,
): Verification<Tc3Scope> {
  const authorization = readAuthorization(request, ALGORITHM);
  if ('ok' in authorization) return authorization;
  const { credential: credentialField, signedHeaders: signedHeadersField, signature } = authorization;
  const scopeParts = credentialField.split('/');
  const [accessKeyId, date, service, terminator] = scopeParts;
  if (scopeParts.length !== 4 || accessKeyId === undefined || date === undefined || service === undefined || terminator !== 'tc3_request') {
    return fail('malformed', "the Credential must be 'SecretId/yyyy-mm-dd/service/tc3_request'");
  }
  const checked = checkCredential(lookup(accessKeyId), accessKeyId, headerValue(request.headers, 'x-tc-token'), now);
  if ('ok' in checked) return checked;

  const timestampText = headerValue(request.headers, 'x-tc-timestamp') ?? '';
  if (!/^\d{1,12}$/.test(timestampText)) return fail('malformed', 'the request needs a valid X-TC-Timestamp header', accessKeyId);
  const timestamp = Number(timestampText);
  const serverSeconds = Math.floor(now / 1000);
  if (Math.abs(timestamp - serverSeconds) > ALLOWED_SKEW_SECONDS) {
    return fail('skewed', `Signature expired. Timestamp is ${timestamp}, server time is ${serverSeconds}; they must be within 5 minutes of each other.`, accessKeyId);
  }
  if (new Date(timestamp * 1000).toISOString().slice(0, 10) !== date) {
    return fail('wrong_scope', `the credential scope date ${date} does not match X-TC-Timestamp ${timestamp}`, accessKeyId);
  }
  const signedHeaders = signedHeadersField.split(';');
  if (!signedHeaders.includes('content-type') || !signedHeaders.includes('host')) {
    return fail('malformed', 'content-type and host must be signed', accessKeyId);
  }
  const scope = `${date}/${service}/tc3_request`;
  const signingKey = signingKeys.get(checked.secret, scope, () => hmac(hmac(hmac(`TC3${checked.secret}`, date), service), 'tc3_request'));
  const payloadHash = sha256Hex(request.body);
  const host = headerValue(request.headers, 'host') ?? '';
  const portSeparator = host.lastIndexOf(':');
  const hostname = portSeparator > host.lastIndexOf(']') ? host.slice(0, portSeparator) : host;
  for (const signedHost of hostname === host ? [host] : [hostname, host]) {
    let canonicalHeaders = '';
    for (const name of signedHeaders) {
      const value = name === 'host' ? signedHost : (headerValue(request.headers, name) ?? '');
      canonicalHeaders += `${name}:${value.trim().toLowerCase()}\n`;
    }
    const canonicalRequest = `${request.method}\n${request.path}\n${request.query}\n${canonicalHeaders}\n${signedHeadersField}\n${payloadHash}`;
    const stringToSign = `${ALGORITHM}\n${timestamp}\n${scope}\n${sha256Hex(canonicalRequest)}`;
    if (sameSignature(hmac(signingKey, stringToSign).toString('hex'), signature)) return { ok: true, credential: checked, scope: { service } };
  }
  return fail('bad_signature', 'the signature does not match', accessKeyId);
}
