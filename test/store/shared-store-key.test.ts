// LAKEFN_STORE_KEY_FILE: several lakefn homes (nodes) over one catalog verify each other's rows when they
// share one row-MAC key, and a node with its own key gets an E_STORE_TAMPERED that says how to fix it.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import type { CatalogStore } from '../../src/store/catalog-store.ts';
import { openCatalogStore } from '../../src/store/open-catalog-store.ts';
import { loadStoreKey } from '../../src/store/store-key.ts';
import { postgresSkipReason, startPostgresServer, type PostgresServer } from '../helpers/postgres-server.ts';
import { sampleConnection } from './store-descriptors.ts';

async function withStore<T>(open: Promise<CatalogStore>, work: (store: CatalogStore) => Promise<T>): Promise<T> {
  const store = await open;
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

function isTamperedWithKeyHint(error: unknown): boolean {
  assert.ok(LakefnError.isInstance(error), String(error));
  assert.equal(error.code, 'E_STORE_TAMPERED');
  assert.match(error.message, /connection 'sales'/);
  assert.match(error.message, /All lakefn nodes sharing a PostgreSQL catalog must share one store key.*LAKEFN_STORE_KEY_FILE/);
  return true;
}

describe('LAKEFN_STORE_KEY_FILE', () => {
  let directory: string;
  let keyFile: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'lakefn-shared-key-'));
    keyFile = join(directory, 'keys', 'shared.key');
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  it('is created on first use at that path (0600, in a private directory), and no store.key appears in the home', async () => {
    const home = join(directory, 'home');
    await withStore(openCatalogStore({ home, environment: { LAKEFN_STORE_KEY_FILE: keyFile } }), async () => undefined);
    assert.equal(statSync(keyFile).mode & 0o777, 0o600);
    assert.equal(statSync(join(directory, 'keys')).mode & 0o777, 0o700);
    assert.deepEqual(readdirSync(join(directory, 'keys')), ['shared.key'], 'no temp file is left behind');
    assert.ok(!readdirSync(home).includes('store.key'));
    assert.deepEqual(loadStoreKey(home, keyFile), loadStoreKey(join(directory, 'elsewhere'), keyFile));
  });

  it('is refused with the same permission rule as store.key', async () => {
    loadStoreKey(directory, keyFile);
    chmodSync(keyFile, 0o644);
    await assert.rejects(openCatalogStore({ home: join(directory, 'home'), environment: { LAKEFN_STORE_KEY_FILE: keyFile } }), {
      code: 'E_STORE',
      message: /^store key .*shared\.key has permissions 0644.*chmod 600/,
    });
  });

  it('SQLite: the rows verify with the key that wrote them, whichever home it is in', async () => {
    const home = join(directory, 'home');
    const withKey = { LAKEFN_STORE_KEY_FILE: keyFile };
    await withStore(openCatalogStore({ home, environment: withKey }), (store) => store.connections.create(sampleConnection('sales')));
    await withStore(openCatalogStore({ home, environment: withKey }), async (store) => assert.equal((await store.connections.get('sales'))?.name, 'sales'));
    // the same catalog with the home's own store.key (a different key): every row looks tampered, and the message says why
    await withStore(openCatalogStore({ home, environment: {} }), (store) => assert.rejects(store.connections.get('sales'), isTamperedWithKeyHint));
  });

  describe('PostgreSQL: two nodes (two homes) over one catalog', { skip: postgresSkipReason() }, () => {
    let server: PostgresServer;
    before(async () => {
      server = await startPostgresServer();
    });
    after(async () => server.stop());

    it('both read and change each other\'s rows when they share the key file; a node with its own key is told to share it', async () => {
      const storeUrl = await server.createDatabase('shared_key_catalog');
      const nodeA = join(directory, 'node-a');
      const nodeB = join(directory, 'node-b');
      const shared = { LAKEFN_STORE_KEY_FILE: keyFile };
      await withStore(openCatalogStore({ home: nodeA, storeUrl, environment: shared }), (store) => store.connections.create(sampleConnection('sales')));
      await withStore(openCatalogStore({ home: nodeB, storeUrl, environment: shared }), async (store) => {
        assert.deepEqual((await store.connections.list()).map((connection) => connection.name), ['sales']);
        await store.connections.create(sampleConnection('analytics'));
      });
      await withStore(openCatalogStore({ home: nodeA, storeUrl, environment: shared }), async (store) => {
        assert.equal((await store.connections.get('analytics'))?.name, 'analytics');
      });
      await withStore(openCatalogStore({ home: join(directory, 'node-c'), storeUrl, environment: {} }), (store) =>
        assert.rejects(store.connections.get('sales'), isTamperedWithKeyHint),
      );
    });
  });
});
