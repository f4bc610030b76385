import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { type ErrorCode, LakefnError } from '../../src/errors/index.ts';
import { isAuthorized, isLoopbackHost, MIN_TOKEN_BITS, resolveServeToken, tokenStrengthBits } from '../../src/serve/bearer-auth.ts';

/** What `openssl rand -base64 32` prints. */
const STRONG_TOKEN = 'q3Vx0s9k2hPZ+7mN4cYb1LrT8wE6jA5dGfUoIiXyKlQ=';
import { statusForError } from '../../src/serve/http-status.ts';

describe('serve security rules', () => {
  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.1', 'example.com', '128.0.0.1', '127.0.0.1.example.com']) assert.equal(isLoopbackHost(host), false, host);
  });

  it('keeps a configured token; none is needed on any host (every request is authenticated: API tokens, OIDC)', () => {
    assert.equal(resolveServeToken(undefined), undefined);
    assert.equal(resolveServeToken(''), undefined);
    assert.equal(resolveServeToken(STRONG_TOKEN), STRONG_TOKEN);
  });

  it(`refuses a token that cannot carry ${MIN_TOKEN_BITS} bits, without printing it`, () => {
    for (const weak of ['abc', 'token-for-test', 's3cret-token', 'a'.repeat(200), 'abababababababababababababababababababab', randomBytes(15).toString('hex'), randomBytes(15).toString('base64').slice(0, 21)]) {
      assert.throws(() => resolveServeToken(weak), (error: unknown) => {
        assert.ok(LakefnError.isInstance(error));
        assert.equal(error.code, 'E_USAGE');
        assert.match(error.message, new RegExp(`^LAKEFN_SERVE_TOKEN is too weak: ${weak.length} characters carry at most \\d+ bits, at least 128 are required; make one with: openssl rand -base64 32$`));
        assert.ok(!error.message.includes(weak));
        return true;
      });
    }
    for (const strong of [randomBytes(32).toString('base64'), randomBytes(16).toString('hex'), randomBytes(24).toString('base64url'), STRONG_TOKEN]) {
      assert.ok(tokenStrengthBits(strong) >= MIN_TOKEN_BITS, strong);
      assert.equal(resolveServeToken(strong), strong);
    }
  });

  it('checks the bearer header exactly', () => {
    assert.equal(isAuthorized('Bearer abc', 'abc'), true);
    for (const header of [undefined, '', 'Bearer ', 'bearer abc', 'Bearer abcd', 'Bearer ab', 'abc', 'Basic abc']) assert.equal(isAuthorized(header, 'abc'), false, String(header));
  });
});

describe('HTTP status of errors', () => {
  const cases: [ErrorCode, number][] = [
    ['E_NO_SUCH_FUNCTION', 404],
    ['E_NO_SUCH_PROJECT', 404],
    ['E_ACCESS_DENIED', 403],
    ['E_BAD_ROW', 400],
    ['E_INVALID_ARGUMENT', 400],
    ['E_ROW_TOO_LARGE', 400],
    ['E_REMOTE_FUNCTION_ERROR', 422],
    ['E_BAD_RESPONSE', 422],
    ['E_ROW_COUNT_MISMATCH', 422],
    ['E_TYPE_COERCION', 422],
    ['E_STS_DENIED', 422],
    ['E_THROTTLED', 503],
    ['E_PROVIDER_UNAVAILABLE', 503],
    ['E_TRANSPORT', 503],
    ['E_RETRY_EXHAUSTED', 503],
    ['E_DEADLINE_EXCEEDED', 504],
    ['E_TIMEOUT', 504],
    ['E_INTERNAL', 500],
  ];
  for (const [code, status] of cases) {
    it(`${code} → ${status}`, () => assert.equal(statusForError(new LakefnError(code, 'x')), status));
  }
  it('a remote error the function declares retryable → 503', () => {
    assert.equal(statusForError(new LakefnError('E_REMOTE_FUNCTION_ERROR', 'x', { retryable: true })), 503);
  });
});
