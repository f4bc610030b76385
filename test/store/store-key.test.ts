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
import { computeRowMac } from '../../src/store/row-mac.ts';
import { loadStoreKey } from '../../src/store/store-key.ts';

const run = promisify(execFile);
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
    const script = `import { loadStoreKey } from ${JSON.stringify(storeKeyModule)}; process.stdout.write(loadStoreKey(${JSON.stringify(home)}).toString('hex'));`;
    const outputs = await Promise.all(
      Array.from({ length: 6 }, () => run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: fileURLToPath(new URL('../..', import.meta.url)) })),
    );
    const keys = new Set(outputs.map((output) => output.stdout));
    assert.equal(keys.size, 1);
    assert.equal([...keys][0], loadStoreKey(home).toString('hex'));
    assert.deepEqual(readdirSync(home), ['store.key']);
  });
});

describe('row MAC', () => {
  const key = Buffer.alloc(32, 7);
  const fields = { id: 'id-1', provider: 'aws', roleArn: 'arn:aws:iam::123456789012:role/r', externalId: 'abc' };

  it('changes with every covered field and with the key', () => {
    const mac = computeRowMac(key, fields);
    assert.match(mac, /^[0-9a-f]{64}$/);
    for (const field of ['id', 'provider', 'roleArn', 'externalId'] as const) {
      assert.notEqual(computeRowMac(key, { ...fields, [field]: `${fields[field]}x` }), mac, field);
    }
    assert.notEqual(computeRowMac(Buffer.alloc(32, 8), fields), mac);
  });

  it('length-prefixes fields, so moving characters between fields changes the MAC', () => {
    const shifted = { ...fields, roleArn: `${fields.roleArn}a`, externalId: 'bc' };
    assert.notEqual(computeRowMac(key, shifted), computeRowMac(key, fields));
  });
});
