import { readFileSync } from 'node:fs';
import { createLocalJWKSet, createRemoteJWKSet, errors, jwtVerify, type JSONWebKeySet, type JWTVerifyGetKey } from 'jose';
import type { OidcSettings } from '../config/oidc-settings.ts';
import { LakefnError } from '../errors/index.ts';
import { HTTP_STATUS_KEY, httpError } from './http-status.ts';

/** What signs ID tokens from Google (BigQuery remote functions) and the usual IdPs; nothing else is accepted. */
const ALGORITHMS = ['RS256', 'ES256'];
/** Clock difference tolerated on exp/nbf/iat. */
const CLOCK_TOLERANCE_SECONDS = 30;
const MAX_JWKS_FILE_BYTES = 1_048_576;

/**
 * Verifies OpenID Connect ID tokens with `jose`: signature (RS256/ES256) by a key of the configured JWKS (fetched and
 * cached by jose; an unknown key id makes it fetch again, at most every 30 s), issuer, audience, expiry. Its answer is the
 * subject as lakefn binds it, `issuer|sub`. Every failure is a 401 saying what was wrong with the token (never the
 * token); a JWKS that cannot be fetched is a 503 (the IdP, not the caller).
 */
export class OidcVerifier {
  readonly #settings: OidcSettings;
  readonly #keys: JWTVerifyGetKey;

  constructor(settings: OidcSettings) {
    this.#settings = settings;
    this.#keys = settings.jwks.kind === 'url'
      ? createRemoteJWKSet(settings.jwks.url, { timeoutDuration: 5_000, cooldownDuration: 30_000, cacheMaxAge: 600_000 })
      : createLocalJWKSet(readJwksFile(settings.jwks.path));
  }

  get issuer(): string {
    return this.#settings.issuer;
  }

  async subjectOf(idToken: string): Promise<string> {
    try {
      const { payload } = await jwtVerify(idToken, this.#keys, {
        issuer: this.#settings.issuer,
        audience: [...this.#settings.audiences],
        algorithms: ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ['sub', 'exp'],
      });
      return `${this.#settings.issuer}|${payload.sub ?? ''}`;
    } catch (error) {
      throw describeFailure(error);
    }
  }
}

function describeFailure(error: unknown): LakefnError {
  const invalid = (why: string): LakefnError => {
    const failure = httpError(401, 'E_AUTH', `the OpenID Connect ID token was refused: ${why}`);
    return new LakefnError(failure.code, failure.message, { data: { ...failure.data, invalid_token: true }, cause: error });
  };
  if (error instanceof errors.JWTExpired) return invalid(`it expired (exp ${String(error.payload.exp)}); get a fresh one from the identity provider`);
  if (error instanceof errors.JWTClaimValidationFailed) return invalid(`claim "${error.claim}" ${error.reason === 'check_failed' ? 'does not match this server (issuer and audience must be the configured ones)' : error.reason.replaceAll('_', ' ')}`);
  if (error instanceof errors.JWKSNoMatchingKey) return invalid('no key of the configured JWKS matches its key id (kid) and algorithm');
  if (error instanceof errors.JWSSignatureVerificationFailed) return invalid('its signature does not verify');
  if (error instanceof errors.JOSEAlgNotAllowed) return invalid(`its algorithm is not accepted (only ${ALGORITHMS.join(' and ')})`);
  if (error instanceof errors.JWKSTimeout || (error instanceof Error && !(error instanceof errors.JOSEError))) {
    return new LakefnError('E_TRANSPORT', "the identity provider's JWKS could not be fetched to check an ID token; retry later", { data: { [HTTP_STATUS_KEY]: 503 }, retryable: true, cause: error });
  }
  return invalid(error instanceof errors.JOSEError ? `it is not a valid JWT (${error.code})` : 'it is not a valid JWT');
}

function readJwksFile(path: string): JSONWebKeySet {
  let text: string;
  try {
    const bytes = readFileSync(path);
    if (bytes.length > MAX_JWKS_FILE_BYTES) throw new Error(`${bytes.length} bytes is too large for a JWKS`);
    text = bytes.toString('utf8');
  } catch (error) {
    throw new LakefnError('E_USAGE', `cannot read the OpenID Connect JWKS file ${path}: ${(error as Error).message}`, { cause: error });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new LakefnError('E_USAGE', `the OpenID Connect JWKS file ${path} is not JSON: ${(error as Error).message}`, { cause: error });
  }
  if (typeof parsed !== 'object' || parsed === null || !Array.isArray((parsed as { keys?: unknown }).keys)) {
    throw new LakefnError('E_USAGE', `the OpenID Connect JWKS file ${path} is not a JWKS (an object with a "keys" array)`);
  }
  return parsed as JSONWebKeySet;
}
