import { createHash, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import { LakefnError } from '../errors/index.ts';

/** True for hosts only this machine can reach: localhost, 127.0.0.0/8, ::1 (and ::ffff:127.x). */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare === 'localhost' || bare === '::1') return true;
  const ipv4 = bare.startsWith('::ffff:') ? bare.slice('::ffff:'.length) : bare;
  return isIP(ipv4) === 4 && ipv4.startsWith('127.');
}

/** Least strength of LAKEFN_SERVE_TOKEN, in bits: out of reach of guessing, online or offline. */
export const MIN_TOKEN_BITS = 128;
/** Fewer distinct characters than this is a pattern (`aaaa…`, `abab…`), however long. */
const MIN_DISTINCT_CHARACTERS = 8;

const HOW_TO_MAKE_ONE = 'make one with: openssl rand -base64 32';

/**
 * LAKEFN_SERVE_TOKEN, checked for strength, or undefined when it is not set. Binding beyond loopback needs no serve
 * token any more (every request is authenticated: per-user API tokens, OIDC), but one that is set must be strong
 * enough (see tokenStrengthBits): its holder is the bootstrap super administrator.
 */
export function resolveServeToken(token: string | undefined): string | undefined {
  const configured = token === undefined || token === '' ? undefined : token;
  if (configured !== undefined) {
    const bits = tokenStrengthBits(configured);
    if (bits < MIN_TOKEN_BITS) {
      // never the token itself: only what is wrong with it
      throw new LakefnError('E_USAGE', `LAKEFN_SERVE_TOKEN is too weak: ${configured.length} characters carry at most ${bits} bits, at least ${MIN_TOKEN_BITS} are required; ${HOW_TO_MAKE_ONE}`);
    }
  }
  return configured;
}

/**
 * The most bits a token can carry: its length times the bits per character of its alphabet. Hex (4 bits), base32
 * (5) and base64 (6, padding not counted) are recognised; anything else counts the kinds of characters it uses
 * (lower case, upper case, digits, other). A pattern of fewer than 8 distinct characters counts 0. An upper bound:
 * lakefn cannot see how a token was made, so it refuses only tokens that cannot be strong (`openssl rand -base64 32`:
 * 258 bits by this count; `openssl rand -hex 16`: 128).
 */
export function tokenStrengthBits(token: string): number {
  const characters = [...token];
  if (new Set(characters).size < MIN_DISTINCT_CHARACTERS) return 0;
  for (const [encoding, bitsPerCharacter] of ENCODINGS) {
    if (encoding.test(token)) return token.replace(/=+$/, '').length * bitsPerCharacter;
  }
  const alphabet = CHARACTER_KINDS.reduce((size, [kind, count]) => (kind.test(token) ? size + count : size), 0);
  return Math.floor(characters.length * Math.log2(alphabet));
}

/** Anchored, one character class each: linear. */
const ENCODINGS: readonly [RegExp, number][] = [
  [/^[0-9a-f]+$|^[0-9A-F]+$/, 4],
  [/^[A-Z2-7]+=*$/, 5],
  [/^[A-Za-z0-9+/_-]+=*$/, 6],
];
const CHARACTER_KINDS: readonly [RegExp, number][] = [
  [/[a-z]/, 26],
  [/[A-Z]/, 26],
  [/[0-9]/, 10],
  [/[^a-zA-Z0-9]/, 33],
];

/**
 * Checks an Authorization header against the token in constant time: both sides are hashed first, so the
 * comparison neither leaks the token's length nor short-circuits on the first differing byte.
 */
export function isAuthorized(header: string | undefined, token: string): boolean {
  const prefix = 'Bearer ';
  const presented = header !== undefined && header.startsWith(prefix) ? header.slice(prefix.length) : '';
  const matches = timingSafeEqual(digest(presented), digest(token));
  return presented !== '' && matches;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
