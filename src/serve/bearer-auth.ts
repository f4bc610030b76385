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

/**
 * The token the server must require, or undefined when none is needed. Binding beyond loopback without a token
 * is refused: anyone who can reach the port could otherwise invoke functions with the broker's credentials.
 * A token set for a loopback server is still enforced.
 */
export function resolveServeToken(host: string, token: string | undefined): string | undefined {
  const configured = token === undefined || token === '' ? undefined : token;
  if (configured === undefined && !isLoopbackHost(host)) {
    throw new LakefnError('E_USAGE', `refusing to serve on non-loopback host ${host} without a bearer token: set LAKEFN_SERVE_TOKEN (clients then send "Authorization: Bearer <token>"), or bind to 127.0.0.1`);
  }
  return configured;
}

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
