// The admin API of `lakefn serve` against the local CLI, over both stores: POST /v1/sql answers what `lakefn sql --json`
// prints, with the same error codes, and `lakefn --server` runs sql, connection, function and audit remotely with the
// local output and exit codes (child-process CLIs against the in-process server). Split from serve-authentication.test.ts
// to keep each file's CLI processes within the per-file timeout.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { createAdminApi } from '../../src/serve/admin-api.ts';
import { startServeServer, type ServeServer } from '../../src/serve/create-serve-server.ts';
import { OidcVerifier } from '../../src/serve/oidc-verifier.ts';
import { CatalogAuthenticator } from '../../src/serve/request-authenticator.ts';
import type { CatalogStore } from '../../src/store/catalog-store.ts';
import { jsonOf, runCli } from '../cli/run-cli.ts';
import { storeDescriptors, type CatalogFixture } from '../store/store-descriptors.ts';
import { fakeUdfHook, functionRecord } from '../udf/fake-udf-hook.ts';
import { AWS, governed, type Governed } from './governance-helpers.ts';

const VARCHAR = { kind: 'VARCHAR' } as const;
const ISSUER = 'https://idp.example.com';
const AUDIENCE = 'lakefn-test';

interface Clock {
  now: number;
}

/** A JWKS (one RS256 and one ES256 key) served on 127.0.0.1, and a key that is not in it. */
interface IdentityProvider {
  readonly url: string;
  readonly rs256: CryptoKey;
  readonly es256: CryptoKey;
  readonly stranger: CryptoKey;
  close(): Promise<void>;
}

