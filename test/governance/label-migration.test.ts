// A packages catalog (test/fixtures/catalog-v6, written by main at 117028f: package shared_udfs.k shares score and pii,
// allowed to analytics USING LABEL 2, installed there, READ to bella) upgrades to function sensitivity labels on SQLite
// and PostgreSQL: migration 7 adds the label table and nothing else, every function starts at label 0 (so every call
// through a package decides as before), and labels set afterwards filter from the next decision.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FUNCTION_LABELS_MIGRATION, MIGRATIONS } from '../../src/store/catalog-migrations.ts';
import type { CatalogStore } from '../../src/store/catalog-store.ts';
import { type CatalogFixture, storeDescriptors } from '../store/store-descriptors.ts';
import { catalogPerTest, rejectsWith, type Governed } from './governance-helpers.ts';

const fixtureFile = (file: string): string => readFileSync(new URL(`../fixtures/catalog-v6/${file}`, import.meta.url), 'utf8');
const KEY = Buffer.from(fixtureFile('store-key.hex').trim(), 'hex');

/** The catalog as the older version wrote it, with its store key. */
async function seedFromFixtureFiles(fixture: CatalogFixture): Promise<void> {
  await fixture.executeScript(fixtureFile('catalog.sql'));
  writeFileSync(join(fixture.home, 'store.key'), KEY, { mode: 0o600 });
}

const PACKAGE_TABLES = 5;

for (const descriptor of storeDescriptors()) {
  describe(`migration of a packages catalog (schema 6) to function labels: ${descriptor.name}`, { skip: descriptor.skip }, () => {
    let fixture: CatalogFixture;
    let store: CatalogStore;
    let g: Governed;

    catalogPerTest(descriptor, (catalog) => ({ fixture, store, g } = catalog), seedFromFixtureFiles);

    it('adds migration 7 and an empty label table, keeps every package row signed as it was and the audit chain', async () => {
      const tables = JSON.parse(await fixture.dump()) as (Record<string, unknown>[] | null)[];
      assert.deepEqual(tables[0]?.map((row) => row['version']), MIGRATIONS.map((migration) => migration.version));
      assert.equal(tables[0]?.at(-1)?.['version'], FUNCTION_LABELS_MIGRATION);
      assert.deepEqual(tables.at(-1), []);
      const packageRows = tables.slice(-1 - PACKAGE_TABLES, -1).map((rows) => rows?.length);
      assert.deepEqual(packageRows, [1, 2, 1, 1, 1], 'package, its two functions, the permission, the installation, the READ grant');
      assert.equal((await store.read((session) => session.audit.verify())).ok, true);
    });

    it('every function starts at label 0: calls through the package decide as before; a label set now filters at the next decision', async () => {
      const bella = g.as('bella');
      await g.call('shared_udfs.score', bella, 'analytics');
      await g.call('shared_udfs.pii', bella, 'analytics');
      const described = await g.rows('DESC PACKAGE k', g.as('bob'), 'shared_udfs');
      assert.deepEqual(described.filter((row) => row[0] === 'function' || row[0] === 'allowed_project').map((row) => row.slice(0, 3)), [
        ['function', 'score', 'EXECUTE; label 0'],
        ['function', 'pii', 'EXECUTE; label 0'],
        ['allowed_project', 'analytics', 'label 2 (allowed by bob)'],
      ]);
      await g.sql('SET LABEL 3 TO FUNCTION pii', g.as('bob'), 'shared_udfs');
      await rejectsWith(g.call('shared_udfs.pii', bella, 'analytics'), 'E_ACCESS_DENIED', /function shared_udfs\.pii has sensitivity label 3, above label 2 that project analytics is allowed for package shared_udfs\.k/);
      await g.call('shared_udfs.score', bella, 'analytics');
      assert.deepEqual((JSON.parse(await fixture.dump()) as Record<string, unknown>[][]).at(-1)?.map((row) => [row['label'], row['set_by'], row['mac_version']]), [[3, 'bob', 3]]);
    });
  });
}
