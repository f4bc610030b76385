// Sensitivity labels over both stores (MaxCompute's label security, as it applies to packages): SET LABEL n TO FUNCTION f
// by the provider project's owner or admin; ALLOW … USING LABEL m lets the consumer project reach only the package's
// functions labelled at most m (no USING LABEL: 0; never labelled: 0); the denial names the function, its label, the
// package, the allowed label and what to do; every label change takes effect at the next decision; DESC PACKAGE and
// DESC FUNCTION show labels; bad input changes nothing; label rows are signed like every other catalog row.
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { AuditWriter } from '../../src/governance/audit-writer.ts';
import { CallAuthorizer } from '../../src/governance/call-authorizer.ts';
import type { CatalogStore } from '../../src/store/catalog-store.ts';
import { type CatalogFixture, storeDescriptors } from '../store/store-descriptors.ts';
import { AWS, catalogPerTest, type Governed, rejectsWith } from './governance-helpers.ts';

for (const descriptor of storeDescriptors()) {
  describe(`package sensitivity labels: ${descriptor.name}`, { skip: descriptor.skip }, () => {
    let fixture: CatalogFixture;
    let store: CatalogStore;
    let g: Governed;

    catalogPerTest(descriptor, (catalog) => ({ fixture, store, g } = catalog));
    beforeEach(async () => {
      // bob owns shared_udfs (the provider), amy owns analytics (the consumer), bella calls from analytics, carl only
      // creates functions in shared_udfs
      await g.sql(`
        CREATE USER bob; CREATE USER amy; CREATE USER bella; CREATE USER carl;
        CREATE PROJECT shared_udfs; GRANT OWNERSHIP ON PROJECT shared_udfs TO USER bob; GRANT CREATE FUNCTION ON PROJECT shared_udfs TO USER carl;
        CREATE PROJECT analytics; GRANT OWNERSHIP ON PROJECT analytics TO USER amy`);
      await bob(`CREATE API CONNECTION c ${AWS}; VALIDATE API CONNECTION c; CREATE EXTERNAL FUNCTION pii(x INT) RETURNS INT CONNECTION c;
        CREATE EXTERNAL FUNCTION plain(x INT) RETURNS INT CONNECTION c;
        CREATE PACKAGE k; ADD FUNCTION pii TO PACKAGE k; ADD FUNCTION plain TO PACKAGE k; SET LABEL 3 TO FUNCTION pii`);
    });

    const bob = (text: string) => g.sql(text, g.as('bob'), 'shared_udfs');
    const amy = (text: string) => g.sql(text, g.as('amy'), 'analytics');
    const call = (name: string) => g.call(`shared_udfs.${name}`, g.as('bella'), 'analytics');
    const install = () => amy('INSTALL PACKAGE shared_udfs.k; GRANT READ ON PACKAGE shared_udfs.k TO USER bella');
    const labelDenied = (label: number, allowed: number) => new RegExp(
      'bella is not authorized: no object privilege or managed data policy allows lakefn:InvokeFunction on lrn:lakefn:shared_udfs:function/pii: ' +
        'missing EXECUTE or OWNERSHIP on function shared_udfs\\.pii; READ on package shared_udfs\\.k installed in project analytics does not reach it: ' +
        `function shared_udfs\\.pii has sensitivity label ${label}, above label ${allowed} that project analytics is allowed for package shared_udfs\\.k .*` +
        `The owner of project shared_udfs may ALLOW PROJECT analytics TO INSTALL PACKAGE k USING LABEL ${label}, or lower the function's label \\(SET LABEL ${allowed} TO FUNCTION pii\\)`,
    );

    it('USING LABEL n reaches the functions labelled at most n; the denial names the function, its label, the package, the allowed label and the fix', async () => {
      const [allowed] = await bob('ALLOW PROJECT analytics TO INSTALL PACKAGE k USING LABEL 2');
      assert.deepEqual(allowed?.notices, ["project analytics does not reach pii (label 3) of package 'shared_udfs.k': their sensitivity label is above 2"]);
      await install();
      await call('plain');
      const denied = await rejectsWith(call('pii'), 'E_ACCESS_DENIED', labelDenied(3, 2));
      assert.deepEqual(
        { package: denied.data?.['package'], consumer: denied.data?.['consumer_project'], label: denied.data?.['sensitivity_label'], allowed: denied.data?.['allowed_label'], at: denied.data?.['denied_at'] },
        { package: 'shared_udfs.k', consumer: 'analytics', label: 3, allowed: 2, at: 'data_layer' },
      );
      assert.equal(denied.location.function, 'pii');
      // the denial is audited like any other, with the label in the data layer's missing privilege
      const audited = (await g.audit()).filter((record) => record.type === 'AUTHZ' && record.principal === 'bella' && record.body['decision'] === 'DENY').at(-1);
      assert.match(JSON.stringify(audited?.body), /sensitivity label 3, above label 2/);
      // re-allowing with a label that covers it lets it in at the next decision; so does lowering the function's label
      let version = await store.catalogVersion();
      await bob('ALLOW PROJECT analytics TO INSTALL PACKAGE k USING LABEL 3');
      assert.ok((await store.catalogVersion()) > version);
      await call('pii');
      const [lowered] = await bob('ALLOW PROJECT analytics TO INSTALL PACKAGE k USING LABEL 2');
      assert.match(lowered?.notices.join() ?? '', /does not reach pii \(label 3\) .*calls of them from there stop at their next batch/);
      await rejectsWith(call('pii'), 'E_ACCESS_DENIED', labelDenied(3, 2));
      await bob('SET LABEL 2 TO FUNCTION pii');
      await call('pii');
      // raising it again stops it at the next decision, and the provider is told which consumers it stops
      version = await store.catalogVersion();
      const [raised] = await bob('SET LABEL 9 TO FUNCTION pii');
      assert.ok((await store.catalogVersion()) > version);
      assert.equal(raised?.kind === 'change' ? raised.message : undefined, 'sensitivity label of function shared_udfs.pii set to 9 (was 2)');
      assert.match(raised?.notices.join() ?? '', /project analytics \(package shared_udfs\.k, USING LABEL 2\) is allowed a lower label: calls of shared_udfs\.pii from there stop at their next batch/);
      await rejectsWith(call('pii'), 'E_ACCESS_DENIED', labelDenied(9, 2));
      await call('plain');
      // the same label again changes nothing
      version = await store.catalogVersion();
      const [same] = await bob('SET LABEL 9 TO FUNCTION pii');
      assert.match(same?.notices.join() ?? '', /already has sensitivity label 9; unchanged/);
      assert.equal(await store.catalogVersion(), version);
      // every SET LABEL is recorded as an ADMIN record of lakefn:SetLabel, by its principal
      const labelled = (await g.audit()).filter((record) => record.type === 'ADMIN' && record.body['statement_kind'] === 'set-label');
      assert.deepEqual(labelled.map((record) => [record.principal, record.body['action'], record.body['status'], record.body['statement']]).slice(-2), [
        ['bob', 'lakefn:SetLabel', 'OK', 'SET LABEL 9 TO FUNCTION pii'],
        ['bob', 'lakefn:SetLabel', 'OK', 'SET LABEL 9 TO FUNCTION pii'],
      ]);
    });

    it('no USING LABEL means label 0: only functions never labelled (or labelled 0) are reached', async () => {
      await bob('ALLOW PROJECT analytics TO INSTALL PACKAGE k');
      await install();
      await call('plain');
      await rejectsWith(call('pii'), 'E_ACCESS_DENIED', labelDenied(3, 0));
      await bob('SET LABEL 1 TO FUNCTION plain');
      await rejectsWith(g.call('shared_udfs.plain', g.as('bella'), 'analytics'), 'E_ACCESS_DENIED', /function shared_udfs\.plain has sensitivity label 1, above label 0/);
      await bob('SET LABEL 0 TO FUNCTION plain; SET LABEL 0 TO FUNCTION pii');
      await call('plain');
      await call('pii');
      // USING LABEL 0 is the same as none
      await bob('SET LABEL 3 TO FUNCTION pii; ALLOW PROJECT analytics TO INSTALL PACKAGE k USING LABEL 0');
      await rejectsWith(call('pii'), 'E_ACCESS_DENIED', labelDenied(3, 0));
    });

    it('labels show in DESC PACKAGE (both sides) and DESC FUNCTION; engines still list a function its label keeps out', async () => {
      await bob('ALLOW PROJECT analytics TO INSTALL PACKAGE k USING LABEL 2');
      await install();
      const provided = await g.rows('DESC PACKAGE k', g.as('bob'), 'shared_udfs');
      assert.deepEqual(provided.filter((row) => row[0] !== 'package').map((row) => row.slice(0, 3)), [
        ['function', 'pii', 'EXECUTE; label 3'],
        ['function', 'plain', 'EXECUTE; label 0'],
        ['allowed_project', 'analytics', 'label 2 (allowed by bob)'],
        ['installed_in', 'analytics', 'installed by amy'],
      ]);
      const installed = await g.rows('DESC PACKAGE shared_udfs.k', g.as('amy'), 'analytics');
      assert.deepEqual(installed.filter((row) => row[0] === 'installed_in' || row[0] === 'function').map((row) => row.slice(0, 3)), [
        ['installed_in', 'analytics', 'installed by amy; allowed label 2'],
        ['function', 'pii', 'EXECUTE; label 3; above label 2 this project is allowed: not reachable'],
        ['function', 'plain', 'EXECUTE; label 0'],
      ]);
      const [described] = await bob('DESC FUNCTION pii');
      assert.equal(described?.kind === 'function-description' ? described.description.sensitivity_label : undefined, 3);
      const [plain] = await g.sql('DESC FUNCTION shared_udfs.plain', g.as('bella'), 'analytics');
      assert.equal(plain?.kind === 'function-description' ? plain.description.sensitivity_label : undefined, 0);
      // describing the function its label keeps out is denied the same way as calling it
      await g.rejects('DESC FUNCTION shared_udfs.pii', g.as('bella'), 'E_ACCESS_DENIED', /lakefn:DescribeFunction .*function shared_udfs\.pii has sensitivity label 3, above label 2/, 'analytics');
      // an engine lists both (it registers what it lists), and calling pii says why it is refused
      const authorizer = new CallAuthorizer({ store, audit: new AuditWriter(store, { log: () => undefined }), principal: g.as('bella'), project: 'analytics' });
      assert.deepEqual((await authorizer.listFunctions()).map((fn) => fn.name), ['shared_udfs.pii', 'shared_udfs.plain']);
      await rejectsWith(authorizer.resolve('shared_udfs.pii', {}), 'E_ACCESS_DENIED', labelDenied(3, 2));
    });

    it('who may SET LABEL: the provider project owner or admin; bad input is refused, positioned, and changes nothing', async () => {
      await bob('ALLOW PROJECT analytics TO INSTALL PACKAGE k USING LABEL 2');
      await install();
      // carl sees the project (CREATE FUNCTION on it) and owns a function there, but does not own the project
      await g.sql('GRANT USAGE ON CONNECTION shared_udfs.c TO USER carl');
      await g.sql('CREATE EXTERNAL FUNCTION carls(x INT) RETURNS INT CONNECTION c', g.as('carl'), 'shared_udfs');
      await g.rejects('SET LABEL 1 TO FUNCTION carls', g.as('carl'), 'E_ACCESS_DENIED', /lakefn:SetLabel on lrn:lakefn:shared_udfs:function\/carls: missing OWNERSHIP on project shared_udfs/, 'shared_udfs');
      // labels are the provider's to set: the consumer project's owner does not even see the provider's project, and a
      // grantee who reaches the function through the package may not label it
      await g.rejects('SET LABEL 0 TO FUNCTION shared_udfs.pii', g.as('amy'), 'E_NO_SUCH_PROJECT', /project 'shared_udfs' does not exist or not authorized/, 'analytics');
      await g.rejects('SET LABEL 0 TO FUNCTION shared_udfs.pii', g.as('bella'), 'E_ACCESS_DENIED', /missing OWNERSHIP on project shared_udfs/, 'analytics');
      await g.rejects('SET LABEL 1 TO FUNCTION nothing', g.as('bob'), 'E_NO_SUCH_FUNCTION', /function 'nothing' does not exist or not authorized/, 'shared_udfs');
      const outOfRange = await g.rejects('SET LABEL 10 TO FUNCTION pii', g.as('bob'), 'E_INVALID_ARGUMENT', /SET LABEL takes an integer from 0 to 9 \(MaxCompute's sensitivity levels\), found '10'/, 'shared_udfs');
      assert.deepEqual([outOfRange.location.line, outOfRange.location.column], [1, 11]);
      const decimal = await g.rejects('SET LABEL 2.5 TO FUNCTION pii', g.as('bob'), 'E_INVALID_ARGUMENT', /found '2\.5'/, 'shared_udfs');
      assert.deepEqual([decimal.location.line, decimal.location.column], [1, 11]);
      // in a script, nothing before the refused statement is lost and nothing after it runs
      await g.rejects('SET LABEL 1 TO FUNCTION plain; SET LABEL 1 TO FUNCTION nothing', g.as('bob'), 'E_NO_SUCH_FUNCTION', /statement 2 of 2 failed; 1 statement applied/, 'shared_udfs');
      await bob('SET LABEL 0 TO FUNCTION plain');
      const [plain] = await bob('DESC FUNCTION plain');
      assert.equal(plain?.kind === 'function-description' ? plain.description.sensitivity_label : undefined, 0);
      // admin may set any label
      await g.sql('SET LABEL 4 TO FUNCTION shared_udfs.carls');
      const [carls] = await g.sql('DESC FUNCTION shared_udfs.carls');
      assert.equal(carls?.kind === 'function-description' ? carls.description.sensitivity_label : undefined, 4);
    });

    it('bad input leaves the store exactly as it was', async () => {
      // carl may call pii (so he sees it) but does not own its project
      await bob('GRANT EXECUTE ON FUNCTION pii TO USER carl');
      const before = await fixture.dump({ audit: false });
      await g.rejects('SET LABEL 1 TO FUNCTION nothing', g.as('bob'), 'E_NO_SUCH_FUNCTION', /does not exist or not authorized/, 'shared_udfs');
      await g.rejects('SET LABEL 10 TO FUNCTION pii', g.as('bob'), 'E_INVALID_ARGUMENT', /from 0 to 9/, 'shared_udfs');
      await g.rejects('SET LABEL 1 TO FUNCTION pii', g.as('carl'), 'E_ACCESS_DENIED', /missing OWNERSHIP on project shared_udfs/, 'shared_udfs');
      await g.rejects('SET LABEL 1 TO CONNECTION c', g.as('bob'), 'E_INVALID_ARGUMENT', /SET LABEL labels functions only/, 'shared_udfs');
      assert.equal(await fixture.dump({ audit: false }), before);
    });

    it('EXPLAIN AUTHORIZATION shows SET LABEL decided on the project, and the label in a refused DESC FUNCTION', async () => {
      await bob('GRANT EXECUTE ON FUNCTION pii TO USER carl');
      const [refused] = await g.sql('EXPLAIN AUTHORIZATION FOR USER carl SET LABEL 1 TO FUNCTION shared_udfs.pii');
      assert.ok(refused?.kind === 'authorization-explanation');
      assert.equal(refused.allowed, false);
      const text = refused.lines.join('\n');
      assert.match(text, /DENY lakefn:SetLabel on lrn:lakefn:shared_udfs:function\/pii as carl/);
      assert.match(text, /6 data layer\s+DENY: no object privilege \(missing OWNERSHIP on project shared_udfs\) and no managed data policy/);
      const [allowed] = await g.sql('EXPLAIN AUTHORIZATION FOR USER bob SET LABEL 1 TO FUNCTION shared_udfs.pii');
      assert.ok(allowed?.kind === 'authorization-explanation' && allowed.allowed);
      assert.match(allowed.lines.join('\n'), /6 data layer\s+pass: object privilege OWNERSHIP of project shared_udfs \(held by user bob\)/);
      // nothing was set
      const [described] = await bob('DESC FUNCTION pii');
      assert.equal(described?.kind === 'function-description' ? described.description.sensitivity_label : undefined, 3);
      await bob('ALLOW PROJECT analytics TO INSTALL PACKAGE k USING LABEL 1');
      await install();
      const [desc] = await g.sql('EXPLAIN AUTHORIZATION FOR USER bella DESC FUNCTION shared_udfs.pii', undefined, 'analytics');
      assert.ok(desc?.kind === 'authorization-explanation' && !desc.allowed);
      assert.match(desc.lines.join('\n'), /6 data layer\s+DENY: no object privilege \(missing EXECUTE or OWNERSHIP on function shared_udfs\.pii; READ on package shared_udfs\.k installed in project analytics does not reach it: function shared_udfs\.pii has sensitivity label 3, above label 1/);
    });

    it('the label follows the function: OR REPLACE keeps it, DROP FUNCTION removes it (a new function of that name is label 0)', async () => {
      await bob('ALLOW PROJECT analytics TO INSTALL PACKAGE k USING LABEL 2');
      await install();
      await bob('CREATE OR REPLACE EXTERNAL FUNCTION pii(x INT) RETURNS INT CONNECTION c');
      await rejectsWith(call('pii'), 'E_ACCESS_DENIED', labelDenied(3, 2));
      const [kept] = await bob('DESC FUNCTION pii');
      assert.equal(kept?.kind === 'function-description' ? kept.description.sensitivity_label : undefined, 3);
      assert.equal((JSON.parse(await fixture.dump()) as Record<string, unknown>[][]).at(-1)?.length, 1);
      await bob('DROP FUNCTION pii');
      assert.deepEqual((JSON.parse(await fixture.dump()) as Record<string, unknown>[][]).at(-1), []);
      await bob('CREATE EXTERNAL FUNCTION pii(x INT) RETURNS INT CONNECTION c');
      const [fresh] = await bob('DESC FUNCTION pii');
      assert.equal(fresh?.kind === 'function-description' ? fresh.description.sensitivity_label : undefined, 0);
    });

    it('label rows are signed: one lowered behind lakefn’s back opens nothing (reached by no package), SET LABEL repairs it, key rotation re-signs', async () => {
      await bob('ALLOW PROJECT analytics TO INSTALL PACKAGE k USING LABEL 2');
      await install();
      const pii = await store.read(async (session) => (await session.placedFunction((await session.governance.project('shared_udfs'))!.id, 'pii'))!.record.id);
      await fixture.execute("UPDATE lakefn_function_labels SET label = 0 WHERE function_id = ?", [pii]);
      await rejectsWith(call('pii'), 'E_ACCESS_DENIED', /the sensitivity label row of function shared_udfs\.pii fails its integrity check, so no package reaches it until the owner of project shared_udfs sets its label again \(SET LABEL <0-9> TO FUNCTION pii\)/);
      const [described] = await bob('DESC FUNCTION pii');
      assert.ok(described?.kind === 'function-description');
      assert.equal(described.description.sensitivity_label, null);
      assert.match(described.notices.join(), /function sensitivity label of function .* fails|until SET LABEL sets it again, no package reaches this function/);
      const provided = await g.rows('DESC PACKAGE k', g.as('bob'), 'shared_udfs');
      assert.match(String(provided.find((row) => row[1] === 'pii')?.[2]), /label \? \(its label row fails its integrity check: reached through no package\)/);
      await assert.rejects(store.rotateKey(), /key rotation refused: 1 row\(s\)[\s\S]*function-label row/);
      // a replacement carries the damaged row along, still failing: replacing a function never lowers its label
      await bob('CREATE OR REPLACE EXTERNAL FUNCTION pii(x INT) RETURNS INT CONNECTION c');
      await rejectsWith(call('pii'), 'E_ACCESS_DENIED', /fails its integrity check/);
      const [repaired] = await bob('SET LABEL 2 TO FUNCTION pii');
      assert.equal(repaired?.kind === 'change' ? repaired.message : undefined, 'sensitivity label of function shared_udfs.pii set to 2 (was a label row that failed its integrity check)');
      await call('pii');
      const rotated = await store.rotateKey();
      assert.ok(rotated.governanceRows > 0);
      await call('pii');
      await bob('SET LABEL 3 TO FUNCTION pii');
      await rejectsWith(call('pii'), 'E_ACCESS_DENIED', labelDenied(3, 2));
    });
  });
}
