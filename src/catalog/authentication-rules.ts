/**
 * The shapes of what authenticates a user on `lakefn serve`: API token ids, prefixes and hashes, and OIDC subjects.
 * Checked where a statement names them and again on every read of a stored row.
 */

/** A token id: `tk` and 16 lower-case hex digits (what SHOW TOKENS lists and REVOKE TOKEN names). */
export const API_TOKEN_ID = /^tk[0-9a-f]{16}$/;
/** What every API token starts with, so scanners and people recognise one. */
export const API_TOKEN_MARK = 'lakefn_';
/** The part of a token SHOW TOKENS shows: `lakefn_` and 8 base64url characters (48 of its 256 random bits). */
export const API_TOKEN_PREFIX = /^lakefn_[A-Za-z0-9_-]{8}$/;
/** A whole token: `lakefn_` and 43 base64url characters (32 random bytes). */
export const API_TOKEN = /^lakefn_[A-Za-z0-9_-]{43}$/;
export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** `issuer|sub`: the issuer URL as the ID token's `iss` claim has it, '|', the `sub` claim. Undefined when well formed. */
export function checkOidcSubject(subject: string): string | undefined {
  const bar = subject.indexOf('|');
  if (bar <= 0 || bar === subject.length - 1) return "expected 'issuer|sub' (the issuer URL, '|', then the subject claim)";
  if (subject.length > 1024) return 'at most 1024 characters';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(subject)) return 'control characters are not allowed';
  const issuer = subject.slice(0, bar);
  if (!URL.canParse(issuer) || !/^https?:$/.test(new URL(issuer).protocol)) return `the issuer '${issuer.slice(0, 80)}' is not an http(s) URL (as the ID token's "iss" claim has it)`;
  return undefined;
}
