// OpenID Connect settings for `lakefn serve` from config.json and the LAKEFN_OIDC_* variables, and ID tokens checked
// against a JWKS file (the URL form is exercised end to end by the serve authentication tests).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { loadLakefnConfig } from '../../src/config/lakefn-config.ts';
import { resolveOidcSettings } from '../../src/config/oidc-settings.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { OidcVerifier } from '../../src/serve/oidc-verifier.ts';

const ISSUER = 'https://idp.example.test';
const AUDIENCE = 'https://lakefn.example.test';

function failsWith(code: string, pattern: RegExp): (error: unknown) => boolean {
  return (error: unknown) => {
    assert.ok(LakefnError.isInstance(error), String(error));
    assert.equal(error.code, code);
    assert.match(error.message, pattern);
    return true;
  };
}

describe('OpenID Connect settings', () => {
  let home: string;
  const configWith = (oidc: unknown) => {
    writeFileSync(join(home, 'config.json'), JSON.stringify({ oidc }));
    return loadLakefnConfig(home);
  };

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'lakefn-oidc-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('are read from config.json: issuer, audience (a string or an array), a JWKS URL or a file relative to the home', () => {
    const fromUrl = resolveOidcSettings({}, configWith({ issuer: ISSUER, audience: [AUDIENCE, 'second'], jwks_url: 'https://idp.example.test/jwks' }), home);
    assert.deepEqual(fromUrl, { issuer: ISSUER, audiences: [AUDIENCE, 'second'], jwks: { kind: 'url', url: new URL('https://idp.example.test/jwks') } });
    const fromFile = resolveOidcSettings({}, configWith({ issuer: ISSUER, audience: AUDIENCE, jwks_file: 'keys/jwks.json' }), home);
    assert.deepEqual(fromFile, { issuer: ISSUER, audiences: [AUDIENCE], jwks: { kind: 'file', path: join(home, 'keys/jwks.json') } });
  });

  it('take the variables over config.json, one JWKS source replacing the other', () => {
    const config = configWith({ issuer: 'https://file.example.test', audience: 'file-audience', jwks_url: 'https://file.example.test/jwks' });
    const settings = resolveOidcSettings({ LAKEFN_OIDC_ISSUER: ISSUER, LAKEFN_OIDC_AUDIENCE: `${AUDIENCE}, other`, LAKEFN_OIDC_JWKS_FILE: '/etc/lakefn/jwks.json' }, config, home);
    assert.deepEqual(settings, { issuer: ISSUER, audiences: [AUDIENCE, 'other'], jwks: { kind: 'file', path: '/etc/lakefn/jwks.json' } });
  });

  it('are absent when nothing is configured', () => {
    assert.equal(resolveOidcSettings({}, loadLakefnConfig(home), home), undefined);
  });

  it('refuse a partial configuration, both JWKS sources, a non-URL issuer and a JWKS URL in the clear', () => {
    assert.throws(() => resolveOidcSettings({}, configWith({ issuer: ISSUER }), home), failsWith('E_USAGE', /partly configured: the audience, a JWKS URL or file are missing/));
    assert.throws(
      () => resolveOidcSettings({}, configWith({ issuer: ISSUER, audience: AUDIENCE, jwks_url: 'https://idp.example.test/jwks', jwks_file: 'jwks.json' }), home),
      failsWith('E_USAGE', /a JWKS URL or a JWKS file, not both/),
    );
    assert.throws(() => resolveOidcSettings({}, configWith({ issuer: 'accounts.google.com', audience: AUDIENCE, jwks_file: 'jwks.json' }), home), failsWith('E_USAGE', /is not a URL/));
    assert.throws(() => resolveOidcSettings({}, configWith({ issuer: ISSUER, audience: AUDIENCE, jwks_url: 'http://idp.example.test/jwks' }), home), failsWith('E_USAGE', /must be an https:\/\/ URL/));
    assert.equal(resolveOidcSettings({}, configWith({ issuer: ISSUER, audience: AUDIENCE, jwks_url: 'http://127.0.0.1:8080/jwks' }), home)?.jwks.kind, 'url', 'http on loopback');
  });

  it('refuse config.json oidc fields of the wrong type or unknown ones, naming the field', () => {
    writeFileSync(join(home, 'config.json'), JSON.stringify({ oidc: { issuer: ISSUER, audience: 7 } }));
    assert.throws(() => loadLakefnConfig(home), (error: unknown) => LakefnError.isInstance(error) && /oidc\.audience/.test(error.message));
    writeFileSync(join(home, 'config.json'), JSON.stringify({ oidc: { issuer: ISSUER, jwks: 'x' } }));
    assert.throws(() => loadLakefnConfig(home), (error: unknown) => LakefnError.isInstance(error) && /oidc/.test(error.message));
  });
});

describe('ID tokens checked against a JWKS file', () => {
  let home: string;

  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'lakefn-jwks-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('verify with a key of the file and are refused when signed by another', async () => {
    const known = await generateKeyPair('ES256');
    const stranger = await generateKeyPair('ES256');
    const path = join(home, 'jwks.json');
    writeFileSync(path, JSON.stringify({ keys: [{ ...(await exportJWK(known.publicKey)), kid: 'es-1', alg: 'ES256', use: 'sig' }] }));
    const verifier = new OidcVerifier({ issuer: ISSUER, audiences: [AUDIENCE], jwks: { kind: 'file', path } });
    const sign = (key: Parameters<SignJWT['sign']>[0]): Promise<string> =>
      new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'es-1' }).setIssuer(ISSUER).setSubject('4711').setAudience(AUDIENCE).setIssuedAt().setExpirationTime('10m').sign(key);
    assert.equal(await verifier.subjectOf(await sign(known.privateKey)), `${ISSUER}|4711`);
    await assert.rejects(verifier.subjectOf(await sign(stranger.privateKey)), failsWith('E_AUTH', /signature does not verify/));
  });

  it('refuse a file that is missing, not JSON, or not a JWKS, naming the file', () => {
    const path = join(home, 'jwks.json');
    const settings = { issuer: ISSUER, audiences: [AUDIENCE], jwks: { kind: 'file' as const, path } };
    assert.throws(() => new OidcVerifier(settings), failsWith('E_USAGE', /cannot read the OpenID Connect JWKS file .*jwks\.json/));
    writeFileSync(path, '{"keys": [');
    assert.throws(() => new OidcVerifier(settings), failsWith('E_USAGE', /JWKS file .*jwks\.json is not JSON/));
    writeFileSync(path, '{"key": []}');
    assert.throws(() => new OidcVerifier(settings), failsWith('E_USAGE', /is not a JWKS \(an object with a "keys" array\)/));
  });
});
