// Packages over both stores (MaxCompute's sharing across projects): the full flow from a provider project to a
// consumer project (create, add, allow, install, grant READ, call `p.f`), who may run which statement, the consumer
// never seeing the provider's connection, a refused install, the two limits, every revocation taking effect at the
// next decision, what the audit records (both projects), invisible objects, and the package rows' integrity.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, it } from 'node:test';
import { CallAuthorizer } from '../../src/governance/call-authorizer.ts';
import { AuditWriter } from '../../src/governance/audit-writer.ts';
import { PACKAGE_LIMITS } from '../../src/spec/package-records.ts';
import type { CatalogStore } from '../../src/store/catalog-store.ts';
import { type CatalogFixture, storeDescriptors } from '../store/store-descriptors.ts';
import { AWS, catalogPerTest, type Governed, rejectsWith } from './governance-helpers.ts';

for (const descriptor of storeDescriptors()) {
  describe(`packages: ${descriptor.name}`, { skip: descriptor.skip }, () => {
    let fixture: CatalogFixture;
    let store: CatalogStore;
    let g: Governed;

    catalogPerTest(descriptor, (catalog) => ({ fixture, store, g } = catalog));
    beforeEach(async () => {
      // bob owns shared_udfs (the provider), amy owns analytics (the consumer), bella analyses in analytics
      await g.sql(`
        CREATE USER bob; CREATE USER amy; CREATE USER bella; CREATE USER eve; CREATE ROLE analysts; GRANT ROLE analysts TO USER bella;
        CREATE PROJECT shared_udfs; GRANT OWNERSHIP ON PROJECT shared_udfs TO USER bob;
        CREATE PROJECT analytics; GRANT OWNERSHIP ON PROJECT analytics TO USER amy;
        CREATE USER carl; GRANT CREATE FUNCTION ON PROJECT shared_udfs TO USER carl`);
      await bob(`CREATE API CONNECTION c ${AWS}; VALIDATE API CONNECTION c; CREATE EXTERNAL FUNCTION score(x INT) RETURNS INT CONNECTION c; CREATE EXTERNAL FUNCTION other(x INT) RETURNS INT CONNECTION c`);
    });

    const bob = (text: string) => g.sql(text, g.as('bob'), 'shared_udfs');
    const amy = (text: string) => g.sql(text, g.as('amy'), 'analytics');

    /** The whole flow up to a call: package k shares score, analytics installs it and grants READ to role analysts. */
    async function share(): Promise<void> {
      await bob("CREATE PACKAGE k COMMENT 'scoring'; ADD FUNCTION score TO PACKAGE k WITH PRIVILEGES (EXECUTE); ALLOW PROJECT analytics TO INSTALL PACKAGE k USING LABEL 2");
      await amy('INSTALL PACKAGE shared_udfs.k; GRANT READ ON PACKAGE shared_udfs.k TO ROLE analysts');
    }

    // the consumer cannot see the provider's project: without a usable package, `shared_udfs.x` does not exist for it
    const missing = /project 'shared_udfs' does not exist or not authorized/;
    const NO_PROJECT = 'E_NO_SUCH_PROJECT';

    it('the full flow: a grantee calls p.f in the consumer project, and only there; SHOW and DESC on both sides', async () => {
      await share();
      await g.call('shared_udfs.score', g.as('bella'), 'analytics');
      // the installation counts in analytics only; someone without READ sees nothing at all
      await rejectsWith(g.call('shared_udfs.score', g.as('bella')), NO_PROJECT, missing);
      await rejectsWith(g.call('shared_udfs.score', g.as('eve'), 'analytics'), NO_PROJECT, missing);
      await rejectsWith(g.call('shared_udfs.other', g.as('bella'), 'analytics'), NO_PROJECT, missing);
      // one who sees the provider's project but holds no READ: the function is invisible, reported as missing
      await rejectsWith(g.call('shared_udfs.score', g.as('carl'), 'analytics'), 'E_NO_SUCH_FUNCTION', /function 'shared_udfs\.score' does not exist or not authorized/);
      assert.deepEqual((await g.rows('SHOW PACKAGES', g.as('bob'), 'shared_udfs')).map((row) => row.slice(0, 6)), [['k', 'shared_udfs', 'CREATED', 'OK', 'user bob', 'scoring']]);
      assert.deepEqual((await g.rows('SHOW PACKAGES', g.as('amy'), 'analytics')).map((row) => row.slice(0, 5)), [['k', 'shared_udfs', 'INSTALLED', 'OK', 'amy']]);
      assert.deepEqual((await g.rows('SHOW PACKAGES', g.as('bella'), 'analytics')).map((row) => row[0]), ['k']);
      await g.rejects('SHOW PACKAGES', g.as('eve'), NO_PROJECT, /project 'analytics' does not exist or not authorized/, 'analytics');
      await g.sql('GRANT CREATE FUNCTION ON PROJECT analytics TO USER eve');
      assert.deepEqual(await g.rows('SHOW PACKAGES', g.as('eve'), 'analytics'), []);
      const provided = await g.rows('DESC PACKAGE k', g.as('bob'), 'shared_udfs');
      assert.deepEqual(provided.map((row) => row.slice(0, 3)), [
        ['package', 'shared_udfs.k', 'owner: user bob; comment: scoring'],
        ['function', 'score', 'EXECUTE; label 0'],
        ['allowed_project', 'analytics', 'label 2 (allowed by bob)'],
        ['installed_in', 'analytics', 'installed by amy'],
      ]);
      const installed = await g.rows('DESC PACKAGE shared_udfs.k', g.as('bella'), 'analytics');
      assert.deepEqual(installed.map((row) => row.slice(0, 3)), [
        ['package', 'shared_udfs.k', 'owner: user bob; comment: scoring'],
        ['installed_in', 'analytics', 'installed by amy; allowed label 2'],
        ['function', 'score', 'EXECUTE; label 0'],
        ['read_grant', 'role analysts', 'READ (granted by amy)'],
      ]);
      // a grantee describes the function it calls, in the consumer project
      const [described] = await g.sql('DESC FUNCTION shared_udfs.score', g.as('bella'), 'analytics');
      assert.equal(described?.kind === 'function-description' ? described.description.name : undefined, 'score');
      // the hook names it as it is called, and lists it for an engine (DuckDB registers what it lists)
      const authorizer = new CallAuthorizer({ store, audit: new AuditWriter(store, { log: () => undefined }), principal: g.as('bella'), project: 'analytics' });
      assert.equal((await authorizer.describe('shared_udfs.score')).name, 'shared_udfs.score');
      assert.deepEqual((await authorizer.listFunctions()).map((fn) => fn.name), ['shared_udfs.score']);
      assert.deepEqual((await authorizer.listFunctions({ principal: g.as('eve') })).map((fn) => fn.name), []);
    });

    it("the consumer never sees the provider's connection or project: DESC, SHOW and USE say they do not exist", async () => {
      await share();
      const bella = g.as('bella');
      await g.rejects('DESC API CONNECTION shared_udfs.c', bella, NO_PROJECT, missing, 'analytics');
      await g.rejects('DESC API CONNECTION shared_udfs.c', g.as('amy'), NO_PROJECT, missing, 'analytics');
      await g.rejects('DESC API CONNECTION c', bella, NO_PROJECT, missing, 'shared_udfs');
      // even one who sees the provider's project (and holds READ) cannot DESC its connection
      await g.sql('GRANT READ ON PACKAGE shared_udfs.k TO USER carl', g.as('amy'), 'analytics');
      await g.call('shared_udfs.score', g.as('carl'), 'analytics');
      await g.rejects('DESC API CONNECTION shared_udfs.c', g.as('carl'), 'E_NO_SUCH_CONNECTION', /connection 'shared_udfs\.c' does not exist or not authorized/, 'analytics');
      await g.rejects('SHOW API CONNECTIONS IN PROJECT shared_udfs', bella, 'E_NO_SUCH_PROJECT', /project 'shared_udfs' does not exist or not authorized/, 'analytics');
      await g.rejects('SHOW FUNCTIONS IN PROJECT shared_udfs', bella, 'E_NO_SUCH_PROJECT', /does not exist or not authorized/, 'analytics');
      await g.rejects('DROP FUNCTION shared_udfs.score', bella, NO_PROJECT, missing, 'analytics');
      // the grantee's call still runs under the provider owner's USAGE (definer rights): revoking it stops the function
      await g.sql('GRANT OWNERSHIP ON FUNCTION shared_udfs.score TO USER eve');
      await rejectsWith(g.call('shared_udfs.score', bella, 'analytics'), 'E_ACCESS_DENIED', /needs lakefn:UseConnection on lrn:lakefn:shared_udfs:connection\/c for the function owner eve/);
    });

    it('who may run what: provider statements take the project owner or admin, consumer ones the installing project owner', async () => {
      // carl sees shared_udfs (CREATE FUNCTION on it) but does not own it; amy does not even see it
      const carl = g.as('carl');
      await g.rejects('CREATE PACKAGE k', g.as('amy'), NO_PROJECT, missing, 'shared_udfs');
      await g.rejects('CREATE PACKAGE k', carl, 'E_ACCESS_DENIED', /missing OWNERSHIP on project shared_udfs/, 'shared_udfs');
      await bob('CREATE PACKAGE k');
      await g.rejects('DROP PACKAGE k', carl, 'E_ACCESS_DENIED', /lakefn:DropPackage on lrn:lakefn:shared_udfs:package\/k.*missing OWNERSHIP on project shared_udfs/, 'shared_udfs');
      await g.rejects('DROP PACKAGE nothing', carl, 'E_ACCESS_DENIED', /missing OWNERSHIP on project shared_udfs/, 'shared_udfs');
      await g.rejects('CREATE PACKAGE k', g.as('bob'), 'E_PACKAGE_EXISTS', /package 'shared_udfs\.k' already exists/, 'shared_udfs');
      // only EXECUTE on functions of the package's own project; connections never
      await g.rejects('ADD API CONNECTION c TO PACKAGE k', g.as('bob'), 'E_INVALID_ARGUMENT', /connections cannot be added to or removed from a package/, 'shared_udfs');
      await g.rejects('ADD FUNCTION score TO PACKAGE k WITH PRIVILEGES (USAGE)', g.as('bob'), 'E_INVALID_ARGUMENT', /privilege 'USAGE' cannot be shared in a package: only EXECUTE can/, 'shared_udfs');
      await g.sql(`CREATE API CONNECTION d ${AWS}; VALIDATE API CONNECTION d; CREATE EXTERNAL FUNCTION local_fn(x INT) RETURNS INT CONNECTION d`);
      await g.rejects('ADD FUNCTION default.local_fn TO PACKAGE k', undefined, 'E_INVALID_ARGUMENT', /function default\.local_fn is not in project shared_udfs/, 'shared_udfs');
      // sharing EXECUTE is granting it: a project owner who neither owns the function nor holds EXECUTE WITH GRANT OPTION cannot
      await g.sql('GRANT USAGE ON CONNECTION shared_udfs.c TO USER carl');
      await g.sql('CREATE EXTERNAL FUNCTION carls(x INT) RETURNS INT CONNECTION c', g.as('carl'), 'shared_udfs');
      // the project's owner does not even see a function someone else owns (Governance I's invisible objects)
      await g.rejects('ADD FUNCTION carls TO PACKAGE k', g.as('bob'), 'E_NO_SUCH_FUNCTION', /function 'carls' does not exist or not authorized/, 'shared_udfs');
      await g.sql('GRANT EXECUTE ON FUNCTION carls TO USER bob', g.as('carl'), 'shared_udfs');
      await g.rejects('ADD FUNCTION carls TO PACKAGE k', g.as('bob'), 'E_ACCESS_DENIED', /needs lakefn:Grant on lrn:lakefn:shared_udfs:function\/carls.*missing EXECUTE WITH GRANT OPTION or OWNERSHIP on function shared_udfs\.carls/, 'shared_udfs');
      await g.sql('GRANT EXECUTE ON FUNCTION carls TO USER bob WITH GRANT OPTION', g.as('carl'), 'shared_udfs');
      await bob('ADD FUNCTION carls TO PACKAGE k; ALLOW PROJECT analytics TO INSTALL PACKAGE k');
      // consumer side: the installing project's owner (or admin), not the provider, not a member who does not own it
      await g.sql('GRANT CREATE FUNCTION ON PROJECT analytics TO USER eve');
      await g.rejects('INSTALL PACKAGE shared_udfs.k', g.as('eve'), 'E_ACCESS_DENIED', /missing OWNERSHIP on project analytics/, 'analytics');
      await g.rejects('INSTALL PACKAGE shared_udfs.k', g.as('bob'), 'E_NO_SUCH_PROJECT', /project 'analytics' does not exist or not authorized/, 'analytics');
      await amy('INSTALL PACKAGE shared_udfs.k');
      await g.rejects('GRANT READ ON PACKAGE shared_udfs.k TO USER bella', g.as('eve'), 'E_ACCESS_DENIED', /lakefn:Grant on lrn:lakefn:shared_udfs:package\/k.*missing OWNERSHIP on project analytics/, 'analytics');
      await g.rejects('GRANT READ ON PACKAGE shared_udfs.k TO USER bella', undefined, 'E_NO_SUCH_PACKAGE', /package 'shared_udfs\.k' is not installed in project default/);
      await g.rejects('DESC PACKAGE shared_udfs.k', g.as('eve'), 'E_ACCESS_DENIED', /lakefn:DescribePackage on lrn:lakefn:shared_udfs:package\/k: missing OWNERSHIP on project analytics/, 'analytics');
      // admin may do either side
      await g.sql('GRANT READ ON PACKAGE shared_udfs.k TO USER bella', undefined, 'analytics');
      await g.call('shared_udfs.carls', g.as('bella'), 'analytics');
    });

    it('an install the provider has not allowed is refused, exactly like one of a package that does not exist', async () => {
      await bob('CREATE PACKAGE k; ADD FUNCTION score TO PACKAGE k');
      const before = await fixture.dump({ audit: false });
      const refused = /package 'shared_udfs\.k' does not exist, or project analytics is not allowed to install it: the owner of project shared_udfs allows it with ALLOW PROJECT analytics TO INSTALL PACKAGE k/;
      await g.rejects('INSTALL PACKAGE shared_udfs.k', g.as('amy'), 'E_PACKAGE_NOT_ALLOWED', refused, 'analytics');
      await g.rejects('INSTALL PACKAGE shared_udfs.nothing', g.as('amy'), 'E_PACKAGE_NOT_ALLOWED', /package 'shared_udfs\.nothing' does not exist, or project analytics is not allowed/, 'analytics');
      await g.rejects('INSTALL PACKAGE nowhere.k', g.as('amy'), 'E_PACKAGE_NOT_ALLOWED', /package 'nowhere\.k' does not exist, or/, 'analytics');
      assert.equal(await fixture.dump({ audit: false }), before);
      // allowed for another project only: still refused
      await g.sql('CREATE PROJECT other');
      await bob('ALLOW PROJECT other TO INSTALL PACKAGE k');
      await g.rejects('INSTALL PACKAGE shared_udfs.k', g.as('amy'), 'E_PACKAGE_NOT_ALLOWED', refused, 'analytics');
      await g.rejects('ALLOW PROJECT nowhere TO INSTALL PACKAGE k', g.as('bob'), 'E_NO_SUCH_PROJECT', /project 'nowhere' does not exist/, 'shared_udfs');
      await g.rejects('ALLOW PROJECT shared_udfs TO INSTALL PACKAGE k', g.as('bob'), 'E_INVALID_ARGUMENT', /its own functions need no package/, 'shared_udfs');
    });

    it('limits: 1,000 objects per package and 100 packages from one project into another, each a clear error', async () => {
      await bob('CREATE PACKAGE big; ALLOW PROJECT analytics TO INSTALL PACKAGE big');
      // 999 functions shared behind the statements' back, signed like lakefn signs them (one transaction)
      const template = await store.read(async (session) => session.placedFunction((await session.governance.project('shared_udfs'))!.id, 'other'));
      assert.ok(template !== undefined);
      await store.write(async (session) => {
        const pkg = await session.packages.package(template.projectId, 'big');
        assert.ok(pkg !== undefined);
        for (let index = 0; index < PACKAGE_LIMITS.objectsPerPackage - 1; index += 1) {
          const record = { ...template.record, id: randomUUID(), name: `bulk_${index}` };
          await session.insertFunction(record, { projectId: template.projectId, ownerId: template.ownerId });
          await session.packages.insertObject({ packageId: pkg.id, functionId: record.id, privileges: ['EXECUTE'], addedBy: 'bob', createdAt: new Date().toISOString() });
        }
      });
      await bob('ADD FUNCTION score TO PACKAGE big');
      const full = await g.rejects('ADD FUNCTION other TO PACKAGE big', g.as('bob'), 'E_PACKAGE_LIMIT', /package 'shared_udfs\.big' already holds 1000 objects, the limit of 1000 objects per package/, 'shared_udfs');
      assert.equal(full.data?.['limit'], 'objects_per_package');
      // 99 other packages installed the same way, then the 100th through the statements, and the 101st is refused
      await store.write(async (session) => {
        const consumer = await session.governance.project('analytics');
        assert.ok(consumer !== undefined);
        const now = new Date().toISOString();
        for (let index = 0; index < PACKAGE_LIMITS.installsPerProviderPerConsumer - 1; index += 1) {
          const id = randomUUID();
          await session.packages.insertPackage({ id, projectId: template.projectId, name: `p${index}`, ownerId: template.ownerId, comment: null, createdAt: now });
          await session.packages.putAllowed({ packageId: id, projectId: consumer.id, label: null, allowedBy: 'bob', createdAt: now });
          await session.packages.insertInstall({ id: randomUUID(), packageId: id, projectId: consumer.id, installedBy: 'amy', createdAt: now });
        }
      });
      await amy('INSTALL PACKAGE shared_udfs.big');
      await bob('CREATE PACKAGE one_more; ALLOW PROJECT analytics TO INSTALL PACKAGE one_more');
      const limited = await g.rejects('INSTALL PACKAGE shared_udfs.one_more', g.as('amy'), 'E_PACKAGE_LIMIT', /project analytics already has 100 packages of project shared_udfs installed, the limit of 100 packages installed from one project into another/, 'analytics');
      assert.equal(limited.data?.['limit'], 'installs_per_provider_per_consumer');
      // the limit is per provider: another project's packages still install
      await g.sql('CREATE PROJECT elsewhere; USE PROJECT elsewhere; CREATE PACKAGE e; ALLOW PROJECT analytics TO INSTALL PACKAGE e');
      await amy('INSTALL PACKAGE elsewhere.e');
    });

    it('REMOVE, DISALLOW, UNINSTALL, REVOKE READ and DROP each stop the grantee at its next decision; the version moves every time', async () => {
      const bella = g.as('bella');
      const stopped = async (change: () => Promise<unknown>, restore: () => Promise<unknown>) => {
        await g.call('shared_udfs.score', bella, 'analytics');
        const version = await store.catalogVersion();
        await change();
        assert.ok((await store.catalogVersion()) > version);
        await rejectsWith(g.call('shared_udfs.score', bella, 'analytics'), NO_PROJECT, missing);
        await restore();
      };
      await share();
      await stopped(() => bob('REMOVE FUNCTION score FROM PACKAGE k'), () => bob('ADD FUNCTION score TO PACKAGE k'));
      await stopped(() => bob('DISALLOW PROJECT analytics TO INSTALL PACKAGE k'), () => bob('ALLOW PROJECT analytics TO INSTALL PACKAGE k'));
      assert.deepEqual((await g.rows('SHOW PACKAGES', g.as('amy'), 'analytics')).map((row) => row[3]), ['OK']);
      await stopped(() => amy('REVOKE READ ON PACKAGE shared_udfs.k FROM ROLE analysts'), () => amy('GRANT READ ON PACKAGE shared_udfs.k TO ROLE analysts'));
      await stopped(() => amy('UNINSTALL PACKAGE shared_udfs.k'), () => amy('INSTALL PACKAGE shared_udfs.k; GRANT READ ON PACKAGE shared_udfs.k TO ROLE analysts'));
      const [dropped] = await bob('DROP PACKAGE k');
      assert.match(dropped?.notices.join() ?? '', /was installed in analytics: calls through it stop at their next batch/);
      await rejectsWith(g.call('shared_udfs.score', bella, 'analytics'), NO_PROJECT, missing);
      assert.deepEqual(await g.rows('SHOW PACKAGES', g.as('amy'), 'analytics'), []);
      // a disallowed installation stays, marked, and shares nothing
      await share();
      await bob('DISALLOW PROJECT analytics TO INSTALL PACKAGE k');
      assert.deepEqual((await g.rows('SHOW PACKAGES', g.as('amy'), 'analytics')).map((row) => row[3]), ['DISALLOWED']);
    });

    it('what follows the function and the principals: DROP FUNCTION leaves the package, OR REPLACE stays in it, DROP USER takes its READ', async () => {
      await share();
      await bob('CREATE OR REPLACE EXTERNAL FUNCTION score(x INT) RETURNS INT CONNECTION c');
      await g.call('shared_udfs.score', g.as('bella'), 'analytics');
      await g.sql('GRANT READ ON PACKAGE shared_udfs.k TO USER eve', g.as('amy'), 'analytics');
      await g.sql('DROP USER eve');
      assert.deepEqual((await g.rows('DESC PACKAGE shared_udfs.k', g.as('amy'), 'analytics')).filter((row) => row[0] === 'read_grant').map((row) => row[1]), ['role analysts']);
      await bob('DROP FUNCTION score');
      assert.deepEqual((await g.rows('DESC PACKAGE k', g.as('bob'), 'shared_udfs')).filter((row) => row[0] === 'function'), []);
      await rejectsWith(g.call('shared_udfs.score', g.as('bella'), 'analytics'), NO_PROJECT, missing);
      // a package's creator can be dropped: the package stays with its project's owner
      await g.sql('CREATE USER carol; GRANT ROLE admin TO USER carol');
      await g.sql('CREATE PACKAGE by_carol', g.as('carol'), 'shared_udfs');
      const [droppedCarol] = await g.sql('DROP USER carol');
      assert.match(droppedCarol?.notices.join() ?? '', /package shared_udfs\.by_carol it created is now owned by user bob/);
      // DROP PROJECT needs CASCADE while it holds packages, and takes them (and their installations) with it
      await g.rejects('DROP PROJECT shared_udfs', undefined, 'E_PROJECT_NOT_EMPTY', /and 2 package\(s\)/);
      await g.sql('DROP PROJECT shared_udfs CASCADE');
      assert.deepEqual(await g.rows('SHOW PACKAGES', g.as('amy'), 'analytics'), []);
    });

    it('the audit records both projects: ADMIN records name the package, provider and consumer; INVOKE_SUMMARY has via_package', async () => {
      await share();
      await g.call('shared_udfs.score', g.as('bella'), 'analytics');
      const records = await g.audit();
      const install = records.find((record) => record.type === 'ADMIN' && record.body['statement_kind'] === 'install-package');
      assert.equal(install?.project, 'analytics');
      assert.equal(install?.body['action'], 'lakefn:InstallPackage');
      assert.deepEqual(install?.body['package'], { package: 'shared_udfs.k', provider_project: 'shared_udfs', consumer_project: 'analytics' });
      const allow = records.find((record) => record.type === 'ADMIN' && record.body['statement_kind'] === 'allow-package-install');
      assert.equal(allow?.project, 'shared_udfs');
      assert.deepEqual(allow?.body['package'], { package: 'shared_udfs.k', provider_project: 'shared_udfs', consumer_project: 'analytics' });
      const summary = records.find((record) => record.type === 'INVOKE_SUMMARY' && record.principal === 'bella');
      assert.equal(summary?.project, 'shared_udfs');
      assert.equal(summary?.body['function_fqn'], 'shared_udfs.score');
      assert.equal(summary?.body['connection_name'], 'shared_udfs.c');
      assert.equal(summary?.body['owner_principal'], 'user bob');
      assert.deepEqual(summary?.body['via_package'], { package: 'shared_udfs.k', provider_project: 'shared_udfs', consumer_project: 'analytics' });
      const matched = (summary?.body['authz'] as { matched: string[] } | undefined)?.matched ?? [];
      assert.deepEqual(matched, ['READ on package shared_udfs.k installed in project analytics (granted to role analysts), which shares EXECUTE on function shared_udfs.score']);
      // denials of package statements are recorded like any other
      await g.sql('CREATE PACKAGE nope', g.as('carl'), 'shared_udfs').catch(() => undefined);
      const denial = (await g.audit()).find((record) => record.type === 'AUTHZ' && record.principal === 'carl' && record.body['action'] === 'lakefn:CreatePackage');
      assert.equal(denial?.body['decision'], 'DENY');
      assert.equal((await store.read((session) => session.audit.verify())).ok, true);
    });

    it('package rows are signed: a READ grant or package object written behind lakefn’s back shares nothing; key rotation keeps the real ones', async () => {
      await share();
      const ids = await store.read(async (session) => {
        const provider = (await session.governance.project('shared_udfs'))!;
        const consumer = (await session.governance.project('analytics'))!;
        const pkg = (await session.packages.package(provider.id, 'k'))!;
        const install = (await session.packages.install(pkg.id, consumer.id))!;
        const eve = (await session.governance.principal('user', 'eve'))!;
        const other = (await session.placedFunction(provider.id, 'other'))!;
        return { pkg: pkg.id, install: install.id, eve: eve.id, other: other.record.id };
      });
      await fixture.execute("INSERT INTO lakefn_package_grants (install_id, grantee_id, granted_by, created_at, mac_version, mac_key_id, row_mac) VALUES (?, ?, 'amy', '2026-01-01T00:00:00.000Z', 3, 'k', ?)", [ids.install, ids.eve, 'f'.repeat(64)]);
      await fixture.execute("INSERT INTO lakefn_package_objects (package_id, function_id, privileges, added_by, created_at, mac_version, mac_key_id, row_mac) VALUES (?, ?, 'EXECUTE', 'bob', '2026-01-01T00:00:00.000Z', 3, 'k', ?)", [ids.pkg, ids.other, 'f'.repeat(64)]);
      await rejectsWith(g.call('shared_udfs.score', g.as('eve'), 'analytics'), NO_PROJECT, missing);
      await rejectsWith(g.call('shared_udfs.other', g.as('bella'), 'analytics'), NO_PROJECT, missing);
      const [listed] = await g.sql('DESC PACKAGE k', g.as('bob'), 'shared_udfs');
      assert.match(listed?.notices.join() ?? '', /package row\(s\) failed their integrity check and share nothing/);
      await assert.rejects(store.rotateKey(), /key rotation refused: 2 row\(s\)/);
      await fixture.execute('DELETE FROM lakefn_package_grants WHERE grantee_id = ?', [ids.eve]);
      await fixture.execute('DELETE FROM lakefn_package_objects WHERE function_id = ?', [ids.other]);
      await store.rotateKey();
      await g.call('shared_udfs.score', g.as('bella'), 'analytics');
    });

    it('an explicit Deny beats READ on a package: the call is denied naming the policy and Sid, and EXPLAIN AUTHORIZATION shows the Deny step', async () => {
      await share();
      const bella = g.as('bella');
      await g.call('shared_udfs.score', bella, 'analytics');
      // the Deny names the resource a package call is authorized on: the provider's function
      const document = JSON.stringify({
        Version: '1',
        Statement: [{ Sid: 'NoSharedScore', Effect: 'Deny', Action: ['lakefn:InvokeFunction', 'lakefn:DescribeFunction'], Resource: ['lrn:lakefn:shared_udfs:function/score'] }],
      });
      await g.sql(`CREATE POLICY no_shared_score AS '${document}'; ATTACH POLICY no_shared_score TO ROLE analysts`);
      const denied = await rejectsWith(
        g.call('shared_udfs.score', bella, 'analytics'),
        'E_ACCESS_DENIED',
        /bella is not authorized: lakefn:InvokeFunction on lrn:lakefn:shared_udfs:function\/score is explicitly denied by policy no_shared_score, Sid NoSharedScore \(attached to role analysts\)/,
      );
      assert.equal(denied.data?.['denied_at'], 'explicit_deny');
      const audited = (await g.audit()).filter((record) => record.type === 'AUTHZ' && record.principal === 'bella' && record.body['decision'] === 'DENY').at(-1);
      assert.equal(audited?.body['action'], 'lakefn:InvokeFunction');
      // EXPLAIN evaluates every step: the Deny (policy and Sid) decides although the package grant would allow it
      const [explained] = await g.sql('EXPLAIN AUTHORIZATION FOR USER bella DESC FUNCTION shared_udfs.score', undefined, 'analytics');
      assert.ok(explained?.kind === 'authorization-explanation');
      assert.equal(explained.allowed, false);
      const text = explained.lines.join('\n');
      assert.match(text, /DENY lakefn:DescribeFunction on lrn:lakefn:shared_udfs:function\/score as bella/);
      assert.match(text, /4 explicit Deny\s+DENY: policy no_shared_score, Sid NoSharedScore \(attached to role analysts\)/);
      assert.match(text, /6 data layer\s+pass: object privilege READ on package shared_udfs\.k installed in project analytics \(granted to role analysts\), which shares EXECUTE on function shared_udfs\.score/);
      // detaching it lets the call through at the next decision; a Deny on another function leaves it alone
      await g.sql('DETACH POLICY no_shared_score FROM ROLE analysts');
      await g.call('shared_udfs.score', bella, 'analytics');
      await g.sql(`CREATE POLICY no_other AS '${document.replace('function/score', 'function/other')}'; ATTACH POLICY no_other TO ROLE analysts`);
      await g.call('shared_udfs.score', bella, 'analytics');
    });

    it('SHOW GRANTS TO lists READ on installed packages and owned packages; SHOW GRANTS ON PACKAGE on both sides', async () => {
      await share();
      await amy('GRANT READ ON PACKAGE shared_udfs.k TO USER bella');
      const packageRows = (rows: readonly (readonly unknown[])[]) => rows.filter((row) => row[1] === 'package').map((row) => [row[0], row[2], row[3], row[4]]);
      // READ held directly and through a role, each with who granted it and when
      const toBella = await g.rows('SHOW GRANTS TO USER bella', g.as('bella'));
      assert.deepEqual(packageRows(toBella), [['READ', 'shared_udfs.k (installed in analytics)', 'NO', 'amy']]);
      assert.match(String(toBella.find((row) => row[1] === 'package')?.[5]), /^\d{4}-\d{2}-\d{2}T/);
      assert.deepEqual(packageRows(await g.rows('SHOW GRANTS TO ROLE analysts')), [['READ', 'shared_udfs.k (installed in analytics)', 'NO', 'amy']]);
      // the package's creator owns it
      assert.deepEqual(packageRows(await g.rows('SHOW GRANTS TO USER bob', g.as('bob'))), [['OWNERSHIP', 'shared_udfs.k', null, null]]);
      // on the consumer side: who holds READ on the installation (its owner, or a holder of READ, may list them)
      const onInstalled = await g.rows('SHOW GRANTS ON PACKAGE shared_udfs.k', g.as('amy'), 'analytics');
      assert.deepEqual(onInstalled.map((row) => row.slice(0, 5)), [['READ', 'role', 'analysts', 'NO', 'amy'], ['READ', 'user', 'bella', 'NO', 'amy']]);
      assert.deepEqual((await g.rows('SHOW GRANTS ON PACKAGE shared_udfs.k', g.as('bella'), 'analytics')).length, 2);
      await g.sql('GRANT CREATE FUNCTION ON PROJECT analytics TO USER eve');
      await g.rejects('SHOW GRANTS ON PACKAGE shared_udfs.k', g.as('eve'), 'E_ACCESS_DENIED', /lakefn:ListGrants on lrn:lakefn:shared_udfs:package\/k: missing OWNERSHIP on project analytics/, 'analytics');
      await g.rejects('SHOW GRANTS ON PACKAGE shared_udfs.nothing', g.as('amy'), 'E_NO_SUCH_PACKAGE', /package 'shared_udfs\.nothing' is not installed in project analytics/, 'analytics');
      // on the provider side: its ownership, for the project's owner
      assert.deepEqual((await g.rows('SHOW GRANTS ON PACKAGE k', g.as('bob'), 'shared_udfs')).map((row) => row.slice(0, 3)), [['OWNERSHIP', 'user', 'bob']]);
      await g.rejects('SHOW GRANTS ON PACKAGE k', g.as('carl'), 'E_ACCESS_DENIED', /missing OWNERSHIP on project shared_udfs/, 'shared_udfs');
      // revoking it takes it off both listings
      await amy('REVOKE READ ON PACKAGE shared_udfs.k FROM USER bella');
      assert.deepEqual(packageRows(await g.rows('SHOW GRANTS TO USER bella', g.as('bella'))), []);
      assert.deepEqual((await g.rows('SHOW GRANTS ON PACKAGE shared_udfs.k', g.as('amy'), 'analytics')).map((row) => row[2]), ['analysts']);
    });

    it('GRANT OWNERSHIP ON PACKAGE k: by the project owner, admin or the package owner; the new owner lists it; bad input changes nothing', async () => {
      await g.sql('CREATE USER carol; GRANT ROLE admin TO USER carol');
      await g.sql('CREATE PACKAGE by_carol', g.as('carol'), 'shared_udfs');
      assert.deepEqual((await g.rows('SHOW GRANTS ON PACKAGE by_carol', g.as('bob'), 'shared_udfs')).map((row) => row.slice(0, 3)), [['OWNERSHIP', 'user', 'carol']]);
      const before = await fixture.dump({ audit: false });
      await g.rejects('GRANT OWNERSHIP ON PACKAGE by_carol TO USER carl', g.as('carl'), 'E_ACCESS_DENIED', /lakefn:TransferOwnership on lrn:lakefn:shared_udfs:package\/by_carol: missing OWNERSHIP on project shared_udfs/, 'shared_udfs');
      await g.rejects('GRANT OWNERSHIP ON PACKAGE nothing TO USER carl', g.as('bob'), 'E_NO_SUCH_PACKAGE', /package 'shared_udfs\.nothing' does not exist/, 'shared_udfs');
      await g.rejects('GRANT OWNERSHIP ON PACKAGE by_carol TO USER nobody', g.as('bob'), 'E_NO_SUCH_PRINCIPAL', /user 'nobody' does not exist/, 'shared_udfs');
      assert.equal(await fixture.dump({ audit: false }), before);
      const [moved] = await bob('GRANT OWNERSHIP ON PACKAGE by_carol TO USER carl');
      assert.equal(moved?.kind === 'change' ? moved.message : undefined, 'ownership of package shared_udfs.by_carol transferred from user carol to user carl');
      assert.deepEqual((await g.rows('SHOW GRANTS TO USER carl', g.as('carl'))).filter((row) => row[1] === 'package').map((row) => [row[0], row[2]]), [['OWNERSHIP', 'shared_udfs.by_carol']]);
      // the owner sees it in SHOW PACKAGES, and may hand it on
      assert.deepEqual((await g.rows('SHOW PACKAGES', g.as('carl'), 'shared_udfs')).map((row) => [row[0], row[4]]), [['by_carol', 'user carl']]);
      await g.sql('GRANT OWNERSHIP ON PACKAGE by_carol TO ROLE analysts', g.as('carl'), 'shared_udfs');
      const [again] = await bob('GRANT OWNERSHIP ON PACKAGE by_carol TO ROLE analysts');
      assert.match(again?.notices.join() ?? '', /role analysts already owns package shared_udfs\.by_carol; unchanged/);
      const transfer = (await g.audit()).find((record) => record.type === 'ADMIN' && record.body['statement_kind'] === 'grant-package-ownership' && record.principal === 'carl' && record.body['status'] === 'OK');
      assert.equal(transfer?.body['action'], 'lakefn:TransferOwnership');
      assert.deepEqual(transfer?.body['before'], { owner: 'user carl' });
    });

    it('a direct EXECUTE grant on p.f wins over the package: the call records the grant, not a package', async () => {
      await share();
      // a direct grant reaches the provider's function without a package, and no package is recorded
      await g.sql('GRANT EXECUTE ON FUNCTION shared_udfs.score TO USER eve');
      await g.call('shared_udfs.score', g.as('eve'), 'analytics');
      const summary = (await g.audit()).filter((record) => record.type === 'INVOKE_SUMMARY' && record.principal === 'eve').at(-1);
      assert.equal(summary?.body['via_package'], undefined);
      assert.deepEqual((summary?.body['authz'] as { matched: string[] } | undefined)?.matched, ['EXECUTE on function shared_udfs.score (granted to user eve)']);
    });
  });
}
