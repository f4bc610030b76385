import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LakefnError } from '../../src/errors/index.ts';
import { openCatalogStore } from '../../src/store/open-catalog-store.ts';
import { computeRowMac, MAC_LAYOUTS, storeKeyId } from '../../src/store/row-mac.ts';
import { createStoreKey, storeKeyPath } from '../../src/store/store-key.ts';

/** The key of a home (or key file), created when there is none yet. */
const loadStoreKey = (home: string, keyFile?: string): Buffer => createStoreKey(storeKeyPath(home, keyFile));

const run = promisify(execFile);
/** Computed once by an independent implementation of the documented encoding (src/store/row-mac.ts). */
const KNOWN_KEY_ID = '807becb4bbd8518f';
const KNOWN_CONNECTION_MAC = '1c7b8c8e9d7e0cd7ad710058788d64549c0547467662778d12c934daf8631f6f';
const storeKeyModule = fileURLToPath(new URL('../../src/store/store-key.ts', import.meta.url));

describe('store.key (row-MAC key)', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'lakefn-key-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('is created on first use: 32 random bytes, mode 0600, and reused afterwards', () => {
    const key = loadStoreKey(home);
    assert.equal(key.length, 32);
    assert.equal(statSync(join(home, 'store.key')).mode & 0o777, 0o600);
    assert.deepEqual(loadStoreKey(home), key);
    assert.deepEqual(readdirSync(home), ['store.key'], 'no temp file is left behind');
    const other = mkdtempSync(join(tmpdir(), 'lakefn-key-'));
    assert.notDeepEqual(loadStoreKey(other), key, 'every home gets its own random key');
    rmSync(other, { recursive: true, force: true });
  });

  it('creates a new home directory private to its owner', () => {
    const nested = join(home, 'a', 'b');
    loadStoreKey(nested);
    assert.equal(statSync(nested).mode & 0o777, 0o700);
  });

  for (const mode of [0o644, 0o640, 0o604, 0o660]) {
    it(`refuses a key file with permissions ${mode.toString(8)}`, async () => {
      loadStoreKey(home);
      chmodSync(join(home, 'store.key'), mode);
      assert.throws(() => loadStoreKey(home), (error: unknown) => {
        assert.ok(LakefnError.isInstance(error));
        assert.equal(error.code, 'E_STORE');
        assert.match(error.message, new RegExp(`permissions 0${mode.toString(8)}.*chmod 600`));
        return true;
      });
      await assert.rejects(openCatalogStore({ home, environment: {} }), { code: 'E_STORE', message: /^store key .* has permissions/ });
    });
  }

  it('refuses a truncated or padded key file', () => {
    writeFileSync(join(home, 'store.key'), Buffer.alloc(16), { mode: 0o600 });
    assert.throws(() => loadStoreKey(home), { code: 'E_STORE', message: /^store key .* holds 16 bytes, expected 32/ });
  });

  it('gives every one of several processes racing to create it the same complete key', async () => {
    const script = `import { createStoreKey } from ${JSON.stringify(storeKeyModule)}; process.stdout.write(createStoreKey(${JSON.stringify(join(home, 'store.key'))}).toString('hex'));`;
    const outputs = await Promise.all(
      Array.from({ length: 6 }, () => run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('../..', import.meta.url)) })),
    );
    const keys = new Set(outputs.map((output) => output.stdout));
    assert.equal(keys.size, 1);
    assert.equal([...keys][0], loadStoreKey(home).toString('hex'));
    assert.deepEqual(readdirSync(home), ['store.key']);
  });
});

describe('row MAC (version 2)', () => {
  const key = Buffer.alloc(32, 7);
  const keyId = storeKeyId(key);
  const connection = Object.fromEntries(MAC_LAYOUTS.connection[2]!.map((column, index) => [column, column === 'version' ? 3 : `value-${index}`]));
  const fn = Object.fromEntries(MAC_LAYOUTS.function[2]!.map((column, index) => [column, `value-${index}`]));

  it('changes with every covered column of both kinds, with the key, the key id and the kind', () => {
    for (const [kind, columns] of [['connection', connection], ['function', fn]] as const) {
      const mac = computeRowMac(key, kind, 2, keyId, columns);
      assert.match(mac, /^[0-9a-f]{64}$/);
      for (const column of MAC_LAYOUTS[kind][2]!) {
        assert.notEqual(computeRowMac(key, kind, 2, keyId, { ...columns, [column]: `${String(columns[column])}x` }), mac, column);
      }
      assert.notEqual(computeRowMac(Buffer.alloc(32, 8), kind, 2, keyId, columns), mac);
      assert.notEqual(computeRowMac(key, kind, 2, 'another-key-id', columns), mac);
    }
    const both = { ...connection, ...fn };
    assert.notEqual(computeRowMac(key, 'connection', 2, keyId, both), computeRowMac(key, 'function', 2, keyId, both));
  });

  it('tells NULL, the empty string, the text "3" and the integer 3 apart', () => {
    const macs = [null, '', '3', 3].map((value) => computeRowMac(key, 'connection', 2, keyId, { ...connection, version: value }));
    assert.equal(new Set(macs).size, 4);
  });

  it('length-prefixes values, so moving characters between columns changes the MAC', () => {
    const shifted = { ...connection, role_arn: `${String(connection['role_arn'])}a`, namespace: String(connection['namespace']).slice(1) };
    assert.notEqual(computeRowMac(key, 'connection', 2, keyId, shifted), computeRowMac(key, 'connection', 2, keyId, connection));
  });

  it('is stable: a known answer pins the encoding (changing it would make every stored row fail)', () => {
    assert.equal(keyId, KNOWN_KEY_ID);
    assert.equal(computeRowMac(key, 'connection', 2, keyId, connection), KNOWN_CONNECTION_MAC);
  });
});
