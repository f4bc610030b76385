// Governance II over both stores: policies (CREATE with JSON-path validation, ATTACH, DETACH, SHOW, DESC, DROP refused
// while in use), boundaries, the OBJECT_PRIVILEGES switch, SHOW ACTIONS, and every evaluation step of the one
// authorization function with both outcomes (break-glass, boundary capping admin, Deny over admin and grants, the two
// layers, dependencies and definer rights), the condition keys (source IP, time window, provider), EXPLAIN
// AUTHORIZATION's output for each step, and the audit records of all of it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { userPrincipal } from '../../src/governance/authenticated-principal.ts';
import type { AuthorizationExplanationResult, ChangeResult, PolicyDescriptionResult } from '../../src/sql/execute-result.ts';
import { type CatalogFixture, storeDescriptors } from '../store/store-descriptors.ts';
import { AWS, catalogPerTest, type Governed, LOCAL, rejectsWith } from './governance-helpers.ts';

/** A policy document's SQL literal (single quotes doubled). */
function policy(statements: readonly Record<string, unknown>[]): string {
  return `'${JSON.stringify({ Version: '1', Statement: statements }).replaceAll("'", "''")}'`;
}

const DENY_PROD_DROPS = policy([{ Sid: 'DenyDropInProd', Effect: 'Deny', Action: ['lakefn:DropConnection'], Resource: ['lrn:lakefn:prod:connection/*'] }]);
const INVOKE_ONLY = policy([{ Sid: 'Invoke', Effect: 'Allow', Action: ['lakefn:InvokeFunction', 'lakefn:DescribeFunction'], Resource: ['*'] }]);

