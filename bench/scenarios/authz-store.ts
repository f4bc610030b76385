import { mkdtempSync, rmSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessModel, type ResolvedPrincipal } from '../../src/governance/access-model.ts';
import { localPrincipal, userPrincipal } from '../../src/governance/authenticated-principal.ts';
import { authorizeRequest, type GovernedRequest } from '../../src/governance/authorize-request.ts';
import { connectionResource, functionResource, projectResource } from '../../src/governance/policy/index.ts';
import { executeStatements } from '../../src/sql/execute-statement.ts';
import type { CatalogStore } from '../../src/store/catalog-store.ts';
import { openCatalogStore } from '../../src/store/open-catalog-store.ts';
import type { BenchPlan } from '../bench-plan.ts';
import { AUTHZ_SHAPE, policyText } from '../support/authz-fixture.ts';
import { quantile } from '../support/measure.ts';
import type { LatencyFigures } from './authz.ts';

export interface StoreAuthzResult {
  readonly decisions: number;
  /** `authorizeRequest` on the AccessModel a statement or call loads (store-backed: principals, roles, grants, policies). */
  readonly decision: LatencyFigures;
  /** Process CPU time per decision over an untimed loop (not inflated by other processes, unlike wall time). */
  readonly cpuMicrosPerDecision: number;
  /** AccessModel.load + resolve at an unchanged catalog version (the compiled policies are kept): what a decision's snapshot costs. */
  readonly modelLoadMs: number;
  /** The same right after a change (policies read, verified and compiled again). */
  readonly modelLoadAfterChangeMs: number;
}

const NANOS_PER_MICRO = 1000;
const two = (index: number): string => String(index).padStart(2, '0');
const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * The authz scenario through the real path: a SQLite catalog where alice holds 20 roles and 50 attached policies (the
 * same documents as the pure scenario, created with CREATE POLICY and ATTACH POLICY), 3 boundaries (project, user,
 * role) and real grants; the AccessModel is loaded from the store as every statement and call does, and each decision
 * is `authorizeRequest` (policies of the principal and its roles, boundaries, the project switch, grants, dependencies).
 */
export async function runStoreBackedAuthz(plan: BenchPlan['authz'], log: (line: string) => void): Promise<StoreAuthzResult> {
  const home = mkdtempSync(join(tmpdir(), 'lakefn-bench-authz-'));
  const store = await openCatalogStore({ home, environment: {} });
  try {
    await buildCatalog(store);
    const { model, alice, owner, loadMs } = await loadModel(store);
    const requests = requestsFor(model, alice, owner);
    for (const [label, request, expected] of requests) {
      const decision = authorizeRequest(model, alice, request);
      if (decision.allowed !== expected) throw new Error(`authz bench (store): "${label}" was ${decision.allowed ? 'allowed' : `denied (${decision.reason})`}`);
    }
    let sink = 0;
    for (let index = 0; index < plan.warmupDecisions; index += 1) if (authorizeRequest(model, alice, requests[index % requests.length]![1]).allowed) sink += 1;
    const samples = new Float64Array(plan.decisions);
    for (let index = 0; index < plan.decisions; index += 1) {
      const request = requests[index % requests.length]![1];
      const startedAt = process.hrtime.bigint();
      if (authorizeRequest(model, alice, request).allowed) sink += 1;
      samples[index] = Number(process.hrtime.bigint() - startedAt) / NANOS_PER_MICRO;
    }
    const cpuBefore = process.cpuUsage();
    for (let index = 0; index < plan.decisions; index += 1) if (authorizeRequest(model, alice, requests[index % requests.length]![1]).allowed) sink += 1;
    const cpuUsed = process.cpuUsage(cpuBefore);
    const cpuMicrosPerDecision = (cpuUsed.user + cpuUsed.system) / plan.decisions;
    const sorted = [...samples].sort((left, right) => left - right);
    const decision = { p50Micros: quantile(sorted, 0.5), p99Micros: quantile(sorted, 0.99), meanMicros: sorted.reduce((total, value) => total + value, 0) / sorted.length };
    await executeStatements('CREATE ROLE bench_change', { store, principal: localPrincipal('bench', 'local') });
    const afterChange = await loadModel(store);
    const cached = await loadModel(store);
    log(`authz (store-backed authorizeRequest): ${plan.decisions} decisions, p50 ${decision.p50Micros.toFixed(2)} µs, p99 ${decision.p99Micros.toFixed(2)} µs, CPU ${cpuMicrosPerDecision.toFixed(2)} µs (load ${(os.loadavg()[0] ?? Number.NaN).toFixed(1)}); model load ${cached.loadMs.toFixed(2)} ms (after a change ${afterChange.loadMs.toFixed(2)} ms; first ${loadMs.toFixed(2)} ms)${sink > 0 ? '' : '; nothing was allowed'}`);
    return { decisions: plan.decisions, decision, cpuMicrosPerDecision, modelLoadMs: cached.loadMs, modelLoadAfterChangeMs: afterChange.loadMs };
  } finally {
    await store.close();
    rmSync(home, { recursive: true, force: true });
  }
}

