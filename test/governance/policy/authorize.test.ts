import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  authorize,
  connectionResource,
  explainDecision,
  functionResource,
  MANAGED_POLICIES,
  packageResource,
  projectResource,
  type AttachedPolicy,
  type AuthorizationDecision,
  type AuthorizationDependency,
  type AuthorizationInput,
  type AuthorizationRequest,
  type DecisionStep,
} from '../../../src/governance/policy/index.ts';
import { attached, input, policy } from './policy-helpers.ts';

const ADMIN: PolicyHolder = { kind: 'role', name: 'admin' };
type PolicyHolder = AttachedPolicy['attachedTo'];
const FULL_ACCESS = attached(MANAGED_POLICIES.LakefnFullAccess.compiled, ADMIN);
const DATA_FULL_ACCESS = attached(MANAGED_POLICIES.LakefnDataFullAccess.compiled, ADMIN);
const READ_ONLY = attached(MANAGED_POLICIES.LakefnReadOnlyAccess.compiled, { kind: 'role', name: 'auditors' });
const DATA_READ_ONLY = attached(MANAGED_POLICIES.LakefnDataReadOnlyAccess.compiled, { kind: 'role', name: 'auditors' });
const GRANTED = { allowed: true, grant: 'OWNERSHIP on connection prod.orders (held by alice)' } as const;
const NOT_GRANTED = { allowed: false, missing: 'OWNERSHIP on connection prod.orders' } as const;

const DROP_ORDERS: AuthorizationRequest = { action: 'lakefn:DropConnection', resource: connectionResource('prod', 'orders') };
const NO_PROD_DROPS = attached(policy('no_prod_drops', { Sid: 'DenyDrop', Effect: 'Deny', Action: 'lakefn:Drop*', Resource: 'lrn:lakefn:prod:*' }), { kind: 'role', name: 'analyst' });
const ALLOW_ALL_BOUNDARY = policy('anything', { Sid: 'All', Effect: 'Allow', Action: '*', Resource: '*' });
const READ_BOUNDARY = policy('read_cap', { Sid: 'Reads', Effect: 'Allow', Action: ['lakefn:Describe*', 'lakefn:List*'], Resource: '*' });

/** An admin in the sense of issue 12: both implied managed policies and every object privilege. */
function asAdmin(request: AuthorizationRequest, overrides: Partial<AuthorizationInput> = {}): AuthorizationInput {
  return input(request, { principal: { name: 'alice', superAdministrator: false, roles: ['admin'] }, policies: [FULL_ACCESS, DATA_FULL_ACCESS], objectPrivilege: { allowed: true, grant: 'admin' }, ...overrides });
}

function step<Name extends DecisionStep['step']>(decision: AuthorizationDecision, name: Name): Extract<DecisionStep, { step: Name }> {
  const found = decision.steps.find((candidate): candidate is Extract<DecisionStep, { step: Name }> => candidate.step === name);
  assert.ok(found, `no ${name} step`);
  return found;
}

