import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  authorize,
  compilePolicy,
  connectionResource,
  formatResourceName,
  functionResource,
  MANAGED_POLICIES,
  projectResource,
  type AttachedPolicy,
  type AuthorizationDependency,
  type AuthorizationInput,
  type AuthorizationRequest,
  type CompiledPolicy,
  type PolicyAttachment,
} from '../../../src/governance/policy/index.ts';
import { documentText, type TestStatement } from './policy-helpers.ts';

const REQUESTS: readonly AuthorizationRequest[] = [
  { action: 'lakefn:DropConnection', resource: connectionResource('prod', 'orders'), context: { 'lakefn:Provider': 'aws', 'lakefn:SourceIp': '10.1.2.3' } },
  { action: 'lakefn:DescribeFunction', resource: functionResource('prod', 'etl.upper'), context: { 'lakefn:ConnectionName': 'orders' } },
  { action: 'lakefn:InvokeFunction', resource: functionResource('shared_udfs', 'sentiment'), context: { 'lakefn:ViaPackage': true, 'lakefn:SourceIp': '2001:db8::7' } },
  { action: 'lakefn:CreateUser' },
  { action: 'lakefn:ListConnections', resource: projectResource('prod') },
  { action: 'lakefn:Grant', resource: functionResource('dev', 'f:1') },
  { action: 'lakefn:CreateFunction', resource: functionResource('dev', 'a*b'), context: { 'lakefn:Provider': 'aliyun' } },
];

const ACTION_PATTERNS = ['*', 'lakefn:*', 'lakefn:Describe*', 'lakefn:DropConnection', 'lakefn:InvokeFunction', 'lakefn:List*', 'lakefn:CreateUser', 'lakefn:Grant', 'lakefn:?rop*', 'lakefn:Create*'];
const RESOURCE_PATTERNS = ['*', 'lrn:lakefn:prod:*', 'lrn:lakefn:*:connection/*', 'lrn:lakefn:dev:function/f?1', 'lrn:lakefn::project/*', 'lrn:lakefn:shared_udfs:function/*'];
const CONDITIONS: readonly (Record<string, unknown> | undefined)[] = [
  undefined,
  { StringEquals: { 'lakefn:Provider': 'aws' } },
  { NotIpAddress: { 'lakefn:SourceIp': '10.0.0.0/8' } },
  { DateLessThan: { 'lakefn:CurrentTime': '2000-01-01' } },
  { StringLike: { 'lakefn:PrincipalName': 'a*' } },
  { Bool: { 'lakefn:ViaPackage': true } },
];
const HOLDERS: readonly PolicyAttachment[] = [{ kind: 'user', name: 'alice' }, { kind: 'role', name: 'analyst' }, { kind: 'role', name: 'admin' }, { kind: 'project', name: 'prod' }];

const statementArbitrary: fc.Arbitrary<TestStatement> = fc.record({
  Effect: fc.constantFrom('Allow', 'Deny'),
  Action: fc.subarray(ACTION_PATTERNS, { minLength: 1, maxLength: 3 }),
  Resource: fc.subarray(RESOURCE_PATTERNS, { minLength: 1, maxLength: 2 }),
  Condition: fc.constantFrom(...CONDITIONS),
}).map((statement) => (statement.Condition === undefined ? { Effect: statement.Effect, Action: statement.Action, Resource: statement.Resource } : statement));

/** Random statements compiled into a policy; those a validator refuses (e.g. a key the actions lack) are dropped. */
function compileValid(name: string, statements: readonly TestStatement[]): CompiledPolicy | undefined {
  const valid = statements.filter((statement) => {
    try {
      compilePolicy(name, documentText(statement));
      return true;
    } catch {
      return false;
    }
  });
  return valid.length === 0 ? undefined : compilePolicy(name, documentText(...valid));
}

const attachedArbitrary = (prefix: string): fc.Arbitrary<AttachedPolicy[]> =>
  fc.array(fc.tuple(fc.array(statementArbitrary, { minLength: 1, maxLength: 4 }), fc.constantFrom(...HOLDERS)), { maxLength: 5 }).map((policies) =>
    policies.flatMap(([statements, attachedTo], index) => {
      const compiled = compileValid(`${prefix}${index}`, statements);
      return compiled === undefined ? [] : [{ policy: compiled, attachedTo }];
    }),
  );

