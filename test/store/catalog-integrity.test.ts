// Issue 10 §1: nothing that steers a call can be changed in the catalog database behind lakefn's back. Each
// reproduction edits a row directly (write access to the database, not the key), then calls the function through
// the real runtime against the mock cloud: the call must fail with E_STORE_TAMPERED naming the object, and no
// request may reach the mock (no AssumeRole, no invoke). Run on SQLite and on a real PostgreSQL server.
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { validateConnection } from '../../src/credentials/validate-connection.ts';
import { LakefnError } from '../../src/errors/index.ts';
import { createRuntime } from '../../src/runtime/create-runtime.ts';
import type { ConnectionRecord } from '../../src/spec/connection-record.ts';
import { DEFAULT_FUNCTION_PROPERTIES, type FunctionRecord } from '../../src/spec/function-record.ts';
import { executeStatements } from '../../src/sql/execute-statement.ts';
import type { CatalogStore } from '../../src/store/catalog-store.ts';
import { type MockCloudContext, startMockCloud, stopMockCloud } from '../helpers/with-mock-cloud.ts';
import { type CatalogFixture, storeDescriptors } from './store-descriptors.ts';

function functionOn(name: string, connection: ConnectionRecord, cloudFunction: string): FunctionRecord {
  return {
    id: crypto.randomUUID(),
    name,
    arguments: [{ name: 's', type: { kind: 'VARCHAR' } }],
    returnType: { kind: 'VARCHAR' },
    connectionId: connection.id,
    connectionName: connection.name,
    cloudFunction,
    qualifier: null,
    properties: DEFAULT_FUNCTION_PROPERTIES,
    comment: null,
    createdAt: new Date().toISOString(),
  };
}

function isTampered(kind: 'connection' | 'function', name: string): (error: unknown) => boolean {
  return (error) => {
    assert.ok(LakefnError.isInstance(error), String(error));
    assert.equal(error.code, 'E_STORE_TAMPERED', error.message);
    assert.match(error.message, new RegExp(`${kind} '${name}'`));
    assert.equal(error.location[kind], name);
    return true;
  };
}

