// createRuntime: the real store, registry, credential broker and dispatcher wired together, against the mock cloud.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import { createRuntime } from '../../src/runtime/create-runtime.ts';
import { DEFAULT_FUNCTION_PROPERTIES } from '../../src/spec/function-record.ts';
import { openCatalogStore } from '../../src/store/open-catalog-store.ts';
import { type MockCloudContext, startMockCloud, stopMockCloud } from '../helpers/with-mock-cloud.ts';

describe('createRuntime', () => {
  let mock: MockCloudContext;
  let home: string;

  before(async () => {
    mock = await startMockCloud();
    home = mkdtempSync(join(tmpdir(), 'lakefn-runtime-'));
    const fixture = mock.fixtures.tencent;
    fixture.putFunction('upper', { builtin: 'upper' });
    const store = await openCatalogStore({ home, environment: {} });
    try {
      await store.connections.create(fixture.connection);
      await store.functions.create({
        id: crypto.randomUUID(),
        name: 'upper',
        arguments: [{ name: 's', type: { kind: 'VARCHAR' } }],
        returnType: { kind: 'VARCHAR' },
        connectionId: fixture.connection.id,
        connectionName: fixture.connection.name,
        cloudFunction: 'upper',
        qualifier: null,
        properties: DEFAULT_FUNCTION_PROPERTIES,
        comment: null,
        createdAt: new Date().toISOString(),
      });
    } finally {
      await store.close();
    }
  });

  after(async () => {
    await stopMockCloud(mock);
    rmSync(home, { recursive: true, force: true });
  });

  test('evaluates a catalog function through the provider, resolving names as SQL folds them', async () => {
    const runtime = await createRuntime({ home, environment: mock.environment });
    try {
      assert.deepEqual(await runtime.dispatcher.evaluate('upper', [['a'], [null], ['c']]), ['A', null, 'C']);
      assert.deepEqual(await runtime.dispatcher.evaluate('UPPER', [['b']]), ['B']);
      assert.equal(runtime.dispatcher.stats('upper').rows, 4);
      await assert.rejects(runtime.dispatcher.evaluate('missing', [['a']]), (error: unknown) => LakefnError.isInstance(error) && error.code === 'E_NO_SUCH_FUNCTION');
    } finally {
      await runtime.close();
    }
    await assert.rejects(runtime.store.functions.get('upper'), 'close() closed the store it opened');
  });

  test('with a store given, uses it and leaves it open', async () => {
    const store = await openCatalogStore({ home, environment: {} });
    try {
      const runtime = await createRuntime({ store, environment: mock.environment });
      assert.deepEqual(await runtime.dispatcher.evaluate('upper', [['x']]), ['X']);
      await runtime.close();
      assert.equal((await store.functions.get('upper'))?.name, 'upper');
    } finally {
      await store.close();
    }
  });
});