for (const descriptor of storeDescriptors()) {
  describe(`Governance II: ${descriptor.name}`, { skip: descriptor.skip }, () => {
    let fixture: CatalogFixture;
    let g: Governed;

    catalogPerTest(descriptor, (catalog) => ({ fixture, g } = catalog));

    /** A verified connection `c` and a function `f` on it in `project`, created (and owned) by the local administrator. */
    async function connectionAndFunction(project = 'default'): Promise<void> {
      await g.sql(`CREATE API CONNECTION c ${AWS}; VALIDATE API CONNECTION c`, LOCAL, project);
      await g.sql('CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT CONNECTION c', LOCAL, project);
    }

    async function explain(text: string, principal = LOCAL, project?: string): Promise<AuthorizationExplanationResult> {
      const [result] = await g.sql(`EXPLAIN AUTHORIZATION ${text}`, principal, project);
      assert.equal(result?.kind, 'authorization-explanation');
      return result;
    }

    it('LakefnFullAccess is attached to PUBLIC in a new catalog: visible, described, and detaching it enforces the API layer', async () => {
      const rows = await g.rows('SHOW POLICIES');
      assert.deepEqual(rows.map((row) => row.slice(0, 4)), [
        ['LakefnFullAccess', 'YES', 'api', 'role PUBLIC'],
        ['LakefnReadOnlyAccess', 'YES', 'api', ''],
        ['LakefnDataFullAccess', 'YES', 'data', ''],
        ['LakefnDataReadOnlyAccess', 'YES', 'data', ''],
      ]);
      const [described] = await g.sql('DESC POLICY lakefnfullaccess');
      assert.equal(described?.kind, 'policy-description');
      assert.deepEqual(described.description.attached_to, ['role PUBLIC']);
      await connectionAndFunction();
      await g.sql('CREATE USER alice; CREATE USER boss; GRANT ROLE admin TO USER boss; GRANT EXECUTE ON FUNCTION f TO USER alice');
      const alice = userPrincipal('alice', 'token');
      await g.call('f', alice);
      const [detached] = await g.sql('DETACH POLICY LakefnFullAccess FROM ROLE PUBLIC');
      assert.match((detached as ChangeResult).notices.join(), /the API layer is now enforced/);
      // object privilege but no API policy: denied at the API layer
      const denied = await rejectsWith(g.call('f', alice), 'E_ACCESS_DENIED', /no policy attached to alice or its roles allows lakefn:InvokeFunction/);
      assert.equal(denied.data?.['denied_at'], 'api_layer');
      // admin implies LakefnFullAccess; a read-only API policy does not cover InvokeFunction (a write action)
      await g.call('f', userPrincipal('boss', 'token'));
      await g.sql('ATTACH POLICY LakefnReadOnlyAccess TO USER alice');
      await rejectsWith(g.call('f', alice), 'E_ACCESS_DENIED', /no policy attached to alice or its roles allows lakefn:InvokeFunction/);
      assert.equal((await g.sql('DESC FUNCTION f', g.as('alice')))[0]?.kind, 'function-description');
      await g.sql(`CREATE POLICY invoke_only AS ${INVOKE_ONLY} COMMENT 'call functions'; ATTACH POLICY invoke_only TO USER alice`);
      await g.call('f', alice);
      // list and read actions pass the API layer; the data layer still decides (SHOW USERS: auditors)
      await g.rejects('SHOW USERS', g.as('alice'), 'E_ACCESS_DENIED', /missing membership in auditor/);
      // a user sees the managed policies and those that apply to it; administrators see all
      await g.sql(`CREATE POLICY other AS ${INVOKE_ONLY}`);
      assert.deepEqual((await g.rows('SHOW POLICIES', g.as('alice'))).map((row) => row[0]).filter((name) => !String(name).startsWith('Lakefn')), ['invoke_only']);
      assert.deepEqual((await g.rows("SHOW POLICIES LIKE 'inv%'")).map((row) => row.slice(0, 4)), [['invoke_only', 'NO', 'api', 'user alice']]);
      await g.rejects('DESC POLICY other', g.as('alice'), 'E_NO_SUCH_POLICY', /^policy 'other' does not exist or not authorized/);
      await g.rejects('DESC POLICY nothing', g.as('alice'), 'E_NO_SUCH_POLICY', /^policy 'nothing' does not exist or not authorized/);
      await g.sql('ATTACH POLICY LakefnFullAccess TO ROLE PUBLIC');
      await g.rejects('CREATE POLICY mine AS ' + INVOKE_ONLY, g.as('alice'), 'E_ACCESS_DENIED', /missing membership in admin/);
      await g.rejects('ATTACH POLICY LakefnFullAccess TO USER alice', g.as('alice'), 'E_ACCESS_DENIED', /missing membership in admin/);
    });

    it('CREATE POLICY validates the document at CREATE: every problem with its JSON path and a did-you-mean; nothing changes', async () => {
      const before = await fixture.dump({ audit: false });
      const bad = policy([
        { Effect: 'Allow', Action: ['lakefn:InvokeFuncton'], Resource: ['*'] },
        { Effect: 'Deny', Action: ['lakefn:DropConnection'], Resource: ['*'], Condition: { IpAdress: { 'lakefn:SourceIp': '10.0.0.0/8' } } },
        { Effect: 'Allow', Action: ['lakefn:ListUsers'], Resource: ['*'], Condition: { StringEquals: { 'lakefn:Provder': 'aws' } } },
      ]);
      const error = await g.rejects(`CREATE POLICY p AS ${bad}`, undefined, 'E_INVALID_POLICY', /policy 'p' is invalid \(3 problems, in the document at 1:20; nothing was created\)/);
      assert.match(error.message, /Statement\[0\]\.Action\[0\]: .*\(did you mean "lakefn:InvokeFunction"\?\)/);
      assert.match(error.message, /Statement\[1\]\.Condition\.IpAdress: .*\(did you mean "IpAddress"\?\)/);
      assert.match(error.message, /Statement\[2\]\.Condition\.StringEquals\["lakefn:Provder"\]: .*\(did you mean "lakefn:Provider"\?\)/);
      assert.equal((error.data?.['issues'] as unknown[]).length, 3);
      await g.rejects("CREATE POLICY p AS '{\"Version\": \"1\", \"Statement\": ['", undefined, 'E_INVALID_POLICY', /not valid JSON|JSON/);
      await g.rejects(`CREATE POLICY LakefnReadOnlyAccess AS ${INVOKE_ONLY}`, undefined, 'E_INVALID_NAME', /'LakefnReadOnlyAccess' is a managed policy/);
      assert.equal(await fixture.dump({ audit: false }), before);
      // a valid one, replaced with OR REPLACE only
      await g.sql(`CREATE POLICY p AS ${INVOKE_ONLY}`);
      await g.rejects(`CREATE POLICY p AS ${INVOKE_ONLY}`, undefined, 'E_POLICY_EXISTS', /already exists; use CREATE OR REPLACE POLICY/);
      const [replaced] = await g.sql(`CREATE OR REPLACE POLICY p AS ${DENY_PROD_DROPS}`);
      assert.equal((replaced as ChangeResult).outcome, 'replaced');
      const [described] = await g.sql('DESC POLICY p');
      assert.deepEqual((described as PolicyDescriptionResult).description.document, JSON.parse(DENY_PROD_DROPS.slice(1, -1)));
    });

    it('DROP POLICY is refused while attached or set as a boundary, unless CASCADE; managed policies are never dropped', async () => {
      await g.sql(`CREATE USER alice; CREATE PROJECT prod; CREATE POLICY p AS ${INVOKE_ONLY}; ATTACH POLICY p TO USER alice; SET BOUNDARY ON PROJECT prod AS POLICY p`);
      const before = await fixture.dump({ audit: false });
      const inUse = await g.rejects('DROP POLICY p', undefined, 'E_POLICY_IN_USE', /policy 'p' is in use \(attached to user alice, the boundary of project prod\).*CASCADE/);
      assert.deepEqual(inUse.data?.['attached_to'], ['user alice']);
      assert.equal(await fixture.dump({ audit: false }), before);
      await g.rejects('DROP POLICY LakefnFullAccess', undefined, 'E_INVALID_ARGUMENT', /managed policy .* cannot be dropped/);
      await g.sql('DETACH POLICY p FROM USER alice');
      await g.rejects('DROP POLICY p', undefined, 'E_POLICY_IN_USE', /the boundary of project prod/);
      const [dropped] = await g.sql('DROP POLICY p CASCADE');
      assert.match((dropped as ChangeResult).notices.join(), /CASCADE detached it from 0 principal\(s\) and removed 1 boundary/);
      assert.deepEqual(await g.rows('SHOW BOUNDARIES'), []);
      await g.rejects('DROP POLICY p', undefined, 'E_NO_SUCH_POLICY', /policy 'p' does not exist/);
      await g.sql('DROP POLICY IF EXISTS p');
      // dropping a user takes its attachments and boundary with it
      await g.sql(`CREATE POLICY q AS ${INVOKE_ONLY}; ATTACH POLICY q TO USER alice; SET BOUNDARY ON USER alice AS POLICY q; DROP USER alice; DROP POLICY q`);
    });

    it('step 2: super_administrator is allowed (break-glass) despite a Deny and a boundary; others are not', async () => {
      await g.sql(`CREATE USER root2; GRANT ROLE super_administrator TO USER root2; CREATE USER boss; GRANT ROLE admin TO USER boss; CREATE PROJECT prod`);
      await g.sql(`CREATE API CONNECTION c ${AWS}; CREATE API CONNECTION d ${AWS}`, LOCAL, 'prod');
      await g.sql(`CREATE POLICY no_drops AS ${DENY_PROD_DROPS}; ATTACH POLICY no_drops TO ROLE PUBLIC; SET BOUNDARY ON ROLE PUBLIC AS POLICY LakefnReadOnlyAccess`);
      await g.sql('DROP API CONNECTION prod.c', g.as('root2'));
      await g.rejects('DROP API CONNECTION prod.d', g.as('boss'), 'E_ACCESS_DENIED', /outside the boundary LakefnReadOnlyAccess set on role PUBLIC/);
      const audit = await g.audit();
      const breakGlass = audit.find((record) => record.type === 'AUTHZ' && record.body['action'] === 'lakefn:DropConnection' && record.body['break_glass'] === true);
      assert.ok(breakGlass, 'a break-glass decision is always audited');
      const explained = await explain('DROP API CONNECTION prod.d', g.as('root2'));
      assert.equal(explained.allowed, true);
      assert.match(explained.lines.join('\n'), /2 super_administrator\s+ALLOW: member of super_administrator \(break-glass, audited\)/);
      // in explain mode the steps after break-glass are still shown (they would have denied)
      assert.match(explained.lines.join('\n'), /4 explicit Deny\s+DENY: policy no_drops, Sid DenyDropInProd \(attached to role PUBLIC\)/);
    });

    it('step 3: a boundary caps an admin (project, user and role boundaries) and never grants; UNSET lifts it', async () => {
      await g.sql('CREATE USER boss; GRANT ROLE admin TO USER boss; CREATE USER bob; CREATE ROLE contractors; GRANT ROLE contractors TO USER bob; CREATE PROJECT prod');
      await connectionAndFunction('prod');
      await g.sql('SET BOUNDARY ON PROJECT prod AS POLICY LakefnReadOnlyAccess');
      assert.equal((await g.sql('DESC API CONNECTION prod.c', g.as('boss')))[0]?.kind, 'connection-description');
      const capped = await g.rejects("ALTER API CONNECTION prod.c SET COMMENT = 'x'", g.as('boss'), 'E_ACCESS_DENIED',
        /lakefn:AlterConnection on lrn:lakefn:prod:connection\/c is outside the boundary LakefnReadOnlyAccess set on project prod: none of its Allow statements matches \(a boundary only caps, it never grants\)/);
      assert.equal(capped.data?.['denied_at'], 'boundary');
      // a request outside the project is not capped by it
      await g.sql(`CREATE API CONNECTION elsewhere ${AWS}`, g.as('boss'));
      const text = (await explain("ALTER API CONNECTION prod.c SET COMMENT = 'x'", g.as('boss'))).lines.join('\n');
      assert.match(text, /3 boundary\s+DENY: outside policy LakefnReadOnlyAccess \(set on project prod\): no Allow statement matches/);
      await g.sql('UNSET BOUNDARY ON PROJECT prod');
      await g.sql("ALTER API CONNECTION prod.c SET COMMENT = 'x'", g.as('boss'));
      // user and role boundaries; the boundary of a role applies to its members
      await g.sql('SET BOUNDARY ON USER boss AS POLICY LakefnReadOnlyAccess');
      await g.rejects("ALTER API CONNECTION prod.c SET COMMENT = 'y'", g.as('boss'), 'E_ACCESS_DENIED', /outside the boundary LakefnReadOnlyAccess set on user boss/);
      assert.match((await explain('SHOW USERS', g.as('boss'))).lines.join('\n'), /3 boundary\s+pass: inside policy LakefnReadOnlyAccess \(set on user boss\), Sid ReadOnlyAccess/);
      await g.sql('UNSET BOUNDARY ON USER boss');
      // a boundary never grants: LakefnFullAccess as bob's role boundary gives bob nothing
      await g.sql('SET BOUNDARY ON ROLE contractors AS POLICY LakefnFullAccess; GRANT MONITOR ON PROJECT prod TO USER bob');
      await g.rejects('DROP API CONNECTION prod.c CASCADE', g.as('bob'), 'E_NO_SUCH_CONNECTION', /does not exist or not authorized/);
      await g.rejects('SHOW USERS', g.as('bob'), 'E_ACCESS_DENIED', /missing membership in auditor/);
      assert.deepEqual((await g.rows('SHOW BOUNDARIES')).map((row) => row.slice(0, 3)), [['role', 'contractors', 'LakefnFullAccess']]);
      assert.deepEqual((await g.rows('SHOW BOUNDARIES', g.as('bob'))).map((row) => row.slice(0, 3)), [['role', 'contractors', 'LakefnFullAccess']]);
      await g.sql('CREATE USER dave');
      assert.deepEqual(await g.rows('SHOW BOUNDARIES', g.as('dave')), []);
      const [unset] = await g.sql('UNSET BOUNDARY ON ROLE contractors; UNSET BOUNDARY ON ROLE contractors');
      assert.equal((unset as ChangeResult).outcome, 'unset');
    });

    it('step 4: an explicit Deny beats admin, ownership and an object grant; the trace names the policy and Sid', async () => {
      await g.sql('CREATE USER boss; GRANT ROLE admin TO USER boss; CREATE USER carol; CREATE ROLE analyst; GRANT ROLE analyst TO USER carol; CREATE PROJECT prod');
      await connectionAndFunction('prod');
      await g.sql(`CREATE API CONNECTION mine ${AWS}`, g.as('boss'), 'prod');
      await g.sql(`CREATE POLICY no_prod_drops AS ${DENY_PROD_DROPS}; ATTACH POLICY no_prod_drops TO USER boss`);
      const denied = await g.rejects('DROP API CONNECTION prod.mine', g.as('boss'), 'E_ACCESS_DENIED',
        /lakefn:DropConnection on lrn:lakefn:prod:connection\/mine is explicitly denied by policy no_prod_drops, Sid DenyDropInProd \(attached to user boss\)/);
      assert.equal(denied.data?.['denied_at'], 'explicit_deny');
      await g.sql(`CREATE API CONNECTION mine ${AWS}`, g.as('boss'));
      await g.sql('DROP API CONNECTION mine', g.as('boss'));
      // a Deny on InvokeFunction attached to a role beats EXECUTE granted to its member
      await g.sql('GRANT EXECUTE ON FUNCTION prod.f TO USER carol');
      const carol = userPrincipal('carol', 'token');
      await g.call('f', carol, 'prod');
      await g.sql(`CREATE POLICY no_calls AS ${policy([{ Sid: 'NoCalls', Effect: 'Deny', Action: ['lakefn:InvokeFunction'], Resource: ['lrn:lakefn:prod:function/*'] }])}; ATTACH POLICY no_calls TO ROLE analyst`);
      await rejectsWith(g.call('f', carol, 'prod'), 'E_ACCESS_DENIED', /explicitly denied by policy no_calls, Sid NoCalls \(attached to role analyst\)/);
      const text = (await explain('DESC FUNCTION prod.f', g.as('carol'))).lines.join('\n');
      assert.match(text, /4 explicit Deny\s+pass: no Deny statement matches/);
      await g.sql('DETACH POLICY no_calls FROM ROLE analyst');
      await g.call('f', carol, 'prod');
      const audit = await g.audit();
      assert.ok(audit.some((record) => record.type === 'AUTHZ' && record.body['decision'] === 'DENY' && record.body['denied_at'] === 'explicit_deny'));
      assert.ok(audit.some((record) => record.type === 'ADMIN' && record.body['statement_kind'] === 'attach-policy'));
    });

    it('steps 5 and 6: both layers must pass; the project switch OFF skips the data layer for objects, never for permission management', async () => {
      await g.sql('CREATE USER bob; CREATE USER carol; CREATE PROJECT lab');
      await connectionAndFunction('lab');
      const bob = userPrincipal('bob', 'token');
      // API layer allowed (PUBLIC's LakefnFullAccess) but no object privilege: denied (the function is invisible)
      await rejectsWith(g.call('lab.f', bob), 'E_NO_SUCH_PROJECT', /does not exist or not authorized/);
      await g.sql('GRANT MONITOR ON PROJECT lab TO USER bob');
      await g.rejects('DROP FUNCTION lab.f', g.as('bob'), 'E_NO_SUCH_FUNCTION', /does not exist or not authorized/);
      // the coarse managed data policy is the other way through the data layer
      await g.sql('ATTACH POLICY LakefnDataReadOnlyAccess TO USER carol');
      await g.rejects('DROP FUNCTION lab.f', g.as('carol'), 'E_ACCESS_DENIED', /no object privilege or managed data policy allows lakefn:DropFunction/);
      await g.call('lab.f', userPrincipal('carol', 'token'));
      const [off] = await g.sql('ALTER PROJECT lab SET OBJECT_PRIVILEGES = OFF');
      assert.match((off as ChangeResult).notices.join(), /the API layer \(attached policies\) alone decides/);
      await g.call('f', bob, 'lab');
      const text = (await explain('DESC API CONNECTION lab.c', g.as('bob'))).lines.join('\n');
      assert.match(text, /6 data layer\s+skipped: the project's OBJECT_PRIVILEGES is OFF/);
      // permission management is still checked
      await g.rejects('GRANT EXECUTE ON FUNCTION lab.f TO USER carol', g.as('bob'), 'E_ACCESS_DENIED', /missing EXECUTE WITH GRANT OPTION or OWNERSHIP on function lab\.f/);
      await g.rejects('ALTER PROJECT lab SET OBJECT_PRIVILEGES = ON', g.as('bob'), 'E_ACCESS_DENIED', /missing OWNERSHIP on project lab/);
      // with the API layer enforced, the switch does not help: the API layer still decides
      await g.sql('DETACH POLICY LakefnFullAccess FROM ROLE PUBLIC');
      await rejectsWith(g.call('f', bob, 'lab'), 'E_ACCESS_DENIED', /no policy attached to bob or its roles allows lakefn:InvokeFunction/);
      await g.sql('ATTACH POLICY LakefnFullAccess TO ROLE PUBLIC; ALTER PROJECT lab SET OBJECT_PRIVILEGES = ON');
      await rejectsWith(g.call('f', bob, 'lab'), 'E_NO_SUCH_FUNCTION', /does not exist or not authorized/);
      assert.match((await explain('DESC FUNCTION lab.f', g.as('carol'))).lines.join('\n'), /6 data layer\s+pass: managed data policy LakefnDataReadOnlyAccess/);
    });

    it('step 7: dependent actions go through the steps; definer rights: a Deny on the owner stops calls by everyone', async () => {
      await g.sql('CREATE USER boss; GRANT ROLE admin TO USER boss; CREATE USER owner; CREATE USER carol; GRANT CREATE CONNECTION, CREATE FUNCTION ON PROJECT default TO USER owner');
      await g.sql(`CREATE API CONNECTION c ${AWS}; VALIDATE API CONNECTION c`, g.as('owner'));
      await g.sql('CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT CONNECTION c', g.as('owner'));
      await g.sql('GRANT EXECUTE ON FUNCTION f TO USER carol');
      const carol = userPrincipal('carol', 'token');
      await g.call('f', carol);
      const noUse = policy([{ Sid: 'NoUse', Effect: 'Deny', Action: ['lakefn:UseConnection'], Resource: ['*'] }]);
      await g.sql(`CREATE POLICY no_use AS ${noUse}; ATTACH POLICY no_use TO USER owner`);
      const denied = await rejectsWith(g.call('f', carol), 'E_ACCESS_DENIED', /lakefn:UseConnection/);
      assert.equal(denied.data?.['denied_at'], 'dependencies');
      // a super_administrator caller is stopped too: the owner's rights belong to the function
      await rejectsWith(g.call('f', LOCAL), 'E_ACCESS_DENIED', /lakefn:UseConnection/);
      await g.sql('DETACH POLICY no_use FROM USER owner; ATTACH POLICY no_use TO USER boss');
      await g.call('f', carol);
      // CreateFunction needs the caller's UseConnection: an admin with a Deny on it cannot bind functions
      await g.rejects('CREATE EXTERNAL FUNCTION g(x INT) RETURNS INT CONNECTION c', g.as('boss'), 'E_ACCESS_DENIED', /lakefn:UseConnection/);
      const text = (await explain('CREATE EXTERNAL FUNCTION g(x INT) RETURNS INT CONNECTION c', g.as('boss'))).lines.join('\n');
      assert.match(text, /7 dependencies\s+DENY: lakefn:UseConnection on lrn:lakefn:default:connection\/c/);
      assert.match(text, /DENY lakefn:UseConnection on lrn:lakefn:default:connection\/c as boss/);
    });

    it('condition keys from the real request: source IP, a time window, the provider', async () => {
      await connectionAndFunction();
      await g.sql('CREATE USER alice; GRANT EXECUTE ON FUNCTION f TO USER alice; DETACH POLICY LakefnFullAccess FROM ROLE PUBLIC');
      const fromOffice = policy([{ Sid: 'Office', Effect: 'Allow', Action: ['lakefn:InvokeFunction'], Resource: ['*'], Condition: { IpAddress: { 'lakefn:SourceIp': ['10.0.0.0/8'] } } }]);
      await g.sql(`CREATE POLICY office AS ${fromOffice}; ATTACH POLICY office TO USER alice`);
      await g.call('f', userPrincipal('alice', 'token', '10.1.2.3'));
      await g.call('f', userPrincipal('alice', 'token', '::ffff:10.9.9.9'));
      await rejectsWith(g.call('f', userPrincipal('alice', 'token', '192.168.1.7')), 'E_ACCESS_DENIED', /no policy attached to alice or its roles allows lakefn:InvokeFunction/);
      await rejectsWith(g.call('f', userPrincipal('alice', 'token')), 'E_ACCESS_DENIED', /no policy attached to alice or its roles allows/); // no address (local, in-process): IpAddress does not match
      // a time window: a Deny until a date far in the future applies now; one from that date does not
      await g.sql('ATTACH POLICY LakefnFullAccess TO ROLE PUBLIC');
      const until = policy([{ Sid: 'Freeze', Effect: 'Deny', Action: ['lakefn:InvokeFunction'], Resource: ['*'], Condition: { DateLessThan: { 'lakefn:CurrentTime': '2999-01-01T00:00:00Z' } } }]);
      const from = policy([{ Sid: 'Freeze', Effect: 'Deny', Action: ['lakefn:InvokeFunction'], Resource: ['*'], Condition: { DateGreaterThan: { 'lakefn:CurrentTime': '2999-01-01T00:00:00Z' } } }]);
      await g.sql(`CREATE POLICY freeze AS ${from}; ATTACH POLICY freeze TO USER alice`);
      const alice = userPrincipal('alice', 'token');
      await g.call('f', alice);
      await g.sql(`CREATE OR REPLACE POLICY freeze AS ${until}`);
      await rejectsWith(g.call('f', alice), 'E_ACCESS_DENIED', /explicitly denied by policy freeze, Sid Freeze/);
      await g.sql('DETACH POLICY freeze FROM USER alice');
      // the provider of the connection being created
      const noTencent = policy([{ Sid: 'NotThere', Effect: 'Deny', Action: ['lakefn:CreateConnection'], Resource: ['*'], Condition: { StringEquals: { 'lakefn:Provider': ['aws'] } } }]);
      await g.sql(`CREATE USER boss; GRANT ROLE admin TO USER boss; CREATE POLICY no_aws AS ${noTencent}; ATTACH POLICY no_aws TO USER boss`);
      await g.rejects(`CREATE API CONNECTION other ${AWS}`, g.as('boss'), 'E_ACCESS_DENIED', /explicitly denied by policy no_aws, Sid NotThere/);
      await g.sql("CREATE API CONNECTION other TYPE CLOUD_FUNCTION PROVIDER = 'tencent' REGION = 'ap-guangzhou' ROLE_ARN = 'qcs::cam::uin/100000000001:roleName/lakefn' NAMESPACE = 'default'", g.as('boss'));
    });

    it('EXPLAIN AUTHORIZATION runs nothing; FOR USER needs auditor or admin; it is audited; ALTER PROJECT and SHOW ACTIONS map to their actions', async () => {
      await g.sql('CREATE USER alice; CREATE USER bob; CREATE USER auditor1; GRANT ROLE auditor TO USER auditor1; CREATE PROJECT prod');
      const before = await fixture.dump({ audit: false });
      const created = await explain(`CREATE API CONNECTION prod.c ${AWS}`);
      assert.equal(created.allowed, true);
      const dropped = await explain('FOR USER alice DROP PROJECT prod');
      assert.equal(dropped.allowed, false);
      assert.match(dropped.lines.join('\n'), /^EXPLAIN AUTHORIZATION for alice: DROP PROJECT prod\ndecision: DENY \(nothing was run\)/);
      assert.match(dropped.lines.join('\n'), /the statement would fail: E_NO_SUCH_PROJECT/);
      const ownProject = await explain('FOR USER alice SHOW PROJECTS');
      assert.match(ownProject.lines.join('\n'), /5 API layer\s+pass: policy LakefnFullAccess, Sid FullAccess \(attached to role PUBLIC\)/);
      assert.equal(await fixture.dump({ audit: false }), before, 'nothing the explained statements would change was kept');
      await g.rejects('EXPLAIN AUTHORIZATION FOR USER alice SHOW USERS', g.as('bob'), 'E_ACCESS_DENIED', /lakefn:ListGrants/);
      const forAlice = await explain('FOR USER alice SHOW USERS', g.as('auditor1'));
      assert.equal(forAlice.allowed, false);
      assert.match(forAlice.lines.join('\n'), /6 data layer\s+DENY: no object privilege \(missing membership in auditor\) and no managed data policy/);
      const own = await explain('SHOW USERS', g.as('bob'));
      assert.equal(own.principal, 'bob');
      const audit = await g.audit();
      assert.ok(audit.some((record) => record.type === 'ADMIN' && record.body['statement_kind'] === 'explain-authorization'));
      assert.ok(!audit.some((record) => record.type === 'AUTHZ' && record.body['action'] === 'lakefn:DropProject'), 'simulated decisions are not audited as requests');
      // SHOW ACTIONS prints the catalog
      const actions = await g.rows("SHOW ACTIONS LIKE '%boundar%'");
      assert.deepEqual(actions.map((row) => row.slice(0, 2)), [['lakefn:SetBoundary', 'permission_management'], ['lakefn:UnsetBoundary', 'permission_management'], ['lakefn:ListBoundaries', 'list']]);
      assert.ok((await g.rows('SHOW ACTIONS', g.as('bob'))).length >= 60);
    });

    it('a policy document changed behind lakefn\'s back fails its MAC: its attachments deny everything (fail closed) and SHOW POLICIES reports it', async () => {
      await connectionAndFunction();
      await g.sql(`CREATE USER alice; GRANT EXECUTE ON FUNCTION f TO USER alice; CREATE POLICY calls AS ${INVOKE_ONLY}; ATTACH POLICY calls TO USER alice`);
      await g.call('f', userPrincipal('alice', 'token'));
      const widened = JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: ['lakefn:*'], Resource: ['*'] }] });
      await fixture.execute('UPDATE lakefn_policies SET document = ? WHERE name = ?', [widened, 'calls']);
      // what any change does: the version moves (decisions are reused while it stands)
      await fixture.execute('UPDATE lakefn_catalog_state SET version = version + 1 WHERE id = 1');
      await rejectsWith(g.call('f', userPrincipal('alice', 'token')), 'E_ACCESS_DENIED', /calls \(missing or damaged: denies everything\)/);
      const [shown] = await g.sql('SHOW POLICIES');
      assert.match(shown?.notices.join() ?? '', /1 policy row\(s\) failed their integrity check and apply nothing: policy 'calls' in .* failed its integrity check/);
      await g.sql('DROP POLICY calls CASCADE');
      await g.call('f', userPrincipal('alice', 'token'));
    });
  });
}
