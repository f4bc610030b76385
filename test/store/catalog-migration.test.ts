// Existing catalogs migrate: a catalog written by main before row MAC v2 (test/fixtures/catalog-v1, schema 1 with
// connection MAC v1 and functions bound by name) is re-signed on first open by a process holding its key, on SQLite
// and on PostgreSQL; a row tampered with before the upgrade is not laundered; a wrong or missing key changes nothing.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import { resolveCatalogFunction } from '../../src/runtime/create-runtime.ts';
import { BUILT_IN_ROLE_IDS, DEFAULT_PROJECT_ID } from '../../src/spec/governance-records.ts';
import { storeKeyId } from '../../src/store/row-mac.ts';
import { type CatalogFixture, storeDescriptors } from './store-descriptors.ts';

const FIXTURE = new URL('../fixtures/catalog-v1/', import.meta.url);
const CATALOG_SQL = readFileSync(new URL('catalog.sql', FIXTURE), 'utf8');
const KEY = Buffer.from(readFileSync(new URL('store-key.hex', FIXTURE), 'utf8').trim(), 'hex');

/** What main stored, by connection name: id, external ID, status (see catalog.sql). */
const CONNECTIONS = {
  'Ops;Tencent': { id: '4aa0259c-f485-4ad5-b290-8df48fe584f8', provider: 'tencent', status: 'VERIFIED' },
  etl_aliyun: { id: '9e25fc54-62fe-4a0c-ac07-1c30abbcfcfc', provider: 'aliyun', status: 'FAILED' },
  future_aws: { id: '8f219789-ed59-4d4e-bbb6-f10ec13986a4', provider: 'aws', status: 'PENDING' },
  insecure_aws: { id: '3b071235-281b-4ebb-a030-02b2dfe546b9', provider: 'aws', status: 'INSECURE_TRUST_POLICY' },
  sales_aws: { id: '08455e08-b3c8-4efa-9a82-e0df0aeef5d4', provider: 'aws', status: 'VERIFIED' },
} as const;
const FUNCTIONS = { 'Q;f': 'Ops;Tencent', 'ml.rank': 'etl_aliyun', open_fn: 'insecure_aws', score: 'sales_aws' } as const;

function rejectsWithCode(code: string, pattern: RegExp): (error: unknown) => boolean {
  return (error) => {
    assert.ok(LakefnError.isInstance(error), String(error));
    assert.equal(error.code, code, error.message);
    assert.match(error.message, pattern);
    return true;
  };
}

