import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateConnection } from '../../src/credentials/index.ts';
import { LakefnError } from '../../src/errors/index.ts';
import type { AssumeRoleCallOptionsV1 } from '../../src/spec/index.ts';
import { BROKER_ENVIRONMENT, createFakeStsAdapter, makeConnection } from './fake-sts-adapter.ts';

const denied = () => new LakefnError('E_STS_DENIED', 'refused', { provider: { status: 403, code: 'AccessDenied' } });

/** A fake STS whose trust decision is `trusts(externalId)`. */
function adapterTrusting(trusts: (externalId: string | undefined) => boolean | LakefnError) {
  const adapter = createFakeStsAdapter({ now: () => Date.now() });
  const calls: AssumeRoleCallOptionsV1[] = [];
  return {
    calls,
    adapter: {
      ...adapter,
      async doAssumeRole(options: AssumeRoleCallOptionsV1) {
        calls.push(options);
        const decision = trusts(options.externalId);
        if (decision instanceof LakefnError) throw decision;
        if (!decision) throw denied();
        return adapter.doAssumeRole(options);
      },
    },
  };
}

describe('validateConnection', () => {
  const connection = makeConnection();

  it('VERIFIED runs the three steps: with the ID, without one, with a random one', async () => {
    const { adapter, calls } = adapterTrusting((externalId) => externalId === connection.externalId);
    assert.deepEqual(await validateConnection(connection, { adapter, environment: BROKER_ENVIRONMENT }), { status: 'VERIFIED', detail: null });
    assert.equal(calls.length, 3);
    assert.equal(calls[0]?.externalId, connection.externalId);
    assert.equal(calls[1]?.externalId, undefined);
    assert.ok(calls[1] !== undefined && !('externalId' in calls[1]), 'step 2 omits ExternalId entirely');
    assert.match(calls[2]?.externalId ?? '', /^[A-Za-z0-9]{32}$/);
    assert.notEqual(calls[2]?.externalId, connection.externalId);
  });

  it('INSECURE_TRUST_POLICY when any external ID is accepted (step 3)', async () => {
    const { adapter } = adapterTrusting((externalId) => externalId !== undefined);
    const result = await validateConnection(connection, { adapter, environment: BROKER_ENVIRONMENT });
    assert.equal(result.status, 'INSECURE_TRUST_POLICY');
    assert.match(result.detail ?? '', /step 3/);
    assert.match(result.detail ?? '', /DESC API CONNECTION sales_fc/);
  });

  it('INCONCLUSIVE (not FAILED) with "could not reach" when STS throttles a probe', async () => {
    const { adapter } = adapterTrusting((externalId) => externalId === connection.externalId || (externalId === undefined ? new LakefnError('E_THROTTLED', 'slow down') : false));
    const result = await validateConnection(connection, { adapter, environment: BROKER_ENVIRONMENT });
    assert.equal(result.status, 'INCONCLUSIVE');
    assert.match(result.detail ?? '', /step 2.*could not reach.*stored status is unchanged/);
  });

  it("FAILED only when step 1 is definitely refused (the provider table's refusal codes)", async () => {
    const { adapter } = adapterTrusting(() => false);
    const result = await validateConnection(connection, { adapter, environment: BROKER_ENVIRONMENT });
    assert.equal(result.status, 'FAILED');
    assert.match(result.detail ?? '', /step 1.*refused it \(E_STS_DENIED, AccessDenied, HTTP 403\).*DESC API CONNECTION sales_fc/);
  });

  const inconclusiveAtStepOne: readonly [string, LakefnError, RegExp][] = [
    ['a transport error', new LakefnError('E_TRANSPORT', 'ECONNREFUSED'), /could not reach AWS STS/],
    ['a timeout', new LakefnError('E_TIMEOUT', 'no answer'), /could not reach/],
    ['STS 5xx', new LakefnError('E_PROVIDER_UNAVAILABLE', 'InternalFailure', { provider: { status: 500 } }), /could not reach/],
    ["the broker's own key rejected", new LakefnError('E_AUTH', 'InvalidClientTokenId', { provider: { status: 403, code: 'InvalidClientTokenId' } }), /rejected lakefn's broker keys.*AWS_ACCESS_KEY_ID/],
    [
      'STS disabled in the region',
      new LakefnError('E_STS_REGION_DISABLED', "AWS STS is not activated in region us-east-1 for the role's account 000000000002; activate STS for us-east-1 in that account", { provider: { status: 403, code: 'RegionDisabledException' } }),
      /not activated in region us-east-1 for the role's account.*activate STS for us-east-1.*RegionDisabledException/,
    ],
    ['a clock off by 2 hours', new LakefnError('E_CLOCK_SKEW', 'AWS STS refused the signature as expired: the local clock is off by 7200 seconds', { provider: { status: 403, code: 'SignatureDoesNotMatch' } }), /off by 7200 seconds/],
    ['a bare 403 without a refusal code', new LakefnError('E_STS_DENIED', 'forbidden', { provider: { status: 403 } }), /does not say whether the role trusts lakefn/],
  ];
  for (const [what, failure, pattern] of inconclusiveAtStepOne) {
    it(`INCONCLUSIVE when step 1 meets ${what}`, async () => {
      const { adapter, calls } = adapterTrusting(() => failure);
      const result = await validateConnection(connection, { adapter, environment: BROKER_ENVIRONMENT });
      assert.equal(result.status, 'INCONCLUSIVE');
      assert.match(result.detail ?? '', /^step 1 /);
      assert.match(result.detail ?? '', pattern);
      assert.equal(calls.length, 1, 'no probe runs after an inconclusive step 1');
    });
  }

  it('INCONCLUSIVE when a probe gets an answer that is not a definite refusal', async () => {
    const { adapter } = adapterTrusting((externalId) => externalId === connection.externalId || (externalId === undefined ? false : new LakefnError('E_STS_DENIED', 'forbidden', { provider: { status: 403 } })));
    const result = await validateConnection(connection, { adapter, environment: BROKER_ENVIRONMENT });
    assert.equal(result.status, 'INCONCLUSIVE');
    assert.match(result.detail ?? '', /^step 3 /);
  });

  it('throws when lakefn has no broker keys (not the connection\'s fault)', async () => {
    const { adapter } = adapterTrusting(() => true);
    await assert.rejects(validateConnection(connection, { adapter, environment: {} }), (error: unknown) => LakefnError.isInstance(error) && error.code === 'E_NO_BROKER_CREDENTIALS');
  });
});
