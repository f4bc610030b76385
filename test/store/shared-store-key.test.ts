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
import { createStoreKey, storeKeyPath } from '../../src/store/store-key.ts';
import { postgresSkipReason, startPostgresServer, type PostgresServer } from '../helpers/postgres-server.ts';
import { sampleConnection } from './store-descriptors.ts';

/** The key of a home (or key file), created when there is none yet. */
const loadStoreKey = (home: string, keyFile?: string): Buffer => createStoreKey(storeKeyPath(home, keyFile));

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
  assert.match(error.message, /connection 'sales'.* is signed with store key [0-9a-f]{16}, but this process has key [0-9a-f]{16}/);
  assert.match(error.message, /All lakefn nodes sharing a PostgreSQL catalog must share one store key.*LAKEFN_STORE_KEY_FILE/);
  return true;
}

/** E_STORE_KEY_MISSING naming where the key was expected; and no key was created there. */
function isKeyMissing(keyFile: string): (error: unknown) => boolean {
  return (error) => {
    assert.ok(LakefnError.isInstance(error), String(error));
    assert.equal(error.code, 'E_STORE_KEY_MISSING');
    assert.ok(error.message.includes(`store key ${keyFile} is missing`), error.message);
    assert.match(error.message, /holds 1 signed row.*never creates a new key/);
    assert.throws(() => statSync(keyFile), /ENOENT/);
    return true;
  };
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
    // the same catalog without a key in the home: refused, and no new key is made (it would verify nothing)
    await assert.rejects(openCatalogStore({ home, environment: {} }), isKeyMissing(join(home, 'store.key')));
    // with the home's own store.key (a different key): no row is trusted, the message says why, and no write is signed with it
    loadStoreKey(home);
    await withStore(openCatalogStore({ home, environment: {} }), async (store) => {
      await assert.rejects(store.connections.get('sales'), isTamperedWithKeyHint);
      await assert.rejects(store.connections.create(sampleConnection('other')), {
        code: 'E_STORE_KEY_MISSING',
        message: /^the catalog .* is signed with store key [0-9a-f]{16}, but this process has key/,
      });
    });
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
      await assert.rejects(openCatalogStore({ home: join(directory, 'node-c'), storeUrl, environment: {} }), (error: unknown) => {
        assert.ok(LakefnError.isInstance(error) && error.code === 'E_STORE_KEY_MISSING', String(error));
        assert.ok(error.message.includes(join(directory, 'node-c', 'store.key')), error.message);
        return true;
      });
      loadStoreKey(join(directory, 'node-d'));
      await withStore(openCatalogStore({ home: join(directory, 'node-d'), storeUrl, environment: {} }), (store) =>
        assert.rejects(store.connections.get('sales'), isTamperedWithKeyHint),
      );
    });
  });
});