describe('authorize: issue 12 evaluation steps', () => {
  describe('2. super_administrator (break-glass)', () => {
    it('allows a member whatever boundaries and Deny say, and marks the decision', () => {
      const decision = authorize(
        input(DROP_ORDERS, { principal: { name: 'root', superAdministrator: true }, policies: [NO_PROD_DROPS], boundaries: [attached(READ_BOUNDARY, { kind: 'project', name: 'prod' })] }),
      );
      assert.equal(decision.allowed, true);
      assert.equal(decision.breakGlass, true);
      assert.equal(step(decision, 'super_administrator').outcome, 'allow');
      assert.equal(step(decision, 'explicit_deny').outcome, 'not_evaluated');
    });

    it('lets a non-member through to the other steps', () => {
      const decision = authorize(asAdmin(DROP_ORDERS));
      assert.equal(decision.allowed, true);
      assert.equal(decision.breakGlass, false);
      assert.equal(step(decision, 'super_administrator').outcome, 'not_applicable');
    });

    it("does not restore a function owner's revoked USAGE (definer rights belong to the function)", () => {
      const invoke: AuthorizationRequest = { action: 'lakefn:InvokeFunction', resource: functionResource('prod', 'upper') };
      const ownerCheck = input({ action: 'lakefn:UseConnection', resource: connectionResource('prod', 'orders') }, { principal: { name: 'bob', superAdministrator: false }, policies: [FULL_ACCESS], objectPrivilege: { allowed: false, missing: 'USAGE on connection prod.orders' } });
      const decision = authorize(input(invoke, { principal: { name: 'root', superAdministrator: true }, dependencies: [{ as: 'owner', input: ownerCheck }] }));
      assert.equal(decision.allowed, false);
      assert.equal(decision.deniedAt, 'dependencies');
      assert.match(decision.reason, /needs lakefn:UseConnection on lrn:lakefn:prod:connection\/orders for the function owner bob: .*missing USAGE on connection prod\.orders/);
    });
  });

  describe('3. boundaries', () => {
    it('passes when none applies, and when the request is inside every boundary', () => {
      assert.equal(step(authorize(asAdmin(DROP_ORDERS)), 'boundary').outcome, 'not_applicable');
      const decision = authorize(asAdmin(DROP_ORDERS, { boundaries: [attached(ALLOW_ALL_BOUNDARY, { kind: 'project', name: 'prod' })] }));
      assert.equal(decision.allowed, true);
      assert.equal(step(decision, 'boundary').outcome, 'pass');
    });

    it('caps an admin: a request outside ANY applicable boundary is denied, naming that boundary', () => {
      const boundaries = [attached(ALLOW_ALL_BOUNDARY, { kind: 'user', name: 'alice' }), attached(READ_BOUNDARY, { kind: 'project', name: 'prod' })];
      const decision = authorize(asAdmin(DROP_ORDERS, { boundaries }));
      assert.equal(decision.allowed, false);
      assert.equal(decision.deniedAt, 'boundary');
      assert.match(decision.reason, /outside the boundary read_cap set on project prod: none of its Allow statements matches/);
      assert.ok(authorize(asAdmin({ action: 'lakefn:DescribeConnection', resource: connectionResource('prod', 'orders') }, { boundaries })).allowed);
    });

    it('denies when a Deny statement of the boundary matches', () => {
      const boundary = policy('no_aliyun', { Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'NoAliyun', Effect: 'Deny', Action: '*', Resource: '*', Condition: { StringEquals: { 'lakefn:Provider': 'aliyun' } } });
      const request: AuthorizationRequest = { ...DROP_ORDERS, context: { 'lakefn:Provider': 'aliyun' } };
      const decision = authorize(asAdmin(request, { boundaries: [attached(boundary, { kind: 'role', name: 'etl' })] }));
      assert.equal(decision.deniedAt, 'boundary');
      assert.match(decision.reason, /its Deny statement NoAliyun matches/);
      assert.ok(authorize(asAdmin({ ...DROP_ORDERS, context: { 'lakefn:Provider': 'aws' } }, { boundaries: [attached(boundary, { kind: 'role', name: 'etl' })] })).allowed);
    });

    it('never grants: a boundary allowing everything does not replace an identity policy', () => {
      const decision = authorize(input(DROP_ORDERS, { boundaries: [attached(ALLOW_ALL_BOUNDARY, { kind: 'project', name: 'prod' })], objectPrivilege: GRANTED }));
      assert.equal(decision.deniedAt, 'api_layer');
    });
  });

  describe('4. explicit Deny', () => {
    it('beats admin (both managed policies and every object privilege)', () => {
      const decision = authorize(asAdmin(DROP_ORDERS, { policies: [FULL_ACCESS, DATA_FULL_ACCESS, NO_PROD_DROPS] }));
      assert.equal(decision.allowed, false);
      assert.equal(decision.deniedAt, 'explicit_deny');
      assert.deepStrictEqual(step(decision, 'explicit_deny').statements, [{ policy: 'no_prod_drops', attachedTo: { kind: 'role', name: 'analyst' }, sid: 'DenyDrop', statement: 0, effect: 'Deny' }]);
      assert.match(decision.reason, /explicitly denied by policy no_prod_drops, Sid DenyDrop \(attached to role analyst\)/);
    });

    it('beats a package grant', () => {
      const deny = attached(policy('no_shared', { Effect: 'Deny', Action: 'lakefn:InvokeFunction', Resource: '*', Condition: { Bool: { 'lakefn:ViaPackage': true } } }));
      const call: AuthorizationRequest = { action: 'lakefn:InvokeFunction', resource: functionResource('shared_udfs', 'sentiment'), context: { 'lakefn:ViaPackage': true } };
      const owner = asAdmin({ action: 'lakefn:UseConnection', resource: connectionResource('shared_udfs', 'fc') });
      const decision = authorize(
        input(call, { policies: [FULL_ACCESS, deny], objectPrivilege: { allowed: true, grant: 'READ on package shared_udfs.text (installed in analytics)' }, dependencies: [{ as: 'owner', input: owner }] }),
      );
      assert.equal(decision.deniedAt, 'explicit_deny');
    });

    it('passes when no Deny statement matches (other action, resource or condition)', () => {
      const decision = authorize(asAdmin({ action: 'lakefn:DropConnection', resource: connectionResource('staging', 'orders') }, { policies: [FULL_ACCESS, DATA_FULL_ACCESS, NO_PROD_DROPS] }));
      assert.equal(decision.allowed, true);
      assert.equal(step(decision, 'explicit_deny').outcome, 'pass');
    });
  });

  describe('5. API layer', () => {
    it('passes on an allowing policy and names it', () => {
      const decision = authorize(input(DROP_ORDERS, { policies: [FULL_ACCESS], objectPrivilege: GRANTED }));
      assert.equal(decision.allowed, true);
      assert.equal(step(decision, 'api_layer').statements[0]?.policy, 'LakefnFullAccess');
    });

    it('denies with an object privilege but no API policy', () => {
      const decision = authorize(input(DROP_ORDERS, { objectPrivilege: GRANTED }));
      assert.equal(decision.deniedAt, 'api_layer');
      assert.match(decision.reason, /no policy attached to alice or its roles allows lakefn:DropConnection on lrn:lakefn:prod:connection\/orders/);
    });

    it('does not count a managed data policy', () => {
      assert.equal(authorize(input(DROP_ORDERS, { policies: [DATA_FULL_ACCESS], objectPrivilege: GRANTED })).deniedAt, 'api_layer');
    });
  });

  describe('6. data layer', () => {
    it('denies when the API layer allows but no object privilege or data policy does', () => {
      const decision = authorize(input(DROP_ORDERS, { policies: [FULL_ACCESS], objectPrivilege: NOT_GRANTED }));
      assert.equal(decision.deniedAt, 'data_layer');
      assert.match(decision.reason, /no object privilege or managed data policy allows lakefn:DropConnection on lrn:lakefn:prod:connection\/orders: missing OWNERSHIP on connection prod\.orders/);
    });

    it('passes on an object privilege, or on a coarse managed data policy (OR)', () => {
      const granted = authorize(input(DROP_ORDERS, { policies: [FULL_ACCESS], objectPrivilege: GRANTED }));
      assert.equal(step(granted, 'data_layer').grant, GRANTED.grant);
      const coarse = authorize(input(DROP_ORDERS, { policies: [FULL_ACCESS, DATA_FULL_ACCESS], objectPrivilege: NOT_GRANTED }));
      assert.equal(coarse.allowed, true);
      assert.equal(step(coarse, 'data_layer').statements[0]?.policy, 'LakefnDataFullAccess');
    });

    it('LakefnDataReadOnlyAccess covers reading and executing, not writing', () => {
      const reader = (request: AuthorizationRequest, dependencies: AuthorizationInput['dependencies'] = []) =>
        authorize(input(request, { policies: [FULL_ACCESS, DATA_READ_ONLY], dependencies }));
      assert.ok(reader({ action: 'lakefn:DescribeConnection', resource: connectionResource('prod', 'orders') }).allowed);
      const owner = asAdmin({ action: 'lakefn:UseConnection', resource: connectionResource('prod', 'orders') });
      assert.ok(reader({ action: 'lakefn:InvokeFunction', resource: functionResource('prod', 'upper') }, [{ as: 'owner', input: owner }]).allowed);
      assert.equal(reader(DROP_ORDERS).deniedAt, 'data_layer');
    });

    it('is skipped for data objects when the project switch is OFF', () => {
      const decision = authorize(input(DROP_ORDERS, { policies: [FULL_ACCESS], objectPrivilege: NOT_GRANTED, objectPrivilegesEnabled: false }));
      assert.equal(decision.allowed, true);
      assert.equal(step(decision, 'data_layer').outcome, 'skipped');
    });

    it('still checks permission management when the switch is OFF', () => {
      const grant: AuthorizationRequest = { action: 'lakefn:Grant', resource: connectionResource('prod', 'orders') };
      const decision = authorize(input(grant, { policies: [FULL_ACCESS], objectPrivilege: { allowed: false, missing: 'OWNERSHIP or USAGE WITH GRANT OPTION on connection prod.orders' }, objectPrivilegesEnabled: false }));
      assert.equal(decision.deniedAt, 'data_layer');
      for (const action of ['lakefn:AttachPolicy', 'lakefn:CreatePackage', 'lakefn:TransferOwnership'] as const) {
        const resource = action === 'lakefn:AttachPolicy' ? undefined : action === 'lakefn:CreatePackage' ? packageResource('prod', 'k') : functionResource('prod', 'f');
        assert.equal(authorize(input({ action, resource }, { policies: [FULL_ACCESS], objectPrivilegesEnabled: false })).deniedAt, 'data_layer', action);
      }
    });

    it('does not apply to actions the API layer alone decides, and asks for the object privilege only when it runs', () => {
      let asked = 0;
      const objectPrivilege = {
        answer: () => {
          asked += 1;
          return NOT_GRANTED;
        },
      };
      const list = authorize(input({ action: 'lakefn:ListConnections', resource: projectResource('prod') }, { policies: [READ_ONLY], objectPrivilege }));
      assert.equal(list.allowed, true);
      assert.equal(step(list, 'data_layer').outcome, 'not_applicable');
      authorize(input(DROP_ORDERS, { policies: [NO_PROD_DROPS], objectPrivilege }));
      assert.equal(asked, 0);
      authorize(input(DROP_ORDERS, { policies: [FULL_ACCESS], objectPrivilege }));
      assert.equal(asked, 1);
    });
  });

  describe('7. dependent actions', () => {
    const create: AuthorizationRequest = { action: 'lakefn:CreateFunction', resource: functionResource('prod', 'upper'), context: { 'lakefn:ConnectionName': 'orders' } };
    const useOrders = (objectPrivilege: AuthorizationInput['objectPrivilege']) => input({ action: 'lakefn:UseConnection', resource: connectionResource('prod', 'orders') }, { policies: [FULL_ACCESS], objectPrivilege });

    it('denies when a required dependency is not supplied (fail closed)', () => {
      const decision = authorize(input(create, { policies: [FULL_ACCESS], objectPrivilege: { allowed: true, grant: 'CREATE FUNCTION on project prod' } }));
      assert.equal(decision.deniedAt, 'dependencies');
      assert.match(decision.reason, /needs lakefn:UseConnection \(caller\), which was not supplied/);
    });

    it('allows when the dependency passes, denies when it does not', () => {
      const base = { policies: [FULL_ACCESS], objectPrivilege: { allowed: true, grant: 'CREATE FUNCTION on project prod' } } as const;
      assert.ok(authorize(input(create, { ...base, dependencies: [{ as: 'caller', input: useOrders({ allowed: true, grant: 'USAGE on connection prod.orders' }) }] })).allowed);
      const denied = authorize(input(create, { ...base, dependencies: [{ as: 'caller', input: useOrders({ allowed: false, missing: 'USAGE on connection prod.orders' }) }] }));
      assert.equal(denied.deniedAt, 'dependencies');
      assert.match(denied.reason, /needs lakefn:UseConnection on lrn:lakefn:prod:connection\/orders: no object privilege .* missing USAGE on connection prod\.orders/);
    });

    it('puts dependencies through boundaries and Deny too', () => {
      const noOrders = attached(policy('no_orders', { Effect: 'Deny', Action: 'lakefn:UseConnection', Resource: 'lrn:lakefn:prod:connection/orders' }));
      const dependency = { ...useOrders({ allowed: true, grant: 'USAGE' }), policies: [FULL_ACCESS, noOrders] };
      const decision = authorize(input(create, { policies: [FULL_ACCESS], objectPrivilege: GRANTED, dependencies: [{ as: 'caller', input: dependency }] }));
      assert.equal(decision.deniedAt, 'dependencies');
      const nested = step(decision, 'dependencies').dependencies[0]?.decision;
      assert.equal(nested?.deniedAt, 'explicit_deny');
    });

    it('evaluates an optional dependency when it is supplied (OR REPLACE drops the old function)', () => {
      const replace = input({ action: 'lakefn:DropFunction', resource: functionResource('prod', 'upper') }, { policies: [FULL_ACCESS], objectPrivilege: NOT_GRANTED });
      const decision = authorize(
        input(create, { policies: [FULL_ACCESS], objectPrivilege: GRANTED, dependencies: [{ as: 'caller', input: useOrders(GRANTED) }, { as: 'caller', input: replace }] }),
      );
      assert.equal(decision.deniedAt, 'dependencies');
    });
  });

  it('refuses a request the catalog does not allow (a programming error), without deciding it', () => {
    assert.throws(() => authorize(input({ action: 'lakefn:DropConnection', resource: functionResource('prod', 'f') })), { code: 'E_INTERNAL', message: /applies to connection, not to a function/ });
    assert.throws(() => authorize(input({ action: 'lakefn:DropConnection' })), /not to the account/);
    assert.throws(() => authorize(input({ action: 'lakefn:CreateUser', context: { 'lakefn:SourceIp': 'not-an-ip' } })), /lakefn:SourceIp "not-an-ip" is not an IP address/);
    assert.throws(() => authorize(input({ action: 'lakefn:Nope' as 'lakefn:CreateUser' })), /unknown action lakefn:Nope/);
    const dependencies: AuthorizationDependency[] = [];
    const cyclic = input({ action: 'lakefn:UseConnection', resource: connectionResource('prod', 'orders') }, { policies: [FULL_ACCESS], objectPrivilege: GRANTED, dependencies });
    dependencies.push({ as: 'caller', input: cyclic });
    assert.throws(() => authorize(cyclic), { code: 'E_INTERNAL', message: /^authorization dependencies nest deeper than 4 levels/ });
  });

  it('managed API policies: ReadOnly allows list and read actions only', () => {
    const withReadOnly = (request: AuthorizationRequest) => authorize(input(request, { policies: [READ_ONLY], objectPrivilege: GRANTED }));
    assert.ok(withReadOnly({ action: 'lakefn:DescribeConnection', resource: connectionResource('prod', 'orders') }).allowed);
    assert.ok(withReadOnly({ action: 'lakefn:ListProjects' }).allowed);
    assert.ok(withReadOnly({ action: 'lakefn:ReadAudit', resource: projectResource('prod') }).allowed);
    assert.equal(withReadOnly(DROP_ORDERS).deniedAt, 'api_layer');
    assert.equal(withReadOnly({ action: 'lakefn:Grant', resource: connectionResource('prod', 'orders') }).deniedAt, 'api_layer');
    assert.equal(withReadOnly({ action: 'lakefn:InvokeFunction', resource: functionResource('prod', 'f') }).deniedAt, 'api_layer');
  });
});

