// A Governance I catalog (test/fixtures/catalog-v3, written by main at 8fded77) upgrades to Governance II on SQLite and
// PostgreSQL: migration 5 creates the policy tables and attaches LakefnFullAccess to PUBLIC (what every principal held
// implicitly before), so every decision stays what it was, visibly; detaching it enforces the API layer.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { userPrincipal } from '../../src/governance/authenticated-principal.ts';
import { BUILT_IN_ROLE_IDS } from '../../src/spec/governance-records.ts';
import { PUBLIC_FULL_ACCESS_ATTACHMENT_ID } from '../../src/spec/policy-records.ts';
import { MIGRATIONS } from '../../src/store/catalog-migrations.ts';
import type { CatalogStore } from '../../src/store/catalog-store.ts';
import { type CatalogFixture, storeDescriptors } from '../store/store-descriptors.ts';
import { catalogPerTest, rejectsWith, type Governed } from './governance-helpers.ts';

const fixtureFile = (file: string): string => readFileSync(new URL(`../fixtures/catalog-v3/${file}`, import.meta.url), 'utf8');
const KEY = Buffer.from(fixtureFile('store-key.hex').trim(), 'hex');

/** The catalog as the older version wrote it, with its store key. */
async function seedFromFixtureFiles(fixture: CatalogFixture): Promise<void> {
  await fixture.executeScript(fixtureFile('catalog.sql'));
  writeFileSync(join(fixture.home, 'store.key'), KEY, { mode: 0o600 });
}

for (const descriptor of storeDescriptors()) {
  describe(`migration of a Governance I catalog (schema 3) to policies: ${descriptor.name}`, { skip: descriptor.skip }, () => {
    let fixture: CatalogFixture;
    let store: CatalogStore;
    let g: Governed;

    catalogPerTest(descriptor, (catalog) => ({ fixture, store, g } = catalog), seedFromFixtureFiles);

    it('adds migration 5 with one signed attachment (LakefnFullAccess on PUBLIC), keeps every row and the audit chain', async () => {
      const [migrations, , , , , , , , , , , policies, attachments, boundaries, settings] = JSON.parse(await fixture.dump()) as Record<string, unknown>[][];
      assert.deepEqual(migrations?.map((row) => row['version']), MIGRATIONS.map((migration) => migration.version));
      assert.deepEqual(policies, []);
      assert.deepEqual(boundaries, []);
      assert.deepEqual(settings, []);
      assert.deepEqual(attachments?.map((row) => [row['id'], row['policy_name'], row['principal_id']]), [[PUBLIC_FULL_ACCESS_ATTACHMENT_ID, 'LakefnFullAccess', BUILT_IN_ROLE_IDS.public]]);
      assert.equal(attachments?.[0]?.['mac_version'], 3);
      const verified = await store.read((session) => session.audit.verify());
      assert.equal(verified.ok, true);
      assert.deepEqual((await g.rows('SHOW POLICIES')).map((row) => row.slice(0, 4))[0], ['LakefnFullAccess', 'YES', 'api', 'role PUBLIC']);
    });

    it('every Governance I decision stays the same; detaching LakefnFullAccess from PUBLIC enforces the API layer', async () => {
      const alice = userPrincipal('alice', 'token');
      // alice calls prod.score through role analyst's EXECUTE; bob may bind functions to prod.orders; carol (admin) does anything
      await g.call('prod.score', alice);
      await g.sql('CREATE EXTERNAL FUNCTION prod.rank(x INT) RETURNS INT CONNECTION orders', g.as('bob'));
      await g.sql('DROP FUNCTION prod.rank', g.as('carol'));
      await rejectsWith(g.call('prod.score', userPrincipal('bob', 'token')), 'E_NO_SUCH_FUNCTION', /does not exist or not authorized/);
      await g.rejects('SHOW USERS', g.as('alice'), 'E_ACCESS_DENIED', /missing membership in auditor/);
      assert.equal((await g.rows('SHOW FUNCTIONS')).length, 5, 'the functions of project default are all there');
      await g.sql('DETACH POLICY LakefnFullAccess FROM ROLE PUBLIC');
      await rejectsWith(g.call('prod.score', alice), 'E_ACCESS_DENIED', /no policy attached to alice or its roles allows lakefn:InvokeFunction/);
      await g.sql('DROP FUNCTION prod.score', g.as('carol'));
    });
  });
}