/** A Deny statement built to match `request` (several spellings of the action, resource and a true condition). */
function matchingDenyArbitrary(request: AuthorizationRequest): fc.Arbitrary<TestStatement> {
  const action = request.action;
  const verb = action.slice('lakefn:'.length);
  const actions = fc.constantFrom(action, '*', 'lakefn:*', action.toLowerCase(), `lakefn:?${verb.slice(1)}`, `lakefn:${verb.slice(0, 3)}*`);
  const resource = request.resource;
  const lrn = resource === undefined ? undefined : formatResourceName(resource);
  const resources = lrn === undefined ? fc.constant('*') : fc.constantFrom('*', lrn, `${lrn.slice(0, lrn.lastIndexOf('/'))}/*`, resource?.type === 'project' ? 'lrn:lakefn::project/*' : 'lrn:lakefn:*:*');
  const sourceIp = request.context?.['lakefn:SourceIp'];
  const conditions = fc.constantFrom<Record<string, unknown> | undefined>(
    undefined,
    { StringEquals: { 'lakefn:PrincipalName': 'alice' } },
    { StringLike: { 'lakefn:PrincipalName': '*' } },
    { DateGreaterThan: { 'lakefn:CurrentTime': '2000-01-01' } },
    sourceIp === undefined ? { NotIpAddress: { 'lakefn:SourceIp': '10.0.0.0/8' } } : { IpAddress: { 'lakefn:SourceIp': sourceIp } },
  );
  return fc.record({ Sid: fc.constant('TheDeny'), Effect: fc.constant('Deny'), Action: fc.array(actions, { minLength: 1, maxLength: 2 }), Resource: fc.array(resources, { minLength: 1, maxLength: 2 }), Condition: conditions }).map((statement) =>
    statement.Condition === undefined ? { Sid: statement.Sid, Effect: statement.Effect, Action: statement.Action, Resource: statement.Resource } : statement,
  );
}

const caseArbitrary = fc.constantFrom(...REQUESTS).chain((request) =>
  fc.record({
    request: fc.constant(request),
    deny: matchingDenyArbitrary(request),
    denyHolder: fc.constantFrom(...HOLDERS),
    denyPosition: fc.nat(),
    others: attachedArbitrary('other'),
    boundaries: attachedArbitrary('boundary'),
    admin: fc.boolean(),
    objectPrivilege: fc.boolean(),
    objectPrivilegesEnabled: fc.boolean(),
    dependencyAllowed: fc.boolean(),
  }),
);

describe('explicit Deny (property)', () => {
  it('a Deny statement matching the request yields deny, whatever else is attached', () => {
    fc.assert(
      fc.property(caseArbitrary, (example) => {
        const deny: AttachedPolicy = { policy: compilePolicy('the_deny', documentText(example.deny)), attachedTo: example.denyHolder };
        const others = example.admin ? [{ policy: MANAGED_POLICIES.LakefnFullAccess.compiled, attachedTo: HOLDERS[2]! }, { policy: MANAGED_POLICIES.LakefnDataFullAccess.compiled, attachedTo: HOLDERS[2]! }, ...example.others] : example.others;
        const position = example.denyPosition % (others.length + 1);
        const policies = [...others.slice(0, position), deny, ...others.slice(position)];
        const dependencies: AuthorizationDependency[] = [];
        const base: Omit<AuthorizationInput, 'request'> = {
          principal: { name: 'alice', superAdministrator: false },
          boundaries: example.boundaries,
          policies,
          objectPrivilege: example.objectPrivilege ? { allowed: true, grant: 'OWNERSHIP' } : { allowed: false, missing: 'OWNERSHIP' },
          objectPrivilegesEnabled: example.objectPrivilegesEnabled,
          dependencies,
        };
        if (example.request.action === 'lakefn:InvokeFunction' || example.request.action === 'lakefn:CreateFunction') {
          dependencies.push({
            as: example.request.action === 'lakefn:InvokeFunction' ? 'owner' : 'caller',
            input: {
              principal: { name: 'bob', superAdministrator: false },
              request: { action: 'lakefn:UseConnection', resource: connectionResource('prod', 'orders') },
              boundaries: [],
              policies: [{ policy: MANAGED_POLICIES.LakefnFullAccess.compiled, attachedTo: HOLDERS[0]! }],
              objectPrivilege: example.dependencyAllowed ? { allowed: true, grant: 'USAGE' } : { allowed: false, missing: 'USAGE' },
              objectPrivilegesEnabled: true,
            },
          });
        }
        const input: AuthorizationInput = { ...base, request: example.request };
        const decision = authorize(input);
        assert.equal(decision.allowed, false);
        assert.ok(decision.deniedAt === 'boundary' || decision.deniedAt === 'explicit_deny', `denied at ${decision.deniedAt}`);
        const explained = authorize(input, { explain: true });
        const denyStep = explained.steps.find((step) => step.step === 'explicit_deny');
        assert.ok(denyStep?.step === 'explicit_deny' && denyStep.statements.some((reference) => reference.policy === 'the_deny' && reference.sid === 'TheDeny'));
      }),
      { numRuns: 300 },
    );
  });
});
