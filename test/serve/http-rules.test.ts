import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ErrorCode, LakefnError } from '../../src/errors/index.ts';
import { isAuthorized, isLoopbackHost, resolveServeToken } from '../../src/serve/bearer-auth.ts';
import { statusForError } from '../../src/serve/http-status.ts';

describe('serve security rules', () => {
  it('knows loopback hosts', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1']) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.1', 'example.com', '128.0.0.1', '127.0.0.1.example.com']) assert.equal(isLoopbackHost(host), false, host);
  });

  it('requires a token beyond loopback and keeps a configured one', () => {
    assert.equal(resolveServeToken('127.0.0.1', undefined), undefined);
    assert.equal(resolveServeToken('127.0.0.1', 'abc'), 'abc');
    assert.equal(resolveServeToken('0.0.0.0', 'abc'), 'abc');
    assert.throws(() => resolveServeToken('::', undefined), /LAKEFN_SERVE_TOKEN/);
  });

  it('checks the bearer header exactly', () => {
    assert.equal(isAuthorized('Bearer abc', 'abc'), true);
    for (const header of [undefined, '', 'Bearer ', 'bearer abc', 'Bearer abcd', 'Bearer ab', 'abc', 'Basic abc']) assert.equal(isAuthorized(header, 'abc'), false, String(header));
  });
});

describe('HTTP status of errors', () => {
  const cases: [ErrorCode, number][] = [
    ['E_NO_SUCH_FUNCTION', 404],
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
