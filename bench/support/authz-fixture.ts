// The authz scenario's principal: a user holding 20 roles and 50 attached policies of 5 statements each (wildcards,
// conditions on IP, provider, time, principal and package), 3 boundaries, and a mix of requests that end at every step.
import {
  compilePolicy,
  connectionResource,
  functionResource,
  MANAGED_POLICIES,
  projectResource,
  type AttachedPolicy,
  type AuthorizationInput,
  type AuthorizationRequest,
  type CompiledPolicy,
  type ObjectPrivilegeAnswer,
} from '../../src/governance/policy/index.ts';

export const AUTHZ_SHAPE = { roles: 20, policies: 50, statementsPerPolicy: 5, boundaries: 3 } as const;

const two = (index: number): string => String(index).padStart(2, '0');

/** Five statements in the style of real policies, varied by `index` (team projects, address blocks, names). */
export function policyText(index: number): string {
  const team = `team_${two(index % 20)}`;
  return JSON.stringify({
    Version: '1',
    Statement: [
      { Sid: 'ReadTeam', Effect: 'Allow', Action: ['lakefn:Describe*', 'lakefn:List*', 'lakefn:ReadFunctionHistory'], Resource: [`lrn:lakefn:${team}:*`, `lrn:lakefn::project/${team}`] },
      {
        Sid: 'InvokeEtlFromOffice',
        Effect: 'Allow',
        Action: 'lakefn:InvokeFunction',
        Resource: [`lrn:lakefn:${team}:function/etl_*`, `lrn:lakefn:${team}:function/report_??`],
        Condition: { IpAddress: { 'lakefn:SourceIp': [`10.${index}.0.0/16`, `2001:db8:${index.toString(16)}::/48`] }, StringEquals: { 'lakefn:Provider': ['aws', 'aliyun'] } },
      },
      { Sid: 'NoProdDrops', Effect: 'Deny', Action: ['lakefn:Drop*', 'lakefn:RotateExternalId'], Resource: 'lrn:lakefn:prod*:*', Condition: { StringNotLike: { 'lakefn:PrincipalName': 'release_bot_*' } } },
      {
        Sid: 'BuildFunctions',
        Effect: 'Allow',
        Action: ['lakefn:CreateFunction', 'lakefn:UseConnection', 'lakefn:DropFunction'],
        Resource: `lrn:lakefn:${team}:*`,
        Condition: { StringEquals: { 'lakefn:Provider': ['aws', 'aliyun', 'tencent'] }, DateLessThan: { 'lakefn:CurrentTime': '2030-01-01T00:00:00Z' } },
      },
      { Sid: 'NoPiiThroughPackages', Effect: 'Deny', Action: 'lakefn:InvokeFunction', Resource: 'lrn:lakefn:*:function/*_pii*', Condition: { Bool: { 'lakefn:ViaPackage': true } } },
    ],
  });
}

export interface AuthzFixture {
  readonly policies: readonly AttachedPolicy[];
  readonly boundaries: readonly AttachedPolicy[];
  readonly roles: readonly string[];
  /** Compiling the 50 policies and 3 boundaries (what a store version change costs), in ms. */
  readonly compileMs: number;
  readonly templates: readonly RequestTemplate[];
}

/** How to build one request (as an entry point would: resource name and context from the statement and connection). */
export interface RequestTemplate {
  readonly label: string;
  readonly expectAllowed: boolean;
  readonly build: () => AuthorizationRequest;
  readonly objectPrivilege: ObjectPrivilegeAnswer;
  /** For actions with a required dependency: the dependent request and its answer. */
  readonly dependency?: { readonly as: 'caller' | 'owner'; readonly build: () => AuthorizationRequest; readonly objectPrivilege: ObjectPrivilegeAnswer };
}

