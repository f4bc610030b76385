import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LakefnError } from '../../src/errors/index.ts';
import { SESSION_NAME_PATTERN, createCredentialBroker, invokeWithCredentials, type CredentialEvent } from '../../src/credentials/index.ts';
import { BROKER_ENVIRONMENT, createFakeStsAdapter, makeConnection } from './fake-sts-adapter.ts';

const MINUTE = 60_000;

function setup(lifetimeSeconds = 3600) {
  const clock = { time: Date.parse('2026-03-01T00:00:00Z'), now() { return this.time; } };
  const adapter = createFakeStsAdapter(clock, lifetimeSeconds);
  const events: CredentialEvent[] = [];
  const broker = createCredentialBroker({ adapterFor: () => adapter, environment: BROKER_ENVIRONMENT, clock, onEvent: (event) => events.push(event) });
  return { clock, adapter, broker, events };
}

/** Lets a background refresh (a resolved fake AssumeRole) settle. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('credential broker', () => {
  it('assumes the role with the external ID, session name and explicit duration', async () => {
    const { adapter, broker } = setup();
    const connection = makeConnection();
    const credentials = await broker.credentialsFor(connection)();
    assert.equal(credentials.accessKeyId, 'ASIAFAKE1');
    const call = adapter.assumeRoleCalls[0];
    assert.ok(call !== undefined);
    assert.equal(call.externalId, connection.externalId);
    assert.equal(call.binding.roleArn, connection.roleArn);
    assert.equal(call.binding.connectionName, connection.name);
    assert.equal(call.durationSeconds, 3600);
    assert.equal(call.sessionName, 'lakefn-0f8fad5b');
    assert.match(call.sessionName, SESSION_NAME_PATTERN);
    assert.deepEqual(call.broker, { accessKeyId: BROKER_ENVIRONMENT.AWS_ACCESS_KEY_ID, secretAccessKey: BROKER_ENVIRONMENT.AWS_SECRET_ACCESS_KEY });
  });

  it('makes one AssumeRole for 100 concurrent first calls', async () => {
    const { adapter, broker } = setup();
    adapter.hold();
    const source = broker.credentialsFor(makeConnection());
    const pending = Array.from({ length: 100 }, () => source());
    adapter.release();
    const results = await Promise.all(pending);
    assert.equal(adapter.assumeRoleCalls.length, 1);
    assert.ok(results.every((credentials) => credentials === results[0]));
  });

  it('caches per connection id + version + role ARN + external ID', async () => {
    const { adapter, broker } = setup();
    const connection = makeConnection();
    await broker.credentialsFor(connection)();
    await broker.credentialsFor(connection)();
    assert.equal(adapter.assumeRoleCalls.length, 1);
    await broker.credentialsFor({ ...connection, version: 2 })();
    await broker.credentialsFor({ ...connection, externalId: 'OtherExternalId0123456789abcdef0' })();
    await broker.credentialsFor({ ...connection, roleArn: 'arn:aws:iam::123456789012:role/other' })();
    assert.equal(adapter.assumeRoleCalls.length, 4);
  });

  it('refreshes in the background ahead of expiry and blocks in the last minutes', async () => {
    const { clock, adapter, broker, events } = setup();
    const source = broker.credentialsFor(makeConnection());
    const first = await source();
    clock.time += 44 * MINUTE; // 16 min left: still fresh
    assert.equal(await source(), first);
    assert.equal(adapter.assumeRoleCalls.length, 1);
    clock.time += 2 * MINUTE; // 14 min left: served, refreshed in the background
    assert.equal(await source(), first);
    await settle();
    assert.equal(adapter.assumeRoleCalls.length, 2);
    const second = await source();
    assert.notEqual(second, first);
    clock.time += 56 * MINUTE; // 4 min left on the second set: blocking refresh
    const third = await source();
    assert.notEqual(third, second);
    assert.equal(adapter.assumeRoleCalls.length, 3);
    assert.deepEqual(
      events.map((event) => event.type === 'credentials-refresh' && event.reason),
      ['initial', 'background', 'expiring'],
    );
  });

  it('never hands out credentials inside the last minute, even if the background refresh failed', async () => {
    const { clock, adapter, broker } = setup(900);
    const source = broker.credentialsFor(makeConnection());
    const first = await source();
    adapter.failNext(new LakefnError('E_THROTTLED', 'slow down', { provider: { code: 'Throttling', status: 400 } }));
    clock.time += 12 * MINUTE; // 3 min left of 15: background window (225 s), not yet blocking (90 s)
    assert.equal(await source(), first);
    await settle();
    assert.equal(adapter.assumeRoleCalls.length, 2);
    assert.equal(await source(), first); // no new background attempt right after a failure
    await settle();
    assert.equal(adapter.assumeRoleCalls.length, 2);
    clock.time += 2.5 * MINUTE; // 30 s left
    const next = await source();
    assert.notEqual(next, first);
    assert.equal(adapter.assumeRoleCalls.length, 3);
    assert.ok(next.expiration.getTime() - clock.now() > MINUTE);
  });

  it('a forced refresh is shared by concurrent callers and happens once', async () => {
    const { adapter, broker } = setup();
    const connection = makeConnection();
    const rejected = await broker.credentialsFor(connection)();
    adapter.hold();
    const refreshes = Array.from({ length: 20 }, () => broker.refreshRejected(connection, rejected));
    adapter.release();
    const fresh = await Promise.all(refreshes);
    // Late callers that saw the same credentials refused get the replacement without another AssumeRole.
    const late = await broker.refreshRejected(connection, rejected);
    assert.equal(adapter.assumeRoleCalls.length, 2);
    assert.ok(fresh.every((credentials) => credentials === late && credentials !== rejected));
  });

  it('forceRefresh on the credential source coalesces with an in-flight refresh', async () => {
    const { adapter, broker } = setup();
    const source = broker.credentialsFor(makeConnection());
    await source();
    adapter.hold();
    const forced = Array.from({ length: 10 }, () => source({ forceRefresh: true }));
    adapter.release();
    await Promise.all(forced);
    assert.equal(adapter.assumeRoleCalls.length, 2);
  });

  it('invokeWithCredentials refreshes once after E_AUTH and retries once', async () => {
    const { adapter, broker } = setup();
    const connection = makeConnection();
    const seen: string[] = [];
    const result = await invokeWithCredentials(broker, connection, async (credentials) => {
      seen.push(credentials.accessKeyId);
      if (seen.length === 1) throw new LakefnError('E_AUTH', 'expired token');
      return 'ok';
    });
    assert.equal(result, 'ok');
    assert.deepEqual(seen, ['ASIAFAKE1', 'ASIAFAKE2']);
    assert.equal(adapter.assumeRoleCalls.length, 2);
    await assert.rejects(
      invokeWithCredentials(broker, connection, async () => {
        throw new LakefnError('E_AUTH', 'still refused');
      }),
      (error: unknown) => LakefnError.isInstance(error) && error.code === 'E_AUTH',
    );
    assert.equal(adapter.assumeRoleCalls.length, 3);
  });

  it('invalidate drops the cached credentials of a connection', async () => {
    const { adapter, broker } = setup();
    const connection = makeConnection();
    await broker.credentialsFor(connection)();
    broker.invalidate(connection.id);
    await broker.credentialsFor(connection)();
    assert.equal(adapter.assumeRoleCalls.length, 2);
  });

  it('refuses connections with an insecure trust policy', async () => {
    const { adapter, broker } = setup();
    await assert.rejects(broker.credentialsFor(makeConnection({ status: 'INSECURE_TRUST_POLICY' }))(), (error: unknown) => {
      assert.ok(LakefnError.isInstance(error));
      assert.equal(error.code, 'E_CONNECTION_NOT_USABLE');
      assert.match(error.message, /VALIDATE API CONNECTION sales_fc/);
      return true;
    });
    assert.equal(adapter.assumeRoleCalls.length, 0);
  });

  it('refuses connections that are not VERIFIED (a PENDING status after ROTATE must not reopen an insecure role)', async () => {
    const { adapter, broker } = setup();
    for (const [status, reason] of [['PENDING', /not been validated/], ['FAILED', /last VALIDATE failed/]] as const) {
      await assert.rejects(broker.credentialsFor(makeConnection({ status }))(), (error: unknown) => {
        assert.ok(LakefnError.isInstance(error));
        assert.equal(error.code, 'E_CONNECTION_NOT_USABLE');
        assert.match(error.message, reason);
        assert.match(error.message, /VALIDATE API CONNECTION sales_fc/);
        return true;
      });
    }
    assert.equal(adapter.assumeRoleCalls.length, 0);
  });

  it('quotes the connection name in the statements it tells the user to run', async () => {
    const { broker } = setup();
    const name = 'x; DROP API CONNECTION prod; --';
    await assert.rejects(broker.credentialsFor(makeConnection({ name, status: 'PENDING' }))(), (error: unknown) => {
      assert.ok(LakefnError.isInstance(error));
      assert.ok(error.message.includes('VALIDATE API CONNECTION "x; DROP API CONNECTION prod; --"'), error.message);
      return true;
    });
  });

  it('names the missing broker variables', async () => {
    const adapter = createFakeStsAdapter({ now: () => Date.now() });
    const broker = createCredentialBroker({ adapterFor: () => adapter, environment: {} });
    await assert.rejects(broker.credentialsFor(makeConnection())(), (error: unknown) => {
      assert.ok(LakefnError.isInstance(error));
      assert.equal(error.code, 'E_NO_BROKER_CREDENTIALS');
      assert.match(error.message, /AWS_ACCESS_KEY_ID/);
      assert.match(error.message, /AWS_SECRET_ACCESS_KEY/);
      return true;
    });
  });

  it('puts the connection name into E_STS_DENIED and turns transient STS failures into retryable E_STS_REFRESH', async () => {
    const { adapter, broker } = setup();
    const connection = makeConnection();
    adapter.trusted.add('some-other-id');
    await assert.rejects(broker.credentialsFor(connection)(), (error: unknown) => {
      assert.ok(LakefnError.isInstance(error));
      assert.equal(error.code, 'E_STS_DENIED');
      assert.match(error.message, /DESC API CONNECTION sales_fc/);
      assert.equal(error.location.connection, 'sales_fc');
      return true;
    });
    adapter.trusted.clear();
    adapter.failNext(new LakefnError('E_THROTTLED', 'slow down', { retryAfterSeconds: 3 }));
    await assert.rejects(broker.credentialsFor(connection)(), (error: unknown) => {
      assert.ok(LakefnError.isInstance(error));
      assert.equal(error.code, 'E_STS_REFRESH');
      assert.equal(error.retryable, true);
      assert.equal(error.retryAfterSeconds, 3);
      return true;
    });
    // A failed refresh is not cached: the next call tries again.
    assert.equal((await broker.credentialsFor(connection)()).accessKeyId, 'ASIAFAKE1');
  });

  it('validates durationSeconds', () => {
    const adapter = createFakeStsAdapter({ now: () => Date.now() });
    assert.throws(() => createCredentialBroker({ adapterFor: () => adapter, durationSeconds: 600 }), /900 to 3600/);
    assert.throws(() => createCredentialBroker({ adapterFor: () => adapter, durationSeconds: 7200 }), /900 to 3600/);
  });
});
