// `lakefn store rotate-key`: every row re-signed with a new key in one transaction, the key file replaced only after
// it committed, a tampered row stops it, an interrupted rotation is finished, other processes follow the new key.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import type { CatalogStore } from '../../src/store/catalog-store.ts';
import { openCatalogStore } from '../../src/store/open-catalog-store.ts';
import { storeKeyId } from '../../src/store/row-mac.ts';
import { jsonOf, runCli } from '../cli/run-cli.ts';
import { type CatalogFixture, sampleConnection, sampleFunction, storeDescriptors } from './store-descriptors.ts';

for (const descriptor of storeDescriptors()) {
  describe(`store key rotation: ${descriptor.name}`, { skip: descriptor.skip }, () => {
    let fixture: CatalogFixture;
    let store: CatalogStore;
    const keyFile = (): string => join(fixture.home, 'store.key');
    const keyIdOnDisk = (path = keyFile()): string => storeKeyId(readFileSync(path));

    before(() => descriptor.start());
    after(() => descriptor.stop());
    beforeEach(async () => {
      fixture = await descriptor.fixture();
      store = await fixture.open();
      const sales = sampleConnection('sales');
      await store.connections.create(sales);
      await store.connections.create(sampleConnection('ops', { status: 'VERIFIED' }));
      await store.functions.create(sampleFunction('score', sales));
    });
    afterEach(async () => {
      await store.close();
      await fixture.cleanup();
    });

    it('re-signs every row with a new key, replaces the key file (0600, nothing left behind), and the old key verifies nothing', async () => {
      const oldKey = join(fixture.home, 'old.key');
      copyFileSync(keyFile(), oldKey);
      const previous = keyIdOnDisk();
      const before = await store.read(async (session) => ({ connections: await session.connections(), functions: await session.functions() }));
      const rotation = await store.rotateKey();
      assert.deepEqual(
        { previous: rotation.previousKeyId, connections: rotation.connections, functions: rotation.functions, file: rotation.keyFile, finished: rotation.finishedInterruptedRotation },
        { previous, connections: 2, functions: 1, file: keyFile(), finished: false },
      );
      assert.notEqual(rotation.keyId, previous);
      assert.equal(keyIdOnDisk(), rotation.keyId);
      assert.equal(statSync(keyFile()).mode & 0o777, 0o600);
      assert.ok(!existsSync(`${keyFile()}.next`));
      assert.deepEqual(readdirSync(fixture.home).filter((name) => name.includes('key')).sort(), ['old.key', 'store.key']);
      // the records are unchanged; only their signatures are new
      assert.deepEqual({ connections: await store.connections.list(), functions: await store.functions.list() }, before);
      const [, state, connections, functions] = JSON.parse(await fixture.dump()) as Record<string, unknown>[][];
      for (const row of [...(state ?? []), ...(connections ?? []), ...(functions ?? [])]) assert.equal(row['mac_key_id'], rotation.keyId);
      // a process still holding only the old key can verify nothing and write nothing
      const withOldKey = await openWithKeyFile(oldKey);
      try {
        await assert.rejects(withOldKey.connections.get('sales'), { code: 'E_STORE_TAMPERED', message: /^connection 'sales' .* is signed with store key/ });
        await assert.rejects(withOldKey.connections.create(sampleConnection('late')), { code: 'E_STORE_KEY_MISSING', message: /^the catalog .* is signed with store key/ });
      } finally {
        await withOldKey.close();
      }
    });

    it('a tampered row stops the rotation, named, and nothing changes (database and key file)', async () => {
      await fixture.execute("UPDATE lakefn_connections SET status = 'VERIFIED' WHERE name = 'sales'");
      const before = await fixture.dump();
      const key = readFileSync(keyFile());
      await assert.rejects(store.rotateKey(), (error: unknown) => {
        assert.ok(LakefnError.isInstance(error));
        assert.equal(error.code, 'E_STORE_TAMPERED');
        assert.match(error.message, /key rotation refused: 2 row\(s\) .* \(connection 'sales', function 'score'\); re-signing them would launder them/);
        return true;
      });
      assert.equal(await fixture.dump(), before);
      assert.deepEqual(readFileSync(keyFile()), key);
      assert.ok(!existsSync(`${keyFile()}.next`));
    });

    it('another process of this node follows the rotation on its next access (reads and writes)', async () => {
      const other = await fixture.open();
      try {
        assert.equal((await other.connections.get('sales'))?.name, 'sales');
        const rotation = await store.rotateKey();
        assert.equal((await other.connections.get('ops'))?.status, 'VERIFIED');
        await other.connections.create(sampleConnection('after'));
        const [, , connections] = JSON.parse(await fixture.dump()) as Record<string, unknown>[][];
        assert.deepEqual(new Set(connections?.map((row) => row['mac_key_id'])), new Set([rotation.keyId]));
      } finally {
        await other.close();
      }
    });

    it('a rotation that committed but did not replace the key file (crash) is still readable, and is finished by the next write or rotation', async () => {
      const oldKey = readFileSync(keyFile());
      const rotation = await store.rotateKey();
      // the state a crash between COMMIT and the rename leaves: the old key file, the new key in <key file>.next
      writeFileSync(`${keyFile()}.next`, readFileSync(keyFile()), { mode: 0o600 });
      rmSync(keyFile());
      writeFileSync(keyFile(), oldKey, { mode: 0o600 });
      const reopened = await fixture.open();
      try {
        assert.equal((await reopened.connections.get('sales'))?.name, 'sales');
        assert.equal(keyIdOnDisk(), storeKeyId(oldKey), 'reading does not touch the key files');
        await reopened.connections.update('ops', 1, { comment: 'written after the crash' });
        assert.equal(keyIdOnDisk(), rotation.keyId, 'the write finished the rename');
        assert.ok(!existsSync(`${keyFile()}.next`));
        assert.equal((await reopened.connections.get('ops'))?.comment, 'written after the crash');
      } finally {
        await reopened.close();
      }
      // and when the next thing to run is a rotation, it finishes the interrupted one first
      const newest = readFileSync(keyFile());
      writeFileSync(`${keyFile()}.next`, newest, { mode: 0o600 });
      rmSync(keyFile());
      writeFileSync(keyFile(), oldKey, { mode: 0o600 });
      const again = await store.rotateKey();
      assert.equal(again.finishedInterruptedRotation, true);
      assert.equal(again.previousKeyId, rotation.keyId);
      assert.equal(keyIdOnDisk(), again.keyId);
    });

    it('a next-key file left by a rotation that never committed is discarded, never used', async () => {
      writeFileSync(`${keyFile()}.next`, Buffer.alloc(32, 5), { mode: 0o600 });
      const rotation = await store.rotateKey();
      assert.equal(rotation.finishedInterruptedRotation, false);
      assert.notEqual(rotation.keyId, storeKeyId(Buffer.alloc(32, 5)));
      assert.equal((await store.connections.get('sales'))?.name, 'sales');
    });

    function openWithKeyFile(path: string): Promise<CatalogStore> {
      return openCatalogStore({ home: fixture.home, storeUrl: fixture.storeUrl, environment: { LAKEFN_STORE_KEY_FILE: path } });
    }
  });
}

