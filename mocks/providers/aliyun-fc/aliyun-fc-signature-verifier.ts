import type { StoredCredential } from '../../account-registry.ts';
import type { NonceRegistry } from '../../signatures/nonce-registry.ts';
import { encodeRfc3986, headerValue, parseQuery } from '../../signatures/uri-encoding.ts';
import { checkCredential, fail, hmac, readAuthorization, sameSignature, sha256Hex, type SignedRequest, type Verification } from '../../signatures/verification.ts';

const ALGORITHM = 'ACS3-HMAC-SHA256';
/** Alibaba Cloud refuses x-acs-date values more than 15 minutes from its clock. */
const ALLOWED_SKEW_MS = 15 * 60 * 1000;

/**
 * Verifies ACS3-HMAC-SHA256 as @alicloud/openapi-core signs it: canonical request over the wire path, the sorted
 * re-encoded query, and the signed headers (host with its port, content-type, every x-acs-* header; the verifier also
 * insists that every x-acs-* header present is signed), hashed payload computed from the body received.
 */
export function verifyAcs3(
  request: SignedRequest,
  lookup: (accessKeyId: string) => StoredCredential | undefined,
  now: number,
  nonces: NonceRegistry,
): Verification<undefined> {
  const authorization = readAuthorization(request, ALGORITHM);
  if ('ok' in authorization) return authorization;
  const { credential: accessKeyId, signedHeaders: signedHeadersField, signature } = authorization;
  const checked = checkCredential(lookup(accessKeyId), accessKeyId, headerValue(request.headers, 'x-acs-security-token'), now);
  if ('ok' in checked) return checked;

  const acsDate = headerValue(request.headers, 'x-acs-date');
  const requestTime = acsDate === undefined || acsDate.length > 40 ? Number.NaN : Date.parse(acsDate);
  if (Number.isNaN(requestTime)) return fail('malformed', 'the request needs a valid x-acs-date header', accessKeyId);
  if (Math.abs(requestTime - now) > ALLOWED_SKEW_MS) {
    return fail('skewed', `x-acs-date ${acsDate} is more than 15 minutes from the server time ${new Date(now).toISOString()}`, accessKeyId);
  }
  const nonce = headerValue(request.headers, 'x-acs-signature-nonce');
  if (nonce === undefined || nonce === '') return fail('malformed', 'the request needs an x-acs-signature-nonce header', accessKeyId);

  const signedHeaders = signedHeadersField.split(';');
  const unsigned = Object.keys(request.headers).filter((name) => name.startsWith('x-acs-') && !signedHeaders.includes(name));
  if (!signedHeaders.includes('host') || unsigned.length > 0) {
    return fail('malformed', `host and every x-acs-* header must be signed (unsigned: ${['host', ...unsigned].filter((name) => !signedHeaders.includes(name)).join(', ')})`, accessKeyId);
  }
  const pairs = parseQuery(request.query, true);
  if (pairs === undefined) return fail('malformed', 'the query string has a malformed escape', accessKeyId);
  const canonicalQuery = pairs
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${key}=${encodeRfc3986(value)}`)
    .join('&');
  let canonicalHeaders = '';
  for (const name of signedHeaders) canonicalHeaders += `${name}:${(headerValue(request.headers, name) ?? '').trim()}\n`;
  const canonicalUri = request.path.replaceAll('+', '%20').replaceAll('*', '%2A').replaceAll('%7E', '~');
  const canonicalRequest = `${request.method}\n${canonicalUri}\n${canonicalQuery}\n${canonicalHeaders}\n${signedHeadersField}\n${sha256Hex(request.body)}`;
  const expected = hmac(checked.secret, `${ALGORITHM}\n${sha256Hex(canonicalRequest)}`).toString('hex');
  if (!sameSignature(expected, signature)) return fail('bad_signature', 'the signature does not match', accessKeyId);
  if (!nonces.remember(nonce)) return fail('nonce_reused', `signature nonce ${nonce} was used already`, accessKeyId);
  return { ok: true, credential: checked, scope: undefined };
}