async function buildCatalog(store: CatalogStore): Promise<void> {
  const services = { store, environment: { LAKEFN_AWS_ACCOUNT_ID: '210987654321' }, principal: localPrincipal('bench', 'local'), validateConnection: async () => ({ status: 'VERIFIED' as const, detail: null }) };
  const script: string[] = ['CREATE USER alice', 'CREATE USER owner', 'CREATE PROJECT prod'];
  for (let index = 0; index < AUTHZ_SHAPE.roles; index += 1) script.push(`CREATE PROJECT team_${two(index)}`, `CREATE ROLE role_${two(index)}`, `GRANT ROLE role_${two(index)} TO USER alice`);
  for (let index = 0; index < AUTHZ_SHAPE.policies; index += 1) {
    script.push(`CREATE POLICY policy_${two(index)} AS ${literal(policyText(index))}`);
    script.push(`ATTACH POLICY policy_${two(index)} TO ${index < 10 ? 'USER alice' : `ROLE role_${two(index % AUTHZ_SHAPE.roles)}`}`);
  }
  const boundary = (deny: string): string =>
    literal(JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'Cap', Effect: 'Deny', Action: deny, Resource: '*', Condition: { NotIpAddress: { 'lakefn:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] } } }] }));
  script.push(
    `CREATE POLICY team_boundary AS ${boundary('lakefn:*')}`, 'SET BOUNDARY ON PROJECT team_07 AS POLICY team_boundary',
    `CREATE POLICY user_boundary AS ${boundary('lakefn:Create*')}`, 'SET BOUNDARY ON USER alice AS POLICY user_boundary',
    `CREATE POLICY role_boundary AS ${boundary('lakefn:Grant')}`, 'SET BOUNDARY ON ROLE role_03 AS POLICY role_boundary',
    'DETACH POLICY LakefnFullAccess FROM ROLE PUBLIC',
    'ATTACH POLICY LakefnFullAccess TO USER owner',
    "CREATE API CONNECTION team_07.lambda_conn TYPE CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'us-east-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/lakefn-udf'",
    "CREATE API CONNECTION team_03.lambda_conn TYPE CLOUD_FUNCTION PROVIDER = 'aws' REGION = 'us-east-1' ROLE_ARN = 'arn:aws:iam::123456789012:role/lakefn-udf'",
    'CREATE EXTERNAL FUNCTION team_07.etl_orders(x INT) RETURNS INT CONNECTION lambda_conn',
    'GRANT OWNERSHIP ON FUNCTION team_07.etl_orders TO USER owner',
    'GRANT USAGE ON CONNECTION team_07.lambda_conn TO USER owner',
    'GRANT EXECUTE ON FUNCTION team_07.etl_orders TO ROLE role_07',
    'GRANT DESCRIBE ON CONNECTION team_07.lambda_conn TO ROLE role_12',
    'GRANT CREATE FUNCTION ON PROJECT team_03 TO ROLE role_03',
    'GRANT USAGE ON CONNECTION team_03.lambda_conn TO ROLE role_03',
  );
  await executeStatements(script.join(';\n'), services);
}

async function loadModel(store: CatalogStore): Promise<{ model: AccessModel; alice: ResolvedPrincipal; owner: ResolvedPrincipal; loadMs: number }> {
  const startedAt = performance.now();
  return store.read(async (session) => {
    const model = await AccessModel.load(session);
    const alice = await model.resolve(userPrincipal('alice', 'token', '10.7.3.4'));
    const owner = await model.resolveId(model.principal('user', 'owner')!.id);
    return { model, alice, owner, loadMs: performance.now() - startedAt };
  });
}

/** The request mix (as the statements and calls build them), each with the outcome it must have. */
function requestsFor(model: AccessModel, alice: ResolvedPrincipal, owner: ResolvedPrincipal): [string, GovernedRequest, boolean][] {
  const context = { 'lakefn:Provider': 'aws', 'lakefn:Region': 'us-east-1', 'lakefn:ConnectionName': 'lambda_conn' } as const;
  const fn = alice.grants.find((grant) => grant.privilege === 'EXECUTE');
  const conn = owner.grants.find((grant) => grant.privilege === 'USAGE');
  if (fn === undefined || conn === undefined) throw new Error('authz bench (store): the grants were not loaded');
  const ownerId = model.principal('user', 'owner')!.id;
  const invoke: GovernedRequest = {
    action: 'lakefn:InvokeFunction',
    resource: functionResource('team_07', 'etl_orders'),
    context,
    privilege: { kind: 'object', object: { kind: 'function', id: fn.objectId, displayName: 'team_07.etl_orders', ownerId }, accepted: ['EXECUTE'], ownership: true },
    dependencies: [{
      as: 'owner',
      principal: owner,
      request: {
        action: 'lakefn:UseConnection',
        resource: connectionResource('team_07', 'lambda_conn'),
        context,
        privilege: { kind: 'object', object: { kind: 'connection', id: conn.objectId, displayName: 'team_07.lambda_conn', ownerId: 'x' }, accepted: ['USAGE'], ownership: true },
      },
    }],
  };
  return [
    ['invoke, allowed (owner USAGE checked)', invoke, true],
    ['list functions, allowed', { action: 'lakefn:ListFunctions', resource: projectResource('team_19') }, true],
    ['drop in prod, explicit Deny', { action: 'lakefn:DropConnection', resource: connectionResource('prod', 'orders'), context, privilege: { kind: 'administrators' } }, false],
    ['create user, no Allow (scans every policy)', { action: 'lakefn:CreateUser', privilege: { kind: 'administrators' } }, false],
    ['describe in team_12, no object privilege', { action: 'lakefn:DescribeConnection', resource: connectionResource('team_12', 'x'), context, privilege: { kind: 'role', roles: ['auditor'] } }, false],
  ];
}