for (const descriptor of storeDescriptors()) {
  describe(`catalog integrity against the mock cloud: ${descriptor.name}`, { skip: descriptor.skip }, () => {
    let mock: MockCloudContext;
    let fixture: CatalogFixture;
    let store: CatalogStore;
    let secure: ConnectionRecord;
    let insecure: ConnectionRecord;
    let otherCustomer: ConnectionRecord;
    let aliyun: ConnectionRecord;

    before(async () => {
      await descriptor.start();
      mock = await startMockCloud();
      mock.fixtures.aws.putFunction('upper', { builtin: 'upper' });
      mock.fixtures.aws.putFunction('echo', { builtin: 'echo' });
      mock.fixtures.aliyun.putFunction('upper', { builtin: 'upper' });
      secure = { ...mock.fixtures.aws.connection, name: 'customer_a' };
      otherCustomer = { ...mock.fixtures.aws.addConnection('customer-b', 'external-id'), name: 'customer_b' };
      // a role that trusts lakefn without the external ID: VALIDATE stored INSECURE_TRUST_POLICY
      insecure = { ...mock.fixtures.aws.addConnection('open-role', 'no-external-id'), name: 'open_role', status: 'INSECURE_TRUST_POLICY' };
      aliyun = { ...mock.fixtures.aliyun.connection, name: 'fc_conn' };
    });
    after(async () => {
      await stopMockCloud(mock);
      await descriptor.stop();
    });
    beforeEach(async () => {
      fixture = await descriptor.fixture();
      store = await fixture.open();
      for (const connection of [secure, otherCustomer, insecure, aliyun]) await store.connections.create(connection);
      await store.functions.create(functionOn('f_a', secure, 'upper'));
      await store.functions.create(functionOn('f_b', otherCustomer, 'upper'));
      await store.functions.create(functionOn('f_open', insecure, 'upper'));
      await store.functions.create(functionOn('f_fc', aliyun, 'upper'));
    });
    afterEach(async () => {
      await store.close();
      await fixture.cleanup();
    });

    /** Calls `name` through a fresh runtime and returns the mock's log of what it received. */
    async function call(name: string): Promise<{ result: Promise<unknown>; calls: () => number }> {
      mock.cloud.reset();
      const runtime = await createRuntime({ store, environment: mock.environment });
      const result = runtime.dispatcher.evaluate(name, [['a']]).finally(() => runtime.close());
      await result.catch(() => undefined);
      return { result, calls: () => mock.cloud.calls().length };
    }

    async function refusedWithoutCalls(name: string, kind: 'connection' | 'function', object: string): Promise<void> {
      const { result, calls } = await call(name);
      await assert.rejects(result, isTampered(kind, object));
      assert.equal(calls(), 0, 'a request reached the mock cloud');
    }

    it('untouched rows work (the control: calls do reach the mock), and an insecure connection is refused by status', async () => {
      const { result, calls } = await call('f_a');
      assert.deepEqual(await result, ['A']);
      assert.ok(calls() >= 2, 'AssumeRole and the invoke reached the mock');
      const open = await call('f_open');
      await assert.rejects(open.result, (error: unknown) => LakefnError.isInstance(error) && error.code === 'E_CONNECTION_NOT_USABLE');
      assert.equal(open.calls(), 0);
    });

    it("UPDATE … SET status = 'VERIFIED' on an insecure connection is refused", async () => {
      await fixture.execute("UPDATE lakefn_connections SET status = 'VERIFIED', status_detail = NULL WHERE name = ?", ['open_role']);
      await refusedWithoutCalls('f_open', 'connection', 'open_role');
    });

    it("swapping two connections' names never makes a function assume the other customer's role", async () => {
      await fixture.execute("UPDATE lakefn_connections SET name = 'swap_tmp' WHERE name = 'customer_a'");
      await fixture.execute("UPDATE lakefn_connections SET name = 'customer_a' WHERE name = 'customer_b'");
      await fixture.execute("UPDATE lakefn_connections SET name = 'customer_b' WHERE name = 'swap_tmp'");
      // functions are bound to ids: f_a still names customer A's connection, whose row now fails its MAC
      await refusedWithoutCalls('f_a', 'connection', 'customer_b');
      await refusedWithoutCalls('f_b', 'connection', 'customer_a');
    });

    it("UPDATE lakefn_functions SET cloud_function = 'echo' and another connection is refused", async () => {
      await fixture.execute("UPDATE lakefn_functions SET cloud_function = 'echo', connection_id = ? WHERE name = 'f_b'", [secure.id]);
      await refusedWithoutCalls('f_b', 'function', 'f_b');
      await fixture.execute("UPDATE lakefn_functions SET cloud_function = 'echo' WHERE name = 'f_a'");
      await refusedWithoutCalls('f_a', 'function', 'f_a');
    });

    it("UPDATE … SET region = 'x@127.0.0.1:19443/' is refused before any adapter builds a URL", async () => {
      await fixture.execute("UPDATE lakefn_connections SET region = 'x@127.0.0.1:19443/' WHERE name = 'fc_conn'");
      await refusedWithoutCalls('f_fc', 'connection', 'fc_conn');
    });

    for (const [column, value] of [
      ['role_arn', 'arn:aws:iam::999999999999:role/attacker'],
      ['namespace', 'other'],
      ['external_id', 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'],
      ['version', 99],
      ['allow_unknown_region', 1],
      ['mac_key_id', '0000000000000000'],
    ] as const) {
      it(`a connection's ${column} changed in the database is refused`, async () => {
        await fixture.execute(`UPDATE lakefn_connections SET ${column} = ? WHERE name = 'customer_a'`, [value]);
        await refusedWithoutCalls('f_a', 'connection', 'customer_a');
      });
    }

    for (const [column, value] of [
      ['qualifier', 'prod'],
      ['arguments', '[{"name":"s","type":{"kind":"BIGINT"}}]'],
      ['return_type', '{"kind":"JSON"}'],
      ['properties', JSON.stringify({ ...DEFAULT_FUNCTION_PROPERTIES, format: 'snowflake' })],
      ['name', 'f_renamed'],
    ] as const) {
      it(`a function's ${column} changed in the database is refused`, async () => {
        await fixture.execute(`UPDATE lakefn_functions SET ${column} = ? WHERE name = 'f_a'`, [value]);
        const name = column === 'name' ? 'f_renamed' : 'f_a';
        await refusedWithoutCalls(name, 'function', name);
      });
    }

    it('a row signed with the right key but holding values CREATE refuses is refused too (re-validation on read)', async () => {
      // a key holder (or an older lakefn with laxer rules) wrote these: the MAC is valid, the values are not
      await store.write(async (session) => {
        const current = await session.connection('fc_conn');
        assert.ok(current);
        await session.updateConnection(current, { ...current, region: 'x@127.0.0.1:19443/', version: current.version + 1 });
        const fn = await session.function('f_a');
        assert.ok(fn);
        await session.deleteFunction(fn.id);
        await session.insertFunction({ ...fn, cloudFunction: 'not a lambda name' });
      });
      const { result, calls } = await call('f_fc');
      await assert.rejects(result, (error: unknown) => isTampered('connection', 'fc_conn')(error) && /holds values that CREATE refuses \(REGION/.test(String((error as Error).message)));
      assert.equal(calls(), 0);
      const lambda = await call('f_a');
      await assert.rejects(lambda.result, (error: unknown) => isTampered('function', 'f_a')(error) && /holds values that CREATE refuses .*Lambda function name/.test(String((error as Error).message)));
      assert.equal(lambda.calls(), 0);
    });

    it('a region accepted with --allow-unknown-region re-validates; the flag is covered by the MAC', async () => {
      const region = 'xx-future-1';
      const services = { store, environment: {} };
      await executeStatements(`CREATE API CONNECTION future TYPE CLOUD_FUNCTION PROVIDER = 'aws' REGION = '${region}' ROLE_ARN = 'arn:aws:iam::123456789012:role/r'`, services, { allowUnknownRegion: true });
      assert.equal((await store.connections.get('future'))?.region, region);
      await executeStatements("ALTER API CONNECTION future SET COMMENT = 'still unknown'", services, { allowUnknownRegion: true });
      assert.equal((await store.connections.get('future'))?.comment, 'still unknown');
      await fixture.execute("UPDATE lakefn_connections SET allow_unknown_region = 0 WHERE name = 'future'");
      await assert.rejects(store.connections.get('future'), isTampered('connection', 'future'));
      // signed by the key but without the flag: the known-region rule applies, as at CREATE without the option
      await fixture.execute("UPDATE lakefn_connections SET allow_unknown_region = 1 WHERE name = 'future'");
      await store.write(async (session) => {
        const current = await session.connection('customer_a');
        assert.ok(current);
        await session.updateConnection(current, { ...current, region: 'us-east-1', version: current.version + 1 });
      });
      assert.equal((await store.connections.get('customer_a'))?.region, 'us-east-1');
    });

    it('VALIDATE of a tampered connection sends nothing to STS', async () => {
      await fixture.execute("UPDATE lakefn_connections SET role_arn = 'arn:aws:iam::999999999999:role/attacker' WHERE name = 'customer_a'");
      mock.cloud.reset();
      const services = {
        store,
        environment: mock.environment,
        validateConnection: (connection: ConnectionRecord) => validateConnection(connection, { adapterFor: (provider) => mock.registry.adapterFor(provider), environment: mock.environment }),
      };
      await assert.rejects(executeStatements('VALIDATE API CONNECTION customer_a', services), isTampered('connection', 'customer_a'));
      assert.equal(mock.cloud.calls().length, 0);
    });

    it('DROP removes a tampered row (and CASCADE its functions); SHOW of other rows is unaffected', async () => {
      await fixture.execute("UPDATE lakefn_connections SET status = 'VERIFIED' WHERE name = 'open_role'");
      await assert.rejects(executeStatements('SHOW API CONNECTIONS', { store }), isTampered('connection', 'open_role'));
      const [shown] = await executeStatements("SHOW API CONNECTIONS LIKE 'customer%'", { store });
      assert.equal(shown?.kind === 'table' ? shown.rows.length : -1, 2);
      const [dropped] = await executeStatements('DROP API CONNECTION open_role CASCADE', { store });
      assert.ok(dropped?.kind === 'change');
      assert.deepEqual(dropped.droppedFunctions, ['f_open']);
      assert.match(dropped.notices.join(), /failed its integrity check; it was dropped without being used/);
      assert.equal((await store.connections.list()).length, 3);
    });
  });
}