describe('EXPLAIN AUTHORIZATION output', () => {
  const everything = (overrides: Partial<AuthorizationInput>) => explainDecision(authorize(asAdmin(DROP_ORDERS, overrides), { explain: true })).join('\n');

  it('prints every step, what matched and the reason', () => {
    const text = everything({ principal: { name: 'alice', superAdministrator: false, roles: ['admin', 'analyst'] }, policies: [FULL_ACCESS, DATA_FULL_ACCESS, NO_PROD_DROPS], boundaries: [attached(ALLOW_ALL_BOUNDARY, { kind: 'project', name: 'prod' })] });
    const expected = [
      'DENY lakefn:DropConnection on lrn:lakefn:prod:connection/orders as alice',
      /1 authenticate\s+alice \(roles: admin, analyst\)/,
      /2 super_administrator\s+not a member/,
      /3 boundary\s+pass: inside policy anything \(set on project prod\), Sid All/,
      /4 explicit Deny\s+DENY: policy no_prod_drops, Sid DenyDrop \(attached to role analyst\)/,
      /5 API layer\s+pass: policy LakefnFullAccess, Sid FullAccess \(attached to role admin\)/,
      /6 data layer\s+pass: object privilege admin/,
      /\s+pass: managed data policy LakefnDataFullAccess, Sid DataFullAccess \(attached to role admin\)/,
      /7 dependencies\s+none/,
      /reason: lakefn:DropConnection on lrn:lakefn:prod:connection\/orders is explicitly denied by policy no_prod_drops/,
    ];
    for (const line of expected) assert.ok(typeof line === 'string' ? text.includes(line) : line.test(text), `${String(line)} in:\n${text}`);
  });

  it('prints a failing boundary, a missing API policy, a missing privilege, a skipped data layer and break-glass', () => {
    assert.match(everything({ boundaries: [attached(READ_BOUNDARY, { kind: 'role', name: 'etl' })] }), /3 boundary\s+DENY: outside policy read_cap \(set on role etl\): no Allow statement matches/);
    assert.match(everything({ policies: [] }), /5 API layer\s+DENY: no attached policy allows it/);
    assert.match(everything({ policies: [FULL_ACCESS], objectPrivilege: NOT_GRANTED }), /6 data layer\s+DENY: no object privilege \(missing OWNERSHIP on connection prod\.orders\) and no managed data policy/);
    assert.match(everything({ objectPrivilegesEnabled: false }), /6 data layer\s+skipped: the project's OBJECT_PRIVILEGES is OFF/);
    assert.match(everything({ principal: { name: 'root', superAdministrator: true } }), /2 super_administrator\s+ALLOW: member of super_administrator \(break-glass, audited\)/);
    const quick = explainDecision(authorize(asAdmin(DROP_ORDERS, { policies: [NO_PROD_DROPS] }))).join('\n');
    assert.match(quick, /5 API layer\s+not evaluated \(decided above\)/);
  });

  it('nests the decisions of dependent actions', () => {
    const create: AuthorizationRequest = { action: 'lakefn:CreateFunction', resource: functionResource('prod', 'upper') };
    const use = asAdmin({ action: 'lakefn:UseConnection', resource: connectionResource('prod', 'orders') }, { objectPrivilege: { allowed: false, missing: 'USAGE on connection prod.orders' }, policies: [FULL_ACCESS] });
    const text = explainDecision(authorize(asAdmin(create, { dependencies: [{ as: 'caller', input: use }] }), { explain: true })).join('\n');
    assert.match(text, /7 dependencies\s+DENY: lakefn:UseConnection on lrn:lakefn:prod:connection\/orders/);
    assert.match(text, /\n {6}DENY lakefn:UseConnection on lrn:lakefn:prod:connection\/orders as alice/);
    assert.match(text, /\n {8}6 data layer\s+DENY: no object privilege \(missing USAGE on connection prod\.orders\)/);
  });

  it('is the same decision with and without explain', () => {
    const inputs = [asAdmin(DROP_ORDERS), asAdmin(DROP_ORDERS, { policies: [NO_PROD_DROPS, FULL_ACCESS] }), input(DROP_ORDERS), asAdmin(DROP_ORDERS, { boundaries: [attached(READ_BOUNDARY, { kind: 'role', name: 'etl' })] })];
    for (const candidate of inputs) {
      const quick = authorize(candidate);
      const full = authorize(candidate, { explain: true });
      assert.equal(full.allowed, quick.allowed);
      assert.equal(full.deniedAt, quick.deniedAt);
      assert.equal(full.reason, quick.reason);
    }
  });

  it('produces JSON-serialisable decisions', () => {
    const decision = authorize(asAdmin(DROP_ORDERS, { policies: [NO_PROD_DROPS] }), { explain: true });
    const plain = (value: unknown): boolean =>
      value === null || ['string', 'number', 'boolean', 'undefined'].includes(typeof value) ||
      (Array.isArray(value) ? value.every(plain) : typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype && Object.values(value).every(plain));
    assert.ok(plain(decision), 'only plain objects, arrays and primitives');
  });
});
