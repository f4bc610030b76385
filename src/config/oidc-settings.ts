import { isAbsolute, resolve } from 'node:path';
import { isLoopbackHost } from '../serve/bearer-auth.ts';
import { LakefnError } from '../errors/index.ts';
import type { LakefnConfig } from './lakefn-config.ts';

/** Where `lakefn serve` reads the keys that sign ID tokens: the IdP's JWKS URL, or a file holding the JWKS. */
export type JwksSource = { readonly kind: 'url'; readonly url: URL } | { readonly kind: 'file'; readonly path: string };

/** OpenID Connect ID tokens `lakefn serve` accepts: from this issuer, for one of these audiences, signed by a key of the JWKS. */
export interface OidcSettings {
  readonly issuer: string;
  readonly audiences: readonly string[];
  readonly jwks: JwksSource;
}

type Environment = Readonly<Record<string, string | undefined>>;

export const OIDC_VARIABLES = {
  issuer: 'LAKEFN_OIDC_ISSUER',
  audience: 'LAKEFN_OIDC_AUDIENCE',
  jwksUrl: 'LAKEFN_OIDC_JWKS_URL',
  jwksFile: 'LAKEFN_OIDC_JWKS_FILE',
} as const;

/**
 * The OIDC settings from `LAKEFN_OIDC_ISSUER`, `LAKEFN_OIDC_AUDIENCE` (comma-separated), `LAKEFN_OIDC_JWKS_URL` or
 * `LAKEFN_OIDC_JWKS_FILE`, each falling back to config.json `oidc.issuer`, `oidc.audience` (a string or an array),
 * `oidc.jwks_url`, `oidc.jwks_file` (variables win, as for endpoints). Undefined when none is set: serve then accepts no
 * ID tokens. A partial configuration is refused (E_USAGE naming what is missing), as is a JWKS URL that is not https
 * (plain http only on loopback, for tests and local IdPs): keys fetched in the clear could be anyone's.
 */
export function resolveOidcSettings(environment: Environment, config: LakefnConfig, home: string): OidcSettings | undefined {
  const file = config.file.oidc ?? {};
  const variable = (name: string): string | undefined => {
    const value = environment[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const issuer = variable(OIDC_VARIABLES.issuer) ?? file.issuer;
  const audienceText = variable(OIDC_VARIABLES.audience);
  const audiences = audienceText !== undefined ? audienceText.split(',').map((part) => part.trim()).filter((part) => part !== '') : file.audience === undefined ? [] : typeof file.audience === 'string' ? [file.audience] : [...file.audience];
  const jwksUrl = variable(OIDC_VARIABLES.jwksUrl) ?? (variable(OIDC_VARIABLES.jwksFile) === undefined ? file.jwks_url : undefined);
  const jwksFile = variable(OIDC_VARIABLES.jwksFile) ?? (variable(OIDC_VARIABLES.jwksUrl) === undefined ? file.jwks_file : undefined);
  if (issuer === undefined && audiences.length === 0 && jwksUrl === undefined && jwksFile === undefined) return undefined;
  const where = `(${OIDC_VARIABLES.issuer}, ${OIDC_VARIABLES.audience}, ${OIDC_VARIABLES.jwksUrl} or ${OIDC_VARIABLES.jwksFile}, or config.json oidc.{issuer,audience,jwks_url,jwks_file})`;
  const missing = [issuer === undefined ? 'the issuer' : undefined, audiences.length === 0 ? 'the audience' : undefined, jwksUrl === undefined && jwksFile === undefined ? 'a JWKS URL or file' : undefined].filter((part) => part !== undefined);
  if (missing.length > 0) throw new LakefnError('E_USAGE', `OpenID Connect is partly configured: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing ${where}`);
  if (jwksUrl !== undefined && jwksFile !== undefined) throw new LakefnError('E_USAGE', `OpenID Connect: give a JWKS URL or a JWKS file, not both ${where}`);
  if (!URL.canParse(issuer ?? '')) throw new LakefnError('E_USAGE', `OpenID Connect issuer '${(issuer ?? '').slice(0, 80)}' is not a URL (it must equal the ID tokens' "iss" claim, e.g. https://accounts.google.com)`);
  let jwks: JwksSource;
  if (jwksUrl !== undefined) {
    const url = URL.canParse(jwksUrl) ? new URL(jwksUrl) : undefined;
    if (url === undefined || !(url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname)))) {
      throw new LakefnError('E_USAGE', `OpenID Connect JWKS URL '${jwksUrl.slice(0, 120)}' must be an https:// URL (http:// only on loopback), e.g. https://www.googleapis.com/oauth2/v3/certs`);
    }
    jwks = { kind: 'url', url };
  } else {
    const path = jwksFile ?? '';
    jwks = { kind: 'file', path: isAbsolute(path) ? path : resolve(home, path) };
  }
  return { issuer: issuer ?? '', audiences, jwks };
}
