import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { prepareRequest, type AuthorizationRequest } from '../../../src/governance/policy/authorization-request.ts';
import type { CompiledPolicy, PolicyLayer } from '../../../src/governance/policy/compile-policy.ts';
import { matchingStatements, statementApplies, type AttachedPolicy, type StatementReference } from '../../../src/governance/policy/evaluate-policy.ts';
import { authorize, connectionResource, functionResource, MANAGED_POLICIES, projectResource } from '../../../src/governance/policy/index.ts';
import { SourceAddress } from '../../../src/governance/policy/source-address.ts';
import { attached, input, policy, type TestStatement } from './policy-helpers.ts';

// matchingStatements answers from an index gathered once per policy list (per action, grouped by the statements'
// Resource and Condition, filtered by project). These tests hold it to the plain scan it replaces: every policy in
// order, every statement in document order.

function scan(policies: readonly AttachedPolicy[], effect: 'Allow' | 'Deny', request: ReturnType<typeof prepareRequest>, all: boolean, layer?: PolicyLayer): StatementReference[] {
  const found: StatementReference[] = [];
  for (const holder of policies) {
    if (layer !== undefined && holder.policy.layer !== layer) continue;
    for (const statement of holder.policy.statements) {
      if (statement.effect !== effect || !statement.actions.some((action) => action.ordinal === request.action.ordinal)) continue;
      if (!statementApplies(statement, request)) continue;
      found.push({ policy: holder.policy.name, attachedTo: holder.attachedTo, sid: statement.sid, statement: statement.index, effect });
      if (!all) return found;
    }
  }
  return found;
}

const REQUESTS: readonly AuthorizationRequest[] = [
  { action: 'lakefn:InvokeFunction', resource: functionResource('team_a', 'etl_orders'), context: { 'lakefn:Provider': 'aws', 'lakefn:SourceIp': '10.1.2.3' } },
  { action: 'lakefn:InvokeFunction', resource: functionResource('team_b', 'etl_pii'), context: { 'lakefn:Provider': 'aliyun', 'lakefn:ViaPackage': true } },
  { action: 'lakefn:DropConnection', resource: connectionResource('prod', 'orders'), context: { 'lakefn:Provider': 'aws' } },
  { action: 'lakefn:DropConnection', resource: connectionResource('prod_eu', 'orders') },
  { action: 'lakefn:ListFunctions', resource: projectResource('team_a') },
  { action: 'lakefn:ListFunctions', resource: projectResource('team_b') },
  { action: 'lakefn:CreateUser' },
];

const RESOURCES = ['*', 'lrn:lakefn:team_a:*', 'lrn:lakefn:team_b:function/etl_*', 'lrn:lakefn:prod*:*', 'lrn:lakefn:prod:connection/orders', 'lrn:lakefn::project/team_a', 'lrn:lakefn::project/*', 'lrn:lakefn:*:function/*_pii*'];
const ACTIONS = ['lakefn:*', 'lakefn:InvokeFunction', 'lakefn:Drop*', 'lakefn:List*', 'lakefn:CreateUser'];
const CONDITIONS: readonly (Record<string, unknown> | undefined)[] = [
  undefined,
  { StringEquals: { 'lakefn:Provider': 'aws' } },
  { IpAddress: { 'lakefn:SourceIp': '10.0.0.0/8' } },
  { Bool: { 'lakefn:ViaPackage': true } },
];

/** Statements drawn from a small pool, so that different policies repeat the same Resource and Condition. */
const statement: fc.Arbitrary<TestStatement> = fc
  .record({
    Sid: fc.constantFrom('A', 'B', 'C'),
    Effect: fc.constantFrom('Allow', 'Deny'),
    Action: fc.subarray(ACTIONS, { minLength: 1, maxLength: 2 }),
    Resource: fc.subarray(RESOURCES, { minLength: 1, maxLength: 2 }),
    Condition: fc.constantFrom(...CONDITIONS),
  })
  .map((drawn) => (drawn.Condition === undefined ? { Sid: drawn.Sid, Effect: drawn.Effect, Action: drawn.Action, Resource: drawn.Resource } : drawn));

function compiled(name: string, statements: readonly TestStatement[]): CompiledPolicy | undefined {
  try {
    return policy(name, ...statements);
  } catch {
    return undefined; // e.g. a condition key one of the actions does not carry: refused at CREATE, never attached
  }
}

