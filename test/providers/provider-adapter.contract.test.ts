// One contract for every provider's adapter: the real vendor SDKs against the mock cloud over loopback, once per invoke
// transport (undici with the SDKs' signers, and the SDKs themselves).
// LAKEFN_TEST_PROVIDERS=aws,tencent and LAKEFN_TEST_INVOKE_TRANSPORTS=sdk narrow the run.
import assert from 'node:assert/strict';
import diagnosticsChannel from 'node:diagnostics_channel';
import type { ClientRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { generateExternalId } from '../../src/catalog/external-id.ts';
import { endpointVariable } from '../../src/config/provider-environment.ts';
import { type CredentialBroker, createCredentialBroker, invokeWithCredentials, validateConnection } from '../../src/credentials/index.ts';
import type { InvokeTransport } from '../../src/provider-utils/index.ts';
import { createProviderRegistry } from '../../src/registry/provider-registry.ts';
import { PROVIDER_NAMES } from '../../src/registry/providers.ts';
import type { ConnectionRecord, ProviderName } from '../../src/spec/index.ts';
import { type MockCloudContext, type MockProviderFixture, isStsCall, startMockCloud, stopMockCloud } from '../helpers/with-mock-cloud.ts';
import { captureOutput, expectLakefnError, recordingAdapter, renderings, until } from './contract-helpers.ts';

const PROVIDERS = (process.env.LAKEFN_TEST_PROVIDERS?.split(',') ?? PROVIDER_NAMES).filter((name): name is ProviderName => (PROVIDER_NAMES as readonly string[]).includes(name));
const INVOKE_TRANSPORTS: readonly InvokeTransport[] = ['http', 'sdk'];
const TRANSPORTS = (process.env.LAKEFN_TEST_INVOKE_TRANSPORTS?.split(',') ?? INVOKE_TRANSPORTS).filter((name): name is InvokeTransport => (INVOKE_TRANSPORTS as readonly string[]).includes(name));
const HOUR = 3_600_000;
const MINUTE = 60_000;
const lakefnPayload = (rows: unknown[][]) => Buffer.from(JSON.stringify({ lakefn: 1, batch_id: 'q1:f:1', rows }));
const decode = (payload: Uint8Array): unknown => JSON.parse(Buffer.from(payload).toString('utf8'));

for (const transport of TRANSPORTS) {
  describe(`provider adapter contract over the ${transport} transport (real SDK signers against the mock cloud)`, () => {
    const output = captureOutput();
    const secrets = new Set<string>();
    const observedErrors: unknown[] = [];
    let context: MockCloudContext;

    before(async () => {
      context = await startMockCloud({ log: true }, transport);
      for (const provider of PROVIDER_NAMES) secrets.add(context.cloud.brokerAccounts[provider].secretAccessKey);
    });
    after(async () => {
      output.restore();
      await stopMockCloud(context);
    });

    for (const provider of PROVIDERS) {
      describe(provider, () => {
        let fixture: MockProviderFixture;
        let broker: CredentialBroker;
        const newBroker = (clock?: { now(): number }) =>
          createCredentialBroker({ adapterFor: () => recordingAdapter(fixture.adapter, secrets), environment: context.environment, ...(clock === undefined ? {} : { clock }) });
        const invoke = (functionName: string, options: { payload?: Uint8Array; timeoutMs?: number; qualifier?: string; via?: CredentialBroker; connection?: ConnectionRecord } = {}) =>
          invokeWithCredentials(options.via ?? broker, options.connection ?? fixture.connection, (credentials) =>
            fixture.adapter.doInvoke({
              credentials,
              binding: fixture.binding,
              functionName,
              payload: options.payload ?? lakefnPayload([['a'], ['b']]),
              timeoutMs: options.timeoutMs ?? 5000,
              logTail: true,
              ...(options.qualifier === undefined ? {} : { qualifier: options.qualifier }),
            }),
          );
        /** A fresh function (fault plans are per function name) that fails as planned on its first call. */
        const faulty = (name: string, fault: { fault: 'throttle' | '5xx' | 'reset' | 'hang' | 'too_large' | 'function_error'; retryAfterSeconds?: number; status?: number }) => {
          fixture.putFunction(name, { builtin: 'upper' });
          context.cloud.putFaults({ provider, function: name, plan: [{ on: 1, ...fault }] });
        };
        const assumeRoleCalls = (connection: ConnectionRecord, since: number) =>
          context.cloud.calls().slice(since).filter((call) => isStsCall(call) && call.roleArn === connection.roleArn && call.status === 200 && call.errorCode === undefined).length;

        before(() => {
          fixture = context.fixtures[provider];
          broker = newBroker();
          fixture.putFunction('upper', { builtin: 'upper' });
        });

        it('invokes and returns the payload, request id, duration and log tail', async () => {
          const result = await invoke('upper', { qualifier: fixture.capabilities.latestQualifier });
          assert.deepEqual(decode(result.payload), { results: ['A', 'B'] });
          assert.ok(result.requestId !== undefined && result.requestId.length > 0);
          assert.ok(result.durationMs >= 0);
          if (fixture.capabilities.logTail) assert.match(result.logTail ?? '', /RequestId/);
        });

        it('reuses keep-alive connections', async () => {
          await invoke('upper');
          // Whichever client the adapter sends with (undici, or node:http under a vendor SDK): 5 requests and not one
          // new connection.
          let undiciRequests = 0;
          let undiciConnections = 0;
          const httpRequests: ClientRequest[] = [];
          const countRequest = () => void (undiciRequests += 1);
          const countConnection = () => void (undiciConnections += 1);
          const recordHttpRequest = (message: unknown) => void httpRequests.push((message as { request: ClientRequest }).request);
          diagnosticsChannel.subscribe('undici:request:create', countRequest);
          diagnosticsChannel.subscribe('undici:client:connected', countConnection);
          diagnosticsChannel.subscribe('http.client.request.start', recordHttpRequest);
          try {
            for (let call = 0; call < 5; call += 1) await invoke('upper');
          } finally {
            diagnosticsChannel.unsubscribe('undici:request:create', countRequest);
            diagnosticsChannel.unsubscribe('undici:client:connected', countConnection);
            diagnosticsChannel.unsubscribe('http.client.request.start', recordHttpRequest);
          }
          assert.equal(undiciRequests + httpRequests.length, 5);
          assert.equal(undiciConnections, 0, 'every sequential call should reuse a pooled socket');
          assert.ok(httpRequests.every((request) => request.reusedSocket), 'every sequential call should reuse a pooled socket');
        });

        it('turns a function error (HTTP 200) into E_REMOTE_FUNCTION_ERROR with type, message and stack lines', async () => {
          fixture.putFunction('broken', {
            handler: () => {
              throw new TypeError('cannot read row 3');
            },
          });
          const error = await expectLakefnError(invoke('broken'), 'E_REMOTE_FUNCTION_ERROR', observedErrors);
          assert.equal(error.retryable, false);
          assert.equal(error.data?.errorType, 'TypeError');
          assert.equal(error.data?.errorMessage, 'cannot read row 3');
          const stack = error.data?.stack;
          assert.ok(Array.isArray(stack) && stack.length > 0 && stack.length <= 5);
          assert.match(error.message, /broken/);
        });

        it('classifies a throttle as retryable E_THROTTLED (with Retry-After where the provider sends it)', async () => {
          faulty('throttled', { fault: 'throttle', retryAfterSeconds: 3 });
          const error = await expectLakefnError(invoke('throttled'), 'E_THROTTLED', observedErrors);
          assert.equal(error.retryable, true);
          // Only some services send Retry-After with a throttle (Lambda does; FC and SCF do not).
          assert.equal(error.retryAfterSeconds, fixture.capabilities.throttleRetryAfter ? 3 : undefined);
          assert.equal(error.location.provider, provider);
          assert.ok(error.provider?.code !== undefined);
        });

        it('classifies 5xx as retryable E_PROVIDER_UNAVAILABLE', async () => {
          faulty('unavailable', { fault: '5xx', status: 503 });
          const error = await expectLakefnError(invoke('unavailable'), 'E_PROVIDER_UNAVAILABLE', observedErrors);
          assert.equal(error.retryable, true);
          assert.equal(error.provider?.status, 503);
        });

        it('classifies a connection reset as retryable E_TRANSPORT', async () => {
          faulty('reset', { fault: 'reset' });
          const error = await expectLakefnError(invoke('reset'), 'E_TRANSPORT', observedErrors);
          assert.equal(error.retryable, true);
        });

        it('turns a hang into E_TIMEOUT and releases the socket', async () => {
          faulty('hung', { fault: 'hang' });
          const error = await expectLakefnError(invoke('hung', { timeoutMs: 300 }), 'E_TIMEOUT', observedErrors);
          assert.equal(error.retryable, true);
          // The mock logs a hung call only once the client has closed its connection.
          await until(() => context.cloud.calls().some((call) => call.function === 'hung' && call.fault === 'hang'), 'the hung connection to close');
          const result = await invoke('hung');
          assert.deepEqual(decode(result.payload), { results: ['A', 'B'] });
        });

        it('stops at once when the caller aborts', async () => {
          faulty('aborted', { fault: 'hang' });
          const controller = new AbortController();
          const credentials = await broker.credentialsFor(fixture.connection)();
          const call = fixture.adapter.doInvoke({
            credentials,
            binding: fixture.binding,
            functionName: 'aborted',
            payload: lakefnPayload([['x']]),
            timeoutMs: 60_000,
            abortSignal: controller.signal,
          });
          setTimeout(() => controller.abort(), 50);
          await expectLakefnError(call, 'E_CANCELLED', observedErrors);
          await until(() => context.cloud.calls().some((entry) => entry.function === 'aborted' && entry.fault === 'hang'), 'the aborted connection to close');
        });

        it('classifies a missing function as E_FUNCTION_NOT_FOUND', async () => {
          const error = await expectLakefnError(invoke('no_such_function'), 'E_FUNCTION_NOT_FOUND', observedErrors);
          assert.equal(error.retryable, false);
        });

        it('classifies a too-large payload as E_PAYLOAD_TOO_LARGE, from the provider and before sending', async () => {
          faulty('too_large', { fault: 'too_large' });
          await expectLakefnError(invoke('too_large'), 'E_PAYLOAD_TOO_LARGE', observedErrors);
          const before = context.cloud.calls().length;
          const oversized = new Uint8Array(fixture.adapter.limits.maxRequestBytes + 1).fill(0x20);
          await expectLakefnError(invoke('upper', { payload: oversized }), 'E_PAYLOAD_TOO_LARGE', observedErrors);
          assert.equal(context.cloud.calls().slice(before).filter((call) => !isStsCall(call)).length, 0);
        });

        it('refreshes credentials exactly once after the function service refuses them, then succeeds', async (t) => {
          // The broker's clock stands still while the cloud's (Date) moves past the credentials' expiry,
          // so the function service refuses credentials the broker still believes valid.
          const brokerClock = { now: () => Date.now() };
          const pinned = Date.now();
          brokerClock.now = () => pinned;
          const skewed = newBroker(brokerClock);
          await invoke('upper', { via: skewed });
          t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
          t.mock.timers.tick(2 * HOUR);
          const since = context.cloud.calls().length;
          const results = await Promise.all(Array.from({ length: 10 }, () => invoke('upper', { via: skewed })));
          assert.equal(results.length, 10);
          assert.equal(assumeRoleCalls(fixture.connection, since), 1);
          const refused = context.cloud.calls().slice(since).filter((call) => !isStsCall(call) && call.errorCode !== undefined);
          assert.ok(refused.length >= 1, 'the function service should have refused the expired credentials');
        });

        it('refreshes credentials across expiry without a failed call', async (t) => {
          t.mock.timers.enable({ apis: ['Date'], now: Date.now() });
          const since = context.cloud.calls().length;
          const timed = newBroker(); // Date.now: the same clock as the mock cloud and the SDKs' signatures
          const source = timed.credentialsFor(fixture.connection);
          await invoke('upper', { via: timed });
          const first = await source();
          t.mock.timers.tick(50 * MINUTE); // 10 min left: served, refreshed in the background
          await invoke('upper', { via: timed });
          // Wait for the broker (not just the mock) to hold the new credentials before moving the clock again.
          await until(async () => (await source()).accessKeyId !== first.accessKeyId, 'the background refresh');
          assert.equal(assumeRoleCalls(fixture.connection, since), 2);
          t.mock.timers.tick(15 * MINUTE); // the first credentials have expired
          await invoke('upper', { via: timed });
          t.mock.timers.tick(47 * MINUTE); // 3 min left on the second set: blocking refresh
          await invoke('upper', { via: timed });
          assert.equal(assumeRoleCalls(fixture.connection, since), 3);
          const failed = context.cloud.calls().slice(since).filter((call) => call.status !== 200 || call.errorCode !== undefined);
          assert.deepEqual(failed, []);
        });

        it('makes one AssumeRole for 100 concurrent first calls', async () => {
          const since = context.cloud.calls().length;
          const fresh = newBroker();
          const results = await Promise.all(Array.from({ length: 100 }, (_, index) => invoke('upper', { via: fresh, payload: lakefnPayload([[`r${index}`]]) })));
          assert.deepEqual(decode(results[42]?.payload ?? new Uint8Array()), { results: ['R42'] });
          assert.equal(assumeRoleCalls(fixture.connection, since), 1);
        });

        it('refuses a role that requires another external ID with E_STS_DENIED naming DESC API CONNECTION', async () => {
          const connection = fixture.addConnection('lakefn-other-tenant', { requireExternalId: generateExternalId() });
          const error = await expectLakefnError(broker.credentialsFor(connection)(), 'E_STS_DENIED', observedErrors);
          assert.match(error.message, new RegExp(`DESC API CONNECTION ${connection.name}`));
          assert.match(error.message, /trust policy/);
          assert.equal(error.location.connection, connection.name);
        });

        describe('VALIDATE', () => {
          const validate = (connection: ConnectionRecord, adapterFor = () => recordingAdapter(fixture.adapter, secrets)) =>
            validateConnection(connection, { adapterFor, environment: context.environment, timeoutMs: 5000 });

          it('VERIFIED when only the external ID opens the role', async () => {
            assert.deepEqual(await validate(fixture.connection), { status: 'VERIFIED', detail: null });
          });

          it('FAILED at step 1 with a hint when the trust policy does not match', async () => {
            const connection = fixture.addConnection('lakefn-mismatch', { requireExternalId: generateExternalId() });
            const result = await validate(connection);
            assert.equal(result.status, 'FAILED');
            assert.match(result.detail ?? '', /step 1/);
            assert.match(result.detail ?? '', new RegExp(`DESC API CONNECTION ${connection.name}`));
          });

          it('INSECURE_TRUST_POLICY when the role trusts the broker without the external ID', async () => {
            const connection = fixture.addConnection('lakefn-insecure', 'no-external-id');
            const result = await validate(connection);
            assert.equal(result.status, 'INSECURE_TRUST_POLICY');
            assert.match(result.detail ?? '', /step 2/);
            await expectLakefnError(broker.credentialsFor({ ...connection, status: 'INSECURE_TRUST_POLICY' })(), 'E_CONNECTION_NOT_USABLE', observedErrors);
          });

          it('INCONCLUSIVE with "could not reach" when STS is unreachable (nothing is proven either way)', async () => {
            const unreachable = createProviderRegistry({
              environment: { ...context.environment, [endpointVariable(provider, 'sts')]: 'http://127.0.0.1:1' },
              invokeTransport: transport,
            });
            try {
              const result = await validate(fixture.connection, () => unreachable.adapterFor(provider));
              assert.equal(result.status, 'INCONCLUSIVE');
              assert.match(result.detail ?? '', /step 1.*could not reach.*stored status is unchanged/);
            } finally {
              await unreachable.close();
            }
          });

          it("INCONCLUSIVE when STS rejects the broker's own key (the role was not tested)", async () => {
            const wrongKey = { ...context.environment };
            const keyVariable = Object.keys(wrongKey).find((name) => wrongKey[name] === context.cloud.brokerAccounts[provider].secretAccessKey);
            assert.ok(keyVariable !== undefined);
            wrongKey[keyVariable] = 'not-the-broker-secret-0123456789abcdef';
            const result = await validateConnection(fixture.connection, { adapterFor: () => fixture.adapter, environment: wrongKey, timeoutMs: 5000 });
            assert.equal(result.status, 'INCONCLUSIVE');
            assert.match(result.detail ?? '', /step 1.*rejected lakefn's broker keys/);
          });
        });
      });
    }

    it('never prints a secret key or session token (logs, messages, inspected errors and causes)', () => {
      output.restore();
      assert.ok(observedErrors.length >= 10 * PROVIDERS.length, `only ${observedErrors.length} errors observed`);
      assert.ok(secrets.size > PROVIDER_NAMES.length, 'temporary credentials should have been recorded');
      const texts = [...output.lines, ...observedErrors.flatMap(renderings)];
      for (const secret of secrets) {
        const leaks = texts.filter((text) => text.includes(secret));
        assert.equal(leaks.length, 0, `a secret (${secret.slice(0, 4)}…) appears in: ${leaks[0]?.slice(0, 300) ?? ''}`);
      }
    });
  });
}
