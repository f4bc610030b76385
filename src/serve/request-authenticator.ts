import { API_TOKEN, API_TOKEN_MARK } from '../catalog/authentication-rules.ts';
import { LakefnError } from '../errors/index.ts';
import { serveTokenPrincipal, userPrincipal, type AuthenticatedPrincipal } from '../governance/authenticated-principal.ts';
import { hashApiToken } from '../governance/token-statements.ts';
import type { CatalogStore } from '../store/catalog-store.ts';
import { isAuthorized } from './bearer-auth.ts';
import { httpError } from './http-status.ts';
import type { OidcVerifier } from './oidc-verifier.ts';

/** Who sent a request, from its Authorization header; a refusal is a 401 (E_AUTH) the server answers with WWW-Authenticate. */
export interface RequestAuthenticator {
  authenticate(authorization: string | undefined, sourceIp: string | undefined): Promise<AuthenticatedPrincipal>;
}

export interface CatalogAuthenticatorOptions {
  /** Per-user API tokens and OIDC subject bindings are looked up here (every request: a revocation is effective at once). */
  readonly store?: CatalogStore | undefined;
  /** LAKEFN_SERVE_TOKEN: its holder is the bootstrap super administrator (existing setups). */
  readonly serveToken?: string | undefined;
  readonly oidc?: OidcVerifier | undefined;
  /** A token's last-used time is written at most this often (it is a hint, and each write takes the write lock). @default 60_000 */
  readonly lastUsedResolutionMs?: number;
  readonly now?: () => number;
}

/**
 * `lakefn serve`'s authentication, one Bearer credential per request:
 * - `LAKEFN_SERVE_TOKEN` (compared in constant time): the bootstrap super administrator;
 * - a per-user API token (`lakefn_…`): looked up by its SHA-256 in the catalog, refused when unknown (revoked) or expired;
 * - an OpenID Connect ID token (a JWT): verified by `jose`, then its `issuer|sub` must be bound to a user
 *   (`ALTER USER u SET OIDC_SUBJECT`).
 * Nothing is cached: each request reads the token or binding in its own snapshot, so REVOKE TOKEN, DROP USER and UNSET
 * OIDC_SUBJECT hold for the next request.
 */
export class CatalogAuthenticator implements RequestAuthenticator {
  readonly #options: CatalogAuthenticatorOptions;

  constructor(options: CatalogAuthenticatorOptions) {
    this.#options = options;
  }

  async authenticate(authorization: string | undefined, sourceIp: string | undefined): Promise<AuthenticatedPrincipal> {
    const presented = bearerOf(authorization);
    const { serveToken, store, oidc } = this.#options;
    if (serveToken !== undefined && isAuthorized(authorization, serveToken)) return serveTokenPrincipal(sourceIp);
    if (presented.startsWith(API_TOKEN_MARK) && store !== undefined) return this.#apiToken(store, presented, sourceIp);
    if (oidc !== undefined && presented.split('.').length === 3 && store !== undefined) return this.#idToken(store, oidc, presented, sourceIp);
    throw refused('the bearer credential is not a token this server accepts (LAKEFN_SERVE_TOKEN, a lakefn_ API token' + (oidc === undefined ? '' : ', or an OpenID Connect ID token') + ')');
  }

  async #apiToken(store: CatalogStore, token: string, sourceIp: string | undefined): Promise<AuthenticatedPrincipal> {
    if (!API_TOKEN.test(token)) throw refused('the API token is malformed (a lakefn_ token has 43 characters after its prefix)');
    const now = this.#now();
    const found = await store.read(async (session) => {
      const record = await session.governance.apiTokenByHash(hashApiToken(token));
      const user = record === undefined ? undefined : await session.governance.principalById(record.userId);
      return record === undefined || user === undefined ? undefined : { record, user };
    });
    if (found === undefined) throw refused('unknown or revoked API token');
    const { record, user } = found;
    if (record.expiresAt !== null && Date.parse(record.expiresAt) <= now) throw refused(`API token ${record.id} expired at ${record.expiresAt}; ask for a new one (ALTER USER ${user.name} ADD TOKEN)`);
    const resolution = this.#options.lastUsedResolutionMs ?? 60_000;
    if (record.lastUsedAt === null || now - Date.parse(record.lastUsedAt) >= resolution) {
      const at = new Date(now).toISOString();
      await store.write(async (session) => {
        // re-read in the write transaction: a token revoked meanwhile is not written back
        const current = await session.governance.apiTokenByHash(record.tokenHash);
        if (current !== undefined) await session.governance.touchApiToken(current, at);
      });
    }
    return userPrincipal(user.name, 'token', sourceIp);
  }

  async #idToken(store: CatalogStore, oidc: OidcVerifier, token: string, sourceIp: string | undefined): Promise<AuthenticatedPrincipal> {
    const subject = await oidc.subjectOf(token);
    const user = await store.read(async (session) => {
      const binding = await session.governance.oidcSubject(subject);
      return binding === undefined ? undefined : session.governance.principalById(binding.userId);
    });
    if (user === undefined) throw refused(`the ID token is valid, but its subject '${subject}' is bound to no lakefn user (ALTER USER <name> SET OIDC_SUBJECT = '${subject}')`);
    return userPrincipal(user.name, 'oidc', sourceIp);
  }

  #now(): number {
    return this.#options.now?.() ?? Date.now();
  }
}

/** The credential of `Authorization: Bearer <credential>`; a 401 without one. */
function bearerOf(authorization: string | undefined): string {
  const match = authorization === undefined ? null : /^Bearer +(\S+) *$/i.exec(authorization);
  if (match === null) {
    throw httpError(401, 'E_AUTH', 'this request needs credentials: send "Authorization: Bearer <token>" (a lakefn_ API token from ALTER USER … ADD TOKEN, an OpenID Connect ID token, or LAKEFN_SERVE_TOKEN)');
  }
  return match[1] ?? '';
}

/** A presented credential that does not authenticate anyone (RFC 6750 `invalid_token`). */
function refused(why: string): LakefnError {
  const error = httpError(401, 'E_AUTH', `authentication failed: ${why}`);
  return new LakefnError(error.code, error.message, { data: { ...error.data, invalid_token: true } });
}