for (const descriptor of storeDescriptors()) {
  describe(`migration of a catalog written by main: ${descriptor.name}`, { skip: descriptor.skip }, () => {
    let fixture: CatalogFixture;
    const keyFile = (): string => join(fixture.home, 'store.key');

    before(() => descriptor.start());
    after(() => descriptor.stop());
    beforeEach(async () => {
      fixture = await descriptor.fixture();
      await fixture.executeScript(CATALOG_SQL);
    });
    afterEach(() => fixture.cleanup());

    it('re-signs every row on first open with the key, binds functions to connection ids and records the migration', async () => {
      writeFileSync(keyFile(), KEY, { mode: 0o600 });
      const store = await fixture.open();
      try {
        const connections = await store.connections.list();
        assert.deepEqual(connections.map((connection) => connection.name), Object.keys(CONNECTIONS));
        for (const connection of connections) {
          const expected = CONNECTIONS[connection.name as keyof typeof CONNECTIONS];
          assert.deepEqual({ id: connection.id, provider: connection.provider, status: connection.status }, expected);
        }
        assert.equal((await store.connections.get('insecure_aws'))?.statusDetail, 'probe-without-external-id: AssumeRole succeeded without the external ID');
        const functions = await store.functions.list();
        assert.deepEqual(Object.fromEntries(functions.map((fn) => [fn.name, fn.connectionName])), FUNCTIONS);
        for (const fn of functions) assert.equal(fn.connectionId, CONNECTIONS[fn.connectionName as keyof typeof CONNECTIONS].id);
        const score = await resolveCatalogFunction(store, 'score');
        assert.equal(score.connection.name, 'sales_aws');
        assert.equal(score.function.qualifier, 'live');
        assert.equal(score.function.properties.format, 'snowflake');
      } finally {
        await store.close();
      }
      const [migrations, state, connectionRows, functionRows] = JSON.parse(await fixture.dump()) as [
        { version: number; name: string }[], { mac_key_id: string }[], Record<string, unknown>[], Record<string, unknown>[],
      ];
      assert.deepEqual(migrations.map((row) => row.version), [1, 2, 3, 4]);
      assert.match(migrations[1]?.name ?? '', /connection ids; row MAC v2/);
      assert.match(migrations[2]?.name ?? '', /governance: projects, principals, grants, audit log/);
      assert.deepEqual(state.map((row) => row.mac_key_id), [storeKeyId(KEY)]);
      for (const row of [...connectionRows, ...functionRows]) {
        // migration 2 re-signed them (v2) after verifying v1; migration 3 after verifying v2, with their project and owner (v3)
        assert.equal(row['mac_version'], 3);
        assert.equal(row['mac_key_id'], storeKeyId(KEY));
        assert.equal(row['project_id'], DEFAULT_PROJECT_ID);
        assert.equal(row['owner_id'], BUILT_IN_ROLE_IDS.super_administrator);
      }
      const unknownRegion: Record<string, unknown> = Object.fromEntries(connectionRows.map((row) => [String(row['name']), row['allow_unknown_region']]));
      assert.deepEqual(unknownRegion, { 'Ops;Tencent': 0, etl_aliyun: 0, future_aws: 1, insecure_aws: 0, sales_aws: 0 });
      // opening again changes nothing
      const before = await fixture.dump();
      await (await fixture.open()).close();
      assert.equal(await fixture.dump(), before);
    });

    it('does not re-sign a connection whose v1 MAC fails (tampered before the upgrade): it stays refused, DROP removes it', async () => {
      await fixture.execute("UPDATE lakefn_connections SET role_arn = 'arn:aws:iam::999999999999:role/attacker' WHERE name = 'sales_aws'");
      writeFileSync(keyFile(), KEY, { mode: 0o600 });
      const store = await fixture.open();
      try {
        await assert.rejects(store.connections.get('sales_aws'), rejectsWithCode('E_STORE_TAMPERED', /connection 'sales_aws'.*failed its integrity check \(MAC v1\) when the catalog was upgraded/));
        await assert.rejects(resolveCatalogFunction(store, 'score'), rejectsWithCode('E_STORE_TAMPERED', /connection 'sales_aws'/));
        assert.equal((await store.connections.get('Ops;Tencent'))?.status, 'VERIFIED');
        const dropped = await store.connections.drop('sales_aws', { cascade: true });
        assert.equal(dropped.dropped?.record, null);
        assert.deepEqual(dropped.droppedFunctions, ['score']);
        assert.deepEqual((await store.connections.list()).map((connection) => connection.name), ['Ops;Tencent', 'etl_aliyun', 'future_aws', 'insecure_aws']);
      } finally {
        await store.close();
      }
    });

    it('refuses to migrate with a key that verifies none of the rows, and changes nothing', async () => {
      writeFileSync(keyFile(), Buffer.alloc(32, 9), { mode: 0o600 });
      const before = await fixture.dump();
      await assert.rejects(fixture.open(), rejectsWithCode('E_STORE_KEY_MISSING', /cannot upgrade .*not one of its 5 connection\(s\) verifies with store key .*Nothing was changed/));
      assert.equal(await fixture.dump(), before);
    });

    it('refuses to open without the key (E_STORE_KEY_MISSING naming where it was expected), creates none, changes nothing', async () => {
      const before = await fixture.dump();
      await assert.rejects(fixture.open(), rejectsWithCode('E_STORE_KEY_MISSING', new RegExp(`store key ${keyFile().replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is missing, but the catalog .* holds 9 signed connection or function row\\(s\\);`)));
      assert.equal(existsSync(keyFile()), false);
      assert.equal(await fixture.dump(), before);
    });

    it('refuses to migrate a function whose connection is gone (it would be lost), and changes nothing', async () => {
      await fixture.executeScript(
        descriptor.name === 'sqlite'
          ? "PRAGMA foreign_keys = OFF; UPDATE lakefn_functions SET connection_name = 'vanished' WHERE name = 'open_fn'"
          : "ALTER TABLE lakefn_functions DROP CONSTRAINT lakefn_functions_connection_name_fkey; UPDATE lakefn_functions SET connection_name = 'vanished' WHERE name = 'open_fn'",
      );
      writeFileSync(keyFile(), KEY, { mode: 0o600 });
      const before = await fixture.dump();
      await assert.rejects(fixture.open(), rejectsWithCode('E_STORE', /function\(s\) name a connection that does not exist: 'open_fn' \(connection 'vanished'\)/));
      assert.equal(await fixture.dump(), before);
    });
  });
}
