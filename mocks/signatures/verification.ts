import { createHmac, hash, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { StoredCredential } from '../account-registry.ts';
import { headerValue, parseAuthorizationFields } from './uri-encoding.ts';

/** What a signature verifier needs from a request: everything as it arrived on the wire. */
export interface SignedRequest {
  readonly method: string;
  /** The path exactly as sent, without the query. */
  readonly path: string;
  /** The raw query string without `?`. */
  readonly query: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Why a request was not authenticated; each provider renders these as its own error. */
export type VerificationFailure =
  | 'missing'
  | 'malformed'
  | 'unknown_key'
  | 'invalid_token'
  | 'expired_token'
  | 'skewed'
  | 'wrong_scope'
  | 'bad_signature'
  | 'nonce_reused';

export type Verification<Scope> =
  | { readonly ok: true; readonly credential: StoredCredential; readonly scope: Scope }
  | {
      readonly ok: false;
      readonly failure: VerificationFailure;
      /** Provider-neutral detail for the error message (never a secret). */
      readonly detail: string;
      readonly accessKeyId: string | undefined;
    };

export function fail(failure: VerificationFailure, detail: string, accessKeyId?: string): Verification<never> {
  return { ok: false, failure, detail, accessKeyId };
}

/** The three fields every `<ALGORITHM> Credential=…, SignedHeaders=…, Signature=…` header carries. */
export interface AuthorizationFields {
  readonly credential: string;
  readonly signedHeaders: string;
  readonly signature: string;
}

/** Reads the Authorization header of SigV4, ACS3 and TC3 alike, or says why it cannot. */
export function readAuthorization(request: SignedRequest, algorithm: string): AuthorizationFields | Verification<never> {
  const authorization = headerValue(request.headers, 'authorization');
  if (authorization === undefined) return fail('missing', 'the request has no Authorization header');
  if (!authorization.startsWith(`${algorithm} `)) return fail('malformed', `the Authorization header must use ${algorithm}`);
  const fields = parseAuthorizationFields(authorization.slice(algorithm.length + 1));
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  if (credential === undefined || signedHeaders === undefined || signature === undefined) {
    return fail('malformed', 'the Authorization header needs Credential, SignedHeaders and Signature');
  }
  return { credential, signedHeaders, signature };
}

/** Checks that a key exists and, for temporary credentials, that the token matches and has not expired. */
export function checkCredential(
  credential: StoredCredential | undefined,
  accessKeyId: string,
  token: string | undefined,
  now: number,
): Verification<never> | StoredCredential {
  if (credential === undefined) return fail('unknown_key', `access key ${accessKeyId} does not exist`, accessKeyId);
  if (credential.sessionToken !== undefined) {
    if (token !== credential.sessionToken) return fail('invalid_token', 'the security token does not belong to this access key', accessKeyId);
    if (credential.expiresAt !== undefined && now >= credential.expiresAt) {
      return fail('expired_token', `the temporary credentials expired at ${new Date(credential.expiresAt).toISOString()}`, accessKeyId);
    }
  }
  return credential;
}

/** One-shot hashing (crypto.hash) is about twice as fast as createHash for the small inputs here. */
export function sha256Hex(data: string | Buffer): string {
  return hash('sha256', data, 'hex');
}

export function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac('sha256', key).update(data).digest();
}

/** Constant-time comparison of two hex signatures. */
export function sameSignature(expected: string, received: string): boolean {
  if (expected.length !== received.length) return false;
  return timingSafeEqual(Buffer.from(expected), Buffer.from(received));
}

/** A small bounded cache for derived signing keys (they change once a day per secret and scope). */
export class SigningKeyCache {
  /** secret → scope → key: the secret is a long-lived string whose hash V8 caches. */
  readonly #keys = new Map<string, Map<string, Buffer>>();

  get(secret: string, scope: string, derive: () => Buffer): Buffer {
    let scopes = this.#keys.get(secret);
    if (scopes === undefined) {
      if (this.#keys.size >= 1024) this.#keys.clear();
      scopes = new Map();
      this.#keys.set(secret, scopes);
    }
    let key = scopes.get(scope);
    if (key === undefined) {
      if (scopes.size >= 16) scopes.clear();
      key = derive();
      scopes.set(scope, key);
    }
    return key;
  }
}
