// Authentication on `lakefn serve` over both stores: per-user API tokens (printed once, hash-only storage, expiry,
// revocation at the next request, last used), OIDC ID tokens (jose key pairs, a JWKS served on 127.0.0.1), 401 on every
// route without credentials, POST /v1/sql against `lakefn sql --json`, and `--server` for sql, connection, function and
// audit (a child process CLI against the in-process server).
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { SignJWT, type CryptoKey } from 'jose';
import { storeDescriptors } from '../store/store-descriptors.ts';
import { AUDIENCE, authenticatedServe, call, ISSUER, type Reply } from './serve-helpers.ts';

async function idToken(key: CryptoKey, options: { alg: 'RS256' | 'ES256'; kid: string; sub: string; audience?: string; expiresAt?: number }): Promise<string> {
  return new SignJWT({ email: `${options.sub}@example.com` })
    .setProtectedHeader({ alg: options.alg, kid: options.kid })
    .setIssuer(ISSUER)
    .setSubject(options.sub)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresAt ?? Math.floor(Date.now() / 1000) + 600)
    .sign(key);
}

function sqlRows(reply: Reply): Record<string, unknown>[] {
  const results = reply.body['results'] as unknown[][];
  return results[0] as Record<string, unknown>[];
}

for (const descriptor of storeDescriptors()) {
  describe(`serve authentication: ${descriptor.name}`, { skip: descriptor.skip }, () => {
    const serve = authenticatedServe(descriptor);

    it('answers 401 with WWW-Authenticate on every route without credentials (not /healthz)', async () => {
      const { server, hook } = serve;
      const routes: [string, 'GET' | 'POST'][] = [
        ['/metrics', 'GET'], ['/v1/sql', 'POST'], ['/v1/functions/upper_fn', 'GET'], ['/v1/functions/upper_fn/evaluate', 'POST'],
        ['/compat/snowflake/upper_fn', 'POST'], ['/compat/bigquery/upper_fn', 'POST'], ['/compat/redshift/upper_fn', 'POST'],
        ['/v1/audit', 'GET'], ['/v1/audit/verify', 'GET'], ['/v1/audit/prune', 'POST'], ['/no/such/route', 'GET'],
      ];
      for (const [path, method] of routes) {
        const reply = await call(server, method, path, undefined, method === 'POST' ? {} : undefined);
        assert.equal(reply.status, 401, path);
        assert.equal(reply.headers.get('www-authenticate'), 'Bearer realm="lakefn"', path);
        assert.equal((reply.body['error'] as { code: string }).code, 'E_AUTH', path);
        const wrong = await call(server, method, path, 'lakefn_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', method === 'POST' ? {} : undefined);
        assert.equal(wrong.status, 401, path);
        assert.equal(wrong.headers.get('www-authenticate'), 'Bearer realm="lakefn", error="invalid_token"', path);
      }
      assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
      assert.equal(hook.calls.length, 0, 'nothing was called');
    });

    it('API tokens: printed once, only a SHA-256 stored, last use recorded, revocation effective at the next request', async () => {
      const { fixture, catalog, server } = serve;
      const [issued] = await catalog.sql("ALTER USER alice ADD TOKEN COMMENT 'notebook'");
      assert.ok(issued?.kind === 'change' && issued.token !== undefined);
      const { token, id, prefix } = issued.token;
      assert.match(token, /^lakefn_[A-Za-z0-9_-]{43}$/);
      assert.equal(Buffer.from(token.slice('lakefn_'.length), 'base64url').length, 32, '256 random bits');
      assert.ok(token.startsWith(prefix));
      // the raw catalog holds the hash, never the token; the audit log neither
      const dump = await fixture.dump();
      assert.ok(!dump.includes(token.slice('lakefn_'.length, 30)), 'the token is not in the catalog');
      assert.ok(dump.includes(createHash('sha256').update(token).digest('hex')), 'its SHA-256 is');
      for (const record of await catalog.audit()) assert.ok(!JSON.stringify(record).includes(token), 'the token is not in the audit log');
      // listed without the token
      const listed = await catalog.rows('SHOW TOKENS FOR USER alice');
      assert.equal(listed.length, 1);
      assert.deepEqual(listed[0]?.slice(0, 4), ['alice', id, prefix, 'notebook']);
      assert.ok(!JSON.stringify(listed).includes(token));
      assert.equal(listed[0]?.[7], null, 'never used yet');

      const mine = await call(server, 'POST', '/v1/sql', token, { sql: 'SHOW TOKENS' });
      assert.equal(mine.status, 200, JSON.stringify(mine.body));
      assert.equal(sqlRows(mine).length, 1);
      const last = (await catalog.audit()).at(-1);
      assert.equal(last?.principal, 'alice');
      assert.equal(last?.body['authentication'], 'token');
      assert.equal(last?.body['source_ip'], '127.0.0.1');
      const used = await catalog.rows('SHOW TOKENS FOR USER alice');
      assert.match(String(used[0]?.[7]), /^\d{4}-\d{2}-\d{2}T/, 'last used is recorded');

      // alice may not see other users' tokens; revoke her own and the next request is refused
      const others = await call(server, 'POST', '/v1/sql', token, { sql: 'SHOW TOKENS FOR USER bob' });
      assert.equal(others.status, 403);
      await catalog.sql(`ALTER USER alice REVOKE TOKEN ${id}`);
      const revoked = await call(server, 'POST', '/v1/sql', token, { sql: 'SHOW TOKENS' });
      assert.equal(revoked.status, 401);
      assert.match((revoked.body['error'] as { message: string }).message, /unknown or revoked API token/);
      await catalog.rejects(`ALTER USER alice REVOKE TOKEN ${id}`, undefined, 'E_NO_SUCH_TOKEN', /has no token/);
    });

    it('API tokens expire; users manage only their own; only super_administrator issues tokens for its members', async () => {
      const { catalog, server, clock } = serve;
      const [issued] = await catalog.sql("ALTER USER bob ADD TOKEN EXPIRES IN 'PT1H'");
      assert.ok(issued?.kind === 'change' && issued.token !== undefined);
      const token = issued.token.token;
      assert.equal(Date.parse(issued.token.expires_at ?? '') - Date.parse(issued.token.created_at), 3_600_000);
      assert.equal((await call(server, 'GET', '/v1/audit/verify', token)).status, 403, 'authenticated as bob, who is no auditor');
      clock.now = Date.now() + 3_600_000 + 1_000;
      try {
        const expired = await call(server, 'GET', '/v1/audit/verify', token);
        assert.equal(expired.status, 401);
        assert.match((expired.body['error'] as { message: string }).message, /expired at/);
      } finally {
        clock.now = Date.now();
      }
      // self-service: bob issues his own; he may not issue one for carol
      const [own] = await catalog.sql('ALTER USER bob ADD TOKEN', catalog.as('bob'));
      assert.ok(own?.kind === 'change' && own.token?.user === 'bob');
      await catalog.rejects('ALTER USER carol ADD TOKEN', catalog.as('bob'), 'E_ACCESS_DENIED', /membership in admin/);
      // an admin may not mint a token to act as a super administrator
      await catalog.rejects('ALTER USER boss ADD TOKEN', catalog.as('helper'), 'E_ACCESS_DENIED', /member of super_administrator/);
      await catalog.rejects("ALTER USER boss SET OIDC_SUBJECT = 'https://idp.example.com|boss'", catalog.as('helper'), 'E_ACCESS_DENIED', /member of super_administrator/);
      await catalog.sql('ALTER USER carol ADD TOKEN', catalog.as('helper'));
      await catalog.rejects("ALTER USER bob ADD TOKEN EXPIRES IN 'P20Y'", undefined, 'E_INVALID_ARGUMENT', /at most ten years/);
      await catalog.rejects("ALTER USER bob ADD TOKEN EXPIRES IN '90 days'", undefined, 'E_INVALID_ARGUMENT', /ISO-8601 duration/);
    });

    it('OIDC ID tokens: valid (RS256, ES256), expired, wrong audience, unknown key, unbound subject', async () => {
      const { catalog, idp, server } = serve;
      await catalog.sql(`ALTER USER bob SET OIDC_SUBJECT = '${ISSUER}|bob-sub'`);
      await catalog.rejects(`ALTER USER carol SET OIDC_SUBJECT = '${ISSUER}|bob-sub'`, undefined, 'E_OIDC_SUBJECT_IN_USE', /already bound to user bob/);
      await catalog.rejects("ALTER USER carol SET OIDC_SUBJECT = 'no-bar'", undefined, 'E_INVALID_ARGUMENT', /issuer\|sub/);
      for (const [key, alg, kid] of [[idp.rs256, 'RS256', 'rs-1'], [idp.es256, 'ES256', 'es-1']] as const) {
        const valid = await call(server, 'POST', '/v1/sql', await idToken(key, { alg, kid, sub: 'bob-sub' }), { sql: 'SHOW TOKENS' });
        assert.equal(valid.status, 200, JSON.stringify(valid.body));
        const last = (await catalog.audit()).at(-1);
        assert.equal(last?.principal, 'bob');
        assert.equal(last?.body['authentication'], 'oidc');
      }
      const refusals: [string, RegExp][] = [
        [await idToken(idp.es256, { alg: 'ES256', kid: 'es-1', sub: 'bob-sub', expiresAt: Math.floor(Date.now() / 1000) - 3600 }), /expired/],
        [await idToken(idp.es256, { alg: 'ES256', kid: 'es-1', sub: 'bob-sub', audience: 'someone-else' }), /claim "aud"/],
        [await idToken(idp.stranger, { alg: 'ES256', kid: 'es-2', sub: 'bob-sub' }), /no key of the configured JWKS/],
        [await idToken(idp.stranger, { alg: 'ES256', kid: 'es-1', sub: 'bob-sub' }), /signature does not verify/],
        [await idToken(idp.es256, { alg: 'ES256', kid: 'es-1', sub: 'nobody' }), /bound to no lakefn user/],
      ];
      for (const [credential, reason] of refusals) {
        const reply = await call(server, 'POST', '/v1/sql', credential, { sql: 'SHOW TOKENS' });
        assert.equal(reply.status, 401, String(reason));
        assert.equal(reply.headers.get('www-authenticate'), 'Bearer realm="lakefn", error="invalid_token"');
        assert.match((reply.body['error'] as { message: string }).message, reason);
        assert.ok(!(reply.body['error'] as { message: string }).message.includes(credential), 'the token is never echoed');
      }
      // unbinding takes effect at the next request
      const bound = await idToken(idp.rs256, { alg: 'RS256', kid: 'rs-1', sub: 'bob-sub' });
      await catalog.sql('ALTER USER bob UNSET OIDC_SUBJECT');
      assert.equal((await call(server, 'POST', '/v1/sql', bound, { sql: 'SHOW TOKENS' })).status, 401);
    });



    it('key rotation re-signs tokens and OIDC subjects; a token row changed behind lakefn is refused', async () => {
      const { fixture, store, catalog, server } = serve;
      const [issued] = await catalog.sql('ALTER USER carol ADD TOKEN');
      assert.ok(issued?.kind === 'change' && issued.token !== undefined);
      await catalog.sql(`ALTER USER carol SET OIDC_SUBJECT = '${ISSUER}|carol-sub'`);
      const rotation = await store.rotateKey();
      assert.ok(rotation.governanceRows > 0);
      assert.equal((await call(server, 'POST', '/v1/sql', issued.token.token, { sql: 'SHOW TOKENS' })).status, 200, 'still authenticates after the rotation');
      // a token row changed without its MAC authenticates no one
      await fixture.execute("UPDATE lakefn_api_tokens SET comment = 'changed' WHERE id = ?", [issued.token.id]);
      const tampered = await call(server, 'POST', '/v1/sql', issued.token.token, { sql: 'SHOW TOKENS' });
      assert.equal(tampered.status, 500);
      assert.equal((tampered.body['error'] as { code: string }).code, 'E_STORE_TAMPERED');
    });
  });
}