describe('lakefn store rotate-key (CLI)', () => {
  const [sqlite] = storeDescriptors();
  let fixture: CatalogFixture;
  beforeEach(async () => {
    assert.ok(sqlite);
    fixture = await sqlite.fixture();
    const store = await fixture.open();
    await store.connections.create(sampleConnection('sales'));
    await store.close();
  });
  afterEach(() => fixture.cleanup());

  it('--json prints the rotation; exit 0', async () => {
    const previous = storeKeyId(readFileSync(join(fixture.home, 'store.key')));
    const run = await runCli(['store', 'rotate-key', '--json'], { environment: fixture.environment });
    assert.equal(run.code, 0, run.stderr);
    const output = jsonOf(run) as Record<string, unknown>;
    assert.deepEqual(Object.keys(output), ['previous_key_id', 'key_id', 'key_file', 'connections', 'functions', 'governance_rows', 'audit_records', 'finished_interrupted_rotation']);
    assert.equal(output['previous_key_id'], previous);
    assert.equal(output['key_id'], storeKeyId(readFileSync(join(fixture.home, 'store.key'))));
    assert.equal(output['connections'], 1);
    assert.match(run.stderr, /other lakefn processes using this catalog use the new key/);
    const human = await runCli(['store', 'rotate-key'], { environment: fixture.environment });
    assert.equal(human.code, 0, human.stderr);
    // 5 built-in roles, project default, and LakefnFullAccess attached to PUBLIC (migration 5)
    assert.match(human.stdout, /^store key rotated: 1 connection\(s\), 0 function\(s\) and 7 governance row\(s\) re-signed and \d+ audit record\(s\) re-MAC'd with key [0-9a-f]{16} \(was [0-9a-f]{16}\); key file /);
  });

  it('exit 1 when a row fails its check, and when the key is missing; exit 2 on a usage error', async () => {
    await fixture.execute("UPDATE lakefn_connections SET region = 'us-west-2' WHERE name = 'sales'");
    const tampered = await runCli(['store', 'rotate-key'], { environment: fixture.environment });
    assert.equal(tampered.code, 1);
    assert.match(tampered.stderr, /key rotation refused: 1 row\(s\) .*connection 'sales'/);
    rmSync(join(fixture.home, 'store.key'));
    const missing = await runCli(['store', 'rotate-key', '--json'], { environment: fixture.environment });
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /E_STORE_KEY_MISSING: store key .*store\.key is missing/);
    assert.ok(!existsSync(join(fixture.home, 'store.key')));
    assert.equal((await runCli(['store', 'rotate-key', '--bogus'], { environment: fixture.environment })).code, 2);
  });
});
