// Existing catalogs migrate into project `default`, every object owned by super_administrator (issue 11), on SQLite and
// PostgreSQL: a catalog at schema 2 (test/fixtures/catalog-v2) and one at schema 1 (catalog-v1, through migrations 2 and
// 3). Rows are re-signed with MAC v3 only after their v2 MAC verified; the local super administrator keeps working as
// before, and nobody else holds anything until granted.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { userPrincipal } from '../../src/governance/authenticated-principal.ts';
import { BUILT_IN_ROLE_IDS, DEFAULT_PROJECT_ID } from '../../src/spec/governance-records.ts';
import type { CatalogStore } from '../../src/store/catalog-store.ts';
import { type CatalogFixture, storeDescriptors } from '../store/store-descriptors.ts';
import { governed, LOCAL, rejectsWith, type Governed } from './governance-helpers.ts';

const fixtureFile = (version: string, file: string): string => readFileSync(new URL(`../fixtures/catalog-${version}/${file}`, import.meta.url), 'utf8');
const KEY = Buffer.from(fixtureFile('v2', 'store-key.hex').trim(), 'hex');

for (const descriptor of storeDescriptors()) {
  for (const version of ['v1', 'v2'] as const) {
    describe(`migration of a ${version === 'v1' ? 'schema-1' : 'schema-2'} catalog into project default: ${descriptor.name}`, { skip: descriptor.skip }, () => {
      let fixture: CatalogFixture;
      let store: CatalogStore | undefined;
      let g: Governed | undefined;

      before(() => descriptor.start());
      after(() => descriptor.stop());
      beforeEach(async () => {
        fixture = await descriptor.fixture();
        await fixture.executeScript(fixtureFile(version, 'catalog.sql'));
        writeFileSync(join(fixture.home, 'store.key'), KEY, { mode: 0o600 });
      });
      afterEach(async () => {
        await g?.close();
        await store?.close();
        g = undefined;
        store = undefined;
        await fixture.cleanup();
      });

      async function open(): Promise<Governed> {
        store = await fixture.open();
        g = governed(store);
        return g;
      }

      it('places every object in project default, owned by super_administrator, re-signed with MAC v3', async () => {
        const catalog = await open();
        const [migrations, , connections, functions, principals, projects, roleGrants, grants, audit] = JSON.parse(await fixture.dump()) as Record<string, unknown>[][];
        assert.deepEqual(migrations?.map((row) => row['version']), [1, 2, 3, 4]);
        assert.ok((connections?.length ?? 0) >= 5);
        for (const row of [...(connections ?? []), ...(functions ?? [])]) {
          assert.equal(row['project_id'], DEFAULT_PROJECT_ID);
          assert.equal(row['owner_id'], BUILT_IN_ROLE_IDS.super_administrator);
          assert.equal(row['mac_version'], 3);
        }
        for (const row of functions ?? []) assert.equal((JSON.parse(String(row['properties'])) as Record<string, unknown>)['auditLevel'], 'summary');
        assert.deepEqual(principals?.map((row) => row['name']).sort(), ['admin', 'auditor', 'engine', 'public', 'super_administrator']);
        assert.deepEqual(projects?.map((row) => [row['name'], row['owner_id']]), [['default', BUILT_IN_ROLE_IDS.super_administrator]]);
        assert.deepEqual([roleGrants, grants, audit], [[], [], []]);
        assert.deepEqual(await catalog.rows('SHOW GRANTS ON CONNECTION sales_aws'), [['OWNERSHIP', 'role', 'super_administrator', null, null, null]]);
        assert.equal((await store!.read((session) => session.audit.verify())).ok, true);
      });

      it('the local super administrator works as before; a new user holds nothing until granted, then calls', async () => {
        const catalog = await open();
        assert.equal((await catalog.rows('SHOW FUNCTIONS')).length, version === 'v1' ? 4 : 5);
        await catalog.call('score', LOCAL);
        await catalog.sql('CREATE USER analyst');
        assert.deepEqual(await catalog.rows('SHOW FUNCTIONS', catalog.as('analyst')), []);
        await rejectsWith(catalog.call('score', userPrincipal('analyst', 'token')), 'E_NO_SUCH_FUNCTION', /does not exist or not authorized/);
        await catalog.sql('GRANT EXECUTE ON FUNCTION score TO USER analyst');
        await catalog.call('score', userPrincipal('analyst', 'token'));
        // the migrated owner (super_administrator) keeps USAGE on its connections: break-glass holds for definer rights
        assert.deepEqual((await catalog.audit()).filter((record) => record.type === 'INVOKE_SUMMARY').map((record) => record.principal), ['local:tester', 'analyst']);
      });

      it('a row changed before the upgrade is not re-signed: reads refuse it, DROP (by an administrator) removes it', async () => {
        // a column the row's MAC covered at that schema (v1's MAC covered only id, provider, role ARN and external ID)
        await fixture.execute(version === 'v1'
          ? "UPDATE lakefn_connections SET role_arn = 'acs:ram::9999999999999999:role/attacker' WHERE name = 'etl_aliyun'"
          : "UPDATE lakefn_connections SET comment = 'changed behind lakefn' WHERE name = 'etl_aliyun'");
        const catalog = await open();
        await rejectsWith(store!.connections.get('etl_aliyun'), 'E_STORE_TAMPERED', version === 'v1' ? /etl_aliyun.*\(MAC v1\) when the catalog was upgraded to MAC v2/ : /failed its integrity check \(MAC v2\) when the catalog was upgraded to MAC v3/);
        await catalog.sql('CREATE USER bob');
        await catalog.rejects('DROP API CONNECTION etl_aliyun CASCADE', catalog.as('bob'), 'E_ACCESS_DENIED', /missing membership in admin/);
        await catalog.sql('DROP API CONNECTION etl_aliyun CASCADE');
        assert.ok(!(await catalog.rows('SHOW API CONNECTIONS')).some((row) => row[0] === 'etl_aliyun'));
      });
    });
  }
}