describe('the statement index behind matchingStatements', () => {
  it('finds exactly what a scan of every policy finds, in the same order, for every request asked of one list', () => {
    fc.assert(
      fc.property(fc.array(fc.array(statement, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 12 }), fc.boolean(), (documents, withManaged) => {
        const policies: AttachedPolicy[] = [];
        documents.forEach((statements, index) => {
          const one = compiled(`p${index}`, statements);
          if (one !== undefined) policies.push(attached(one, index % 2 === 0 ? { kind: 'user', name: 'alice' } : { kind: 'role', name: `r${index}` }));
        });
        if (withManaged) policies.push(attached(MANAGED_POLICIES.LakefnDataReadOnlyAccess.compiled, { kind: 'role', name: 'admin' }));
        // Twice over the same list: the first pass gathers the index, the second answers from it.
        for (let pass = 0; pass < 2; pass += 1) {
          for (const request of REQUESTS) {
            const prepared = prepareRequest(request, 'alice', Date.UTC(2026, 0, 1));
            for (const [effect, layer] of [['Deny', undefined], ['Allow', 'api'], ['Allow', 'data'], ['Allow', undefined]] as const) {
              assert.deepEqual(matchingStatements(policies, effect, prepared, true, layer), scan(policies, effect, prepared, true, layer));
              assert.deepEqual(matchingStatements(policies, effect, prepared, false, layer), scan(policies, effect, prepared, false, layer));
            }
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('lists every policy whose identical statement matches (explain), and the first one otherwise', () => {
    const template = { Sid: 'NoPii', Effect: 'Deny', Action: 'lakefn:InvokeFunction', Resource: 'lrn:lakefn:*:function/*_pii*' };
    const policies = ['p1', 'p2', 'p3'].map((name, index) => attached(policy(name, template), { kind: 'role', name: `r${index}` }));
    const request = prepareRequest({ action: 'lakefn:InvokeFunction', resource: functionResource('team_a', 'read_pii') }, 'alice', 0);
    assert.deepEqual(matchingStatements(policies, 'Deny', request, true).map((reference) => reference.policy), ['p1', 'p2', 'p3']);
    assert.deepEqual(matchingStatements(policies, 'Deny', request, false).map((reference) => reference.policy), ['p1']);
    const clean = prepareRequest({ action: 'lakefn:InvokeFunction', resource: functionResource('team_a', 'read_orders') }, 'alice', 0);
    assert.deepEqual(matchingStatements(policies, 'Deny', clean, true), []);
  });

  it('does not carry a project-scoped answer over to another project or to the account', () => {
    const policies = [attached(policy('team_a_only', { Effect: 'Allow', Action: 'lakefn:*', Resource: ['lrn:lakefn:team_a:*', 'lrn:lakefn::project/team_a'] }))];
    const ask = (request: AuthorizationRequest): number => matchingStatements(policies, 'Allow', prepareRequest(request, 'alice', 0), true, 'api').length;
    assert.equal(ask({ action: 'lakefn:ListFunctions', resource: projectResource('team_a') }), 1);
    assert.equal(ask({ action: 'lakefn:ListFunctions', resource: projectResource('team_b') }), 0);
    assert.equal(ask({ action: 'lakefn:DropFunction', resource: functionResource('team_a', 'f') }), 1);
    assert.equal(ask({ action: 'lakefn:DropFunction', resource: functionResource('team_b', 'f') }), 0);
    assert.equal(ask({ action: 'lakefn:CreateUser' }), 0);
  });
});

describe('the client address of the request', () => {
  const officeOnly = policy('office_only', { Effect: 'Allow', Action: 'lakefn:CreateUser', Resource: '*', Condition: { IpAddress: { 'lakefn:SourceIp': '10.0.0.0/8' } } });

  it('is the authenticated one when the entry point gives it: a context cannot claim another address', () => {
    const request: AuthorizationRequest = { action: 'lakefn:CreateUser', context: { 'lakefn:SourceIp': '10.1.1.1' } };
    const outside = SourceAddress.parse('192.0.2.7');
    assert.equal(authorize(input(request, { policies: [attached(officeOnly)], sourceAddress: outside })).deniedAt, 'api_layer');
    // Without one, the context's address is the request's (the API layer passes; CreateUser then needs the data layer).
    assert.equal(authorize(input(request, { policies: [attached(officeOnly)] })).deniedAt, 'data_layer');
    assert.equal(authorize(input(request, { policies: [attached(officeOnly)], sourceAddress: SourceAddress.parse('10.9.9.9') })).deniedAt, 'data_layer');
  });
});
