// Shared set-up of the `lakefn serve` authentication tests: a governed catalog on one store descriptor, a JWKS
// served on 127.0.0.1, and a serve server whose authenticator reads a clock the test can move.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before } from 'node:test';
import { exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { createAdminApi } from '../../src/serve/admin-api.ts';
import { startServeServer, type ServeServer } from '../../src/serve/create-serve-server.ts';
import { OidcVerifier } from '../../src/serve/oidc-verifier.ts';
import { CatalogAuthenticator } from '../../src/serve/request-authenticator.ts';
import type { CatalogStore } from '../../src/store/catalog-store.ts';
import type { CatalogFixture, StoreDescriptor } from '../store/store-descriptors.ts';
import { fakeUdfHook, functionRecord, type FakeUdfHook } from '../udf/fake-udf-hook.ts';
import { governed, type Governed } from './governance-helpers.ts';

export const ISSUER = 'https://idp.example.com';
export const AUDIENCE = 'lakefn-test';
const VARCHAR = { kind: 'VARCHAR' } as const;

export interface Clock {
  now: number;
}

/** A JWKS (one RS256 and one ES256 key) served on 127.0.0.1, and a key that is not in it. */
export interface IdentityProvider {
  readonly url: string;
  readonly rs256: CryptoKey;
  readonly es256: CryptoKey;
  readonly stranger: CryptoKey;
  close(): Promise<void>;
}

export async function startIdentityProvider(): Promise<IdentityProvider> {
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

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

/** One request to the server, with `credential` as a bearer token and `body` as JSON when given. */
export async function call(server: ServeServer, method: 'GET' | 'POST', path: string, credential: string | undefined, body?: unknown): Promise<Reply> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { ...(credential === undefined ? {} : { authorization: `Bearer ${credential}` }), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

/** What `authenticatedServe` starts; the fields are set once its `before` hook has run. */
export class AuthenticatedServe {
  fixture!: CatalogFixture;
  store!: CatalogStore;
  catalog!: Governed;
  idp!: IdentityProvider;
  server!: ServeServer;
  /** The authenticator's clock (token expiry, last use): move it to expire a token. */
  readonly clock: Clock = { now: Date.now() };
  /** One function, upper_fn(VARCHAR) → VARCHAR, that records its calls. */
  readonly hook: FakeUdfHook = fakeUdfHook([functionRecord('upper_fn', [VARCHAR], VARCHAR)], { upper_fn: ([value]) => String(value).toUpperCase() });
}

/**
 * Registers `before` and `after` hooks on the enclosing describe: a fresh catalog of `descriptor` with users alice, bob,
 * carol (alice in role analyst), boss (super_administrator) and helper (admin), an identity provider, and a serve server
 * authenticating API tokens and that provider's OIDC ID tokens, with the admin API on.
 */
export function authenticatedServe(descriptor: StoreDescriptor): AuthenticatedServe {
  const serve = new AuthenticatedServe();
  before(async () => {
    await descriptor.start();
    serve.fixture = await descriptor.fixture();
    serve.store = await serve.fixture.open();
    serve.catalog = governed(serve.store);
    serve.idp = await startIdentityProvider();
    await serve.catalog.sql(`CREATE USER alice; CREATE USER bob; CREATE USER carol; CREATE ROLE analyst; GRANT ROLE analyst TO USER alice;
        CREATE USER boss; GRANT ROLE super_administrator TO USER boss; CREATE USER helper; GRANT ROLE admin TO USER helper`);
    const oidc = new OidcVerifier({ issuer: ISSUER, audiences: [AUDIENCE], jwks: { kind: 'url', url: new URL(serve.idp.url) } });
    serve.server = await startServeServer({
      hook: serve.hook,
      authenticator: new CatalogAuthenticator({ store: serve.store, oidc, now: () => serve.clock.now, lastUsedResolutionMs: 0 }),
      admin: createAdminApi({ store: serve.store, environment: { LAKEFN_AWS_ACCOUNT_ID: '210987654321' } }),
    });
  });
  // Each part is closed only if it was started, so a failed `before` still cleans up what it made.
  after(async () => {
    await (serve.server as ServeServer | undefined)?.close();
    await (serve.idp as IdentityProvider | undefined)?.close();
    await (serve.catalog as Governed | undefined)?.close();
    await (serve.fixture as CatalogFixture | undefined)?.cleanup();
    await descriptor.stop();
  });
  return serve;
}
