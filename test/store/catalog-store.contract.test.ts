// One behavioural contract, run against SQLite and a real throwaway PostgreSQL server.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import type { CatalogStore } from '../../src/store/catalog-store.ts';
import { type CatalogFixture, sampleConnection, sampleFunction, storeDescriptors } from './store-descriptors.ts';

async function rejectsWith(promise: Promise<unknown>, code: string, pattern?: RegExp): Promise<LakefnError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(LakefnError.isInstance(error), `expected a LakefnError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    return error;
  }
  assert.fail(`expected ${code}, but the operation succeeded`);
}

for (const descriptor of storeDescriptors()) {
  describe(`CatalogStore contract: ${descriptor.name}`, { skip: descriptor.skip }, () => {
    let fixture: CatalogFixture;
    let store: CatalogStore;

    before(() => descriptor.start());
    after(() => descriptor.stop());
    beforeEach(async () => {
      fixture = await descriptor.fixture();
      store = await fixture.open();
    });
    afterEach(async () => {
      await store.close();
      await fixture.cleanup();
    });

    /** Runs a failing operation and proves that every table is exactly as before. */
    async function rejectsUnchanged(operation: () => Promise<unknown>, code: string, pattern?: RegExp): Promise<LakefnError> {
      const before = await fixture.dump();
      const error = await rejectsWith(operation(), code, pattern);
      assert.equal(await fixture.dump(), before, 'the store changed although the operation failed');
      return error;
    }

    it('reports its kind and applies the migrations once (init is idempotent)', async () => {
      assert.equal(store.kind, descriptor.name);
      await store.init();
      const second = await fixture.open();
      await second.close();
      const dump = JSON.parse(await fixture.dump()) as [{ version: number; name: string }[]];
      assert.deepEqual(dump[0].map((row) => row.version), [1, 2, 3, 4]);
    });

    it('creates, gets and lists connections with every field intact', async () => {
      const record = sampleConnection('sales', { comment: "it's a comment", codeBucket: null, statusDetail: null });
      const result = await store.connections.create(record);
      assert.equal(result.outcome, 'created');
      assert.deepEqual(result.record, record);
      assert.deepEqual(await store.connections.get('sales'), record);
      assert.equal(await store.connections.get('Sales'), undefined, 'names are exact (the parser lower-cases unquoted ones)');
      await store.connections.create(sampleConnection('analytics'));
      assert.deepEqual((await store.connections.list()).map((connection) => connection.name), ['analytics', 'sales']);
    });

    it('filters SHOW … LIKE with % and _ (case-insensitive, no regex)', async () => {
      for (const name of ['prod_aws', 'prod_tencent', 'dev_aws', 'Prod-X', 'p']) await store.connections.create(sampleConnection(name));
      const names = async (like: string): Promise<string[]> => (await store.connections.list(like)).map((connection) => connection.name);
      assert.deepEqual(await names('prod%'), ['Prod-X', 'prod_aws', 'prod_tencent']);
      assert.deepEqual(await names('%aws'), ['dev_aws', 'prod_aws']);
      assert.deepEqual(await names('_'), ['p']);
      assert.deepEqual(await names('prod_aws'), ['prod_aws']);
      assert.deepEqual(await names('%'), ['Prod-X', 'dev_aws', 'p', 'prod_aws', 'prod_tencent']);
      assert.deepEqual(await names('nothing%'), []);
      await rejectsWith(store.connections.list('%'.repeat(2000)), 'E_INVALID_ARGUMENT');
    });

    it('refuses a duplicate name with E_CONNECTION_EXISTS and changes nothing', async () => {
      await store.connections.create(sampleConnection('dup'));
      const error = await rejectsUnchanged(() => store.connections.create(sampleConnection('dup')), 'E_CONNECTION_EXISTS', /'dup' already exists/);
      assert.equal(error.location.connection, 'dup');
    });

    it('IF NOT EXISTS keeps the existing connection and returns a notice', async () => {
      const original = sampleConnection('keep');
      await store.connections.create(original);
      const before = await fixture.dump();
      const result = await store.connections.create(sampleConnection('keep', { region: 'eu-west-1' }), { ifNotExists: true });
      assert.equal(result.outcome, 'existed');
      assert.deepEqual(result.record, original);
      assert.match(result.notice ?? '', /already exists; IF NOT EXISTS left it unchanged/);
      assert.equal(await fixture.dump(), before);
    });

    it('OR REPLACE stores the new object and keeps counting versions', async () => {
      const original = sampleConnection('swap');
      await store.connections.create(original);
      await store.connections.update('swap', 1, { comment: 'v2' });
      const replacement = sampleConnection('swap', { region: 'eu-west-1' });
      const result = await store.connections.create(replacement, { orReplace: true });
      assert.equal(result.outcome, 'replaced');
      assert.equal(result.previous?.id, original.id);
      assert.equal(result.record.version, 3);
      assert.notEqual(result.record.externalId, original.externalId);
      assert.deepEqual(await store.connections.get('swap'), result.record);
      // an optimistic update aimed at the replaced object's version fails
      await rejectsUnchanged(() => store.connections.update('swap', 1, { comment: 'stale' }), 'E_STORE_CONFLICT');
    });

    it('updates optimistically: bumps version, keeps the external ID unless told, refuses stale versions', async () => {
      const original = sampleConnection('alter');
      await store.connections.create(original);
      const updated = await store.connections.update('alter', 1, { roleArn: 'arn:aws:iam::123456789012:role/other', comment: 'moved' });
      assert.equal(updated.version, 2);
      assert.equal(updated.externalId, original.externalId);
      assert.equal(updated.createdAt, original.createdAt);
      assert.deepEqual(await store.connections.get('alter'), updated);
      const rotated = await store.connections.update('alter', 2, { externalId: 'rotated0000000000000000000000000' });
      assert.equal(rotated.externalId, 'rotated0000000000000000000000000');
      assert.equal(rotated.version, 3);
      await rejectsUnchanged(() => store.connections.update('alter', 2, { comment: 'late' }), 'E_STORE_CONFLICT', /expected version 2, found 3/);
      await rejectsUnchanged(() => store.connections.update('ghost', 1, { comment: 'x' }), 'E_NO_SUCH_CONNECTION');
    });

    it('drops connections; IF EXISTS is a no-op with a notice; a missing one is an error', async () => {
      await store.connections.create(sampleConnection('gone'));
      const dropped = await store.connections.drop('gone');
      assert.equal(dropped.dropped?.name, 'gone');
      assert.equal(await store.connections.get('gone'), undefined);
      await rejectsUnchanged(() => store.connections.drop('gone'), 'E_NO_SUCH_CONNECTION');
      const noop = await store.connections.drop('gone', { ifExists: true });
      assert.equal(noop.dropped, null);
      assert.match(noop.notice ?? '', /does not exist; IF EXISTS/);
    });

    it('refuses to drop a connection functions use, unless CASCADE, which drops them in the same transaction', async () => {
      const shared = sampleConnection('shared');
      const other = sampleConnection('other');
      await store.connections.create(shared);
      await store.connections.create(other);
      await store.functions.create(sampleFunction('f_one', shared));
      await store.functions.create(sampleFunction('analytics.f_two', shared));
      await store.functions.create(sampleFunction('f_other', other));
      const error = await rejectsUnchanged(() => store.connections.drop('shared'), 'E_CONNECTION_IN_USE', /'analytics\.f_two', 'f_one'.*CASCADE/);
      assert.deepEqual(error.data?.['functions'], ['analytics.f_two', 'f_one']);
      const result = await store.connections.drop('shared', { cascade: true });
      assert.deepEqual(result.droppedFunctions, ['analytics.f_two', 'f_one']);
      assert.deepEqual((await store.functions.list()).map((record) => record.name), ['f_other']);
      assert.equal(await store.connections.get('shared'), undefined);
    });

    it('stores functions with their types and properties as JSON, exactly', async () => {
      const conn = sampleConnection('conn');
      await store.connections.create(conn);
      const record = sampleFunction('sch.score', conn, { qualifier: 'prod', comment: 'scores' });
      assert.equal((await store.functions.create(record)).outcome, 'created');
      assert.deepEqual(await store.functions.get('sch.score'), record);
      await store.functions.create(sampleFunction('rank', conn));
      assert.deepEqual((await store.functions.list('SCH.%')).map((item) => item.name), ['sch.score']);
      assert.deepEqual((await store.functions.list()).map((item) => item.name), ['rank', 'sch.score']);
    });

    it('function CREATE needs an existing connection; duplicates, IF NOT EXISTS and OR REPLACE behave', async () => {
      await rejectsUnchanged(() => store.functions.create(sampleFunction('f', sampleConnection('nowhere'))), 'E_NO_SUCH_CONNECTION', /'nowhere' does not exist/);
      const conn = sampleConnection('conn');
      await store.connections.create(conn);
      const original = sampleFunction('f', conn);
      await store.functions.create(original);
      await rejectsUnchanged(() => store.functions.create(sampleFunction('f', conn)), 'E_FUNCTION_EXISTS');
      const kept = await store.functions.create(sampleFunction('f', conn, { cloudFunction: 'other' }), { ifNotExists: true });
      assert.equal(kept.outcome, 'existed');
      assert.deepEqual(kept.record, original);
      assert.match(kept.notice ?? '', /IF NOT EXISTS/);
      const replacement = sampleFunction('f', conn, { cloudFunction: 'other' });
      const replaced = await store.functions.create(replacement, { orReplace: true });
      assert.equal(replaced.outcome, 'replaced');
      assert.deepEqual(replaced.previous, original);
      assert.deepEqual(await store.functions.get('f'), replacement);
    });

    it('drops functions; IF EXISTS is a no-op with a notice', async () => {
      const conn = sampleConnection('conn');
      await store.connections.create(conn);
      await store.functions.create(sampleFunction('f', conn));
      assert.equal((await store.functions.drop('f')).dropped?.name, 'f');
      await rejectsUnchanged(() => store.functions.drop('f'), 'E_NO_SUCH_FUNCTION');
      assert.match((await store.functions.drop('f', { ifExists: true })).notice ?? '', /IF EXISTS/);
      // the connection is free again
      await store.connections.drop('conn');
    });

    for (const [column, value] of [
      ['role_arn', 'arn:aws:iam::999999999999:role/attacker'],
      ['external_id', 'attackerchosenexternalid0000000'],
      ['provider', 'aliyun'],
      ['id', '00000000-0000-4000-8000-000000000000'],
    ] as const) {
      it(`detects a ${column} edited directly in the database (E_STORE_TAMPERED)`, async () => {
        await store.connections.create(sampleConnection('victim'));
        await store.connections.create(sampleConnection('bystander'));
        await fixture.execute(`UPDATE lakefn_connections SET ${column} = ? WHERE name = ?`, [value, 'victim']);
        const error = await rejectsWith(store.connections.get('victim'), 'E_STORE_TAMPERED', /connection 'victim'/);
        assert.equal(error.location.connection, 'victim');
        await rejectsWith(store.connections.list(), 'E_STORE_TAMPERED', /'victim'/);
        await rejectsUnchanged(() => store.connections.update('victim', 1, { comment: 'launder' }), 'E_STORE_TAMPERED');
        // unrelated rows stay usable, and DROP still removes the bad row
        assert.equal((await store.connections.list('bystander')).length, 1);
        assert.equal((await store.connections.drop('victim')).dropped?.name, 'victim');
      });
    }

    it('serialises concurrent writers in one process and keeps each operation atomic', async () => {
      const names = Array.from({ length: 12 }, (_, index) => `parallel_${index}`);
      const results = await Promise.allSettled([
        ...names.map((name) => store.connections.create(sampleConnection(name))),
        store.connections.create(sampleConnection('parallel_0')),
      ]);
      assert.equal(results.filter((result) => result.status === 'fulfilled').length, 12);
      const rejected = results.filter((result) => result.status === 'rejected');
      assert.equal(rejected.length, 1);
      assert.equal(((rejected[0] as PromiseRejectedResult).reason as LakefnError).code, 'E_CONNECTION_EXISTS');
      assert.equal((await store.connections.list('parallel%')).length, 12);
    });

    it('initialises safely when several stores open an empty catalog at the same time', async () => {
      const fresh = await descriptor.fixture();
      const stores = await Promise.all(Array.from({ length: 4 }, () => fresh.open()));
      await Promise.all(stores.map((opened, index) => opened.connections.create(sampleConnection(`init_${index}`))));
      assert.equal((await stores[0]!.connections.list()).length, 4);
      await Promise.all(stores.map((opened) => opened.close()));
      const dump = JSON.parse(await fresh.dump()) as [{ version: number }[]];
      assert.deepEqual(dump[0].map((row) => row.version), [1, 2, 3, 4]);
      await fresh.cleanup();
    });

    it('refuses a schema newer than this lakefn', async () => {
      await fixture.execute('INSERT INTO lakefn_migrations (version, name, applied_at) VALUES (?, ?, ?)', [99, 'future', '2099-01-01T00:00:00Z']);
      await rejectsWith(fixture.open(), 'E_STORE', /schema version 99, newer than this lakefn supports/);
    });
  });
}
