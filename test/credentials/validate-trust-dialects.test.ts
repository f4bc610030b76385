// Issue 13 §4: trust-policy condition operators and keys are per cloud (AWS and Alibaba Cloud `StringEquals` +
// `sts:ExternalId`, Tencent Cloud `string_equal` + `sts:external_id`). A role whose trust policy carries another cloud's
// condition (or mixes one's operator with another's key) is not VERIFIED by VALIDATE against the mock, on every
// provider: the cloud does not understand the condition, so the statement never admits lakefn. And the probes of a
// provider with `probeRefusals` (Tencent Cloud's): any authorization-type refusal of the no-ID / wrong-ID probes
// counts, but never a clock error. Every branch reads the provider's definition, never its name.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { validateConnection } from '../../src/credentials/index.ts';
import { type ErrorCode, LakefnError } from '../../src/errors/index.ts';
import { brokerKeyVariables } from '../../src/config/provider-environment.ts';
import { lookUpCode } from '../../src/provider-utils/index.ts';
import { PROVIDER_NAMES, providerDefinition } from '../../src/registry/providers.ts';
import type { AssumeRoleCallOptionsV1, ConnectionRecord, ProviderName } from '../../src/spec/index.ts';
import { type MockCloudContext, connectionRecord, startMockCloud, stopMockCloud } from '../helpers/with-mock-cloud.ts';
import { createFakeStsAdapter, makeConnection } from './fake-sts-adapter.ts';

type Policy = Record<string, unknown>;

/** The one statement of a DESC trust policy, whatever the dialect's key casing. */
function statementOf(policy: Policy): Record<string, unknown> {
  const statements = (policy['Statement'] ?? policy['statement']) as Record<string, unknown>[];
  assert.equal(statements.length, 1);
  return statements[0]!;
}

function conditionOf(policy: Policy): Record<string, Record<string, unknown>> {
  const statement = statementOf(policy);
  return (statement['Condition'] ?? statement['condition']) as Record<string, Record<string, unknown>>;
}

/** `policy` with its statement's condition replaced. */
function withCondition(policy: Policy, condition: Record<string, unknown>): Policy {
  const key = 'Statement' in policy ? 'Statement' : 'statement';
  const statement = statementOf(policy);
  const conditionKey = 'Condition' in statement ? 'Condition' : 'condition';
  return { ...policy, [key]: [{ ...statement, [conditionKey]: condition }] };
}

describe("VALIDATE against trust policies in another cloud's condition dialect", () => {
  let mock: MockCloudContext;
  before(async () => {
    mock = await startMockCloud();
  });
  after(async () => {
    await stopMockCloud(mock);
  });

  const validate = (provider: ProviderName, roleName: string, policy: (ownPolicy: Policy, trustOf: (other: ProviderName) => Policy) => Policy) => {
    const fixture = mock.fixtures[provider];
    const definition = providerDefinition(provider);
    const partition = definition.broker.partitions?.list[0].id;
    const connection = connectionRecord(provider, definition.catalog.roleArn.format({ accountId: fixture.accountId, roleName, ...(partition === undefined ? {} : { partition }) }), fixture.region, fixture.namespace, roleName);
    const broker = mock.cloud.brokerAccounts[provider].accountId;
    const subject = { roleArn: connection.roleArn, externalId: connection.externalId, region: connection.region };
    const trustOf = (other: ProviderName): Policy => ({ ...providerDefinition(other).policies.trust(subject, broker) });
    mock.cloud.putRole({ provider, roleArn: connection.roleArn, trustPolicy: policy(trustOf(provider), trustOf) });
    return validateConnection(connection, { adapterFor: (name) => mock.registry.adapterFor(name), environment: mock.environment, timeoutMs: 5000 });
  };

  for (const provider of PROVIDER_NAMES) {
    it(`${provider}: its own DESC trust policy is VERIFIED (the control)`, async () => {
      assert.deepEqual(await validate(provider, 'dialect-own', (own) => own), { status: 'VERIFIED', detail: null });
    });

    for (const other of PROVIDER_NAMES) {
      const ownCondition = conditionOf(providerDefinition(provider).policies.trust({ roleArn: 'r', externalId: 'x' }, '1'));
      const otherCondition = conditionOf(providerDefinition(other).policies.trust({ roleArn: 'r', externalId: 'x' }, '1'));
      const [ownOperator] = Object.keys(ownCondition);
      const [otherOperator] = Object.keys(otherCondition);
      const ownKey = Object.keys(ownCondition[ownOperator!]!)[0]!;
      const otherKey = Object.keys(otherCondition[otherOperator!]!)[0]!;
      if (ownOperator === otherOperator && ownKey === otherKey) continue;
      it(`${provider}: ${other}'s condition (${otherOperator} + ${otherKey}) is not VERIFIED`, async () => {
        const result = await validate(provider, `dialect-${other}`, (own, trustOf) => withCondition(own, conditionOf(trustOf(other))));
        assert.equal(result.status, 'FAILED', JSON.stringify(result));
        assert.match(result.detail ?? '', /step 1/);
      });
      if (ownOperator !== otherOperator) {
        it(`${provider}: its operator with ${other}'s key (${ownOperator} + ${otherKey}) is not VERIFIED`, async () => {
          const result = await validate(provider, `mixed-key-${other}`, (own) => withCondition(own, { [ownOperator!]: { [otherKey]: Object.values(ownCondition[ownOperator!]!)[0] } }));
          assert.notEqual(result.status, 'VERIFIED');
        });
      }
      if (ownKey !== otherKey) {
        it(`${provider}: ${other}'s operator with its key (${otherOperator} + ${ownKey}) is not VERIFIED`, async () => {
          const result = await validate(provider, `mixed-operator-${other}`, (own, trustOf) => {
            const externalId = Object.values(conditionOf(own)[ownOperator!]!)[0];
            void trustOf;
            return withCondition(own, { [otherOperator!]: { [ownKey]: externalId } });
          });
          assert.notEqual(result.status, 'VERIFIED');
        });
      }
    }
  }
});