async function startIdentityProvider(): Promise<IdentityProvider> {
  const rs = await generateKeyPair('RS256');
  const es = await generateKeyPair('ES256');
  const stranger = await generateKeyPair('ES256');
  const keys = [
    { ...(await exportJWK(rs.publicKey)), kid: 'rs-1', alg: 'RS256', use: 'sig' },
    { ...(await exportJWK(es.publicKey)), kid: 'es-1', alg: 'ES256', use: 'sig' },
  ];
  const server: Server = createServer((_request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks`,
    rs256: rs.privateKey,
    es256: es.privateKey,
    stranger: stranger.privateKey,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

async function call(server: ServeServer, method: 'GET' | 'POST', path: string, credential: string | undefined, body?: unknown): Promise<Reply> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(credential === undefined ? {} : { authorization: `Bearer ${credential}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

for (const descriptor of storeDescriptors()) {
  describe(`serve admin API and --server: ${descriptor.name}`, { skip: descriptor.skip }, () => {
    let fixture: CatalogFixture;
    let store: CatalogStore;
    let catalog: Governed;
    let idp: IdentityProvider;
    let server: ServeServer;
    const clock: Clock = { now: Date.now() };
    const hook = fakeUdfHook([functionRecord('upper_fn', [VARCHAR], VARCHAR)], { upper_fn: ([value]) => String(value).toUpperCase() });

    before(async () => {
      await descriptor.start();
      fixture = await descriptor.fixture();
      store = await fixture.open();
      catalog = governed(store);
      idp = await startIdentityProvider();
      await catalog.sql(`CREATE USER alice; CREATE USER bob; CREATE USER carol; CREATE ROLE analyst; GRANT ROLE analyst TO USER alice;
        CREATE USER boss; GRANT ROLE super_administrator TO USER boss; CREATE USER helper; GRANT ROLE admin TO USER helper`);
      const oidc = new OidcVerifier({ issuer: ISSUER, audiences: [AUDIENCE], jwks: { kind: 'url', url: new URL(idp.url) } });
      server = await startServeServer({
        hook,
        authenticator: new CatalogAuthenticator({ store, oidc, now: () => clock.now, lastUsedResolutionMs: 0 }),
        admin: createAdminApi({ store, environment: { LAKEFN_AWS_ACCOUNT_ID: '210987654321' } }),
      });
    });

    after(async () => {
      await server?.close();
      await idp?.close();
      await catalog?.close();
      await fixture?.cleanup();
      await descriptor.stop();
    });

    it('POST /v1/sql returns what `lakefn sql --json` prints, with the same error codes (403 for E_ACCESS_DENIED)', async () => {
      await catalog.sql(`CREATE API CONNECTION shared ${AWS}; GRANT USAGE ON CONNECTION shared TO ROLE analyst`);
      const [issued] = await catalog.sql('ALTER USER alice ADD TOKEN');
      assert.ok(issued?.kind === 'change' && issued.token !== undefined);
      const token = issued.token.token;
      const script = 'SHOW API CONNECTIONS; DESC API CONNECTION shared; SHOW GRANTS TO ROLE analyst';
      const remote = await call(server, 'POST', '/v1/sql', token, { sql: script });
      assert.equal(remote.status, 200, JSON.stringify(remote.body));
      const local = await runCli(['--as', 'alice', '--json', 'sql', script], { environment: { ...fixture.environment, LAKEFN_AWS_ACCOUNT_ID: '210987654321' } });
      assert.equal(local.code, 0, local.stderr);
      assert.deepEqual(remote.body['results'], jsonOf(local));

      const denied = await call(server, 'POST', '/v1/sql', token, { sql: 'CREATE USER mallory' });
      const deniedLocally = await runCli(['--as', 'alice', '--json', 'sql', 'CREATE USER mallory'], { environment: fixture.environment });
      assert.equal(denied.status, 403);
      assert.equal(deniedLocally.code, 1);
      const error = denied.body['error'] as { code: string; message: string };
      assert.equal(error.code, 'E_ACCESS_DENIED');
      assert.equal(deniedLocally.stderr, `lakefn: ${error.code}: ${error.message}\n`);

      const syntax = await call(server, 'POST', '/v1/sql', token, { sql: 'SHOW NOTHING' });
      assert.equal(syntax.status, 400);
      assert.equal((syntax.body['error'] as { code: string }).code, 'E_SYNTAX');
      const missing = await call(server, 'POST', '/v1/sql', token, { sql: 'DESC API CONNECTION nowhere' });
      assert.equal(missing.status, 404);
      // a script that fails half-way: what was applied is reported with the error
      const half = await call(server, 'POST', '/v1/sql', token, { sql: 'SHOW API CONNECTIONS; CREATE USER mallory' });
      assert.equal(half.status, 403);
      assert.equal((half.body['results'] as unknown[]).length, 1);
    });
    it('--server runs sql, connection, function and audit remotely with the local output and exit codes', async () => {
      await catalog.sql('GRANT ROLE auditor TO USER carol; GRANT ROLE admin TO USER carol');
      const [issued] = await catalog.sql('ALTER USER carol ADD TOKEN');
      assert.ok(issued?.kind === 'change' && issued.token !== undefined);
      const remote = { LAKEFN_TOKEN: issued.token.token, LAKEFN_AWS_ACCOUNT_ID: '210987654321' };
      const local = { ...fixture.environment, LAKEFN_AWS_ACCOUNT_ID: '210987654321' };
      const both = async (args: readonly string[]): Promise<[Awaited<ReturnType<typeof runCli>>, Awaited<ReturnType<typeof runCli>>]> => [
        await runCli(['--server', server.url, ...args], { environment: remote }),
        await runCli(['--as', 'carol', ...args], { environment: local }),
      ];
      const created = await runCli(['--server', server.url, '--json', 'connection', 'create', 'remote_conn', '--provider', 'aws', '--region', 'us-east-1', '--role-arn', 'arn:aws:iam::123456789012:role/r', '--comment', "it's remote"], { environment: remote });
      assert.equal(created.code, 0, created.stderr);
      assert.equal((jsonOf(created) as { outcome: string }).outcome, 'created');
      for (const args of [
        ['--json', 'connection', 'list'], ['connection', 'list'], ['--json', 'connection', 'desc', 'remote_conn'], ['function', 'list'], ['--json', 'sql', 'SHOW USERS'],
        ['sql', 'SHOW ROLES'], ['--json', 'function', 'desc', 'nowhere'], ['audit', 'verify'], ['--json', 'audit', 'verify'],
      ]) {
        const [onServer, onCatalog] = await both(args);
        assert.equal(onServer.code, onCatalog.code, `${args.join(' ')}: ${onServer.stderr}`);
        assert.equal(onServer.stdout, onCatalog.stdout, args.join(' '));
        assert.equal(onServer.stderr, onCatalog.stderr, args.join(' '));
      }
      const listed = await runCli(['--server', server.url, '--json', 'audit', 'list', '--type', 'ADMIN', '--principal', 'carol'], { environment: remote });
      assert.equal(listed.code, 0, listed.stderr);
      const records = jsonOf(listed) as { principal: string; body: Record<string, unknown> }[];
      assert.ok(records.length > 0 && records.every((record) => record.principal === 'carol'));
      assert.ok(records.some((record) => record.body['statement'] === 'SHOW API CONNECTIONS' && record.body['authentication'] === 'token'));
      const dropped = await runCli(['--server', server.url, 'connection', 'drop', 'remote_conn'], { environment: remote });
      assert.equal(dropped.code, 0, dropped.stderr);
      assert.match(dropped.stdout, /remote_conn/);

      // refused combinations and a missing token
      const usage = [
        await runCli(['--server', server.url, '--as', 'bob', 'sql', 'SHOW USERS'], { environment: remote }),
        await runCli(['--server', server.url, '--home', fixture.home, 'sql', 'SHOW USERS'], { environment: remote }),
        await runCli(['--server', server.url, 'store', 'rotate-key'], { environment: remote }),
        await runCli(['--server', server.url, 'sql', 'SHOW USERS'], { environment: {} }),
      ];
      for (const run of usage) {
        assert.equal(run.code, 2, run.stderr);
        assert.match(run.stderr, /^lakefn: E_USAGE: /);
      }
      const unauthenticated = await runCli(['--server', server.url, 'sql', 'SHOW USERS'], { environment: { LAKEFN_TOKEN: 'lakefn_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
      assert.equal(unauthenticated.code, 1);
      assert.match(unauthenticated.stderr, /^lakefn: E_AUTH: authentication failed: unknown or revoked API token/);
    });

  });
}
