import type { StoredCredential } from '../../account-registry.ts';
import { encodeRfc3986, headerValue, parseAuthorizationFields, parseQuery } from '../../signatures/uri-encoding.ts';
import { checkCredential, fail, hmac, sameSignature, sha256Hex, type SignedRequest, type Verification } from '../../signatures/verification.ts';

const ALGORITHM = 'SDK-HMAC-SHA256';
/** The API gateway refuses an X-Sdk-Date more than 15 minutes from its clock (APIG signing guide). */
const ALLOWED_SKEW_MS = 15 * 60 * 1000;
const SHA256_HEX = /^[0-9a-f]{64}$/;
/** Headers the SDK always signs when it sends them. */
const MUST_BE_SIGNED = ['host', 'x-sdk-date', 'x-security-token', 'x-project-id', 'x-sdk-content-sha256', 'content-type'];

/**
 * Verifies SDK-HMAC-SHA256 as @huaweicloud/huaweicloud-sdk-core's AKSKSigner computes it:
 * `Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<names>, Signature=<hex>`; the canonical URI is the wire
 * path with each segment percent-encoded (unreserved characters only, so a raw `:` is `%3A`) and a `/` always appended;
 * the query sorted by key; each signed header `name:value`; the payload hash from `X-Sdk-Content-Sha256` when signed
 * (which must then be the body's hash, or `UNSIGNED-PAYLOAD`), else computed from the body received. StringToSign =
 * `SDK-HMAC-SHA256\n<X-Sdk-Date>\n<sha256 hex of the canonical request>`, signed with the secret key itself.
 */
export function verifySdkHmacSha256(request: SignedRequest, lookup: (accessKeyId: string) => StoredCredential | undefined, now: number): Verification<undefined> {
  const authorization = headerValue(request.headers, 'authorization');
  if (authorization === undefined) return fail('missing', 'the request has no Authorization header');
  if (!authorization.startsWith(`${ALGORITHM} `)) return fail('malformed', `the Authorization header must use ${ALGORITHM}`);
  const fields = parseAuthorizationFields(authorization.slice(ALGORITHM.length + 1));
  const accessKeyId = fields.get('Access');
  const signedHeadersField = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (accessKeyId === undefined || signedHeadersField === undefined || signature === undefined) {
    return fail('malformed', 'the Authorization header needs Access, SignedHeaders and Signature');
  }
  const checked = checkCredential(lookup(accessKeyId), accessKeyId, headerValue(request.headers, 'x-security-token'), now);
  if ('ok' in checked) return checked;

  const sdkDate = headerValue(request.headers, 'x-sdk-date');
  const requestTime = sdkDate === undefined ? Number.NaN : parseSdkDate(sdkDate);
  if (sdkDate === undefined || Number.isNaN(requestTime)) return fail('malformed', 'the request needs a valid X-Sdk-Date header (YYYYMMDDTHHMMSSZ)', accessKeyId);
  if (Math.abs(requestTime - now) > ALLOWED_SKEW_MS) {
    return fail('skewed', `X-Sdk-Date ${sdkDate} is more than 15 minutes from the server time ${new Date(now).toISOString()}`, accessKeyId);
  }
  const signedHeaders = signedHeadersField.split(';');
  const unsigned = MUST_BE_SIGNED.filter((name) => request.headers[name] !== undefined && !signedHeaders.includes(name));
  if (!signedHeaders.includes('host') || unsigned.length > 0) return fail('malformed', `host and every header the SDK sends must be signed (unsigned: ${unsigned.join(', ') || 'host'})`, accessKeyId);

  const declaredHash = signedHeaders.includes('x-sdk-content-sha256') ? headerValue(request.headers, 'x-sdk-content-sha256') : undefined;
  const bodyHash = sha256Hex(request.body);
  if (declaredHash !== undefined && declaredHash !== 'UNSIGNED-PAYLOAD' && !(SHA256_HEX.test(declaredHash) && declaredHash === bodyHash)) {
    return fail('bad_signature', 'X-Sdk-Content-Sha256 is not the hash of the body received', accessKeyId);
  }
  const pairs = parseQuery(request.query, false);
  if (pairs === undefined) return fail('malformed', 'the query string has a malformed escape', accessKeyId);
  const canonicalQuery = pairs
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([key, value]) => `${encodeRfc3986(key)}=${encodeRfc3986(value)}`)
    .join('&');
  let canonicalHeaders = '';
  for (const name of signedHeaders) canonicalHeaders += `${name}:${headerValue(request.headers, name) ?? ''}\n`;
  const canonicalRequest = `${request.method}\n${canonicalUri(request.path)}\n${canonicalQuery}\n${canonicalHeaders}\n${signedHeadersField}\n${declaredHash ?? bodyHash}`;
  const expected = hmac(checked.secret, `${ALGORITHM}\n${sdkDate}\n${sha256Hex(canonicalRequest)}`).toString('hex');
  if (!sameSignature(expected, signature)) return fail('bad_signature', 'the signature does not match', accessKeyId);
  return { ok: true, credential: checked, scope: undefined };
}

/** The wire path exactly as sent (the SDK signs the path it sends), each segment encoded, with a trailing `/`. */
function canonicalUri(path: string): string {
  const encoded = path.split('/').map(encodeRfc3986).join('/');
  return encoded.endsWith('/') ? encoded : `${encoded}/`;
}

/** `20260102T030405Z` → epoch milliseconds, NaN when malformed. */
function parseSdkDate(value: string): number {
  if (!/^\d{8}T\d{6}Z$/.test(value)) return Number.NaN;
  return Date.UTC(Number(value.slice(0, 4)), Number(value.slice(4, 6)) - 1, Number(value.slice(6, 8)), Number(value.slice(9, 11)), Number(value.slice(11, 13)), Number(value.slice(13, 15)));
}