/** A connection of `provider` in its example region, to the broker's fake STS. */
function exampleConnection(provider: ProviderName): ConnectionRecord {
  const definition = providerDefinition(provider);
  const partition = definition.broker.partitions?.list[0].id;
  const roleArn = definition.catalog.roleArn.format({ accountId: definition.broker.defaultAccountId, roleName: 'lakefn', ...(partition === undefined ? {} : { partition }) });
  return makeConnection({ provider, region: definition.catalog.regions.example, roleArn, namespace: 'default' });
}

/** The provider's broker keys, set (their values are never checked by the fake STS). */
function brokerEnvironment(provider: ProviderName): Record<string, string> {
  const [idVariable, secretVariable] = brokerKeyVariables(provider);
  return { [idVariable]: 'BROKERKEYID0001', [secretVariable]: 'broker-secret-0123456789' };
}

/** A fake STS that admits the connection's external ID and refuses everything else with `refusal`. */
function refusingProbesWith(connection: ConnectionRecord, refusal: () => LakefnError) {
  const adapter = createFakeStsAdapter({ now: () => Date.now() });
  return {
    ...adapter,
    async doAssumeRole(options: AssumeRoleCallOptionsV1) {
      if (options.externalId !== connection.externalId) throw refusal();
      return adapter.doAssumeRole(options);
    },
  };
}

for (const provider of PROVIDER_NAMES) {
  const { errors } = providerDefinition(provider);
  const connection = exampleConnection(provider);
  const environment = brokerEnvironment(provider);
  const refusalWith = (code: string, data?: Record<string, unknown>) => () =>
    new LakefnError(lookUpCode(errors.codes.sts, code) ?? 'E_STS_DENIED', 'refused', { provider: { status: 200, code }, ...(data === undefined ? {} : { data }) });

  describe(`VALIDATE probes on ${provider}: what counts as the role refusing them`, () => {
    // the provider's definite refusals, and (for a provider with probeRefusals) its authorization-type answers
    const refusals = [...errors.stsRefusals, ...(errors.probeRefusals ?? []).map((code) => `${code}.UnauthorizedOperation`)];
    for (const code of refusals) {
      it(`probes refused with ${code} → VERIFIED`, async () => {
        assert.deepEqual(await validateConnection(connection, { adapter: refusingProbesWith(connection, refusalWith(code)), environment }), { status: 'VERIFIED', detail: null });
      });
    }

    it('probes refused with an error that names the external ID (the adapter says so) → VERIFIED', async () => {
      const refusal = refusalWith('InvalidParameter.ParamError', { externalIdRejected: true });
      assert.deepEqual(await validateConnection(connection, { adapter: refusingProbesWith(connection, refusal), environment }), { status: 'VERIFIED', detail: null });
    });

    // the provider's own codes where its table has them (Tencent's expired signature is an AuthFailure.*, which its
    // probeRefusals would otherwise count)
    const codeFor = (code: ErrorCode, fallback: string): string => Object.entries(errors.codes.sts).find(([, mapped]) => mapped === code)?.[0] ?? fallback;
    const inconclusive = [
      ['an unrelated parameter error', () => new LakefnError('E_PROVIDER_CALL', 'DurationSeconds out of range', { provider: { status: 400, code: 'InvalidParameter.ParamError' } })],
      [`an expired signature (${codeFor('E_CLOCK_SKEW', 'SignatureExpired')}: a clock error proves nothing)`, () => new LakefnError('E_CLOCK_SKEW', 'off by 400 seconds', { provider: { status: 403, code: codeFor('E_CLOCK_SKEW', 'SignatureExpired') } })],
      ['throttling', () => new LakefnError('E_THROTTLED', 'slow down', { provider: { status: 429, code: codeFor('E_THROTTLED', 'Throttling') } })],
    ] as const;
    for (const [what, refusal] of inconclusive) {
      it(`probes refused with ${what} → INCONCLUSIVE`, async () => {
        const result = await validateConnection(connection, { adapter: refusingProbesWith(connection, refusal), environment });
        assert.equal(result.status, 'INCONCLUSIVE', JSON.stringify(result));
        assert.match(result.detail ?? '', /^step 2 /);
      });
    }

    it("step 1 refused as E_AUTH is not FAILED: it is the broker's key, not the role (the message names the key variables)", async () => {
      const adapter = createFakeStsAdapter({ now: () => Date.now() });
      const refusal = new LakefnError('E_AUTH', 'secret id not found', { provider: { status: 403, code: 'InvalidClientTokenId' } });
      const result = await validateConnection(connection, { adapter: { ...adapter, doAssumeRole: async () => Promise.reject(refusal) }, environment });
      assert.equal(result.status, 'INCONCLUSIVE');
      for (const variable of brokerKeyVariables(provider)) assert.match(result.detail ?? '', new RegExp(variable));
    });
  });
}
