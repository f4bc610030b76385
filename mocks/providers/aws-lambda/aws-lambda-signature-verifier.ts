import type { StoredCredential } from '../../account-registry.ts';
import { encodeRfc3986, headerValue, parseQuery } from '../../signatures/uri-encoding.ts';
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

export interface SigV4Scope {
  readonly region: string;
  readonly service: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS accepts request times up to 15 minutes away from its own clock. */
const ALLOWED_SKEW_MS = 15 * 60 * 1000;
const signingKeys = new SigningKeyCache();

/**
 * Verifies an AWS Signature Version 4 Authorization header the way AWS does for Lambda and STS: the canonical URI is
 * the wire path encoded once more (so `%3A` becomes `%253A`), the payload hash is computed from the body received.
 * The scope's region picks the partition whose keys are known. Error details for clock skew reproduce AWS's wording.
 */
export function verifySigV4(
  request: SignedRequest,
  lookup: (accessKeyId: string) => StoredCredential | undefined,
  now: number,
  expectedService: string,
  partitionOfRegion: (region: string) => string,
): Verification<SigV4Scope> {
  const authorization = readAuthorization(request, ALGORITHM);
  if ('ok' in authorization) return authorization;
  const { credential: credentialField, signedHeaders: signedHeadersField, signature } = authorization;
  const scopeParts = credentialField.split('/');
  const [accessKeyId, date, region, service, terminator] = scopeParts;
  if (scopeParts.length !== 5 || accessKeyId === undefined || date === undefined || region === undefined || service === undefined || terminator !== 'aws4_request') {
    return fail('malformed', "the Credential must be 'AKID/yyyymmdd/region/service/aws4_request'");
  }
  // a partition's endpoints know only that partition's keys (an aws key does not exist at *.amazonaws.com.cn)
  const stored = lookup(accessKeyId);
  const checked = checkCredential(stored?.partition === partitionOfRegion(region) ? stored : undefined, accessKeyId, headerValue(request.headers, 'x-amz-security-token'), now);
  if ('ok' in checked) return checked;

  const amzDate = headerValue(request.headers, 'x-amz-date');
  const requestTime = amzDate === undefined ? Number.NaN : parseAmzDate(amzDate);
  if (amzDate === undefined || Number.isNaN(requestTime)) return fail('malformed', 'the request needs a valid X-Amz-Date header', accessKeyId);
  if (requestTime < now - ALLOWED_SKEW_MS) {
    return fail('skewed', `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(now - ALLOWED_SKEW_MS)} (${formatAmzDate(now)} - 15 min.)`, accessKeyId);
  }
  if (requestTime > now + ALLOWED_SKEW_MS) {
    return fail('skewed', `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(now + ALLOWED_SKEW_MS)} (${formatAmzDate(now)} + 15 min.)`, accessKeyId);
  }
  if (date !== amzDate.slice(0, 8)) return fail('wrong_scope', `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`, accessKeyId);
  if (service !== expectedService) return fail('wrong_scope', `Credential should be scoped to correct service: '${expectedService}'.`, accessKeyId);

  const signedHeaders = signedHeadersField.split(';');
  if (!signedHeaders.includes('host')) return fail('malformed', "'Host' must be a signed header", accessKeyId);
  const canonicalQuery = canonicalQueryString(request.query);
  if (canonicalQuery === undefined) return fail('malformed', 'the query string has a malformed escape', accessKeyId);
  let canonicalHeaders = '';
  for (const name of signedHeaders) canonicalHeaders += `${name}:${canonicalHeaderValue(headerValue(request.headers, name) ?? '')}\n`;
  const canonicalRequest = `${request.method}\n${canonicalPath(request.path)}\n${canonicalQuery}\n${canonicalHeaders}\n${signedHeadersField}\n${sha256Hex(request.body)}`;
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
  const signingKey = signingKeys.get(checked.secret, scope, () =>
    hmac(hmac(hmac(hmac(`AWS4${checked.secret}`, date), region), service), 'aws4_request'),
  );
  const expected = hmac(signingKey, stringToSign).toString('hex');
  if (!sameSignature(expected, signature)) return fail('bad_signature', 'the signature does not match', accessKeyId);
  return { ok: true, credential: checked, scope: { region, service } };
}

const canonicalPaths = new Map<string, string>();

/** smithy's getCanonicalPath, memoised: the same few function paths arrive over and over. */
function canonicalPath(path: string): string {
  let canonical = canonicalPaths.get(path);
  if (canonical === undefined) {
    if (canonicalPaths.size >= 4096) canonicalPaths.clear();
    canonical = computeCanonicalPath(path);
    canonicalPaths.set(path, canonical);
  }
  return canonical;
}

/** Drops empty and dot segments, then encodes the (already encoded) path once more. */
function computeCanonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const normalized = `${path.startsWith('/') ? '/' : ''}${segments.join('/')}${segments.length > 0 && path.endsWith('/') ? '/' : ''}`;
  return encodeRfc3986(normalized).replaceAll('%2F', '/');
}

function canonicalQueryString(rawQuery: string): string | undefined {
  if (rawQuery === '') return '';
  const pairs = parseQuery(rawQuery, false);
  if (pairs === undefined) return undefined;
  // sorted by encoded key, then by encoded value (smithy's getCanonicalQuery)
  return pairs
    .filter(([key]) => key.toLowerCase() !== 'x-amz-signature')
    .map(([key, value]): [string, string] => [encodeRfc3986(key), encodeRfc3986(value)])
    .sort(([keyA, valueA], [keyB, valueB]) => compare(keyA, keyB) || compare(valueA, valueB))
    .map(([key, value]) => `${key}=${value}`)
    .join('&');
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** smithy's header normalisation; most values need none of it, so test before rewriting. */
function canonicalHeaderValue(value: string): string {
  if (!/[\r\n\t]| {2}/.test(value)) return value.trim();
  return value.replace(/[\r\n]/g, ' ').replace(/[ \t]+/g, ' ').trim();
}

let lastAmzDate = { text: '', milliseconds: Number.NaN };

/** `20240102T030405Z` → epoch milliseconds (NaN when malformed); requests of the same second share one parse. */
function parseAmzDate(value: string): number {
  if (value !== lastAmzDate.text) lastAmzDate = { text: value, milliseconds: computeAmzDate(value) };
  return lastAmzDate.milliseconds;
}

function computeAmzDate(value: string): number {
  if (value.length !== 16 || value[8] !== 'T' || value[15] !== 'Z') return Number.NaN;
  const digits = value.slice(0, 8) + value.slice(9, 15);
  if (!/^\d{14}$/.test(digits)) return Number.NaN;
  return Date.UTC(
    Number(digits.slice(0, 4)),
    Number(digits.slice(4, 6)) - 1,
    Number(digits.slice(6, 8)),
    Number(digits.slice(8, 10)),
    Number(digits.slice(10, 12)),
    Number(digits.slice(12, 14)),
  );
}

export function formatAmzDate(milliseconds: number): string {
  return new Date(milliseconds).toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
