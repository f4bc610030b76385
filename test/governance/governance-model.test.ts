// Governance I over both stores: users and roles (a refused cycle, the built-in roles' rules), projects and
// `project.name`, every privilege of the table granted and revoked (RESTRICT and CASCADE), ownership transfer, the
// call-time rule (revoking the owner's USAGE stops calls by others), invisible objects, `--as`, and what the audit log
// records of all of it.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actingAs, onBehalfOf, userPrincipal } from '../../src/governance/authenticated-principal.ts';
import type { ChangeResult } from '../../src/sql/execute-result.ts';
import { BUILT_IN_ROLE_IDS } from '../../src/spec/governance-records.ts';
import type { CatalogStore } from '../../src/store/catalog-store.ts';
import { type CatalogFixture, storeDescriptors } from '../store/store-descriptors.ts';
import { AWS, catalogPerTest, type Governed, LOCAL, rejectsWith } from './governance-helpers.ts';

for (const descriptor of storeDescriptors()) {
  describe(`Governance I: ${descriptor.name}`, { skip: descriptor.skip }, () => {
    let fixture: CatalogFixture;
    let store: CatalogStore;
    let g: Governed;

    catalogPerTest(descriptor, (catalog) => ({ fixture, store, g } = catalog));

    /** A verified connection `c` and a function `f` on it, in the current project, created by the local administrator. */
    async function connectionAndFunction(owner = LOCAL): Promise<void> {
      await g.sql(`CREATE API CONNECTION c ${AWS}; VALIDATE API CONNECTION c`, owner);
      await g.sql('CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT CONNECTION c', owner);
    }

    it('users and roles: CREATE, GRANT ROLE, SHOW; a grant that would make a cycle is refused naming it; DROP', async () => {
      await g.sql("CREATE USER alice COMMENT 'analyst'; CREATE ROLE analyst; CREATE ROLE team; CREATE ROLE org");
      await g.sql('GRANT ROLE analyst TO USER alice; GRANT ROLE team TO ROLE analyst; GRANT ROLE org TO ROLE team');
      const cycle = await g.rejects('GRANT ROLE analyst TO ROLE org', undefined, 'E_ROLE_CYCLE', /would make a cycle of roles: org → analyst → team → org/);
      assert.deepEqual(cycle.data?.['cycle'], ['org', 'analyst', 'team', 'org']);
      await g.rejects('GRANT ROLE team TO ROLE team', undefined, 'E_ROLE_CYCLE', /team → team/);
      assert.deepEqual((await g.rows("SHOW USERS LIKE 'ali%'")).map((row) => row.slice(0, 3)), [['alice', 'analyst', 'analyst']]);
      const roles = await g.rows('SHOW ROLES');
      assert.deepEqual(roles.map((row) => row[0]), ['admin', 'analyst', 'auditor', 'engine', 'org', 'PUBLIC', 'super_administrator', 'team']);
      assert.deepEqual(roles.find((row) => row[0] === 'analyst')?.slice(1, 4), ['NO', 'team', 'user alice']);
      await g.rejects('CREATE USER alice', undefined, 'E_PRINCIPAL_EXISTS', /user 'alice' already exists/);
      await g.rejects('CREATE USER "a:b"', undefined, 'E_INVALID_NAME', /may not contain ':'/);
      await g.sql('REVOKE ROLE analyst FROM USER alice; DROP ROLE team');
      assert.deepEqual((await g.rows('SHOW USERS'))[0]?.[1], '');
      await g.rejects('GRANT ROLE nobody TO USER alice', undefined, 'E_NO_SUCH_PRINCIPAL', /role 'nobody' does not exist/);
    });

    it('built-in roles: never dropped, PUBLIC never granted, super_administrator never emptied, only it changes admin and itself', async () => {
      await g.sql('CREATE USER root2; CREATE USER boss; CREATE USER alice');
      await g.rejects('DROP ROLE admin', undefined, 'E_BUILT_IN_ROLE', /built in and cannot be dropped/);
      await g.rejects('GRANT ROLE public TO USER alice', undefined, 'E_BUILT_IN_ROLE', /PUBLIC is implicit/);
      await g.sql('GRANT ROLE admin TO USER boss; GRANT ROLE super_administrator TO USER root2');
      // an admin manages everything but the membership of admin and super_administrator
      await g.sql('CREATE ROLE analyst; GRANT ROLE analyst TO USER alice', g.as('boss'));
      await g.rejects('GRANT ROLE admin TO USER alice', g.as('boss'), 'E_ACCESS_DENIED', /refused by a built-in rule: only super_administrator changes the membership/);
      await g.rejects('REVOKE ROLE super_administrator FROM USER root2', g.as('boss'), 'E_ACCESS_DENIED', /only super_administrator changes/);
      await g.rejects('DROP USER boss', g.as('boss'), 'E_ACCESS_DENIED', /is a member of super_administrator or admin/);
      // a super administrator may, but cannot empty super_administrator
      await g.sql('GRANT ROLE admin TO USER alice', g.as('root2'));
      await g.rejects('REVOKE ROLE super_administrator FROM USER root2', undefined, 'E_BUILT_IN_ROLE', /cannot be emptied: user root2 is its last member/);
      await g.rejects('DROP USER root2', undefined, 'E_BUILT_IN_ROLE', /cannot be emptied/);
      // a plain user creates nothing and grants nothing
      await g.sql('REVOKE ROLE admin FROM USER alice');
      await g.rejects('CREATE USER eve', g.as('alice'), 'E_ACCESS_DENIED', /alice is not authorized: no object privilege or managed data policy allows lakefn:CreateUser on the account: missing membership in admin/);
    });

    it('projects: CREATE / USE / SHOW / DROP, names per project, project.name and --project resolution', async () => {
      await g.sql('CREATE PROJECT sales; CREATE USER alice');
      await g.sql(`USE PROJECT sales; CREATE API CONNECTION c ${AWS}; CREATE API CONNECTION default.c ${AWS}`);
      const both = await store.read(async (session) => (await session.placedConnections(null)).map((placed) => placed.projectId));
      assert.equal(new Set(both).size, 2, 'c exists once in each project');
      assert.equal((await g.rows('SHOW API CONNECTIONS', LOCAL, 'sales')).length, 1);
      assert.equal((await g.rows('SHOW API CONNECTIONS IN PROJECT sales')).length, 1);
      await g.sql('CREATE EXTERNAL FUNCTION sales.f(x INT) RETURNS INT CONNECTION c');
      assert.equal((await g.rows('SHOW FUNCTIONS', LOCAL, 'sales')).length, 1, 'a.b names function b of project a when a exists');
      await g.sql('CREATE EXTERNAL FUNCTION ml.rank(x INT) RETURNS INT CONNECTION c');
      assert.deepEqual((await g.rows('SHOW FUNCTIONS')).map((row) => row[0]), ['ml.rank'], 'without project ml, ml.rank is schema ml of the current project');
      await g.rejects('CREATE PROJECT ml', undefined, 'E_INVALID_NAME', /is the schema of 1 function\(s\) \(ml\.rank\)/);
      assert.deepEqual((await g.rows('SHOW PROJECTS')).map((row) => row[0]), ['default', 'sales']);
      assert.deepEqual(await g.rows('SHOW PROJECTS', g.as('alice')), [], 'a project nobody let alice see is not listed');
      await g.rejects('USE PROJECT sales', g.as('alice'), 'E_NO_SUCH_PROJECT', /^project 'sales' does not exist or not authorized/);
      await g.rejects('USE PROJECT nowhere', g.as('alice'), 'E_NO_SUCH_PROJECT', /^project 'nowhere' does not exist or not authorized/);
      await g.rejects('DROP PROJECT sales', undefined, 'E_PROJECT_NOT_EMPTY', /holds 1 connection\(s\) and 1 function\(s\)/);
      await g.rejects('DROP PROJECT default CASCADE', undefined, 'E_INVALID_ARGUMENT', /'default' cannot be dropped/);
      const [dropped] = await g.sql('DROP PROJECT sales CASCADE');
      assert.match((dropped as ChangeResult).notices.join(), /CASCADE dropped 1 connection\(s\) and 1 function\(s\)/);
      await g.rejects('USE PROJECT sales', undefined, 'E_NO_SUCH_PROJECT', /does not exist/);
    });

    it('project privileges: CREATE CONNECTION and CREATE FUNCTION granted, used (the creator owns), revoked', async () => {
      await g.sql(`CREATE USER alice; CREATE PROJECT p; CREATE API CONNECTION p.shared ${AWS}`);
      // a project alice holds nothing in is invisible to her; once she holds a privilege on it, the privilege decides
      await g.rejects(`CREATE API CONNECTION mine ${AWS}`, g.as('alice'), 'E_NO_SUCH_PROJECT', /^project 'p' does not exist or not authorized/, 'p');
      await g.sql('GRANT MONITOR ON PROJECT p TO USER alice');
      await g.rejects(`CREATE API CONNECTION mine ${AWS}`, g.as('alice'), 'E_ACCESS_DENIED', /missing CREATE CONNECTION or OWNERSHIP on project p/, 'p');
      await g.sql('GRANT CREATE CONNECTION, CREATE FUNCTION ON PROJECT p TO USER alice');
      await g.sql(`CREATE API CONNECTION mine ${AWS}`, g.as('alice'), 'p');
      assert.deepEqual(await g.rows('SHOW GRANTS ON CONNECTION p.mine'), [['OWNERSHIP', 'user', 'alice', null, null, null]]);
      // CREATE FUNCTION needs USAGE on the connection too (a dependent action)
      await g.rejects('CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT CONNECTION shared', g.as('alice'), 'E_NO_SUCH_CONNECTION', /^connection 'shared' does not exist or not authorized/, 'p');
      await g.sql('CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT CONNECTION mine', g.as('alice'), 'p');
      await g.sql('REVOKE CREATE CONNECTION ON PROJECT p FROM USER alice');
      await g.rejects(`CREATE API CONNECTION more ${AWS}`, g.as('alice'), 'E_ACCESS_DENIED', /missing CREATE CONNECTION or OWNERSHIP on project p/, 'p');
      await g.sql('CREATE EXTERNAL FUNCTION g(x INT) RETURNS INT CONNECTION mine', g.as('alice'), 'p');
      await g.sql('REVOKE CREATE FUNCTION ON PROJECT p FROM USER alice');
      await g.rejects('CREATE EXTERNAL FUNCTION h(x INT) RETURNS INT CONNECTION mine', g.as('alice'), 'E_ACCESS_DENIED', /missing CREATE FUNCTION or OWNERSHIP on project p/, 'p');
      await g.rejects('GRANT USAGE ON PROJECT p TO USER alice', undefined, 'E_INVALID_ARGUMENT', /privilege USAGE does not apply to a project/);
      // MONITOR: the whole project's history (without it, only the functions one owns)
      const [monitored] = await g.sql('SHOW FUNCTION HISTORY', g.as('alice'), 'p');
      assert.ok(monitored?.kind === 'table' && !/only the functions you own/.test(monitored.notices.join()));
      await g.sql('REVOKE MONITOR ON PROJECT p FROM USER alice');
      const [owned] = await g.sql('SHOW FUNCTION HISTORY', g.as('alice'), 'p');
      assert.ok(owned?.kind === 'table');
      assert.match(owned.notices.join(), /only the functions you own are shown/);
    });

    it('connection privileges: USAGE binds functions and describes; DESCRIBE describes only; both revoked', async () => {
      await g.sql(`CREATE USER alice; CREATE API CONNECTION c ${AWS}; GRANT CREATE FUNCTION ON PROJECT default TO USER alice`);
      await g.sql('GRANT DESCRIBE ON CONNECTION c TO USER alice');
      assert.equal((await g.sql('DESC API CONNECTION c', g.as('alice')))[0]?.kind, 'connection-description');
      await g.rejects('CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT CONNECTION c', g.as('alice'), 'E_ACCESS_DENIED', /needs lakefn:UseConnection .*missing USAGE or OWNERSHIP on connection default\.c/);
      await g.rejects('DROP API CONNECTION c', g.as('alice'), 'E_ACCESS_DENIED', /missing OWNERSHIP on connection default\.c/);
      await g.sql('GRANT USAGE ON CONNECTION c TO USER alice');
      await g.sql('CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT CONNECTION c', g.as('alice'));
      await g.sql('REVOKE USAGE, DESCRIBE ON CONNECTION c FROM USER alice');
      await g.rejects('DESC API CONNECTION c', g.as('alice'), 'E_NO_SUCH_CONNECTION', /does not exist or not authorized/);
    });

    it('function privileges: EXECUTE calls (directly or through a role); revoked, the function is gone for the caller', async () => {
      await connectionAndFunction();
      await g.sql('CREATE USER carol; GRANT EXECUTE ON FUNCTION f TO USER carol');
      await g.call('f', userPrincipal('carol', 'token'));
      assert.equal((await g.sql('DESC FUNCTION f', g.as('carol')))[0]?.kind, 'function-description');
      await g.sql('REVOKE EXECUTE ON FUNCTION f FROM USER carol');
      await rejectsWith(g.call('f', userPrincipal('carol', 'token')), 'E_NO_SUCH_FUNCTION', /^function 'f' does not exist or not authorized/);
      await g.sql('CREATE ROLE analyst; GRANT ROLE analyst TO USER carol; GRANT EXECUTE ON FUNCTION f TO ROLE analyst');
      await g.call('f', userPrincipal('carol', 'token'));
      await g.sql('REVOKE EXECUTE ON FUNCTION f FROM ROLE analyst; GRANT MONITOR ON PROJECT default TO USER carol');
      await rejectsWith(g.call('f', userPrincipal('carol', 'token')), 'E_NO_SUCH_FUNCTION', /does not exist or not authorized/);
      // a role that owns the function lets its members call it, once the role itself may use the connection
      await g.sql('GRANT OWNERSHIP ON FUNCTION f TO ROLE analyst');
      await rejectsWith(g.call('f', userPrincipal('carol', 'token')), 'E_ACCESS_DENIED', /for the function owner role analyst: .*missing USAGE or OWNERSHIP on connection default\.c/);
      await g.sql('GRANT USAGE ON CONNECTION c TO ROLE analyst');
      await g.call('f', userPrincipal('carol', 'token'));
      await g.rejects('GRANT EXECUTE ON CONNECTION c TO USER carol', undefined, 'E_INVALID_ARGUMENT', /privilege EXECUTE does not apply to a connection/);
    });

    it('GRANT … WITH GRANT OPTION; REVOKE is RESTRICT by default (naming the dependent grants), CASCADE revokes them', async () => {
      await connectionAndFunction();
      await g.sql('CREATE USER alice; CREATE USER bob; CREATE USER carol; GRANT EXECUTE ON FUNCTION f TO USER alice WITH GRANT OPTION');
      await g.sql('GRANT EXECUTE ON FUNCTION f TO USER bob WITH GRANT OPTION', g.as('alice'));
      await g.sql('GRANT EXECUTE ON FUNCTION f TO USER carol', g.as('bob'));
      await g.rejects('GRANT EXECUTE ON FUNCTION f TO USER alice', g.as('carol'), 'E_ACCESS_DENIED', /missing EXECUTE WITH GRANT OPTION or OWNERSHIP on function default\.f/);
      const grants = await g.rows('SHOW GRANTS ON FUNCTION f');
      assert.deepEqual(grants.map((row) => [row[0], row[2], row[3], row[4]]), [
        ['OWNERSHIP', 'super_administrator', null, null],
        ['EXECUTE', 'alice', 'YES', 'role super_administrator'],
        ['EXECUTE', 'bob', 'YES', 'user alice'],
        ['EXECUTE', 'carol', 'NO', 'user bob'],
      ]);
      const restrict = await g.rejects('REVOKE EXECUTE ON FUNCTION f FROM USER alice', undefined, 'E_DEPENDENT_GRANTS', /would leave 2 grant\(s\) made on its authority: EXECUTE to user bob \(granted by user alice\), EXECUTE to user carol \(granted by user bob\); nothing was revoked/);
      assert.equal((restrict.data?.['dependents'] as unknown[]).length, 2);
      await g.rejects('REVOKE EXECUTE ON FUNCTION f FROM USER alice RESTRICT', undefined, 'E_DEPENDENT_GRANTS', /Add CASCADE/);
      await g.call('f', userPrincipal('carol', 'token'));
      // GRANT OPTION FOR keeps alice's EXECUTE but not what rested on her option
      const [revoked] = await g.sql('REVOKE GRANT OPTION FOR EXECUTE ON FUNCTION f FROM USER alice CASCADE');
      assert.match((revoked as ChangeResult).notices.join(), /CASCADE revoked 2 dependent grant\(s\)/);
      await g.call('f', userPrincipal('alice', 'token'));
      await rejectsWith(g.call('f', userPrincipal('carol', 'token')), 'E_NO_SUCH_FUNCTION', /not authorized/);
      await g.sql('REVOKE EXECUTE ON FUNCTION f FROM USER alice CASCADE');
      assert.deepEqual((await g.rows('SHOW GRANTS ON FUNCTION f')).map((row) => row[0]), ['OWNERSHIP']);
    });

    it('GRANT OWNERSHIP transfers (owner or admin); the old owner loses it, grants made as owner carry over; the notice says when definer rights fail', async () => {
      await g.sql(`CREATE USER alice; CREATE USER bob; CREATE USER carol; CREATE API CONNECTION c ${AWS}; VALIDATE API CONNECTION c`);
      await g.sql('GRANT USAGE ON CONNECTION c TO USER alice; GRANT CREATE FUNCTION ON PROJECT default TO USER alice');
      await g.sql('CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT CONNECTION c', g.as('alice'));
      await g.sql('GRANT EXECUTE ON FUNCTION f TO USER carol', g.as('alice'));
      await g.rejects('GRANT OWNERSHIP ON FUNCTION f TO USER bob', g.as('carol'), 'E_ACCESS_DENIED', /missing OWNERSHIP on function default\.f/);
      const [transferred] = await g.sql('GRANT OWNERSHIP ON FUNCTION f TO USER bob', g.as('alice'));
      assert.match((transferred as ChangeResult).message, /ownership of function default\.f transferred from user alice to user bob/);
      assert.match((transferred as ChangeResult).notices.join(), /user bob has no USAGE on connection default\.c: calls of function default\.f fail until it is granted/);
      await g.rejects('DROP FUNCTION f', g.as('alice'), 'E_NO_SUCH_FUNCTION', /does not exist or not authorized/);
      await rejectsWith(g.call('f', userPrincipal('carol', 'token')), 'E_ACCESS_DENIED', /needs lakefn:UseConnection on lrn:lakefn:default:connection\/c for the function owner bob/);
      await g.sql('GRANT USAGE ON CONNECTION c TO USER bob');
      await g.call('f', userPrincipal('carol', 'token'));
      assert.deepEqual((await g.rows('SHOW GRANTS ON FUNCTION f')).map((row) => [row[0], row[2], row[4]]), [['OWNERSHIP', 'bob', null], ['EXECUTE', 'carol', 'user bob']]);
      await g.rejects('DROP USER bob', undefined, 'E_PRINCIPAL_IN_USE', /owns 1 object\(s\): function f; transfer them first/);
      await g.sql('GRANT OWNERSHIP ON CONNECTION c TO ROLE admin; GRANT OWNERSHIP ON PROJECT default TO USER alice');
      assert.equal((await g.rows('SHOW GRANTS ON PROJECT default'))[0]?.[2], 'alice');
    });

    it("call-time rule: callers need EXECUTE, never USAGE; revoking the OWNER's USAGE stops the function for everyone", async () => {
      await g.sql(`CREATE USER owner; CREATE USER carol; CREATE API CONNECTION c ${AWS}; VALIDATE API CONNECTION c`);
      await g.sql('GRANT USAGE ON CONNECTION c TO USER owner; GRANT CREATE FUNCTION ON PROJECT default TO USER owner');
      await g.sql('CREATE EXTERNAL FUNCTION f(x INT) RETURNS INT CONNECTION c', g.as('owner'));
      await g.sql('GRANT EXECUTE ON FUNCTION f TO USER carol', g.as('owner'));
      await g.call('f', userPrincipal('carol', 'token'));
      await g.rejects('DESC API CONNECTION c', g.as('carol'), 'E_NO_SUCH_CONNECTION', /does not exist or not authorized/);
      await g.sql('REVOKE USAGE ON CONNECTION c FROM USER owner');
      const denied = await rejectsWith(g.call('f', userPrincipal('carol', 'token')), 'E_ACCESS_DENIED', /carol is not authorized: lakefn:InvokeFunction on lrn:lakefn:default:function\/f needs lakefn:UseConnection on lrn:lakefn:default:connection\/c for the function owner owner: .*missing USAGE or OWNERSHIP on connection default\.c/);
      assert.equal(denied.data?.['missing'], 'USAGE or OWNERSHIP on connection default.c');
      assert.deepEqual(denied.location, { function: 'f', connection: 'c', provider: 'aws' });
      await rejectsWith(g.call('f', userPrincipal('owner', 'token')), 'E_ACCESS_DENIED', /for the function owner owner/);
      // a super administrator is exempt from its own checks, not from the owner's definer rights
      await rejectsWith(g.call('f', LOCAL), 'E_ACCESS_DENIED', /for the function owner owner/);
      await g.sql('GRANT USAGE ON CONNECTION c TO USER owner; ALTER API CONNECTION c SET REGION = \'us-west-2\'');
      await rejectsWith(g.call('f', userPrincipal('carol', 'token')), 'E_CONNECTION_NOT_USABLE', /is PENDING, not VERIFIED/);
    });

    it('invisible objects: absent from SHOW, and DESC / DROP / calls say exactly what they say of a missing object', async () => {
      await connectionAndFunction();
      await g.sql('CREATE USER bob');
      assert.deepEqual(await g.rows('SHOW API CONNECTIONS', g.as('bob')), []);
      assert.deepEqual(await g.rows('SHOW FUNCTIONS', g.as('bob')), []);
      const hidden = await g.rejects('DESC API CONNECTION c', g.as('bob'), 'E_NO_SUCH_CONNECTION', /./);
      const missing = await g.rejects('DESC API CONNECTION nothing', g.as('bob'), 'E_NO_SUCH_CONNECTION', /./);
      assert.equal(hidden.message.replace("'c'", "'X'").replace(/ at 1:1$/, ''), missing.message.replace("'nothing'", "'X'").replace(/ at 1:1$/, ''));
      const hiddenFunction = await g.rejects('DROP FUNCTION f', g.as('bob'), 'E_NO_SUCH_FUNCTION', /^function 'f' does not exist or not authorized/);
      const missingFunction = await g.rejects('DROP FUNCTION g', g.as('bob'), 'E_NO_SUCH_FUNCTION', /^function 'g' does not exist or not authorized/);
      assert.equal(hiddenFunction.message.replace("'f'", "'X'"), missingFunction.message.replace("'g'", "'X'"));
      await rejectsWith(g.call('f', userPrincipal('bob', 'token')), 'E_NO_SUCH_FUNCTION', /^function 'f' does not exist or not authorized/);
      await g.sql('DROP FUNCTION IF EXISTS f', g.as('bob'));
      assert.equal((await g.rows('SHOW FUNCTIONS')).length, 1, "IF EXISTS on an invisible function is a no-op, like a missing one");
      // the denials are audited (the administrators may see what was attempted)
      const denials = (await g.audit()).filter((record) => record.type === 'AUTHZ' && record.body['decision'] === 'DENY' && record.principal === 'bob');
      assert.ok(denials.some((record) => record.body['resource'] === 'lrn:lakefn:default:connection/c' && /not visible to bob/.test(JSON.stringify(record.body['reason']))));
    });

    it('on behalf of: an engine principal may name the end user only with the engine role; the call is decided as the end user', async () => {
      await connectionAndFunction();
      await g.sql('CREATE USER trino; CREATE USER carol; GRANT EXECUTE ON FUNCTION f TO USER carol');
      const forCarol = onBehalfOf(userPrincipal('trino', 'token', '10.0.0.7'), 'carol');
      await rejectsWith(g.call('f', forCarol), 'E_ACCESS_DENIED', /trino may not call on behalf of 'carol': that needs the built-in role engine/);
      await g.sql('GRANT ROLE engine TO USER trino');
      await g.call('f', forCarol);
      await rejectsWith(g.call('f', onBehalfOf(userPrincipal('trino', 'token'), 'dave')), 'E_ACCESS_DENIED', /user 'dave' does not exist/);
      const summary = (await g.audit()).find((record) => record.type === 'INVOKE_SUMMARY');
      assert.equal(summary?.principal, 'carol');
      assert.equal(summary?.body['on_behalf_of_by'], 'trino');
      assert.equal(summary?.body['source_ip'], '10.0.0.7');
    });

    it('--as: only the local super administrator may; the user must exist; both names are audited', async () => {
      await connectionAndFunction();
      await g.sql('CREATE USER alice');
      assert.throws(() => actingAs(userPrincipal('alice', 'token'), 'bob'), /--as is only for the local super administrator/);
      await g.rejects('SHOW FUNCTIONS', g.as('nobody'), 'E_ACCESS_DENIED', /user 'nobody' does not exist \(any more\)/);
      const forged = { ...userPrincipal('alice', 'token'), actor: { relation: 'as' as const, principal: userPrincipal('alice', 'token') } };
      await g.rejects('SHOW FUNCTIONS', forged, 'E_ACCESS_DENIED', /--as is only for the local super administrator/);
      assert.deepEqual(await g.rows('SHOW FUNCTIONS', g.as('alice')), []);
      const records = await g.audit();
      const asAlice = records.filter((record) => record.type === 'ADMIN' && record.principal === 'alice');
      assert.ok(asAlice.length >= 2);
      for (const record of asAlice) assert.equal(record.body['acting_as_by'], record.body['authentication'] === 'local' ? 'local:tester' : 'alice');
      assert.ok(asAlice.some((record) => record.body['acting_as_by'] === 'local:tester' && record.body['status'] === 'OK'));
      assert.ok(records.some((record) => record.type === 'AUTHZ' && record.principal === 'nobody' && record.body['denied_at'] === 'authentication'));
    });

    it('the audit log: ADMIN for every statement (failures too), AUTHZ for grants, denials and break-glass; the chain verifies', async () => {
      await connectionAndFunction();
      await g.sql('CREATE USER alice; GRANT EXECUTE ON FUNCTION f TO USER alice');
      await g.rejects('DROP API CONNECTION c', g.as('alice'), 'E_NO_SUCH_CONNECTION', /./);
      await g.rejects('CREATE API CONNECTION c ' + AWS, undefined, 'E_CONNECTION_EXISTS', /already exists/);
      await g.call('f', userPrincipal('alice', 'token'));
      const records = await g.audit();
      assert.deepEqual(records.map((record) => record.seq), records.map((_record, index) => index + 1));
      const admin = records.filter((record) => record.type === 'ADMIN');
      assert.deepEqual(admin.map((record) => [record.body['statement_kind'], record.body['status']]), [
        ['create-connection', 'OK'], ['validate-connection', 'OK'], ['create-function', 'OK'], ['create-user', 'OK'], ['grant-privilege', 'OK'],
        ['drop-connection', 'ERROR'], ['create-connection', 'ERROR'],
      ]);
      const grant = records.find((record) => record.type === 'AUTHZ' && record.body['action'] === 'lakefn:Grant');
      assert.equal(grant?.body['break_glass'], true);
      assert.match(String((grant?.body['trace'] as string[]).join('\n')), /2 super_administrator\s+ALLOW: member of super_administrator \(break-glass, audited\)/);
      const summary = records.find((record) => record.type === 'INVOKE_SUMMARY');
      assert.equal(summary?.principal, 'alice');
      assert.equal(summary?.body['function_fqn'], 'default.f');
      assert.equal(summary?.body['owner_principal'], 'role super_administrator');
      assert.match(JSON.stringify(summary?.body['external_id_fpr']), /^"[0-9a-f]{12}"$/);
      assert.deepEqual((summary?.body['authz'] as Record<string, unknown>)['matched'], ['EXECUTE on function default.f (granted to user alice)']);
      const verification = await store.read((session) => session.audit.verify());
      assert.equal(verification.ok, true);
      assert.equal(verification.verified, records.length);
    });

    it('a tampered, deleted or forged record is found by verify, naming the first bad record; prune and key rotation keep the chain verifiable', async () => {
      await connectionAndFunction();
      await g.sql('CREATE USER alice; CREATE USER bob; CREATE USER carol');
      const count = (await g.audit()).length;
      await g.sql('DROP USER carol');
      await store.write((session) => session.audit.append([{ type: 'ADMIN', principal: 'local:tester', project: null, body: { note: 'later', ts_marker: 1 }, ts: '2999-01-01T00:00:00.000Z' }]));
      // prune everything before the far-future record: the chain still verifies from it, and the prune is recorded
      const pruned = await store.write((session) => session.audit.prune('2999-01-01T00:00:00.000Z'));
      assert.equal(pruned.pruned, count + 2);
      assert.equal(pruned.firstSeq, count + 3);
      assert.equal((await store.read((session) => session.audit.verify())).ok, true);
      await g.sql('CREATE USER dave');
      await store.rotateKey();
      assert.equal((await store.read((session) => session.audit.verify())).ok, true, 'rotation re-MACs every record and keeps the chain');
      const records = await g.audit();
      const target = records[1]!;
      await fixture.execute("UPDATE lakefn_audit SET principal = 'someone-else' WHERE seq = ?", [target.seq]);
      let verification = await store.read((session) => session.audit.verify());
      assert.equal(verification.ok, false);
      assert.equal(verification.failure?.seq, target.seq);
      assert.match(verification.failure?.reason ?? '', /its contents do not match its hash/);
      await fixture.execute("UPDATE lakefn_audit SET principal = ? WHERE seq = ?", [target.principal, target.seq]);
      assert.equal((await store.read((session) => session.audit.verify())).ok, true);
      const last = records[records.length - 1]!;
      await fixture.execute('DELETE FROM lakefn_audit WHERE seq = ?', [last.seq]);
      verification = await store.read((session) => session.audit.verify());
      assert.equal(verification.ok, false);
      assert.match(verification.failure?.reason ?? '', new RegExp(`records ${last.seq}\\.\\.${last.seq} were deleted outside lakefn`));
      // appending does not hide it: the next record links to the deleted one's hash, and its seq leaves the gap
      await g.sql('CREATE USER eve');
      verification = await store.read((session) => session.audit.verify());
      assert.equal(verification.failure?.seq, last.seq + 1);
      assert.match(verification.failure?.reason ?? '', new RegExp(`record ${last.seq} before it is missing`));
      // a forged ends row (chain truncated and its end moved back) does not verify either: the ends carry a MAC
      await fixture.execute('UPDATE lakefn_catalog_state SET audit_last_seq = audit_last_seq - 1 WHERE id = 1');
      verification = await store.read((session) => session.audit.verify());
      assert.match(verification.failure?.reason ?? '', /recorded ends .* do not verify/);
      await rejectsWith(g.sql('CREATE USER frank'), 'E_STORE_TAMPERED', /no change may go unrecorded/);
    });

    it('a grant row inserted with SQL behind lakefn\'s back grants nothing, and SHOW GRANTS reports it', async () => {
      await connectionAndFunction();
      await g.sql('CREATE USER mallory');
      const { functionId, userId } = await store.read(async (session) => ({
        functionId: (await session.placedFunction('00000000-0000-4000-8000-000000000100', 'f'))!.record.id,
        userId: (await session.governance.principal('user', 'mallory'))!.id,
      }));
      await fixture.execute(
        'INSERT INTO lakefn_grants (id, object_kind, object_id, privilege, grantee_id, grantor_id, grant_option, created_at, mac_version, mac_key_id, row_mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        ['6f1d8a52-8b3c-4d5e-9f60-1a2b3c4d5e6f', 'function', functionId, 'EXECUTE', userId, BUILT_IN_ROLE_IDS.super_administrator, 1, new Date().toISOString(), 3, 'forged', 'f'.repeat(64)],
      );
      await rejectsWith(g.call('f', userPrincipal('mallory', 'token')), 'E_NO_SUCH_FUNCTION', /does not exist or not authorized/);
      await g.rejects('DESC FUNCTION f', g.as('mallory'), 'E_NO_SUCH_FUNCTION', /not authorized/);
      const [shown] = await g.sql('SHOW GRANTS ON FUNCTION f');
      assert.ok(shown?.kind === 'table');
      assert.deepEqual(shown.rows.map((row) => row[0]), ['OWNERSHIP']);
      assert.match(shown.notices.join(), /1 governance row\(s\) failed their integrity check and grant nothing: .*grant 6f1d8a52/);
      // a membership inserted behind lakefn's back makes nobody an administrator either
      await fixture.execute(
        'INSERT INTO lakefn_role_grants (role_id, member_id, granted_by, created_at, mac_version, mac_key_id, row_mac) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [BUILT_IN_ROLE_IDS.admin, userId, 'nobody', new Date().toISOString(), 3, 'forged', 'e'.repeat(64)],
      );
      await g.rejects('CREATE USER eve', g.as('mallory'), 'E_ACCESS_DENIED', /missing membership in admin/);
    });

    it('SHOW GRANTS TO: one\'s own user and roles, or the auditor; the statement kinds all map to an action', async () => {
      await connectionAndFunction();
      await g.sql('CREATE USER alice; CREATE USER bob; CREATE ROLE analyst; GRANT ROLE analyst TO USER alice; GRANT EXECUTE ON FUNCTION f TO ROLE analyst');
      assert.deepEqual((await g.rows('SHOW GRANTS TO USER alice', g.as('alice'))).map((row) => [row[0], row[1], row[2]]), [['ROLE', 'role', 'analyst']]);
      assert.deepEqual((await g.rows('SHOW GRANTS TO ROLE analyst', g.as('alice'))).map((row) => [row[0], row[1], row[2]]), [['EXECUTE', 'function', 'default.f']]);
      await g.rejects('SHOW GRANTS TO USER alice', g.as('bob'), 'E_ACCESS_DENIED', /missing membership in auditor/);
      await g.sql('GRANT ROLE auditor TO USER bob');
      assert.equal((await g.rows('SHOW GRANTS TO USER alice', g.as('bob'))).length, 1);
      // an auditor sees the objects (the audit log names them all) and their history, and calls nothing
      assert.deepEqual((await g.rows('SHOW FUNCTIONS', g.as('bob'))).map((row) => row[0]), ['f']);
      assert.equal((await g.sql('SHOW FUNCTION HISTORY FOR f', g.as('bob')))[0]?.kind, 'table');
      await rejectsWith(g.call('f', userPrincipal('bob', 'token')), 'E_ACCESS_DENIED', /missing EXECUTE or OWNERSHIP on function default\.f/);
    });
  });
}