export function buildAuthzFixture(): AuthzFixture {
  const startedAt = performance.now();
  const roles = Array.from({ length: AUTHZ_SHAPE.roles }, (_, index) => `role_${two(index)}`);
  const compiled: CompiledPolicy[] = Array.from({ length: AUTHZ_SHAPE.policies - 1 }, (_, index) => compilePolicy(`policy_${two(index)}`, policyText(index)));
  compiled.push(MANAGED_POLICIES.LakefnDataReadOnlyAccess.compiled);
  const policies: AttachedPolicy[] = compiled.map((policy, index) => ({ policy, attachedTo: index < 10 ? { kind: 'user', name: 'alice' } : { kind: 'role', name: roles[index % AUTHZ_SHAPE.roles] ?? 'role_00' } }));
  const boundaryText = (deny: string): string =>
    JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'Cap', Effect: 'Deny', Action: deny, Resource: '*', Condition: { NotIpAddress: { 'lakefn:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } } }] });
  const boundaries: AttachedPolicy[] = [
    { policy: compilePolicy('team_boundary', boundaryText('lakefn:*')), attachedTo: { kind: 'project', name: 'team_07' } },
    { policy: compilePolicy('user_boundary', boundaryText('lakefn:Create*')), attachedTo: { kind: 'user', name: 'alice' } },
    { policy: compilePolicy('role_boundary', boundaryText('lakefn:Grant')), attachedTo: { kind: 'role', name: 'role_03' } },
  ];
  const compileMs = performance.now() - startedAt;
  const granted = { allowed: true, grant: 'EXECUTE on function team_07.etl_orders (via role role_07)' } as const;
  const missing = { allowed: false, missing: 'OWNERSHIP' } as const;
  const context = { 'lakefn:Provider': 'aws', 'lakefn:Region': 'us-east-1', 'lakefn:ConnectionName': 'lambda_conn', 'lakefn:SourceIp': '10.7.3.4' } as const;
  const templates: RequestTemplate[] = [
    {
      label: 'invoke, allowed (owner USAGE checked)',
      expectAllowed: true,
      build: () => ({ action: 'lakefn:InvokeFunction', resource: functionResource('team_07', 'etl_orders'), context }),
      objectPrivilege: granted,
      dependency: { as: 'owner', build: () => ({ action: 'lakefn:UseConnection', resource: connectionResource('team_07', 'lambda_conn'), context }), objectPrivilege: { allowed: true, grant: 'USAGE' } },
    },
    { label: 'describe, allowed', expectAllowed: true, build: () => ({ action: 'lakefn:DescribeConnection', resource: connectionResource('team_12', 'fc_conn'), context: { 'lakefn:Provider': 'aliyun', 'lakefn:SourceIp': '10.12.0.9' } }), objectPrivilege: { allowed: true, grant: 'DESCRIBE' } },
    { label: 'drop in prod, explicit Deny', expectAllowed: false, build: () => ({ action: 'lakefn:DropConnection', resource: connectionResource('prod', 'orders'), context }), objectPrivilege: missing },
    {
      label: 'create function, allowed (UseConnection checked)',
      expectAllowed: true,
      build: () => ({ action: 'lakefn:CreateFunction', resource: functionResource('team_03', 'etl_new'), context: { ...context, 'lakefn:SourceIp': '10.3.1.1' } }),
      objectPrivilege: { allowed: true, grant: 'CREATE FUNCTION on project team_03' },
      dependency: { as: 'caller', build: () => ({ action: 'lakefn:UseConnection', resource: connectionResource('team_03', 'lambda_conn'), context: { ...context, 'lakefn:SourceIp': '10.3.1.1' } }), objectPrivilege: { allowed: true, grant: 'USAGE' } },
    },
    { label: 'list functions, allowed', expectAllowed: true, build: () => ({ action: 'lakefn:ListFunctions', resource: projectResource('team_19'), context: { 'lakefn:SourceIp': '2001:db8:13::1' } }), objectPrivilege: missing },
    { label: 'create user, no Allow (scans every policy)', expectAllowed: false, build: () => ({ action: 'lakefn:CreateUser', context: { 'lakefn:SourceIp': '10.1.1.1' } }), objectPrivilege: missing },
    { label: 'invoke from outside the office, no Allow', expectAllowed: false, build: () => ({ action: 'lakefn:InvokeFunction', resource: functionResource('team_07', 'etl_orders'), context: { ...context, 'lakefn:SourceIp': '192.168.0.1' } }), objectPrivilege: granted },
    { label: 'invoke from outside 10/8 in team_07, outside the boundary', expectAllowed: false, build: () => ({ action: 'lakefn:InvokeFunction', resource: functionResource('team_07', 'etl_orders'), context: { ...context, 'lakefn:SourceIp': '2001:db9::1' } }), objectPrivilege: granted },
  ];
  return { policies, boundaries, roles, compileMs, templates };
}

/** The input an entry point would assemble for one request (boundaries: the project's, the user's, one role's). */
export function inputFor(fixture: AuthzFixture, template: RequestTemplate, request: AuthorizationRequest): AuthorizationInput {
  const dependency = template.dependency;
  return {
    principal: { name: 'alice', superAdministrator: false, roles: fixture.roles },
    request,
    boundaries: request.resource?.project === 'team_07' ? fixture.boundaries : fixture.boundaries.slice(1),
    policies: fixture.policies,
    objectPrivilege: template.objectPrivilege,
    objectPrivilegesEnabled: true,
    dependencies:
      dependency === undefined
        ? undefined
        : [{ as: dependency.as, input: { principal: { name: 'bob', superAdministrator: false }, request: dependency.build(), boundaries: [], policies: fixture.policies, objectPrivilege: dependency.objectPrivilege, objectPrivilegesEnabled: true } }],
  };
}
